"""Speed of one sensitivity curve per experiment of the registry (``radcevns.experiments``).

Run from the repository root::

    NUMBA_CACHE_DIR=_build/numba_cache NUMBA_NUM_THREADS=1 PYTHONPATH=. python benchmarks/bench_experiments.py
        [--masses N] [--only NAME ...] [--reference] [--profile NAME] [--json FILE]

What is timed (after a JIT warm-up on three masses): :meth:`radcevns.experiments.Experiment.limit_curve`
for ``--masses`` (default 100) log-spaced masses between 0.01 and 8 MeV, both modes (Primakoff and
radiative) and both natures, at the data set's exposure; the time per curve and per experiment is
printed.  ``--profile NAME`` prints the cProfile table of one experiment's curve (what dominates).

Target of issue 10: one curve (100 masses, both modes, both natures) in under 2 s on one core for any
experiment.

``--reference`` also times, in the same process, the previous quadrature settings as the reference
implementation: the recoil spectra folded with 48 Gauss-Legendre nodes in E_nu instead of the exact
fold of the tabulated flux (``n_enu=48``), and the radiative recoil nodes of order 8 on panels of at
most 1.5 in ln E_R everywhere (1.5x the nodes); the printed ratio is reference / current.
Timings are CPU seconds of the process (``time.process_time``, one thread): on the shared machine the
wall clock depends on what else runs, the CPU time much less.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import pstats
import time

import numpy as np

from radcevns import experiments, quadrature
from radcevns import rates as _rates_module

TARGET_CURVE_SECONDS = 2.0


def time_curve(exp, masses):
    """CPU seconds for the Primakoff and the radiative curve (both natures) of one experiment."""
    exp.limit_curve(masses[:3], mode="primakoff")
    exp.limit_curve(masses[:3], mode="radiative", nature=("dirac", "majorana"))
    t0 = time.process_time()
    exp.limit_curve(masses, mode="primakoff")
    t1 = time.process_time()
    exp.limit_curve(masses, mode="radiative", nature=("dirac", "majorana"))
    t2 = time.process_time()
    return t1 - t0, t2 - t1


@contextlib.contextmanager
def reference_settings():
    """The previous quadrature: 48-node Gauss-Legendre E_nu fold, order-8 recoil panels of <= 1.5."""
    saved = (
        _rates_module._enu_nodes,
        quadrature._DU_MAX,
        quadrature._GL_RN_X,
        quadrature._GL_RN_W,
    )
    x8, w8 = np.polynomial.legendre.leggauss(8)
    _rates_module._enu_nodes = lambda n: 48 if n is None else saved[0](n)
    quadrature._DU_MAX, quadrature._GL_RN_X, quadrature._GL_RN_W = 1.5, x8, w8
    try:
        yield
    finally:
        _rates_module._enu_nodes = saved[0]
        quadrature._DU_MAX, quadrature._GL_RN_X, quadrature._GL_RN_W = saved[1:]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--masses", type=int, default=100)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--profile", default=None)
    parser.add_argument("--reference", action="store_true", help="also time the previous quadrature")
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    masses = np.geomspace(0.01, 8.0, args.masses)
    names = args.only or experiments.names()
    rows = {}
    head = f"{'experiment':14s} {'primakoff [s]':>14s} {'radiative [s]':>14s} {'curve [s]':>10s}"
    print(head + ("  reference [s]  ratio" if args.reference else ""))
    for name in names:
        exp = experiments.get(name)
        tp, tr = time_curve(exp, masses)
        rows[name] = {"primakoff_s": tp, "radiative_s": tr, "curve_s": tp + tr}
        extra = ""
        if args.reference:
            with reference_settings():
                tp0, tr0 = time_curve(exp, masses)
            rows[name].update(reference_primakoff_s=tp0, reference_radiative_s=tr0)
            extra = f"  {tp0 + tr0:13.2f}  {(tp0 + tr0) / (tp + tr):5.1f}"
        flag = "" if tp + tr < TARGET_CURVE_SECONDS else "  (above the 2 s target)"
        print(f"{name:14s} {tp:14.2f} {tr:14.2f} {tp + tr:10.2f}{extra}{flag}")
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
