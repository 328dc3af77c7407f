"""Speed of the expected NUCLEUS limits: a full sensitivity curve and (optionally) chapter 06.

Run from the repository root (the package importable, e.g. installed with ``pip install -e .``)::

    NUMBA_CACHE_DIR=_build/numba_cache PYTHONPATH=. python benchmarks/bench_sensitivity.py [--quick]
        [--masses N] [--chapter] [--json FILE]

What is timed (after a JIT warm-up on two masses):

* ``radcevns.sensitivity.limit_curve`` for ``--masses`` (default 100) log-spaced masses between 0.01
  and 10 MeV, both modes (Primakoff, radiative) and both natures, one exposure (NUCLEUS-10g x 1 yr);
* for comparison, the naive radiative limit: ``scipy.optimize.brentq`` on ln mu calling the public
  ``radcevns.coincidences.radiative_rate`` at every step (recoil nodes rebuilt at every call), on a few masses
  and extrapolated to the full curve; the two must agree to 1e-5;
* with ``--chapter``: the whole chapter ``notebooks/06_nucleus_sensitivity.ipynb`` executed with
  papermill at its default (full-quality) parameters.

Targets of the issue: the full curve in under 30 s on 2 cores after JIT, the chapter in under 3 minutes.
Exit status 1 if a target is missed or the comparison fails. Timings are wall clock (shared machine).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time

import numba
import numpy as np
from scipy.optimize import brentq

from radcevns import backgrounds, coincidences, detector, statistics
from radcevns import sensitivity as sens

TARGET_CURVE_SECONDS = 30.0
TARGET_CHAPTER_SECONDS = 180.0


def naive_radiative_limit(m, det, exposure, nature, s_up):
    """brentq on ln mu around the public rate function (the reference of the timing)."""
    days = float(backgrounds.live_days(det, exposure))

    def f(u):
        return math.log(coincidences.radiative_rate(m, det, math.exp(u), nature=nature) * days / s_up)

    return math.exp(brentq(f, math.log(1e-12), math.log(1e-3), xtol=1e-10))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--masses", type=int, default=100, help="masses in the curve (default 100)")
    parser.add_argument("--naive", type=int, default=4, help="masses for the naive reference (default 4)")
    parser.add_argument("--threads", type=int, default=None, help="threads over masses (default 1)")
    parser.add_argument("--quick", action="store_true", help="20 masses, 2 naive masses")
    parser.add_argument("--chapter", action="store_true", help="also execute chapter 06 with papermill")
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    if args.quick:
        args.masses, args.naive = 20, 2

    det = detector.nucleus_10g()
    exposure = det.mass_kg  # one year
    natures = ("dirac", "majorana")
    masses = np.geomspace(0.01, 10.0, args.masses)
    threads = 1 if args.threads is None else args.threads

    t0 = time.perf_counter()
    for mode in sens.MODES:
        sens.limit_curve(masses[[0, -1]], det, exposure, mode=mode, nature=natures, n_threads=1)
    warm = time.perf_counter() - t0

    timings, curves = {}, {}
    for mode in sens.MODES:
        t0 = time.perf_counter()
        curves[mode] = sens.limit_curve(masses, det, exposure, mode=mode, nature=natures, n_threads=threads)
        timings[mode] = time.perf_counter() - t0
    total = sum(timings.values())

    # naive reference on a few masses of the same curve
    idx = np.unique(np.linspace(0, masses.size - 1, args.naive + 2).round().astype(int)[1:-1])
    s_up = float(statistics.poisson_upper_limit(backgrounds.radiative_background_events(det, exposure)))
    t0 = time.perf_counter()
    worst = 0.0
    for i in idx:
        for k, nat in enumerate(natures):
            ref = naive_radiative_limit(float(masses[i]), det, exposure, nat, s_up)
            worst = max(worst, abs(curves["radiative"][k, i] / ref - 1.0))
    naive_per_point = (time.perf_counter() - t0) / (idx.size * len(natures))
    naive_curve = naive_per_point * masses.size * len(natures)

    ok_curve = total < TARGET_CURVE_SECONDS
    ok_agree = worst < 1e-5
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, numba threads "
        f"{numba.get_num_threads()}, mass threads {threads}"
    )
    print(f"JIT / cache warm-up: {warm:.2f} s")
    print(f"{masses.size} masses x 2 natures, 10 g x 1 yr:")
    for mode in sens.MODES:
        print(f"  {mode:9s}: {timings[mode]:6.2f} s")
    print(
        f"  total    : {total:6.2f} s  (target < {TARGET_CURVE_SECONDS:.0f} s: "
        f"{'OK' if ok_curve else 'MISSED'})"
    )
    print(
        "naive radiative limit (brentq around coincidences.radiative_rate): "
        f"{naive_per_point * 1e3:.0f} ms per "
        f"(mass, nature), {naive_curve:.1f} s for the curve -> speed-up "
        f"{naive_curve / timings['radiative']:.1f}x; "
        f"largest difference {worst:.1e} ({'OK' if ok_agree else 'FAILED'})"
    )

    chapter = None
    ok_chapter = True
    if args.chapter:
        import tempfile

        import papermill

        out = os.path.join(tempfile.mkdtemp(prefix="bench06_"), "06_nucleus_sensitivity.ipynb")
        t0 = time.perf_counter()
        papermill.execute_notebook(
            "notebooks/06_nucleus_sensitivity.ipynb",
            out,
            kernel_name="python3",
            progress_bar=False,
            cwd="notebooks",
        )
        chapter = time.perf_counter() - t0
        ok_chapter = chapter < TARGET_CHAPTER_SECONDS
        print(
            f"chapter 06 (default parameters): {chapter:.1f} s (target < {TARGET_CHAPTER_SECONDS:.0f} s: "
            f"{'OK' if ok_chapter else 'MISSED'})"
        )

    if args.json:
        with open(args.json, "w") as fh:
            json.dump(
                {
                    "masses": int(masses.size),
                    "seconds": timings,
                    "total_seconds": total,
                    "warmup_seconds": warm,
                    "naive_seconds_per_point": naive_per_point,
                    "max_relative_difference": worst,
                    "chapter_seconds": chapter,
                },
                fh,
                indent=2,
            )
    return 0 if (ok_curve and ok_agree and ok_chapter) else 1


if __name__ == "__main__":
    sys.exit(main())
