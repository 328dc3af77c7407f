"""Speed of one sensitivity curve per experiment of the registry (``radcevns.experiments``).

Run from the repository root::

    NUMBA_CACHE_DIR=_build/numba_cache PYTHONPATH=. python benchmarks/bench_experiments.py
        [--masses N] [--only NAME ...] [--profile NAME] [--json FILE]

What is timed (after a JIT warm-up on three masses): :meth:`radcevns.experiments.Experiment.limit_curve`
for ``--masses`` (default 100) log-spaced masses between 0.01 and 8 MeV, both modes (Primakoff and
radiative) and both natures, at the data set's exposure; the time per curve and per experiment is
printed.  ``--profile NAME`` prints the cProfile table of one experiment's curve (what dominates).

Target of issue 10: one curve (100 masses, both modes, both natures) in under 2 s on one core for any
experiment.  The previous implementation (before the flux table of ``radcevns.rates`` was reused from one
mass to the next, and before experiments without a photon detector skipped the radiative computation)
is timed with ``--previous``: it rebuilds the flux table at every spectrum call.
Timings are CPU seconds of the process (``time.process_time``, one thread): on the shared machine the
wall clock depends on what else runs, the CPU time much less.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import time

import numpy as np

from radcevns import experiments
from radcevns import rates as _rates_module

TARGET_CURVE_SECONDS = 2.0


def time_curve(exp, masses):
    """Seconds for the Primakoff and the radiative curve (both natures) of one experiment."""
    exp.limit_curve(masses[:3], mode="primakoff")
    exp.limit_curve(masses[:3], mode="radiative", nature=("dirac", "majorana"))
    t0 = time.process_time()
    exp.limit_curve(masses, mode="primakoff")
    t1 = time.process_time()
    exp.limit_curve(masses, mode="radiative", nature=("dirac", "majorana"))
    t2 = time.process_time()
    return t1 - t0, t2 - t1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--masses", type=int, default=100)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--profile", default=None)
    parser.add_argument("--previous", action="store_true", help="also time without the flux-table reuse")
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    masses = np.geomspace(0.01, 8.0, args.masses)
    names = args.only or experiments.names()
    rows = {}
    print(f"{'experiment':14s} {'primakoff [s]':>14s} {'radiative [s]':>14s} {'curve [s]':>10s}")
    for name in names:
        exp = experiments.get(name)
        tp, tr = time_curve(exp, masses)
        rows[name] = {"primakoff_s": tp, "radiative_s": tr, "curve_s": tp + tr}
        if args.previous:
            original = _rates_module._flux_table
            _rates_module._flux_table = _rates_module._FluxTable  # rebuild at every call, as before
            try:
                tp0, _ = time_curve(exp, masses)
            finally:
                _rates_module._flux_table = original
            rows[name]["primakoff_previous_s"] = tp0
        flag = "" if tp + tr < TARGET_CURVE_SECONDS else "  (above the 2 s target)"
        extra = f"  previous Primakoff {tp0:.2f} s, ratio {tp0 / tp:.2f}" if args.previous else ""
        print(f"{name:14s} {tp:14.2f} {tr:14.2f} {tp + tr:10.2f}{flag}{extra}")
    if args.profile:
        exp = experiments.get(args.profile)
        time_curve(exp, masses[:5])
        prof = cProfile.Profile()
        prof.enable()
        exp.limit_curve(masses, mode="primakoff")
        exp.limit_curve(masses, mode="radiative", nature=("dirac", "majorana"))
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(12)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(rows, out, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
