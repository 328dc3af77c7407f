"""Primakoff upscattering nu A -> N A through a transition magnetic moment.

Convention A (see :mod:`radcevns.conventions`): ``L = (mu/2) nubar_L sigma^{ab} N_R F_ab + h.c.``,
with ``mu`` given in Bohr magnetons at the public API.  The nucleus is a spin-0
particle of charge ``Z e`` with charge form factor ``F(q)``.

Exact lab-frame results (target at rest, ``E = E_nu``, ``m = m_N``, ``M`` the nuclear
mass, ``E_R`` the recoil kinetic energy):

.. math::

    \\frac{d\\sigma}{dE_R} = \\frac{\\alpha Z^2 \\mu^2 F^2}{8 E^2 E_R^2 M} K,

    \\begin{aligned}
    K = {} & 8E^2E_RM - 8EE_R^2M - 4EE_Rm^2 \\\\
           & + 2E_R^3M + E_R^2m^2 - 2E_RMm^2 - m^4 .
    \\end{aligned}

Numerically ``K`` is evaluated as ``W + E_R (2E_R^2 M + E_R m^2 + 2 M m^2 + 4 E_R M^2)``
with ``W = 4 M (M + 2E) (E_R - E_R^min)(E_R^max - E_R) >= 0``; both pieces are
non-negative inside the kinematic range, which removes the heavy-target
cancellation near ``E_R^min``.  The cross section is that of P. D. Bolton et al., arXiv:2110.02233,
Phys. Rev. D 106 (2022) 035036, with the exact (not heavy-target) kinematics; chapter 02 of the book
derives it.

Units: energies and masses in MeV, cross sections in cm^2 (or cm^2/MeV), ``mu`` in mu_B.
Outside the kinematic range every result is exactly zero.

Speed (see ``benchmarks/README.md``): each public function validates its inputs in one pass and calls
one compiled loop without expanding scalar operands.  Kernels use ``error_model="numpy"`` (no
zero-divisor tests; no divisor is zero for valid input, so results are unchanged) and no fast-math
flag other than fused multiply-adds in the form-factor series.  Large inputs run on numba's threads
(``NUMBA_NUM_THREADS`` / ``numba.set_num_threads``; 1 gives the serial loop), with results identical to
the serial ones.
"""

from __future__ import annotations

import math
import threading
from functools import lru_cache

import numba
import numpy as np
from numba import njit, prange
from numpy.typing import ArrayLike

from ._validate import (
    MAX_ENERGY_MEV,
    MAX_MOMENT_MU_B,
    as_array,
    as_energy,
    as_moment,
    broadcast,
    scalar_or_array,
)
from .constants import ALPHA, MEV2_TO_CM2, MU_B_PER_MEV
from .nuclear import (
    Nucleus,
    Target,
    as_target,
    form_factor_at_radius_kernel,
    form_factor_code,
    form_factor_radius_kernel,
    target_arrays,
)

__all__ = [
    "threshold",
    "recoil_range",
    "momentum_transfer",
    "n_energy",
    "n_momentum",
    "n_angle",
    "dsigma_dER",
    "sigma",
    "polarisation",
    "sigma_heavy_target_closed_form",
    "threshold_kernel",
    "emin_kernel",
    "recoil_range_kernel",
    "dsigma_in_range_kernel",
    "dsigma_kernel",
    "dsigma_coefficients_kernel",
    "sigma_kernel",
    "polarisation_kernel",
    "polarisation_in_range_kernel",
]

# Gauss-Legendre nodes on [-1, 1] for the integration in ln(E_R).
_GL_N = 48
_GL_X, _GL_W = np.polynomial.legendre.leggauss(_GL_N)
# its upper half (x > 0), which the array kernels use (the rule is symmetric)
_GL_X_UP, _GL_W_UP = _GL_X[_GL_N // 2 :].copy(), _GL_W[_GL_N // 2 :].copy()


# --------------------------------------------------------------------------------------------------
# numba kernels (scalar)
# --------------------------------------------------------------------------------------------------
@njit(cache=True, error_model="numpy")
def threshold_kernel(m, M):
    """Minimum neutrino energy (MeV) for nu A -> N A: E_min = m + m^2 / (2M).

    Numba kernel, no input checks, natural units (MeV).
    """
    return m + m * m / (2.0 * M)


@njit(cache=True)
def emin_kernel(E_R, m, M):
    """Smallest neutrino energy (MeV) giving the recoil ``E_R`` in nu A -> X A with ``m_X = m``.

    ``(m^2 + 2 M E_R) / (2 (q - E_R))`` with ``q = sqrt(E_R^2 + 2 M E_R)`` (N emitted along the recoil
    momentum); for ``m = 0`` it is the CEvNS value ``(E_R + q) / 2``.
    """
    if E_R <= 0.0:
        return math.inf
    q = math.sqrt(E_R * E_R + 2.0 * M * E_R)
    return (m * m + 2.0 * M * E_R) / (2.0 * (q - E_R))


@njit(cache=True, error_model="numpy")
def recoil_range_kernel(E, m, M):
    """Exact (E_R^min, E_R^max) in MeV; (0, 0) below threshold.

    Numba kernel, no input checks, natural units (MeV).  Written so that no large cancellation
    occurs for heavy targets (each factor of the two-body kinematics is rearranged, see below).
    """
    if E <= threshold_kernel(m, M):
        return 0.0, 0.0
    s = M * M + 2.0 * M * E
    rs = math.sqrt(s)
    p_i = M * E / rs
    E3 = p_i + m * m / (2.0 * rs)
    # p_f^2 = [s - (M + m)^2][s - (M - m)^2] / (4 s), each factor written without cancellation
    pf2 = (2.0 * M * (E - m) - m * m) * (2.0 * M * (E + m) - m * m) / (4.0 * s)
    if pf2 <= 0.0:
        return 0.0, 0.0
    p_f = math.sqrt(pf2)
    m2 = m * m
    # E_R^max: forward-backward, no cancellation
    hi = (2.0 * p_i * (E3 + p_f) - m2) / (2.0 * M)
    # E_R^min = m^2 (2 p_i - E3 - p_f) / (2 M (E3 + p_f)), with
    # 2 p_i - E3 - p_f = m^2 [(1 - p_i/rs - m^2/(4 s)) / (p_i + p_f) - 1/(2 rs)]
    bracket = (1.0 - p_i / rs - m2 / (4.0 * s)) / (p_i + p_f) - 1.0 / (2.0 * rs)
    lo = m2 * m2 * bracket / (2.0 * M * (E3 + p_f))
    if lo < 0.0:
        lo = 0.0
    if hi <= lo:
        return 0.0, 0.0
    return lo, hi


@njit(cache=True, error_model="numpy")
def _k_factor_kernel(E, E_R, m, M, lo, hi):
    """The kinematic factor K of dsigma/dE_R (module docstring), cancellation-free; 0 outside [lo, hi]."""
    if E_R < lo or E_R > hi or hi <= 0.0:
        return 0.0
    W = 4.0 * M * (M + 2.0 * E) * (E_R - lo) * (hi - E_R)
    if W < 0.0:
        W = 0.0
    return W + E_R * (2.0 * E_R * E_R * M + E_R * m * m + 2.0 * M * m * m + 4.0 * E_R * M * M)


@njit(cache=True, error_model="numpy")
def dsigma_in_range_kernel(E, E_R, m, Z, M, lo, hi, ff_radius, ff_code):
    """dsigma/dE_R / (alpha mu^2) in MeV^-3 (as :func:`dsigma_kernel`) for a known recoil range.

    Numba kernel, no input checks, natural units (MeV; ``mu`` in MeV^-1 in the prefactor).

    ``(lo, hi)`` must be ``recoil_range_kernel(E, m, M)`` and ``ff_radius`` must be
    ``form_factor_radius_kernel(A, ff_code)``; passing them saves recomputing both in hot loops.
    Returns 0 outside ``[lo, hi]``, below threshold (``hi <= 0``) and for ``E_R <= 0``.
    """
    if E_R <= 0.0 or hi <= 0.0 or E_R < lo or E_R > hi:
        return 0.0
    K = _k_factor_kernel(E, E_R, m, M, lo, hi)
    q = math.sqrt(2.0 * M * E_R + E_R * E_R)
    F = form_factor_at_radius_kernel(q, ff_radius, ff_code)
    # K / E_R first: E_R^2 would underflow for E_R < 1e-154 MeV (m_N = 0: dsigma ~ 1/E_R, inf at the end)
    return Z * Z * F * F * (K / E_R) / (8.0 * E * E * E_R * M)


@njit(cache=True, error_model="numpy")
def dsigma_kernel(E, E_R, m, Z, A, M, ff_code):
    """dsigma/dE_R / (alpha mu^2) in MeV^-3: Z^2 F^2 K / (8 E^2 E_R^2 M), mu in MeV^-1 (convention A).

    Numba kernel, no input checks, natural units (MeV).

    Multiply by alpha * mu^2 (mu in MeV^-1) to get MeV^-3, i.e. MeV^-2 per MeV of recoil.
    """
    if E_R <= 0.0:
        return 0.0
    lo, hi = recoil_range_kernel(E, m, M)
    if hi <= 0.0 or E_R < lo or E_R > hi:
        return 0.0
    return dsigma_in_range_kernel(E, E_R, m, Z, M, lo, hi, form_factor_radius_kernel(A, ff_code), ff_code)


@njit(cache=True, error_model="numpy")
def dsigma_coefficients_kernel(E_R, m, Z, M, ff_radius, ff_code):
    """``(c0, c1, c2)``: ``dsigma/dE_R / (alpha mu^2) = c0 + c1/E + c2/E^2`` (MeV^-3) for ``E >= E_nu^min``.

    Numba kernel, no input checks, natural units (MeV). The factor ``K`` of the module docstring is a
    quadratic polynomial in ``E``, so at fixed ``E_R`` the cross section is a polynomial in ``1/E``
    wherever ``E_R`` is kinematically allowed, i.e. for ``E >= emin_kernel(E_R, m, M)``; a flux fold
    then needs only the moments ``int Phi E^-k dE`` (:mod:`radcevns.rates`). ``ff_radius`` from
    :func:`radcevns.nuclear.form_factor_radius_kernel`. Returns zeros for ``E_R <= 0``.
    """
    if E_R <= 0.0:
        return 0.0, 0.0, 0.0
    q = math.sqrt(2.0 * M * E_R + E_R * E_R)
    F = form_factor_at_radius_kernel(q, ff_radius, ff_code)
    f = Z * Z * F * F
    m2 = m * m
    # K = 8 M E_R E^2 - (8 M E_R^2 + 4 E_R m^2) E + (2 M E_R^3 - 2 M E_R m^2 + E_R^2 m^2 - m^4), / (8 M E_R^2)
    c0 = f / E_R
    c1 = -f * (1.0 + m2 / (2.0 * M * E_R))
    c2 = f * (0.25 * E_R - m2 / (4.0 * E_R) + m2 / (8.0 * M) - (m2 / E_R) * (m2 / E_R) / (8.0 * M))
    return c0, c1, c2


@njit(cache=True, error_model="numpy")
def _log_integrand(E, E_R, inv_E_R, m, M, lo, hi, ff_radius, ff_code):
    """E_R dsigma/dE_R up to the constant Z^2 / (8 E^2 M): F^2 K / E_R."""
    K = _k_factor_kernel(E, E_R, m, M, lo, hi)
    q = math.sqrt(2.0 * M * E_R + E_R * E_R)
    F = form_factor_at_radius_kernel(q, ff_radius, ff_code)
    return F * F * K * inv_E_R


@njit(cache=True, error_model="numpy")
def _sigma_isotope_kernel(E, m, Z, M, ff_radius, ff_code, x_up, w_up):
    """Total cross section / (alpha mu^2) for one isotope with a precomputed form-factor radius (internal).

    Gauss-Legendre in u = ln E_R on two panels of equal width 2h.  The rule is given by its upper half
    (``x_up >= 0``, ascending, with ``w_up``; a middle node x = 0 is allowed): the node pair
    ``u_mid +- h x`` of both panels shares one exponential, ``E_R = e^{u_mid} t^{+-1}`` with ``t = e^{h x}``.
    """
    lo, hi = recoil_range_kernel(E, m, M)
    if hi <= 0.0:
        return 0.0
    if lo <= 0.0:
        # m_N = 0: dsigma/dE_R ~ 1/E_R down to E_R = 0, the total cross section diverges
        return math.inf
    a = math.log(lo)
    b = math.log(hi)
    h = 0.25 * (b - a)  # half-width of each panel
    mid0 = math.exp(a + h)
    mid1 = math.exp(b - h)
    inv0 = 1.0 / mid0
    inv1 = 1.0 / mid1
    total = 0.0
    for i in range(x_up.shape[0]):
        t = math.exp(h * x_up[i])
        ti = 1.0 / t
        pair = (
            _log_integrand(E, mid0 * t, inv0 * ti, m, M, lo, hi, ff_radius, ff_code)
            + _log_integrand(E, mid0 * ti, inv0 * t, m, M, lo, hi, ff_radius, ff_code)
            + _log_integrand(E, mid1 * t, inv1 * ti, m, M, lo, hi, ff_radius, ff_code)
            + _log_integrand(E, mid1 * ti, inv1 * t, m, M, lo, hi, ff_radius, ff_code)
        )
        total += (w_up[i] if x_up[i] != 0.0 else 0.5 * w_up[i]) * pair
    return total * h * (Z * Z / (8.0 * E * E * M))


@njit(cache=True, error_model="numpy")
def sigma_kernel(E, m, Z, A, M, ff_code, gl_x, gl_w):
    """Total cross section / (alpha mu^2), dimensionless: Gauss-Legendre in ln E_R over two panels.

    Numba kernel, no input checks, natural units (MeV).

    ``gl_x, gl_w``: a Gauss-Legendre rule on [-1, 1] in ascending order, as returned by
    ``numpy.polynomial.legendre.leggauss`` (symmetric; the module uses 48 nodes per panel).
    """
    h = gl_x.shape[0] // 2
    return _sigma_isotope_kernel(
        E, m, Z, M, form_factor_radius_kernel(A, ff_code), ff_code, gl_x[h:], gl_w[h:]
    )


@njit(cache=True, error_model="numpy")
def polarisation_kernel(E, E_R, m, M):
    """(P_L, P_T) of N in its rest frame reached by a pure boost from the lab (see :func:`polarisation`).

    Numba kernel, no input checks, natural units (MeV).

    Returns (0, 0) outside the kinematic range.
    """
    lo, hi = recoil_range_kernel(E, m, M)
    return polarisation_in_range_kernel(E, E_R, m, M, lo, hi)


@njit(cache=True, error_model="numpy")
def polarisation_in_range_kernel(E, E_R, m, M, lo, hi):
    """:func:`polarisation_kernel` for a known recoil range ``(lo, hi) = recoil_range_kernel(E, m, M)``."""
    if hi <= 0.0 or E_R < lo or E_R > hi:
        return 0.0, 0.0
    E_N = E - E_R
    pN2 = E_N * E_N - m * m
    if pN2 <= 0.0:
        return 0.0, 0.0
    p_N = math.sqrt(pN2)
    K = _k_factor_kernel(E, E_R, m, M, lo, hi)
    if K <= 0.0:
        return 0.0, 0.0
    m2 = m * m
    m4 = m2 * m2
    R = E_R
    N_L = (
        8.0 * E**3 * R * M
        - 16.0 * E**2 * R**2 * M
        - 4.0 * E**2 * R * m2
        + 10.0 * E * R**3 * M
        + 3.0 * E * R**2 * m2
        - 6.0 * E * R * M * m2
        - E * m4
        - 2.0 * R**4 * M
        - R**3 * m2
        + 2.0 * R**2 * M * m2
        + R * m4
    )
    W = 4.0 * M * (M + 2.0 * E) * (R - lo) * (hi - R)
    if W < 0.0:
        W = 0.0
    P_L = N_L / (p_N * K)
    P_T = m * (2.0 * E * R - R * R + m2) * math.sqrt(W) / (p_N * K)
    # pure state: P_L^2 + P_T^2 = 1 analytically (to 1e-13 numerically in the bulk); normalising removes
    # the cancellation error of K next to E_R^min for a light N, so P_L = -1 exactly there (P_T = 0)
    norm = math.sqrt(P_L * P_L + P_T * P_T)
    if norm > 0.0:
        P_L /= norm
        P_T /= norm
    # guard against rounding just outside [-1, 1]
    if P_L > 1.0:
        P_L = 1.0
    if P_L < -1.0:
        P_L = -1.0
    return P_L, P_T


# Array loops.  Every operand is a flat float64 array of length n (step 1) or 1 (step 0, a broadcast
# scalar), so scalars are never expanded in memory.  Each ``_*_span`` kernel fills ``out[i0:i1]``; the
# serial path calls it once, the threaded path (``parallel=True``) hands blocks of points round-robin to
# the threads so that cheap points (e.g. below threshold) bunched in one part of the input do not
# unbalance the load.
@njit(cache=True, error_model="numpy")
def _dsigma_span(i0, i1, E, sE, R, sR, m, sm, mu, smu, Z, M, radius, w, ff_code, cm2_per_mev2, mu_b, out):
    for i in range(i0, i1):
        e = E[i * sE]
        r = R[i * sR]
        mm = m[i * sm]
        acc = 0.0
        if r > 0.0:
            for j in range(Z.shape[0]):
                lo, hi = recoil_range_kernel(e, mm, M[j])
                if hi > 0.0 and r >= lo and r <= hi:
                    acc += w[j] * dsigma_in_range_kernel(e, r, mm, Z[j], M[j], lo, hi, radius[j], ff_code)
        mu_nat = mu[i * smu] * mu_b
        coef = ALPHA * (mu_nat * mu_nat) * cm2_per_mev2
        # an exact 0 for mu = 0 or a closed point, also where acc overflowed (m_N = 0, E_R -> 0: inf)
        out[i] = acc * coef if (acc != 0.0 and coef != 0.0) else 0.0


@njit(cache=True, parallel=True, error_model="numpy")
def _dsigma_threaded(n_threads, block, E, sE, R, sR, m, sm, mu, smu, Z, M, radius, w, ff, cm2, mu_b, out):
    n = out.shape[0]
    n_blocks = (n + block - 1) // block
    for t in prange(n_threads):
        for b in range(t, n_blocks, n_threads):
            i1 = min(n, (b + 1) * block)
            _dsigma_span(b * block, i1, E, sE, R, sR, m, sm, mu, smu, Z, M, radius, w, ff, cm2, mu_b, out)


@njit(cache=True, error_model="numpy")
def _sigma_span(i0, i1, E, sE, m, sm, mu, smu, Z, M, radius, w, ff_code, gl_x, gl_w, cm2_per_mev2, mu_b, out):
    for i in range(i0, i1):
        e = E[i * sE]
        mm = m[i * sm]
        acc = 0.0
        for j in range(Z.shape[0]):
            acc += w[j] * _sigma_isotope_kernel(e, mm, Z[j], M[j], radius[j], ff_code, gl_x, gl_w)
        mu_nat = mu[i * smu] * mu_b
        coef = ALPHA * (mu_nat * mu_nat) * cm2_per_mev2
        # an exact 0 for mu = 0 or a closed point, also where acc overflowed (m_N = 0, E_R -> 0: inf)
        out[i] = acc * coef if (acc != 0.0 and coef != 0.0) else 0.0


@njit(cache=True, parallel=True, error_model="numpy")
def _sigma_threaded(n_threads, block, E, sE, m, sm, mu, smu, Z, M, radius, w, ff, gl_x, gl_w, cm2, mu_b, out):
    n = out.shape[0]
    n_blocks = (n + block - 1) // block
    for t in prange(n_threads):
        for b in range(t, n_blocks, n_threads):
            i1 = min(n, (b + 1) * block)
            _sigma_span(b * block, i1, E, sE, m, sm, mu, smu, Z, M, radius, w, ff, gl_x, gl_w, cm2, mu_b, out)


@njit(cache=True, error_model="numpy")
def _polarisation_span(i0, i1, E, sE, R, sR, m, sm, M, out_l, out_t):
    for i in range(i0, i1):
        out_l[i], out_t[i] = polarisation_kernel(E[i * sE], R[i * sR], m[i * sm], M)


@njit(cache=True, error_model="numpy")
def _range_span(i0, i1, E, sE, m, sm, M, lo_out, hi_out):
    for i in range(i0, i1):
        lo_all = np.inf
        hi_all = 0.0
        for j in range(M.shape[0]):
            lo, hi = recoil_range_kernel(E[i * sE], m[i * sm], M[j])
            if hi > 0.0:
                lo_all = min(lo_all, lo)
            hi_all = max(hi_all, hi)
        lo_out[i] = lo_all if lo_all < np.inf else 0.0
        hi_out[i] = hi_all


_MAX_FLOAT = float(np.finfo(np.float64).max)


@njit(cache=True, error_model="numpy")
def _all_nonnegative_finite(x, maximum):
    """True if every element of the flat array x is in [0, maximum] (one pass, no temporaries; NaN fails)."""
    bad = 0
    for i in range(x.shape[0]):
        v = x[i]
        bad += not (v >= 0.0 and v <= maximum)
    return bad == 0


#: Work (points x isotopes) from which the threaded loops are used (below it thread start-up dominates)
#: and the block of points handed to a thread at a time.
_THREADED_MIN_DSIGMA = 20_000
_BLOCK_DSIGMA = 4096
_THREADED_MIN_SIGMA = 128
_BLOCK_SIGMA = 16
# numba's fallback "workqueue" threading layer aborts on concurrent parallel calls from several Python
# threads; a call that finds the threaded kernels busy runs serially instead.
_THREADED_LOCK = threading.Lock()


def _run(span, threaded, block, work, minimum, n, args):
    """Fill the output with ``span(0, n, *args)``, or with ``threaded`` when the work is large.

    The number of threads is numba's (``NUMBA_NUM_THREADS`` or ``numba.set_num_threads``); 1 means serial.
    """
    n_threads = numba.get_num_threads() if work >= minimum else 1
    if n_threads > 1 and _THREADED_LOCK.acquire(blocking=False):
        try:
            threaded(n_threads, block, *args)
        finally:
            _THREADED_LOCK.release()
    else:
        span(0, n, *args)


def _nonnegative(value, name, maximum=MAX_ENERGY_MEV):
    """``as_array(value, name, nonnegative=True, maximum=maximum)`` with one fused pass over large inputs.

    ``maximum`` defaults to the largest energy of the API (MeV); moments use ``MAX_MOMENT_MU_B``.
    """
    if type(value) is float:  # the common scalar call: plain comparisons (False for NaN)
        if not 0.0 <= value <= maximum:
            as_array(value, name, nonnegative=True, maximum=maximum)  # raises with the standard message
        return np.asarray(value)
    if isinstance(value, str | bytes | dict | set | type(None)):
        return as_array(value, name, nonnegative=True, maximum=maximum)  # raises with the standard message
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return as_array(value, name, nonnegative=True, maximum=maximum)  # raises with the standard message
    if not _all_nonnegative_finite(arr.reshape(-1), maximum):
        as_array(value, name, nonnegative=True, maximum=maximum)  # raises with the standard message
    return arr


def _flat_operands(*arrays, names=()):
    """Broadcast shape, its size and, per operand, (flat contiguous array, step) with step 0 for one value."""
    shape = arrays[0].shape
    if any(a.shape != shape for a in arrays[1:]):
        try:
            shape = np.broadcast_shapes(*(a.shape for a in arrays))
        except ValueError:
            shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(names, arrays, strict=False))
            raise ValueError(f"arguments cannot be broadcast together: {shapes}") from None
    n = math.prod(shape)
    flat = []
    for a in arrays:
        if a.size == n:
            # as many elements as the broadcast shape: only leading unit axes differ, same order
            f, step = np.ascontiguousarray(a).reshape(-1), 1
        elif a.size == 1:
            f, step = a.reshape(1), 0
        else:
            f, step = np.ascontiguousarray(np.broadcast_to(a, shape)).reshape(-1), 1
        if not f.flags.writeable:
            f = f.copy()  # a read-only view would need its own compiled specialisation
        flat += [f, step]
    return shape, n, flat


def _tables(target, form_factor):
    Z, A, M, w = target_arrays(target)  # a bad target raises before a bad form-factor name
    code = form_factor_code(form_factor)
    radius = np.array([form_factor_radius_kernel(a, code) for a in A])
    return Z, M, radius, w, code


_cached_tables = lru_cache(maxsize=128)(_tables)


def _target_tables(target, form_factor):
    """``(Z, M, ff_radius, weight, ff_code)`` of the isotopes of ``target`` (cached for hashable input)."""
    try:
        return _cached_tables(target, form_factor)
    except TypeError:  # unhashable target or form-factor object
        return _tables(target, form_factor)


# --------------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------------
def _single_nucleus(target, what):
    nuc = as_target(target)
    if not isinstance(nuc, Nucleus):
        raise ValueError(f"{what} needs a single isotope as target (e.g. 'W184'), got {nuc.name!r}")
    return nuc


def threshold(m_N: ArrayLike, target: Target) -> float | np.ndarray:
    """Minimum neutrino energy in MeV for nu A -> N A: ``m_N + m_N^2 / (2 M)``.

    For a multi-isotope target (element or compound) the lowest threshold (heaviest isotope) is returned.

    Parameters
    ----------
    m_N : array_like
        Sterile-neutrino mass in MeV (>= 0).
    target : str, Nucleus, Element or Compound

    Returns
    -------
    float or ndarray
        Threshold neutrino energy in MeV.

    Examples
    --------
    >>> from radcevns import primakoff
    >>> round(primakoff.threshold(1.0, "W184"), 9)
    1.000002919
    """
    m_N = as_energy(m_N, "m_N")
    _, _, M, _ = target_arrays(target)
    Mmax = M.max()
    return scalar_or_array(m_N + m_N**2 / (2.0 * Mmax))


def recoil_range(E_nu: ArrayLike, m_N: ArrayLike, target: Target) -> tuple:
    """Exact kinematic range of the nuclear recoil energy, in MeV.

    Parameters
    ----------
    E_nu : array_like
        Neutrino energy in MeV (lab frame, nucleus at rest).
    m_N : array_like
        Sterile-neutrino mass in MeV.
    target : str, Nucleus, Element or Compound
        For several isotopes the union of their ranges is returned.

    Returns
    -------
    (E_R_min, E_R_max) : tuple of float or ndarray
        Both exactly 0 below threshold.
    """
    E = _nonnegative(E_nu, "E_nu")
    m = _nonnegative(m_N, "m_N")
    _, M, _, _, _ = _target_tables(target, "none")
    shape, n, flat = _flat_operands(E, m, names=("E_nu", "m_N"))
    lo, hi = np.empty(n), np.empty(n)
    _range_span(0, n, *flat, M, lo, hi)
    return scalar_or_array(lo.reshape(shape)), scalar_or_array(hi.reshape(shape))


def momentum_transfer(E_R: ArrayLike, target: Target) -> float | np.ndarray:
    """Three-momentum transfer ``|q| = sqrt(2 M E_R + E_R^2)`` in MeV for a single isotope.

    Parameters
    ----------
    E_R : array_like
        Recoil energy in MeV.
    target : str or Nucleus
        A single isotope.
    """
    E_R = as_energy(E_R, "E_R")
    nuc = _single_nucleus(target, "momentum_transfer")
    return scalar_or_array(np.sqrt(2.0 * nuc.mass * E_R + E_R**2))


def n_energy(E_nu: ArrayLike, E_R: ArrayLike) -> float | np.ndarray:
    """Energy of N in the lab, ``E_N = E_nu - E_R`` (MeV); ``E_nu``, ``E_R`` in MeV.

    Raises ValueError where ``E_R > E_nu`` (no physical N).
    """
    E, R = broadcast(("E_nu", as_energy(E_nu, "E_nu")), ("E_R", as_energy(E_R, "E_R")))
    if np.any(R > E):
        raise ValueError("E_R must be <= E_nu (the N energy E_nu - E_R cannot be negative)")
    return scalar_or_array(E - R)


def n_momentum(E_nu: ArrayLike, E_R: ArrayLike, m_N: ArrayLike) -> float | np.ndarray:
    """Lab momentum of N in MeV, ``sqrt(E_N^2 - m_N^2)``; 0 where N cannot be on shell (inputs in MeV)."""
    E, R, m = broadcast(
        ("E_nu", as_energy(E_nu, "E_nu")), ("E_R", as_energy(E_R, "E_R")), ("m_N", as_energy(m_N, "m_N"))
    )
    E_N = E - R
    p2 = E_N**2 - m**2
    return scalar_or_array(np.sqrt(np.where((p2 > 0) & (E_N > m), p2, 0.0)))


def n_angle(E_nu: ArrayLike, E_R: ArrayLike, m_N: ArrayLike, target: Target) -> float | np.ndarray:
    """Cosine of the lab angle between N and the beam (energies and mass in MeV; one isotope).

    ``cos(theta_N) = (E^2 + p_N^2 - E_R^2 - 2 M E_R) / (2 E p_N)``; returns 0 outside the kinematic range.
    """
    E0 = as_energy(E_nu, "E_nu")
    m0 = as_energy(m_N, "m_N")
    E, R, m = broadcast(("E_nu", E0), ("E_R", as_energy(E_R, "E_R")), ("m_N", m0))
    M = _single_nucleus(target, "n_angle").mass
    lo, hi = recoil_range(E0, m0, target)  # broadcasts against R below
    inside = (hi > 0) & (R >= lo) & (R <= hi)
    E_N = E - R
    p2 = np.where(inside, E_N**2 - m**2, 1.0)
    p_N = np.sqrt(np.where(p2 > 0, p2, 1.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        c = (E**2 + p_N**2 - R**2 - 2.0 * M * R) / (2.0 * np.where(E > 0, E, 1.0) * p_N)
    c = np.clip(np.where(inside, c, 0.0), -1.0, 1.0)
    return scalar_or_array(c)


def dsigma_dER(
    E_nu: ArrayLike,
    E_R: ArrayLike,
    m_N: ArrayLike,
    target: Target,
    mu: ArrayLike,
    *,
    form_factor: str = "helm",
) -> float | np.ndarray:
    """Differential cross section dsigma/dE_R for nu A -> N A, in cm^2 / MeV.

    Exact lab-frame formula (module docstring) with the nuclear charge form factor;
    exactly 0 outside the kinematic range and below threshold.

    Parameters
    ----------
    E_nu : array_like
        Neutrino energy in MeV.
    E_R : array_like
        Nuclear recoil kinetic energy in MeV.
    m_N : array_like
        Sterile-neutrino mass in MeV.
    target : str, Nucleus, Element or Compound
        An element gives the abundance-weighted value per atom, a compound the value per formula unit.
    mu : array_like
        Transition magnetic moment in Bohr magnetons (convention A).
    form_factor : {"helm", "klein-nystrand", "none"}

    Returns
    -------
    float or ndarray
        Broadcast over ``E_nu, E_R, m_N, mu``; exactly 0 for ``mu = 0``.  For ``m_N = 0`` (or so small
        that ``m_N^2`` underflows) the cross section grows as ``1/E_R``: ``inf`` where that overflows
        (``E_R`` below about 1e-300 MeV).

    Examples
    --------
    >>> from radcevns import primakoff
    >>> f"{primakoff.dsigma_dER(5.0, 1e-4, 1.0, 'W184', 3e-8):.4e}"
    '1.2067e-32'
    >>> primakoff.dsigma_dER(0.5, 1e-4, 1.0, "W184", 3e-8)  # below threshold
    0.0
    """
    E = _nonnegative(E_nu, "E_nu")
    m = _nonnegative(m_N, "m_N")
    mu_b = _nonnegative(mu, "mu", MAX_MOMENT_MU_B)
    R = _nonnegative(E_R, "E_R")
    Z, M, radius, w, code = _target_tables(target, form_factor)
    shape, n, flat = _flat_operands(E, R, m, mu_b, names=("E_nu", "E_R", "m_N", "mu"))
    out = np.empty(n)
    args = (*flat, Z, M, radius, w, code, MEV2_TO_CM2, MU_B_PER_MEV, out)
    _run(_dsigma_span, _dsigma_threaded, _BLOCK_DSIGMA, n * Z.shape[0], _THREADED_MIN_DSIGMA, n, args)
    return scalar_or_array(out.reshape(shape))


def sigma(
    E_nu: ArrayLike, m_N: ArrayLike, target: Target, mu: ArrayLike, *, form_factor: str = "helm"
) -> float | np.ndarray:
    """Total cross section for nu A -> N A in cm^2 (numerical integral of :func:`dsigma_dER`).

    Parameters
    ----------
    E_nu : array_like
        Neutrino energy in MeV.
    m_N : array_like
        Sterile-neutrino mass in MeV.  The cross section grows as ``ln(1/m_N)`` for light N
        (``dsigma/dE_R ~ 1/E_R`` down to the exact ``E_R^min ~ m_N^4 / (8 M E_nu^2)``); for
        ``m_N = 0`` it diverges and ``inf`` is returned (``0`` when ``mu = 0``), as it is for a
        mass so small that ``E_R^min`` underflows (``m_N`` below about 1e-75 MeV).
    target : str, Nucleus, Element or Compound
    mu : array_like
        Transition magnetic moment in Bohr magnetons (convention A).
    form_factor : {"helm", "klein-nystrand", "none"}

    Returns
    -------
    float or ndarray
        Zero below threshold.

    Examples
    --------
    >>> from radcevns import primakoff
    >>> f"{primakoff.sigma(5.0, 1.0, 'W', 3e-8):.4e}"
    '9.9277e-36'
    """
    E = _nonnegative(E_nu, "E_nu")
    m = _nonnegative(m_N, "m_N")
    mu_b = _nonnegative(mu, "mu", MAX_MOMENT_MU_B)
    Z, M, radius, w, code = _target_tables(target, form_factor)
    shape, n, flat = _flat_operands(E, m, mu_b, names=("E_nu", "m_N", "mu"))
    out = np.empty(n)
    args = (*flat, Z, M, radius, w, code, _GL_X_UP, _GL_W_UP, MEV2_TO_CM2, MU_B_PER_MEV, out)
    _run(_sigma_span, _sigma_threaded, _BLOCK_SIGMA, n * Z.shape[0], _THREADED_MIN_SIGMA, n, args)
    return scalar_or_array(out.reshape(shape))


def polarisation(E_nu: ArrayLike, E_R: ArrayLike, m_N: ArrayLike, target: Target) -> tuple:
    """Polarisation of the produced N in its rest frame (reached by a pure boost from the lab).

    ``P = P_L k_N + P_T e_theta`` with ``e_theta`` in the production plane, perpendicular to the N
    direction and pointing away from the beam axis; the normal component vanishes at tree level
    and ``P_L^2 + P_T^2 = 1`` (pure state).  ``P_L = -1`` at ``E_R^min``.  For an incoming
    antineutrino the N-bar polarisation is ``-P``.

    Parameters
    ----------
    E_nu, E_R, m_N : array_like
        Energies and mass in MeV.
    target : str or Nucleus
        A single isotope.

    Returns
    -------
    (P_L, P_T) : tuple of float or ndarray
        Both 0 outside the kinematic range.
    """
    E = _nonnegative(E_nu, "E_nu")
    R = _nonnegative(E_R, "E_R")
    m = _nonnegative(m_N, "m_N")
    M = _single_nucleus(target, "polarisation").mass
    shape, n, flat = _flat_operands(E, R, m, names=("E_nu", "E_R", "m_N"))
    pl, pt = np.empty(n), np.empty(n)
    _polarisation_span(0, n, *flat, M, pl, pt)
    return scalar_or_array(pl.reshape(shape)), scalar_or_array(pt.reshape(shape))


def sigma_heavy_target_closed_form(
    E_nu: ArrayLike, m_N: ArrayLike, target: Target, mu: ArrayLike
) -> float | np.ndarray:
    """Closed-form total cross section for F = 1 in the heavy-target limit (chapter 02 of the book), cm^2.

    ``sigma = alpha Z^2 mu^2 [(2 - m^2/(2E^2)) ln((E+p)/(E-p)) - p/E]`` with ``p = sqrt(E^2 - m^2)``;
    exactly 0 for ``E <= m``.  Corrections are O(E_R/E, E_R/M).
    """
    E, m, mu_b = broadcast(
        ("E_nu", as_energy(E_nu, "E_nu")),
        ("m_N", as_energy(m_N, "m_N")),
        ("mu", as_moment(mu, "mu")),
    )
    Z, _, _, w = target_arrays(target)
    z2 = float(np.sum(w * Z**2))
    above = E > m
    Es = np.where(above, E, 2.0)
    ms = np.where(above, m, 1.0)
    p = np.sqrt(Es**2 - ms**2)
    with np.errstate(divide="ignore"):
        log = np.log((Es + p) / np.where(ms > 0, Es - p, np.nan))
    val = (2.0 - ms**2 / (2.0 * Es**2)) * log - p / Es
    val = np.where(above & (m > 0), val, np.where(above, np.inf, 0.0))
    return scalar_or_array(ALPHA * z2 * (mu_b * MU_B_PER_MEV) ** 2 * val * MEV2_TO_CM2)
