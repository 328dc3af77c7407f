"""Benchmark of radcevns.amplitudes.msq_radiative against a plain-numpy evaluation of the same |M|^2.

Run from the repository root (the package importable, e.g. installed with ``pip install -e .``)::

    NUMBA_CACHE_DIR=_build/numba_cache PYTHONPATH=. python benchmarks/bench_amplitudes.py [n_events]

The numpy version below is written independently (Dirac representation instead of the package's chiral one,
batched einsum/matmul over events, explicit helicity spinors and photon polarisation vectors) for the Dirac N
and a neutrino beam.  The script prints both rates (evaluations per second, numba after JIT warm-up) and
their ratio, and checks that the two agree on the sample.
"""

import math
import sys
import time

import numpy as np

from radcevns import amplitudes
from radcevns.constants import E_CHARGE

# --- Dirac representation -----------------------------------------------------------------------------------
PAULI = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex)
_Z2, _I2 = np.zeros((2, 2)), np.eye(2)
GAMMA = np.array(
    [np.block([[_I2, _Z2], [_Z2, -_I2]])] + [np.block([[_Z2, s], [-s, _Z2]]) for s in PAULI], dtype=complex
)
GAMMA5 = 1j * GAMMA[0] @ GAMMA[1] @ GAMMA[2] @ GAMMA[3]
P_LEFT = (np.eye(4) - GAMMA5) / 2
P_RIGHT = (np.eye(4) + GAMMA5) / 2
METRIC = np.array([1.0, -1.0, -1.0, -1.0])


def slash(v):
    """(n, 4) contravariant vectors -> (n, 4, 4) gamma^mu v_mu."""
    return np.einsum("mij,nm->nij", GAMMA, v * METRIC)


def sigma_contracted(a, b):
    sa, sb = slash(a), slash(b)
    return 0.5j * (sa @ sb - sb @ sa)


def helicity_two_spinors(p):
    """(n, 2) two-spinors with spin +1/2 and -1/2 along the three-momenta of p (n, 4)."""
    n = p[:, 1:] / np.linalg.norm(p[:, 1:], axis=1)[:, None]
    x, y, z = n.T
    up = z >= 0
    c_up = np.sqrt(2 * (1 + np.where(up, z, 0.0)))
    c_dn = np.sqrt(2 * (1 - np.where(up, 0.0, z)))
    plus = np.stack(
        [
            np.where(up, (1 + z) / c_up, (x - 1j * y) / c_dn),
            np.where(up, (x + 1j * y) / c_up, (1 - z) / c_dn),
        ],
        axis=1,
    )
    minus = np.stack([-plus[:, 1].conj(), plus[:, 0].conj()], axis=1)
    return plus, minus


def massless_u(p, xi):
    """Dirac-representation u(p, xi) = sqrt(E) (xi, sigma.p_hat xi) for light-like p."""
    root = np.sqrt(p[:, 0])[:, None]
    nhat = p[:, 1:] / p[:, :1]
    sp = np.einsum("ni,ijk,nk->nj", nhat, PAULI, xi)
    return np.concatenate([root * xi, root * sp], axis=1)


def polarisations(k):
    """Two real transverse polarisation four-vectors (n, 4) each."""
    khat = k[:, 1:] / np.linalg.norm(k[:, 1:], axis=1)[:, None]
    ref = np.eye(3)[np.argmin(np.abs(khat), axis=1)]
    e1 = np.cross(ref, khat)
    e1 /= np.linalg.norm(e1, axis=1)[:, None]
    e2 = np.cross(khat, e1)
    zero = np.zeros((len(k), 1))
    return np.hstack([zero, e1]), np.hstack([zero, e2])


def msq_radiative_numpy(k1, k3, kg, p1, p2, m, width, coupling):
    """Dirac N, nu beam: ubar(k3) sigma.(-kg)eps P_R (k2slash + m) sigma.qP P_L u(k1), summed over spins."""
    k2 = k3 + kg
    q = k2 - k1
    t = np.einsum("ni,i,ni->n", q, METRIC, q)
    s2 = np.einsum("ni,i,ni->n", k2, METRIC, k2)
    chain_right = P_RIGHT @ (slash(k2) + m * np.eye(4)) @ sigma_contracted(q, p1 + p2) @ P_LEFT
    total = np.zeros(len(k1))
    u1 = [massless_u(k1, xi) for xi in helicity_two_spinors(k1)]
    u3bar = [massless_u(k3, xi).conj() @ GAMMA[0] for xi in helicity_two_spinors(k3)]
    for eps in polarisations(kg):
        full = sigma_contracted(-kg, eps) @ chain_right
        for spinor_in in u1:
            right = np.einsum("nij,nj->ni", full, spinor_in)
            for spinor_out in u3bar:
                amp = np.einsum("ni,ni->n", spinor_out, right)
                total += np.abs(amp) ** 2
    return total * coupling**2 / (t**2 * ((s2 - m**2) ** 2 + (m * width) ** 2))


# --- random 2 -> 3 events in the lab ------------------------------------------------------------------------
def random_events(n, rng, E=5.0, m=1.0, M=37000.0):
    """nu(E) A(M at rest) -> nu A gamma: k2^2 near m^2, log-uniform E_R, isotropic photon in the k2 frame."""
    mass = m * rng.uniform(0.99, 1.01, n)
    root = E * np.sqrt((2 * M * E - mass**2) ** 2 - 4 * mass**2 * M**2)
    base = 2 * M * E**2 - mass**2 * (E + M)
    lo, hi = (base - root) / (2 * M * (2 * E + M)), (base + root) / (2 * M * (2 * E + M))
    er = lo * (hi / lo) ** rng.uniform(0.001, 0.999, n)
    en = E - er
    pn = np.sqrt(en**2 - mass**2)
    e_minus_p = (2 * E * er - er**2 + mass**2) / (E + pn)
    one_minus_c = (2 * M * er + er**2 - e_minus_p**2) / (2 * E * pn)
    sin_n = np.sqrt(one_minus_c * (2 - one_minus_c))
    phi = rng.uniform(0, 2 * np.pi, n)
    k1 = np.tile([E, 0.0, 0.0, E], (n, 1))
    k2 = np.column_stack([en, pn * sin_n * np.cos(phi), pn * sin_n * np.sin(phi), pn * (1 - one_minus_c)])
    p1 = np.tile([M, 0.0, 0.0, 0.0], (n, 1))
    p2 = p1 + k1 - k2
    d = rng.normal(size=(n, 3))
    d /= np.linalg.norm(d, axis=1)[:, None]
    beta = k2[:, 1:] / k2[:, :1]
    b = np.linalg.norm(beta, axis=1)
    bhat = beta / b[:, None]
    gam = 1 / np.sqrt(1 - b**2)

    def boost(v):
        pl = np.sum(v[:, 1:] * bhat, axis=1)
        return np.column_stack(
            [gam * (v[:, 0] + b * pl), v[:, 1:] + ((gam - 1) * pl + gam * b * v[:, 0])[:, None] * bhat]
        )

    kg = boost(np.column_stack([mass / 2, mass[:, None] / 2 * d]))
    k3 = boost(np.column_stack([mass / 2, -mass[:, None] / 2 * d]))
    return k1, k3, kg, p1, p2


def rate(func, n, repeat=3):
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return n / best


def main(n=100_000):
    rng = np.random.default_rng(2024)
    m, width, z, mu_p, mu_d = 1.0, 1e-3, 20.0, 0.05, 0.05
    k1, k3, kg, p1, p2 = random_events(n, rng, m=m)
    coupling = mu_p * mu_d * z * E_CHARGE

    def run_numba():
        return amplitudes.msq_radiative(
            k1, k3, kg, p1, p2, m, width, z, mu_p, mu_d, nature="dirac", beam="nu"
        )

    def run_numpy():
        return msq_radiative_numpy(k1, k3, kg, p1, p2, m, width, coupling)

    start = time.perf_counter()
    run_numba()
    print(f"first call (JIT compile or cache load): {time.perf_counter() - start:.2f} s")
    fast, slow = run_numba(), run_numpy()
    worst = np.max(np.abs(fast / slow - 1))
    print(f"events: {n};  max |numba/numpy - 1| = {worst:.2e}")
    r_numba = rate(run_numba, n)
    r_numpy = rate(run_numpy, n)
    print(f"msq_radiative (numba, incl. input validation): {r_numba:12.3e} evaluations/s")
    print(f"plain numpy (einsum/matmul)                  : {r_numpy:12.3e} evaluations/s")
    print(f"speed-up numba / numpy                       : {r_numba / r_numpy:12.1f}")
    if worst > 1e-9:
        raise SystemExit("numba and numpy evaluations disagree")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
