"""Speed of the core cross sections: radcevns.primakoff.dsigma_dER and sigma against plain numpy/scipy.

Run from the repository root (the package importable, e.g. installed with ``pip install -e .``)::

    NUMBA_CACHE_DIR=_build/numba_cache PYTHONPATH=. python benchmarks/bench_core.py [--quick] [--json FILE]

What is timed (after a JIT warm-up that also loads the threaded kernels):

* ``dsigma_dER`` on 10^7 random points (E_nu, E_R, m_N) on W184 and on natural W (5 isotopes);
* ``sigma`` on 10^4 random pairs (E_nu, m_N) on W184, natural W and CaWO4 (14 isotopes);

each once with one numba thread (``numba.set_num_threads(1)``) and once with all of them.  The random
points are kinematically open (no cheap exact zeros): E_nu uniform in [1.8, 10] MeV (reactor
antineutrinos above the inverse-beta threshold), m_N = u E_nu with u log-uniform in [1e-3, 0.95], E_R
log-uniform between the kinematic limits of the first isotope.

The reference written below shares no code with the package: the kinematic limits from the discriminant
form of the exact recoil range (the lower root through Vieta, E_R^min E_R^max = m^4 / (4 M (M + 2E)), which
avoids its cancellation), K from the polynomial of the exact dsigma/dE_R, the Helm form factor (Lewin &
Smith 1996) with ``scipy.special.spherical_jn``, all vectorised with numpy; the total cross section
is ``scipy.integrate.quad`` of that in ln E_R, on a subsample of pairs and extrapolated per evaluation.
The script checks that the package and the reference agree to 1e-8 relative (exit status 1 if not) and
prints evaluations per second, the speed-up over the reference and the issue's targets: sigma on 10^4
pairs of one isotope in < 50 ms on one core, dsigma_dER at >= 10^7 points per second.

Timings are the best of ``--repeat`` runs (wall clock), because the machine may be shared.
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
from scipy import constants as sc
from scipy.integrate import quad
from scipy.special import spherical_jn

import radcevns as rc
from radcevns import primakoff as pk

# --- constants straight from CODATA (scipy), not from radcevns.constants ----------------------------------
ALPHA = sc.fine_structure
M_E = sc.physical_constants["electron mass energy equivalent in MeV"][0]
HBARC_MEV_FM = sc.physical_constants["reduced Planck constant times c in MeV fm"][0]
HBARC_MEV_CM = HBARC_MEV_FM * 1e-13
MU_B = math.sqrt(4.0 * math.pi * ALPHA) / (2.0 * M_E)  # Bohr magneton in MeV^-1 (Heaviside-Lorentz e)

MU_BOHR = 1e-8  # transition magnetic moment used throughout (mu_B); the result scales as mu^2
RTOL = 1e-8  # required agreement between the package and the reference

TARGET_SIGMA_SECONDS = 0.050  # 10^4 pairs, one isotope, one core
TARGET_DSIGMA_RATE = 1e7  # points per second


# --- reference implementation ------------------------------------------------------------------------------
def ref_recoil_range(E, m, M):
    """Exact (E_R^min, E_R^max) in MeV; zero where E is at or below the threshold m + m^2 / (2M)."""
    E, m = np.broadcast_arrays(np.asarray(E, float), np.asarray(m, float))
    open_ = E > m + m * m / (2.0 * M)
    Eo, mo = np.where(open_, E, 2.0), np.where(open_, m, 1.0)
    disc = np.sqrt(np.maximum((2.0 * M * Eo - mo**2) ** 2 - 4.0 * mo**2 * M**2, 0.0))
    hi = (2.0 * M * Eo**2 - mo**2 * (Eo + M) + Eo * disc) / (2.0 * M * (2.0 * Eo + M))
    lo = mo**4 / (4.0 * M * (M + 2.0 * Eo) * hi)
    return np.where(open_, lo, 0.0), np.where(open_, hi, 0.0)


def ref_helm(E_R, A, M):
    """Helm charge form factor with scipy's spherical Bessel function; q = sqrt(2 M E_R + E_R^2)."""
    q = np.sqrt(2.0 * M * E_R + E_R**2) / HBARC_MEV_FM  # fm^-1
    c, a, s = 1.23 * A ** (1.0 / 3.0) - 0.60, 0.52, 0.9
    r1 = math.sqrt(c * c + 7.0 / 3.0 * math.pi**2 * a * a - 5.0 * s * s)
    x = q * r1  # > 0: E_R > 0 wherever this is used
    return 3.0 * spherical_jn(1, x) / x * np.exp(-((q * s) ** 2) / 2.0)


def ref_dsigma_isotope(E, E_R, m, Z, A, M, mu_bohr):
    """Exact dsigma/dE_R with Helm in cm^2/MeV for one isotope; 0 outside the kinematic range."""
    lo, hi = ref_recoil_range(E, m, M)
    inside = (hi > 0) & (E_R >= lo) & (E_R <= hi) & (E_R > 0)
    R = np.where(inside, E_R, 1.0)
    Es = np.where(inside, E, 1.0)
    K = (
        8 * Es**2 * R * M
        - 8 * Es * R**2 * M
        - 4 * Es * R * m**2
        + 2 * R**3 * M
        + R**2 * m**2
        - 2 * R * M * m**2
        - m**4
    )
    F = ref_helm(R, A, M)
    val = ALPHA * Z**2 * (mu_bohr * MU_B) ** 2 * F**2 * K / (8 * Es**2 * R**2 * M) * HBARC_MEV_CM**2
    return np.where(inside, val, 0.0)


def ref_dsigma(E, E_R, m, isotopes, mu_bohr):
    """Weighted sum over the isotopes [(weight, Z, A, M), ...] of a target."""
    return sum(w * ref_dsigma_isotope(E, E_R, m, Z, A, M, mu_bohr) for w, Z, A, M in isotopes)


def ref_sigma(E, m, isotopes, mu_bohr):
    """Total cross section in cm^2 for one (E_nu, m_N) pair: quad of the reference dsigma in ln E_R."""
    total = 0.0
    for w, Z, A, M in isotopes:
        lo, hi = (float(v) for v in ref_recoil_range(E, m, M))
        if hi <= 0.0:
            continue

        def integrand(u, Z=Z, A=A, M=M):
            R = math.exp(u)
            return R * float(ref_dsigma_isotope(E, R, m, Z, A, M, mu_bohr))

        val, _ = quad(integrand, math.log(lo), math.log(hi), epsrel=1e-11, epsabs=0.0, limit=200)
        total += w * val
    return total


def isotopes_of(target):
    Z, A, M, w = rc.nuclear.target_arrays(target)
    return list(zip(w, Z, A, M, strict=True))


# --- sampling and timing -----------------------------------------------------------------------------------
def sample_pairs(rng, n):
    """E_nu uniform in [1.8, 10] MeV, m_N = u E_nu with u log-uniform in [1e-3, 0.95]."""
    E = rng.uniform(1.8, 10.0, n)
    m = E * 10.0 ** rng.uniform(-3.0, math.log10(0.95), n)
    return E, m


def sample_points(rng, n, M):
    """Pairs as above plus E_R log-uniform between the (reference) kinematic limits for nuclear mass M."""
    E, m = sample_pairs(rng, n)
    lo, hi = ref_recoil_range(E, m, M)
    R = np.exp(rng.uniform(np.log(lo), np.log(hi)))
    return E, R, m


def best_time(fn, repeat):
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def max_rel_diff(got, ref):
    got, ref = np.asarray(got), np.asarray(ref)
    if np.any((got == 0) != (ref == 0)):
        return math.inf
    nz = ref != 0
    return float(np.max(np.abs(got[nz] - ref[nz]) / np.abs(ref[nz]), initial=0.0))


def timed_both(fn, repeat, all_threads):
    """Best wall time with one numba thread and with all threads."""
    numba.set_num_threads(1)
    t1 = best_time(fn, repeat)
    numba.set_num_threads(all_threads)
    tn = best_time(fn, repeat)
    return t1, tn


def warm_up(all_threads):
    E, m = np.array([3.0, 5.0]), np.array([0.5, 1.0])
    for threads in (1, all_threads):
        numba.set_num_threads(threads)
        for target in ("W184", "W", "CaWO4"):
            big = np.full(50_000, 5.0)
            pk.dsigma_dER(big, 1e-5, 1.0, target, MU_BOHR)
            pk.sigma(np.full(512, 5.0), 1.0, target, MU_BOHR)
            pk.sigma(E, m, target, MU_BOHR)


# --- the two benchmarks ------------------------------------------------------------------------------------
def bench_dsigma(rng, n, repeat, all_threads):
    """Rows for dsigma_dER on n random points (W184 and natural W)."""
    E, R, m = sample_points(rng, n, rc.nucleus("W184").mass)
    rows = []
    for target in ("W184", "W"):
        isotopes = isotopes_of(target)
        got = pk.dsigma_dER(E, R, m, target, MU_BOHR)
        t1, tn = timed_both(lambda t=target: pk.dsigma_dER(E, R, m, t, MU_BOHR), repeat, all_threads)
        t0 = time.perf_counter()
        ref = ref_dsigma(E, R, m, isotopes, MU_BOHR)
        t_ref = time.perf_counter() - t0
        rows.append(
            dict(
                function="dsigma_dER",
                target=target,
                n=n,
                seconds_1_thread=t1,
                seconds_all=tn,
                seconds_reference=t_ref,
                max_rel_diff=max_rel_diff(got, ref),
            )
        )
    return rows


def bench_sigma(rng, n, n_quad, repeat, all_threads):
    """Rows for sigma on n random pairs (W184, natural W, CaWO4); quad reference on the first n_quad."""
    E, m = sample_pairs(rng, n)
    k = min(n_quad, n)
    rows = []
    for target in ("W184", "W", "CaWO4"):
        isotopes = isotopes_of(target)
        got = pk.sigma(E, m, target, MU_BOHR)
        t1, tn = timed_both(lambda t=target: pk.sigma(E, m, t, MU_BOHR), repeat, all_threads)
        t0 = time.perf_counter()
        ref = np.array([ref_sigma(E[i], m[i], isotopes, MU_BOHR) for i in range(k)])
        t_ref = (time.perf_counter() - t0) * n / k  # extrapolated to n pairs
        rows.append(
            dict(
                function="sigma",
                target=target,
                n=n,
                seconds_1_thread=t1,
                seconds_all=tn,
                seconds_reference=t_ref,
                max_rel_diff=max_rel_diff(got[:k], ref),
            )
        )
    return rows


# --- main --------------------------------------------------------------------------------------------------
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=10**7, help="dsigma_dER points (default 1e7)")
    parser.add_argument("--pairs", type=int, default=10**4, help="sigma (E_nu, m_N) pairs (default 1e4)")
    parser.add_argument("--quad-pairs", type=int, default=200, help="pairs integrated with scipy quad")
    parser.add_argument("--repeat", type=int, default=3, help="timing repetitions (best is kept)")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--quick", action="store_true", help="1e5 points, 1e3 pairs, 20 quad pairs")
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    if args.quick:
        args.points, args.pairs, args.quad_pairs = 10**5, 10**3, 20

    all_threads = numba.config.NUMBA_NUM_THREADS
    t0 = time.perf_counter()
    warm_up(all_threads)
    print(
        f"radcevns core benchmark: numba {numba.__version__} ({numba.threading_layer()} threading layer, "
        f"{all_threads} thread(s)), numpy {np.__version__}, python {platform.python_version()}, "
        f"{os.cpu_count()} CPU(s); JIT warm-up {time.perf_counter() - t0:.1f} s; best of {args.repeat} runs"
    )
    rng = np.random.default_rng(args.seed)
    rows = bench_dsigma(rng, args.points, args.repeat, all_threads)
    rows += bench_sigma(rng, args.pairs, args.quad_pairs, args.repeat, all_threads)

    header = (
        f"{'function':10s} {'target':7s} {'n':>9s} {'1 thread':>11s} {f'{all_threads} threads':>11s} "
        f"{'reference':>11s} {'speed-up':>9s} {'max rel diff':>13s}"
    )
    print("\nevaluations per second (speed-up = reference time / best package time)")
    print(header)
    print("-" * len(header))
    for r in rows:
        n, t1, tn, tr = r["n"], r["seconds_1_thread"], r["seconds_all"], r["seconds_reference"]
        print(
            f"{r['function']:10s} {r['target']:7s} {n:9d} {n / t1:9.3g}/s {n / tn:9.3g}/s {n / tr:9.3g}/s "
            f"{tr / min(t1, tn):8.1f}x {r['max_rel_diff']:13.2e}"
        )
    print(
        f"reference: numpy dsigma/dE_R + Helm (scipy spherical_jn) for dsigma_dER; scipy quad for sigma on "
        f"{min(args.quad_pairs, args.pairs)} pairs, extrapolated"
    )

    # the targets
    by = {(r["function"], r["target"]): r for r in rows}
    sigma_ms = by[("sigma", "W184")]["seconds_1_thread"] * 1e3 * 1e4 / args.pairs
    ds = by[("dsigma_dER", "W184")]
    rate_1, rate_all = ds["n"] / ds["seconds_1_thread"], ds["n"] / ds["seconds_all"]
    agree = all(r["max_rel_diff"] <= RTOL for r in rows)
    verdict = {
        "sigma": "met" if sigma_ms < TARGET_SIGMA_SECONDS * 1e3 else "MISSED",
        "dsigma_dER": "met" if max(rate_1, rate_all) >= TARGET_DSIGMA_RATE else "MISSED",
    }
    print("\ntargets")
    print(
        f"  sigma on 1e4 (E_nu, m_N) pairs of W184, one thread: {sigma_ms:.1f} ms (< 50 ms): "
        f"{verdict['sigma']}"
    )
    print(
        f"  dsigma_dER on W184: {rate_1:.3g}/s on one thread, {rate_all:.3g}/s on {all_threads} "
        f"(>= 1e7/s): {verdict['dsigma_dER']}"
    )
    print(f"  package = reference to {RTOL:g} relative everywhere: {'yes' if agree else 'NO'}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(
                dict(vars(args), rows=rows, targets=verdict, agreement=agree, sigma_W184_ms=sigma_ms),
                fh,
                indent=2,
            )
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
