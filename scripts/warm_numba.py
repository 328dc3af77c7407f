"""Fill the numba cache by running every chapter once with ``fast = True`` (used by postBuild).

    python scripts/warm_numba.py [notebooks/01_kinematics.ipynb ...]

Every ``@njit(cache=True)`` kernel of the package is compiled for the argument types the chapters
actually use and written to the numba cache, so a later kernel starts from compiled code. Which
cache: ``NUMBA_CACHE_DIR`` if set (scripts/_venv.sh sets ``_build/numba_cache`` for local work), else
numba's default, the ``__pycache__`` folder next to each module of the package (what Binder uses:
the package is installed in place with ``pip install -e .`` in a folder the user owns). The outputs
are discarded. A chapter that fails is reported and skipped; the exit status is 0 unless no chapter
ran, so a Binder build never fails here.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def warm(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            cell.source = "fast = True\n" + cell.source
            break
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    t0 = time.perf_counter()
    client = NotebookClient(
        nb, kernel_name="python3", timeout=1800, resources={"metadata": {"path": str(path.parent)}}
    )
    with client.setup_kernel(env=env, cwd=str(path.parent)):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and "skip-execution" not in cell.metadata.get("tags", []):
                client.execute_cell(cell, index)
    return time.perf_counter() - t0


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    where = os.environ.get("NUMBA_CACHE_DIR") or "__pycache__ next to the package modules"
    print(f"warming the numba cache ({where}) with {len(paths)} chapters, fast = True", flush=True)
    done = 0
    for path in paths:
        try:
            seconds = warm(path)
        except Exception as err:  # noqa: BLE001 (report and go on: warming is an optimisation)
            print(f"  {path.name}: failed ({type(err).__name__}: {str(err)[:200]})", flush=True)
            continue
        done += 1
        print(f"  {path.name}: {seconds:.0f} s", flush=True)
    return 0 if done else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
