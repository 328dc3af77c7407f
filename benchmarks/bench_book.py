"""What a reader waits for: time to the first figure of each chapter, and explorer redraws.

    bash scripts/run_tests.sh --co -q >/dev/null   # (any command that creates .venv first)
    .venv/bin/python benchmarks/bench_book.py                      # every chapter
    .venv/bin/python benchmarks/bench_book.py 01 03 --repeat 2     # selected chapters

For each notebook in notebooks/ the chapter's cells are executed in a fresh ``python3`` kernel with
nbclient, in order, until the first cell that displays a PNG image (cells tagged
``skip-execution`` are skipped, as in the book). Reported:

* ``kernel``: seconds from asking for a kernel until it answers (kernel start-up);
* ``cold``: seconds from the first cell to the first figure with an *empty* numba cache
  (``NUMBA_CACHE_DIR`` a fresh folder): every ``@njit(cache=True)`` kernel the cells reach is compiled;
* ``warm``: the same with the cache that the cold run filled (the state after ``postBuild`` on
  Binder, or after any earlier run locally);
* ``whole``: the warm run goes on to the end of the chapter (``--first-figure-only`` stops it at the
  first figure): seconds for the whole chapter, what "Run All" costs a reader;
* ``explorer``: then, in the same kernel, every function named ``explore...`` (the interactive
  explorers) is called with its default arguments and once with each numeric argument changed by
  10 %; the median and maximum of these redraws (the function draws and shows its figure, as after
  a slider move) are reported.

The notebooks run with their stored parameters (``fast = False``: what a reader gets), or with
``--fast``. Times are wall-clock seconds on this machine; the load average at the start is printed
because a shared machine inflates them. Results go to stdout as a Markdown table and, with
``--json FILE``, to a file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SKIP_TAG = "skip-execution"

# Runs in the kernel after the chapter: time every explore* function (default arguments, then each
# numeric argument changed by 10 %), closing figures between calls.
EXPLORER_PROBE = r"""
import inspect as _inspect, json as _json, time as _time
import matplotlib.pyplot as _plt
_res = {}
for _name, _fn in list(globals().items()):
    if not (_name.startswith("explore") and _inspect.isfunction(_fn)):
        continue
    if any(p.default is _inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
           for p in _inspect.signature(_fn).parameters.values()):
        continue  # a helper that needs arguments, not a slider callback
    _defaults = {k: p.default for k, p in _inspect.signature(_fn).parameters.items()
                 if p.default is not _inspect.Parameter.empty}
    _variants = [dict(_defaults)]
    for _k, _v in _defaults.items():
        if isinstance(_v, bool) or not isinstance(_v, (int, float)):
            continue
        _variants.append({**_defaults, _k: (_v + 1 if isinstance(_v, int) else (_v * 1.1 if _v else 0.1))})
    _times = []
    for _kw in _variants:
        _t0 = _time.perf_counter()
        _fn(**_kw)
        _plt.close("all")
        _times.append(_time.perf_counter() - _t0)
    _res[_name] = _times
print("EXPLORER_TIMES " + _json.dumps(_res))
"""


def _has_png(cell) -> bool:
    return any(
        "image/png" in out.get("data", {})
        for out in cell.get("outputs", [])
        if out.get("output_type") in ("display_data", "execute_result")
    )


def _load(path: Path, fast: bool):
    nb = nbformat.read(path, as_version=4)
    if fast:
        for cell in nb.cells:
            if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
                cell.source = "fast = True\n" + cell.source
                break
    return nb


def _run_extra(client: NotebookClient, nb, source: str):
    """Execute a cell that is not part of the chapter (nbclient stores each cell back into ``nb``)."""
    cell = nbformat.v4.new_code_cell(source)
    nb.cells.append(cell)
    try:
        client.execute_cell(cell, len(nb.cells) - 1)
    finally:
        nb.cells.pop()
    return cell


def run_chapter(path: Path, cache_dir: Path, *, fast: bool, whole: bool) -> dict:
    """Execute one chapter until its first figure; with ``whole``, to its end, then time its explorers."""
    nb = _load(path, fast)
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env["NUMBA_CACHE_DIR"] = str(cache_dir)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=1800,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        skip_cells_with_tag=SKIP_TAG,
    )
    out: dict = {"chapter": path.stem, "first_figure_s": None}
    t_kernel = time.perf_counter()
    with client.setup_kernel(env=env, cwd=str(NOTEBOOKS)):
        # the kernel is up once it has executed a trivial cell
        _run_extra(client, nb, "pass")
        out["kernel_s"] = time.perf_counter() - t_kernel
        t0 = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            client.execute_cell(cell, index)
            if out["first_figure_s"] is None and _has_png(cell):
                out["first_figure_s"] = time.perf_counter() - t0
                if not whole:
                    return out
        out["whole_chapter_s"] = time.perf_counter() - t0
        probe = _run_extra(client, nb, EXPLORER_PROBE)
        text = "".join(o.get("text", "") for o in probe.outputs if o.get("output_type") == "stream")
        line = next((ln for ln in text.splitlines() if ln.startswith("EXPLORER_TIMES ")), None)
        out["explorers"] = json.loads(line.split(" ", 1)[1]) if line else {}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("chapters", nargs="*", help="notebook name prefixes, e.g. 01 03 A1 (default: all)")
    parser.add_argument("--fast", action="store_true", help="run with fast = True")
    parser.add_argument("--repeat", type=int, default=1, help="warm runs per chapter (the minimum is kept)")
    parser.add_argument(
        "--first-figure-only",
        dest="whole",
        action="store_false",
        help="stop the warm run at the first figure (no whole-chapter time, no explorer timings)",
    )
    parser.add_argument("--json", type=Path, help="write the results to this file")
    args = parser.parse_args(argv)

    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    if args.chapters:
        paths = [p for c in args.chapters for p in paths if p.stem.startswith(c)]  # in the order given
    load = os.getloadavg()
    print(
        f"load average at start: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    rows = []
    for path in paths:
        cache = Path(tempfile.mkdtemp(prefix="bench_book_numba_"))
        try:
            cold = run_chapter(path, cache, fast=args.fast, whole=False)
            warm = [
                run_chapter(path, cache, fast=args.fast, whole=args.whole) for _ in range(max(args.repeat, 1))
            ]
            best = min(warm, key=lambda r: r["first_figure_s"] or float("inf"))
            row = {
                "chapter": path.stem,
                "kernel_s": best["kernel_s"],
                "cold_s": cold["first_figure_s"],
                "warm_s": best["first_figure_s"],
            }
            if args.whole:
                row["whole_chapter_s"] = min(r["whole_chapter_s"] for r in warm)
                row["explorers"] = {
                    name: {"median_s": statistics.median(t), "max_s": max(t), "calls": len(t)}
                    for name, t in best.get("explorers", {}).items()
                    if t
                }
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        rows.append(row)
        print(json.dumps(row), flush=True)

    def fmt(x):
        return "-" if x is None else f"{x:.1f}"

    print(
        "\n| chapter | kernel start [s] | first figure, cold cache [s] | first figure, warm [s] "
        "| whole chapter, warm [s] |"
    )
    print("|---|---|---|---|---|")
    for r in rows:
        cells = [r["kernel_s"], r["cold_s"], r["warm_s"], r.get("whole_chapter_s")]
        print(f"| {r['chapter']} | " + " | ".join(fmt(c) for c in cells) + " |")
    explorer_rows = [(r["chapter"], n, e) for r in rows for n, e in r.get("explorers", {}).items()]
    if explorer_rows:
        print("\n| chapter | explorer | redraws | median redraw [s] | slowest redraw [s] |")
        print("|---|---|---|---|---|")
        for chapter, name, e in explorer_rows:
            print(f"| {chapter} | `{name}` | {e['calls']} | {e['median_s']:.2f} | {e['max_s']:.2f} |")
    if args.json:
        args.json.write_text(json.dumps({"load": load, "fast": args.fast, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
