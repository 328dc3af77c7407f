"""Import time of radcevns and compile time of its main entry points.

Prints, each measured in fresh interpreter processes (median of ``--repeat`` runs, same machine,
same run):

* the time of ``import numpy, numba, scipy.special`` (the reference: what any numba-based physics
  package needs), of ``import radcevns`` (submodules load on first use), and of importing the
  physics core (``radcevns.primakoff``) and the whole stack (``radcevns.sensitivity``); each as a
  ratio to the reference;
* the time of the first call of each main entry point in a process with an **empty** numba cache
  (compilation included), and of the same call with the cache filled by the first process.

Run: ``.venv/bin/python benchmarks/bench_import.py`` (about a minute or two on two cores).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

REFERENCE = "import numpy, numba, scipy.special"
IMPORTS = {
    "import radcevns": "import radcevns",
    "import radcevns.primakoff": "import radcevns.primakoff",
    "import radcevns.sensitivity": "import radcevns.sensitivity",
}
ENTRY_POINTS = {
    "primakoff.sigma": "rc.primakoff.sigma(5.0, 1.0, 'W184', 3e-8)",
    "rates.cevns_rate": "rc.rates.cevns_rate('CaWO4')",
    "rates.primakoff_rate": "rc.rates.primakoff_rate(1.0, 'CaWO4', 1e-8)",
    "radiative.generate": "rc.radiative.generate(1000, 5.0, 1.0, 'W184', 3e-8)",
    "coincidences.radiative_rate": "rc.coincidences.radiative_rate(1.0, rc.detector.nucleus_10g(), 1e-7)",
    "sensitivity.limit": "rc.sensitivity.limit(1.0, rc.detector.nucleus_10g(), 0.0113)",
}


def _time_in_fresh_process(setup: str, stmt: str, env: dict) -> float:
    code = textwrap.dedent(
        f"""
        import time
        {setup}
        t0 = time.perf_counter()
        {stmt}
        print(time.perf_counter() - t0)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes per import measurement")
    args = parser.parse_args()
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")

    def median_import(stmt: str) -> float:
        return statistics.median(_time_in_fresh_process("", stmt, env) for _ in range(args.repeat))

    ref = median_import(REFERENCE)
    print(f"import time (median of {args.repeat} fresh processes)")
    print(f"  {REFERENCE:<40s} {ref * 1e3:8.0f} ms   (reference)")
    for label, stmt in IMPORTS.items():
        t = median_import(stmt)
        print(f"  {label:<40s} {t * 1e3:8.0f} ms   {t / ref:5.2f} x reference")

    print("\nfirst call of each entry point (compilation included) vs a warm numba cache")
    with tempfile.TemporaryDirectory() as cache:
        for label, stmt in ENTRY_POINTS.items():
            env_cold = dict(env, NUMBA_CACHE_DIR=str(Path(cache) / label))
            cold = _time_in_fresh_process("import radcevns as rc", stmt, env_cold)
            warm = _time_in_fresh_process("import radcevns as rc", stmt, env_cold)
            print(f"  {label:<30s} empty cache {cold:7.2f} s   filled cache {warm:7.3f} s")


if __name__ == "__main__":
    main()
