"""Speed, accuracy and memory of radcevns.radiative (the photon distributions and the event generator).

Run from the repository root (the package importable, e.g. installed with ``pip install -e .``)::

    NUMBA_CACHE_DIR=_build/numba_cache PYTHONPATH=. python benchmarks/bench_radiative.py [--quick] [--json F]

What is measured (after a JIT warm-up; wall-clock times are the best of ``--repeat`` runs because the machine
may be shared):

1. ``radiative.generate``: 10^6 weighted events of nu A -> (N -> nu gamma) A at E_nu = 5 MeV,
   m_N = 2 MeV, Dirac, on 184W and on CaWO4 (14 isotopes); target: 10^6 events in < 2 s.  The same
   sampling written independently in vectorised numpy (below) is timed on 184W and compared with the
   package *event by event*: it is fed the uniform random numbers the package draws first from
   ``numpy.random.default_rng(seed)`` (the package is free to change that order; then only the
   statistical comparison of the totals remains meaningful).
2. ``amplitudes.msq_radiative`` (explicit-spinor 2 -> 3 |M|^2) against the plain-numpy evaluation of
   ``benchmarks/bench_amplitudes.py`` on the same events.
3. ``radiative.double_differential`` on a 100 x 100 grid (E_gamma in [0, E_nu], cos theta_gamma in
   [-1, 1]) on 184W and on natural W; target < 5 s.  Convergence: maximum relative change, in the bins
   above 1e-3 of the maximum, when the quadrature ``step`` is halved.
4. (run first) Peak memory of streaming 10^7 events with ``radiative.iter_events`` into an energy
   histogram and an energy-angle histogram: numpy allocations traced with ``tracemalloc`` (the batches
   themselves) and the process maximum resident set size from ``resource.getrusage`` (includes Python,
   numba and LLVM); target < 1 GB.

The numpy generator shares no code with the package: the recoil range from the discriminant form of
the exact two-body kinematics with the lower root through Vieta, dsigma/dE_R from its exact formula, the
polarisation from the P_L and P_T formulas (chapter 02 of the book), the Helm form factor (Lewin & Smith)
with scipy's spherical Bessel function, constants from scipy.constants (CODATA), and the photon boosted
with the textbook formula for a boost along an arbitrary direction.  Exit status 1 if the package and the
reference disagree beyond rounding (timings never fail).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from scipy import constants as sc
from scipy.special import spherical_jn

import radcevns as rc
from radcevns import amplitudes, radiative


def _load_sibling(name):
    """Import benchmarks/<name>.py by path (the benchmarks folder is not a package)."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parent / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_bench_amplitudes = _load_sibling("bench_amplitudes")  # its independent numpy |M|^2 and event sampler
msq_radiative_numpy, random_events = _bench_amplitudes.msq_radiative_numpy, _bench_amplitudes.random_events

# --- constants straight from CODATA (scipy), not from radcevns.constants -----------------------------------
ALPHA = sc.fine_structure
M_E = sc.physical_constants["electron mass energy equivalent in MeV"][0]
HBARC_MEV_FM = sc.physical_constants["reduced Planck constant times c in MeV fm"][0]
MEV2_TO_CM2 = (HBARC_MEV_FM * 1e-13) ** 2  # (hbar c)^2 in MeV^2 cm^2
MU_B = math.sqrt(4.0 * math.pi * ALPHA) / (2.0 * M_E)  # Bohr magneton in MeV^-1 (Heaviside-Lorentz e)

E_NU, M_N, MU_BOHR, SEED = 5.0, 2.0, 3e-8, 12345
ALPHA_GAMMA = {"dirac": -1.0, "majorana": 0.0}
TARGET_GENERATE_S = 2.0  # 10^6 events
TARGET_DOUBLE_S = 5.0  # 100 x 100 grid
TARGET_MEMORY_MB = 1024.0  # streaming 10^7 events


# --- plain-numpy reference generator -----------------------------------------------------------------------
def ref_recoil_range(E, m, M):
    """Exact (E_R^min, E_R^max) in MeV; the lower root as m^4 / (4 M (M + 2E) E_R^max) (Vieta)."""
    disc = math.sqrt((2.0 * M * E - m * m) ** 2 - 4.0 * m * m * M * M)
    hi = (2.0 * M * E * E - m * m * (E + M) + E * disc) / (2.0 * M * (2.0 * E + M))
    return m**4 / (4.0 * M * (M + 2.0 * E) * hi), hi


def ref_helm(q_mev, A):
    """Helm charge form factor (Lewin & Smith 1996), q in MeV."""
    q = q_mev / HBARC_MEV_FM
    c, a, s = 1.23 * A ** (1.0 / 3.0) - 0.60, 0.52, 0.9
    x = q * math.sqrt(c * c + 7.0 / 3.0 * math.pi**2 * a * a - 5.0 * s * s)
    return 3.0 * spherical_jn(1, x) / x * np.exp(-((q * s) ** 2) / 2.0)


def numpy_generate(U, E, m, Z, A, M, mu_bohr, nature):
    """Weighted events from uniforms U (n, 4); returns (E_R, p_N, p_gamma, weight in cm^2)."""
    n = U.shape[0]
    lo, hi = ref_recoil_range(E, m, M)
    u0, u1 = math.log(lo), math.log(hi)
    R = np.exp(u0 + (u1 - u0) * U[:, 0])
    # W = 4 E^2 p_T^2, factorised through its roots lo and hi; K of dsigma/dE_R = W + the remainder
    W = np.maximum(4.0 * M * (M + 2.0 * E) * (R - lo) * (hi - R), 0.0)
    K = W + R * (2.0 * R * R * M + R * m * m + 2.0 * M * m * m + 4.0 * R * M * M)
    F = ref_helm(np.sqrt(2.0 * M * R + R * R), A)
    dsigma = ALPHA * (mu_bohr * MU_B) ** 2 * Z * Z * F * F * K / (8.0 * E * E * R * R * M)  # MeV^-3
    E_N = E - R
    p_N = np.sqrt(E_N * E_N - m * m)
    # polarisation (P_L, P_T)
    N_L = (
        8 * E**3 * R * M - 16 * E**2 * R**2 * M - 4 * E**2 * R * m**2 + 10 * E * R**3 * M
        + 3 * E * R**2 * m**2 - 6 * E * R * M * m**2 - E * m**4
        - 2 * R**4 * M - R**3 * m**2 + 2 * R**2 * M * m**2 + R * m**4
    )  # fmt: skip
    P_L = N_L / (p_N * K)
    P_T = m * (2.0 * E * R - R * R + m * m) * np.sqrt(W) / (p_N * K)
    # direction of N: sin from the transverse momentum sqrt(W)/(2E), sign of cos from the law of cosines
    sin_n = np.minimum(np.sqrt(W) / (2.0 * E * p_N), 1.0)
    cos_sign = np.sign(E * E + p_N * p_N - 2.0 * M * R - R * R)
    cos_n = np.where(cos_sign >= 0, 1.0, -1.0) * np.sqrt(1.0 - sin_n**2)
    phi_n = 2.0 * math.pi * U[:, 1]
    k_hat = np.column_stack([sin_n * np.cos(phi_n), sin_n * np.sin(phi_n), cos_n])
    e_theta = np.column_stack([cos_n * np.cos(phi_n), cos_n * np.sin(phi_n), -sin_n])
    e_phi = np.cross(k_hat, e_theta)
    # photon in the rest frame, then a boost along k_hat
    cst = 2.0 * U[:, 2] - 1.0
    sst = np.sqrt(1.0 - cst * cst)
    phs = 2.0 * math.pi * U[:, 3]
    n_star = (
        cst[:, None] * k_hat + (sst * np.cos(phs))[:, None] * e_theta + (sst * np.sin(phs))[:, None] * e_phi
    )
    e_star = 0.5 * m
    beta, gamma = p_N / E_N, E_N / m
    e_gamma = gamma * e_star * (1.0 + beta * cst)
    p_gamma = e_star * n_star + (e_star * ((gamma - 1.0) * cst + gamma * beta))[:, None] * k_hat
    w_decay = 1.0 + ALPHA_GAMMA[nature] * (P_L * cst + P_T * sst * np.cos(phs))
    weight = dsigma * R * (u1 - u0) * w_decay * MEV2_TO_CM2 / n
    p_N4 = np.column_stack([E_N, p_N[:, None] * k_hat])
    return R, p_N4, np.column_stack([e_gamma, p_gamma]), weight


# --- helpers ------------------------------------------------------------------------------------------------
def best_time(fn, repeat):
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def verdict(value, target):
    return "meets target" if value < target else "ABOVE TARGET"


# --- benchmarks ---------------------------------------------------------------------------------------------
def bench_generate(n, repeat):
    print(f"\n[1] radiative.generate: {n:.0e} weighted events, E_nu = {E_NU} MeV, m_N = {M_N} MeV, Dirac")
    radiative.generate(1000, E_NU, M_N, "W184", MU_BOHR, nature="dirac", seed=1)  # JIT / cache load
    radiative.generate(1000, E_NU, M_N, "CaWO4", MU_BOHR, nature="dirac", seed=1)
    out = {}
    for target in ("W184", "CaWO4"):
        t = best_time(
            lambda target=target: radiative.generate(
                n, E_NU, M_N, target, MU_BOHR, nature="dirac", seed=SEED
            ),
            repeat,
        )
        out[f"generate_{target}_s"] = t
        print(
            f"  {target:6s}: {t:6.2f} s  ({n / t:.3e} events/s)  [{verdict(t * 1e6 / n, TARGET_GENERATE_S)}: "
            f"1e6 events in < {TARGET_GENERATE_S:g} s]"
        )
    nuc = rc.nucleus("W184")
    U = np.random.default_rng(SEED).random((n, 4))  # what iter_events draws first (one batch)
    t_np = best_time(
        lambda: numpy_generate(U, E_NU, M_N, nuc.Z, nuc.A, nuc.mass, MU_BOHR, nature="dirac"), repeat
    )
    out["generate_numpy_W184_s"] = t_np
    print(
        f"  numpy reference, W184: {t_np:6.2f} s  ({n / t_np:.3e} events/s);  numba / numpy speed-up: "
        f"{t_np / out['generate_W184_s']:.2f}"
    )
    # accuracy: event by event if the random streams coincide, else only the totals
    ok = True
    for nature in ("dirac", "majorana"):
        ev = radiative.generate(n, E_NU, M_N, "W184", MU_BOHR, nature=nature, seed=SEED, batch_size=n)
        R, p_N, p_g, w = numpy_generate(U, E_NU, M_N, nuc.Z, nuc.A, nuc.mass, MU_BOHR, nature=nature)
        same_stream = np.allclose(ev["E_R"], R, rtol=1e-9, atol=0.0)
        sig_pkg, sig_ref = ev["weight"].sum(), w.sum()
        err = math.sqrt(np.sum(w**2))
        print(
            f"  {nature:8s}: sum of weights {sig_pkg:.6e} (package) vs {sig_ref:.6e} (numpy) cm^2; "
            f"sigma(nu A -> N A) = {rc.primakoff.sigma(E_NU, M_N, nuc, MU_BOHR):.6e} cm^2"
        )
        if same_stream:
            dw = np.max(np.abs(ev["weight"] / w - 1.0))
            dg = np.max(np.abs(ev["p_gamma"] - p_g)) / E_NU
            dn = np.max(np.abs(ev["p_N"] - p_N)) / E_NU
            print(
                f"            same random numbers -> event by event: max |w_pkg/w_ref - 1| = {dw:.1e}, "
                f"max |dp_gamma|/E_nu = {dg:.1e}, max |dp_N|/E_nu = {dn:.1e}"
            )
            out[f"generate_max_weight_dev_{nature}"] = dw
            out[f"generate_max_pgamma_dev_{nature}"] = dg
            ok &= dw < 1e-9 and dg < 1e-9 and dn < 1e-9
        else:
            print("            (random streams differ: comparing the totals only)")
            ok &= abs(sig_pkg - sig_ref) < 5.0 * err
    return out, ok


def bench_msq(n, repeat):
    print(f"\n[2] amplitudes.msq_radiative vs plain numpy (benchmarks/bench_amplitudes.py), {n:.0e} events")
    rng = np.random.default_rng(2024)
    m, width, z, mu_p, mu_d = 1.0, 1e-3, 20.0, 0.05, 0.05
    k1, k3, kg, p1, p2 = random_events(n, rng, m=m)
    coupling = mu_p * mu_d * z * math.sqrt(4.0 * math.pi * ALPHA)

    def run_numba():
        return amplitudes.msq_radiative(
            k1, k3, kg, p1, p2, m, width, z, mu_p, mu_d, nature="dirac", beam="nu"
        )

    def run_numpy():
        return msq_radiative_numpy(k1, k3, kg, p1, p2, m, width, coupling)

    run_numba()
    dev = np.max(np.abs(run_numba() / run_numpy() - 1.0))
    t_nb, t_np = best_time(run_numba, repeat), best_time(run_numpy, repeat)
    print(
        f"  numba: {n / t_nb:.3e} evaluations/s;  numpy: {n / t_np:.3e} evaluations/s;  "
        f"speed-up {t_np / t_nb:.1f};  max |numba/numpy - 1| = {dev:.1e}"
    )
    return {"msq_numba_per_s": n / t_nb, "msq_numpy_per_s": n / t_np, "msq_max_dev": dev}, dev < 1e-9


def bench_double(n_bins, repeat):
    print(f"\n[3] radiative.double_differential on a {n_bins} x {n_bins} grid")
    ge = np.linspace(0.0, E_NU, n_bins + 1)
    ce = np.linspace(-1.0, 1.0, n_bins + 1)
    radiative.double_differential(
        ge[:3], ce[:3], E_NU, M_N, "W184", MU_BOHR, nature="dirac"
    )  # JIT / cache load
    out = {}
    for target in ("W184", "W"):
        t = best_time(
            lambda target=target: radiative.double_differential(
                ge, ce, E_NU, M_N, target, MU_BOHR, nature="dirac"
            ),
            repeat,
        )
        out[f"double_{target}_s"] = t
        print(f"  {target:4s}: {t:6.2f} s  [{verdict(t, TARGET_DOUBLE_S)}: < {TARGET_DOUBLE_S:g} s]")
    for nature in ("dirac", "majorana"):
        a = radiative.double_differential(ge, ce, E_NU, M_N, "W184", MU_BOHR, nature=nature)
        b = radiative.double_differential(ge, ce, E_NU, M_N, "W184", MU_BOHR, nature=nature, step=0.015)
        big = b > 1e-3 * b.max()
        dev = np.max(np.abs(a[big] / b[big] - 1.0))
        out[f"double_convergence_{nature}"] = dev
        print(
            f"  convergence ({nature}): max relative change when step 0.03 -> 0.015, bins above 1e-3 of the "
            f"maximum: {dev:.1e}"
        )
    return out


def bench_memory(n, batch_size):
    print(
        f"\n[4] streaming {n:.0e} events with radiative.iter_events "
        f"(batch_size {batch_size:.0e}) into histograms"
    )
    eg_edges = np.linspace(0.0, E_NU, 201)
    c_edges = np.linspace(-1.0, 1.0, 101)
    h1 = np.zeros(eg_edges.size - 1)
    h2 = np.zeros((eg_edges.size - 1, c_edges.size - 1))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB -> MB on Linux
    tracemalloc.start()
    start = time.perf_counter()
    total = 0.0
    for ev in radiative.iter_events(
        n, E_NU, M_N, "W184", MU_BOHR, nature="dirac", seed=SEED, batch_size=batch_size
    ):
        e = ev["p_gamma"][:, 0]
        h1 += np.histogram(e, bins=eg_edges, weights=ev["weight"])[0]
        h2 += np.histogram2d(e, ev["cos_theta_gamma"], bins=[eg_edges, c_edges], weights=ev["weight"])[0]
        total += ev["weight"].sum()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    peak_mb = peak / 2**20
    print(
        f"  {elapsed:.1f} s; traced numpy/Python peak {peak_mb:.0f} MB; process max RSS {rss:.0f} MB "
        f"(before: {rss_before:.0f} MB)  [{verdict(max(peak_mb, rss), TARGET_MEMORY_MB)}: < 1 GB]"
    )
    print(f"  sum of weights {total:.6e} cm^2 = {h1.sum():.6e} (histogram)")
    return {"stream_s": elapsed, "stream_traced_peak_mb": peak_mb, "stream_max_rss_mb": rss}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="smaller samples (a smoke test, not a benchmark)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="timing repetitions (best is reported)")
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    n_gen = 100_000 if args.quick else 1_000_000
    n_msq = 10_000 if args.quick else 100_000
    n_bins = 40 if args.quick else 100
    n_stream = 1_000_000 if args.quick else 10_000_000
    repeat = 1 if args.quick else args.repeat

    # memory first, so that the process maximum RSS is not set by the larger arrays of the other benchmarks
    results = bench_memory(n_stream, 1_000_000)
    gen, ok_gen = bench_generate(n_gen, repeat)
    msq, ok_msq = bench_msq(n_msq, repeat)
    results |= gen | msq | bench_double(n_bins, repeat)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=2)
    if not (ok_gen and ok_msq):
        print("\nFAILED: the package and the numpy reference disagree")
        return 1
    print("\npackage and numpy references agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
