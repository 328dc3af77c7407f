"""Recoil spectra and rates at a reactor CEvNS detector: SM CEvNS and Primakoff upscattering.

Two signals of a reactor antineutrino flux ``Phi(E_nu)`` on a :class:`~radcevns.detector.Detector`
(or on a bare target) that are seen through the nuclear recoil alone:

* **SM CEvNS**, :func:`cevns_spectrum` and :func:`cevns_rate`:
  ``dR/dE_R = n_T int dE_nu Phi dsigma/dE_R`` with the cross section of :mod:`radcevns.cevns`;
* **Primakoff upscattering**, ``nu A -> N A`` with the N escaping, :func:`primakoff_spectrum` and
  :func:`primakoff_rate`: the same fold of :func:`radcevns.primakoff.dsigma_dER`; it scales exactly
  as ``mu^2``.

The photon of the decay N -> nu gamma in coincidence with the recoil is the subject of
:mod:`radcevns.coincidences`.

Quadrature: the flux is tabulated on uniform sub-grids between its breakpoints, linear in each cell
(interpolation error below 1e-6 relative). At fixed ``E_R`` both cross sections are polynomials in
``1/E_nu`` above the exact kinematic minimum ``E_nu^min(E_R)`` of each isotope,
``dsigma/dE_R = c_0 + c_1/E_nu + c_2/E_nu^2``, so the ``E_nu`` integral is done exactly for the
tabulated flux: ``sum_k c_k int_{E_nu^min} Phi E_nu^-k dE_nu``, with the tail moments of the table
summed once per flux (``n_enu=None``, the default; an integer ``n_enu`` integrates with Gauss-Legendre
panels instead, as a cross-check). A recoil window is integrated
in ``ln E_R`` (panels of width 0.5, split around the smeared window edges); a Gaussian recoil
resolution is a convolution over +-6 sigma.

The massless limit: the Primakoff cross section behaves as ``dsigma/dE_R ~ 1/E_R`` down to the
kinematic minimum ``E_R^min ~ m_N^4 / (8 M E_nu^2)``, so without a recoil threshold the rate grows as
``ln(1/m_N)``. :func:`primakoff_rate` integrates down to the exact ``E_R^min`` for any ``m_N > 0``
and returns ``inf`` for ``m_N = 0`` without a threshold (the rate diverges).

Observed energy: a :class:`~radcevns.detector.Detector` with a non-trivial
:class:`~radcevns.detector.Readout` (an ionisation detector seeing the quenched energy in eVee, or a
trigger-efficiency curve) gets its spectra and windows in *observed* energy: ``E_R`` arguments,
``E_R_min``/``E_R_max`` and the returned densities are per observed MeV (MeVee). The spectrum is
``eff(E_obs) int dt G(E_obs - t; sigma) f(E_R(t)) / (dt/dE_R)`` with ``f`` the true recoil spectrum
and ``t = Q(E_R) E_R``; a window is ``int dE_R f(E_R) x acceptance(E_R)``
(:meth:`radcevns.detector.Readout.acceptance`). A calorimeter without an efficiency curve takes the
recoil-energy code path unchanged.

Units: MeV, cm, cm^2, s. Rates for a *target* are per kg of target per day of reactor-on time;
rates for a *Detector* are per calendar day for the whole detector (``x 86400 s x reactor_duty x
live_fraction``). ``mu`` in Bohr magnetons (convention A, ``L = (mu/2) nubar sigma^{ab} N F_ab +
h.c.``). The default flux is :func:`radcevns.flux.chooz` (NUCLEUS Very-Near-Site).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ._validate import MAX_ENERGY_MEV, MAX_MOMENT_MU_B, as_array, as_float, as_nodes, scalar_or_array
from .cevns import dsigma_coefficients_kernel as cevns_coefficients_kernel
from .cevns import dsigma_kernel as cevns_dsigma_kernel
from .constants import ALPHA, MEV2_TO_CM2, MU_B_PER_MEV, SIN2_THETA_W
from .detector import Detector
from .nuclear import form_factor_code, form_factor_radius_kernel
from .primakoff import (
    dsigma_coefficients_kernel,
    dsigma_in_range_kernel,
    emin_kernel,
    recoil_range_kernel,
)
from .quadrature import as_flux, exposure

__all__ = [
    "CEVNS_WINDOW_MEV",
    "cevns_rate",
    "cevns_spectrum",
    "primakoff_rate",
    "primakoff_spectrum",
]

#: Default recoil window of :func:`cevns_rate` in MeV (the NUCLEUS region of interest, 10-100 eV).
CEVNS_WINDOW_MEV = (10e-6, 100e-6)

_GL16_X, _GL16_W = np.polynomial.legendre.leggauss(16)
_GL24_X, _GL24_W = np.polynomial.legendre.leggauss(24)
#: Largest accepted ``n_enu`` (the work of every rate grows linearly with it).
_MAX_N_ENU = 10_000
#: Points per smooth piece of the tabulated flux used inside the spectrum kernels.
_FLUX_TABLE_POINTS = 8192
#: Half-width (in Gaussian sigmas) of the recoil-resolution convolution.
_SMEAR_SIGMAS = 6.0


# --------------------------------------------------------------------------------------------------
# tabulated flux for the numba kernels
# --------------------------------------------------------------------------------------------------
class _FluxTable:
    """Piecewise-linear table of a flux on uniform sub-grids between its breakpoints (internal).

    Each smooth piece ``[b_p, b_{p+1}]`` gets its own grid whose end values are the one-sided limits,
    so jumps at breakpoints are kept; the interpolation error is below ~1e-6 relative for the reactor
    spectra (``h ~ 1.5 keV``).
    """

    def __init__(self, flux, points=_FLUX_TABLE_POINTS):
        e_min, e_max = float(flux.e_min), float(flux.e_max)
        bps = [float(b) for b in getattr(flux, "breakpoints", ()) if e_min < float(b) < e_max]
        cuts = np.unique(np.array([e_min, *bps, e_max]))
        lengths = np.diff(cuts)
        n_cells = np.maximum(8, np.round(points * lengths / (e_max - e_min))).astype(np.int64)
        values, offsets = [], [0]
        for lo, hi, n in zip(cuts[:-1], cuts[1:], n_cells, strict=True):
            x = np.linspace(lo, hi, n + 1)
            x[0], x[-1] = np.nextafter(lo, hi), np.nextafter(hi, lo)
            values.append(np.asarray(flux(x), dtype=np.float64))
            offsets.append(offsets[-1] + n + 1)
        self.cuts = np.ascontiguousarray(cuts)
        self.n_cells = np.ascontiguousarray(n_cells)
        self.offsets = np.ascontiguousarray(np.array(offsets[:-1], dtype=np.int64))
        self.values = np.ascontiguousarray(np.concatenate(values))
        self.tails = np.ascontiguousarray(_tail_moments(self.cuts, self.n_cells, self.offsets, self.values))
        self.e_min, self.e_max = e_min, e_max

    def args(self):
        """One tuple for the kernels: ``(cuts, n_cells, offsets, values, tails)``."""
        return self.cuts, self.n_cells, self.offsets, self.values, self.tails


@njit(cache=True, error_model="numpy")
def _tail_moments(cuts, n_cells, offsets, values):
    """``tails[k, g] = int_{x_g}^{e_max} Phi(E) E^-k dE`` (k = 0, 1, 2) at every table node ``x_g``.

    ``Phi`` is the piecewise-linear table itself, integrated exactly cell by cell
    (:func:`_cell_moments_kernel`) and summed from the top, so every tail is a sum of positive terms.
    A tail that starts at ``E = 0`` is ``inf`` for k >= 1 (never used: the integrals start at
    ``E_nu^min(E_R) > 0``).
    """
    tails = np.zeros((3, values.shape[0]))
    above = np.zeros(3)
    for p in range(cuts.shape[0] - 2, -1, -1):
        n = n_cells[p]
        off = offsets[p]
        h = (cuts[p + 1] - cuts[p]) / n
        for k in range(3):
            tails[k, off + n] = above[k]
        for i in range(n - 1, -1, -1):
            a = cuts[p] + h * i
            b = cuts[p + 1] if i == n - 1 else cuts[p] + h * (i + 1)
            va = values[off + i]
            c = _cell_moments_kernel(a, b, va, (values[off + i + 1] - va) / h)
            for k in range(3):
                tails[k, off + i] = tails[k, off + i + 1] + c[k]
        for k in range(3):
            above[k] = tails[k, off]
    return tails


@njit(cache=True, error_model="numpy")
def _cell_moments_kernel(a, b, va, s):
    """``int_a^b (va + s (E - a)) E^-k dE`` for k = 0, 1, 2, written without cancellation (MeV units).

    ``a = 0`` gives ``inf`` for k >= 1 (or ``nan`` -> ``inf`` when the flux vanishes there).
    """
    d = b - a
    vb = va + s * d
    i0 = 0.5 * d * (va + vb)
    if a <= 0.0:
        return i0, math.inf, math.inf
    x = d / a
    L = math.log1p(x)
    # (b - a) - a L = a (x - log1p(x)) and L - (b - a)/b = log1p(x) - x/(1 + x): both ~ x^2/2 >= 0
    if x < 1e-2:
        # x - log1p(x) = sum_n>=2 (-x)^n / n, log1p(x) - x/(1+x) = sum_n>=2 (-x)^n (n-1)/n (to x^7)
        r1 = 0.0
        r2 = 0.0
        for n in range(7, 1, -1):
            r1 = r1 * -x + 1.0 / n
            r2 = r2 * -x + (n - 1.0) / n
        r1 *= x * x
        r2 *= x * x
    else:
        r1 = x - L
        r2 = L - x / (1.0 + x)
    i1 = va * L + s * a * r1
    i2 = va * d / (a * b) + s * r2
    return i0, i1, i2


_TABLE_CACHE: dict = {}


def _flux_table(fl):
    """The :class:`_FluxTable` of ``fl``, reused while the same flux object comes back (one entry)."""
    hit = _TABLE_CACHE.get(id(fl))
    if hit is not None and hit[0] is fl:
        return hit[1]
    table = _FluxTable(fl)
    _TABLE_CACHE.clear()
    _TABLE_CACHE[id(fl)] = (fl, table)  # the reference keeps fl alive, so its id is not reused
    return table


@njit(cache=True, error_model="numpy")
def _flux_at(E, cuts, n_cells, offsets, values):
    """Linear interpolation in the table of :class:`_FluxTable`; 0 outside its support."""
    npc = cuts.shape[0] - 1
    if E < cuts[0] or E > cuts[npc]:
        return 0.0
    p = 0
    while p < npc - 1 and E > cuts[p + 1]:
        p += 1
    lo = cuts[p]
    h = (cuts[p + 1] - lo) / n_cells[p]
    t = (E - lo) / h
    i = int(t)
    if i >= n_cells[p]:
        i = n_cells[p] - 1
    if i < 0:
        i = 0
    t -= i
    v0 = values[offsets[p] + i]
    v1 = values[offsets[p] + i + 1]
    return v0 + (v1 - v0) * t


@njit(cache=True, error_model="numpy")
def _tail_at(E, cuts, n_cells, offsets, values, tails):
    """``(int_E^{e_max} Phi E'^-k dE')`` for k = 0, 1, 2: the partial cell of ``E`` plus the table tail."""
    npc = cuts.shape[0] - 1
    p = 0
    while p < npc - 1 and E > cuts[p + 1]:
        p += 1
    lo = cuts[p]
    h = (cuts[p + 1] - lo) / n_cells[p]
    i = int((E - lo) / h)
    if i >= n_cells[p]:
        i = n_cells[p] - 1
    if i < 0:
        i = 0
    b = cuts[p + 1] if i == n_cells[p] - 1 else lo + h * (i + 1)
    v0 = values[offsets[p] + i]
    s = (values[offsets[p] + i + 1] - v0) / h
    va = v0 + s * (E - (lo + h * i))
    c0, c1, c2 = _cell_moments_kernel(E, b, va, s) if b > E else (0.0, 0.0, 0.0)
    g = offsets[p] + i + 1
    return c0 + tails[0, g], c1 + tails[1, g], c2 + tails[2, g]


@njit(cache=True, error_model="numpy")
def _fold_point_exact(kind, R, m, Z, A, M, w, sin2w, ff, cuts, n_cells, offsets, values, tails):
    """sum_j w_j int dE_nu Phi dsigma_j/dE_R, exact for the tabulated flux (natural units).

    At fixed ``E_R`` both cross sections are ``c0 + c1/E + c2/E^2`` above ``E_nu^min(E_R)``
    (``dsigma_coefficients_kernel`` of :mod:`radcevns.cevns` and :mod:`radcevns.primakoff`), so the
    fold is ``sum_k c_k int_{E_nu^min} Phi E^-k dE`` with the tail moments of the flux table.
    """
    npc = cuts.shape[0] - 1
    e_top = cuts[npc]
    total = 0.0
    for j in range(Z.shape[0]):
        e_lo = emin_kernel(R, m, M[j])
        if e_lo < cuts[0]:
            e_lo = cuts[0]
        if not e_lo < e_top:
            continue
        g0, g1, g2 = _tail_at(e_lo, cuts, n_cells, offsets, values, tails)
        if kind == 0:
            c0, c1, c2 = cevns_coefficients_kernel(R, Z[j], A[j] - Z[j], A[j], M[j], sin2w, ff)
        else:
            radius = form_factor_radius_kernel(A[j], ff)
            c0, c1, c2 = dsigma_coefficients_kernel(R, m, Z[j], M[j], radius, ff)
        acc = c0 * g0 + c1 * g1 + c2 * g2
        if acc > 0.0:
            total += w[j] * acc
    return total


@njit(cache=True, error_model="numpy")
def _fold_point(kind, R, m, Z, A, M, w, sin2w, ff, table, gx, gw, n_enu):
    """sum_j w_j int dE_nu Phi dsigma_j/dE_R at one recoil energy (natural units, see callers).

    ``n_enu = 0``: exact for the tabulated flux (:func:`_fold_point_exact`); ``n_enu > 0``:
    Gauss-Legendre with about ``n_enu`` nodes from ``E_nu^min`` (the cross-check).
    """
    cuts, n_cells, offsets, values, tails = table
    if n_enu <= 0:
        return _fold_point_exact(kind, R, m, Z, A, M, w, sin2w, ff, cuts, n_cells, offsets, values, tails)
    npc = cuts.shape[0] - 1
    e_top = cuts[npc]
    span = e_top - cuts[0]
    total = 0.0
    for j in range(Z.shape[0]):
        e_lo = emin_kernel(R, m, M[j])
        if e_lo < cuts[0]:
            e_lo = cuts[0]
        if e_lo >= e_top:
            continue
        radius = form_factor_radius_kernel(A[j], ff)
        acc = 0.0
        for p in range(npc):
            a = max(cuts[p], e_lo)
            b = cuts[p + 1]
            if b <= a:
                continue
            # nodes in proportion to the full piece, at least 8 (GL of order 8 or gx.shape[0] panels)
            npan = max(1, int(round(n_enu * (cuts[p + 1] - cuts[p]) / span / gx.shape[0] + 0.5)))
            for q in range(npan):
                v0 = a + (b - a) * q / npan
                v1 = a + (b - a) * (q + 1) / npan
                half = 0.5 * (v1 - v0)
                mid = 0.5 * (v1 + v0)
                for g in range(gx.shape[0]):
                    E = mid + half * gx[g]
                    phi = _flux_at(E, cuts, n_cells, offsets, values)
                    if phi == 0.0:
                        continue
                    if kind == 0:
                        ds = cevns_dsigma_kernel(E, R, Z[j], A[j] - Z[j], A[j], M[j], sin2w, ff)
                    else:
                        lo, hi = recoil_range_kernel(E, m, M[j])
                        ds = dsigma_in_range_kernel(E, R, m, Z[j], M[j], lo, hi, radius, ff)
                    acc += gw[g] * half * phi * ds
        total += w[j] * acc
    return total


@njit(cache=True, error_model="numpy")
def _spectrum_kernel(kind, Rs, rsig, m, Z, A, M, w, sin2w, ff, table, gx, gw, n_enu, sx, sw, out):
    """Flux-folded recoil spectrum at measured energies Rs, Gaussian-smeared when rsig > 0."""
    for i in range(Rs.shape[0]):
        R = Rs[i]
        if rsig <= 0.0:
            out[i] = _fold_point(kind, R, m, Z, A, M, w, sin2w, ff, table, gx, gw, n_enu)
            continue
        a = R - _SMEAR_SIGMAS * rsig
        b = R + _SMEAR_SIGMAS * rsig
        if a < 0.0:
            a = 0.0
        acc = 0.0
        # two panels split at the measured energy: the Gaussian peaks there
        for pan in range(2):
            lo = a if pan == 0 else max(a, R)
            hi = min(b, R) if pan == 0 else b
            if hi <= lo:
                continue
            half = 0.5 * (hi - lo)
            mid = 0.5 * (hi + lo)
            for g in range(sx.shape[0]):
                T = mid + half * sx[g]
                z = (R - T) / rsig
                gauss = math.exp(-0.5 * z * z) / (math.sqrt(2.0 * math.pi) * rsig)
                f = _fold_point(kind, T, m, Z, A, M, w, sin2w, ff, table, gx, gw, n_enu)
                acc += sw[g] * half * gauss * f
        out[i] = acc


@njit(cache=True, error_model="numpy")
def _window_kernel(kind, lo, hi, rsig, m, Z, A, M, w, sin2w, ff, table, gx, gw, n_enu, r_top):
    """int dE_R (true spectrum) x P(measured in [lo, hi]) over E_R in ln panels (natural units)."""
    if rsig > 0.0:
        a = max(lo - _SMEAR_SIGMAS * rsig, 1e-3 * lo)
        b = hi + _SMEAR_SIGMAS * rsig
    else:
        a = lo
        b = hi
    if b > r_top:
        b = r_top
    if b <= a or a <= 0.0:
        return 0.0
    pts = np.empty(8)
    pts[0] = a
    n = 1
    if rsig > 0.0:
        cand = np.array([lo - 3.0 * rsig, lo, lo + 3.0 * rsig, hi - 3.0 * rsig, hi, hi + 3.0 * rsig])
        cand.sort()
        for c in cand:
            if c > pts[n - 1] and c < b:
                pts[n] = c
                n += 1
    pts[n] = b
    n += 1
    total = 0.0
    for p in range(n - 1):
        u0 = math.log(pts[p])
        u1 = math.log(pts[p + 1])
        npan = max(1, int(math.ceil((u1 - u0) / 0.5)))
        for q in range(npan):
            v0 = u0 + (u1 - u0) * q / npan
            v1 = u0 + (u1 - u0) * (q + 1) / npan
            half = 0.5 * (v1 - v0)
            mid = 0.5 * (v1 + v0)
            for g in range(gx.shape[0]):
                R = math.exp(mid + half * gx[g])
                if rsig > 0.0:
                    acc = 0.5 * (math.erfc((lo - R) / (math.sqrt(2.0) * rsig)))
                    if hi < math.inf:
                        acc -= 0.5 * math.erfc((hi - R) / (math.sqrt(2.0) * rsig))
                else:
                    acc = 1.0
                if acc <= 0.0:
                    continue
                f = _fold_point(kind, R, m, Z, A, M, w, sin2w, ff, table, gx, gw, n_enu)
                total += gw[g] * half * R * acc * f
    return total


def _recoil_top(kind, flux, m, M):
    """Largest recoil energy any isotope can reach with the flux (MeV)."""
    E = float(flux.e_max)
    if kind == 0:
        return float(np.max(2.0 * E**2 / (M + 2.0 * E)))
    return max(float(recoil_range_kernel(E, m, Mj)[1]) for Mj in M)


# --------------------------------------------------------------------------------------------------
# observed energy (readouts other than a plain calorimeter)
# --------------------------------------------------------------------------------------------------
def _observed_readout(detector_or_target, recoil_resolution_MeV):
    """The detector's non-trivial readout, or None (targets, calorimeters, explicit resolution)."""
    if isinstance(detector_or_target, Detector) and recoil_resolution_MeV is None:
        return detector_or_target.observed_readout
    return None


def _default_threshold(target, recoil_resolution_MeV):
    if not isinstance(target, Detector):
        return 0.0
    readout = _observed_readout(target, recoil_resolution_MeV)
    return target.recoil_threshold_MeV if readout is None else readout.threshold_MeV


def _true_spectrum(R, args):
    """Unsmeared recoil spectrum at true recoil energies R (natural units, per second)."""
    kind, ex, table, m, ff, sin2w, n_enu = args
    R = np.ascontiguousarray(R, dtype=np.float64).ravel()
    out = np.empty(R.size)
    _spectrum_kernel(
        kind, R, 0.0, m, ex.Z, ex.A, ex.M, ex.weight, sin2w, ff, table.args(),
        _GL16_X, _GL16_W, n_enu, _GL24_X, _GL24_W, out,
    )  # fmt: skip
    return out


def _observed_spectrum(E_obs, readout, args):
    """dR/dE_obs at observed energies (natural units per second, see the module docstring)."""
    x = np.ascontiguousarray(E_obs, dtype=np.float64).ravel()
    s = readout.resolution_MeV
    eff = np.asarray(readout.efficiency_at(x), dtype=np.float64)
    if s <= 0.0:
        ok = x > 0
        R = np.where(ok, np.asarray(readout.recoil_energy(np.where(ok, x, 1.0))), 1.0)
        f = _true_spectrum(R, args) / np.asarray(readout.jacobian(R))
        return np.where(ok, eff * f, 0.0)
    # Gauss-Legendre in the observed energy t on two panels split at x, +-6 sigma
    nodes, weights, owner = [], [], []
    for i, xi in enumerate(x):
        a, b = max(xi - _SMEAR_SIGMAS * s, 1e-4 * s), xi + _SMEAR_SIGMAS * s
        for lo, hi in ((a, max(a, xi)), (max(a, xi), b)):
            if hi <= lo:
                continue
            half, mid = 0.5 * (hi - lo), 0.5 * (hi + lo)
            t = mid + half * _GL24_X
            nodes.append(t)
            weights.append(half * _GL24_W * np.exp(-0.5 * ((xi - t) / s) ** 2) / (math.sqrt(2 * math.pi) * s))
            owner.append(np.full(t.size, i))
    t, w, own = (np.concatenate(v) for v in (nodes, weights, owner))
    R = np.asarray(readout.recoil_energy(t))
    f = _true_spectrum(R, args) / np.asarray(readout.jacobian(R))
    out = np.bincount(own, weights=w * f, minlength=x.size)
    return eff * out


def _observed_window(lo, hi, r_top, readout, args):
    """int dE_R f(E_R) acceptance(E_R; lo, hi) over ln E_R panels (natural units per second)."""
    s = readout.resolution_MeV
    obs_lo = max(lo - 7.0 * s, 1e-3 * lo)
    obs_hi = hi + 7.0 * s
    cand = [obs_lo, lo, obs_hi]
    if s > 0:
        cand += [lo - 3 * s, lo + 3 * s, hi - 3 * s, hi + 3 * s]
    if readout.efficiency is not None:
        cand += list(readout.efficiency[0])
    cand = np.array([c for c in cand if np.isfinite(c) and obs_lo <= c <= obs_hi])
    R_cuts = np.unique(np.asarray(readout.recoil_energy(np.sort(cand))))
    R_cuts = R_cuts[(R_cuts > 0) & (R_cuts < r_top)]
    top = min(float(readout.recoil_energy(obs_hi)) if np.isfinite(obs_hi) else np.inf, r_top)
    R_cuts = np.unique(np.concatenate([R_cuts, [top]]))
    if R_cuts.size < 2:
        return 0.0
    u = np.log(R_cuts)
    pieces = []
    for a, b in zip(u[:-1], u[1:], strict=True):
        k = max(1, int(math.ceil((b - a) / 0.1)))
        pieces.append(np.linspace(a, b, k + 1)[:-1])
    u = np.concatenate([*pieces, [u[-1]]])
    mid, half = 0.5 * (u[1:] + u[:-1]), 0.5 * np.diff(u)
    un = (mid[:, None] + half[:, None] * _GL16_X[None, :]).ravel()
    R = np.exp(un)
    w = (half[:, None] * _GL16_W[None, :]).ravel() * R
    acc = np.asarray(readout.acceptance(R, lo, hi), dtype=np.float64)
    keep = acc > 0
    if not np.any(keep):
        return 0.0
    return float(np.sum(w[keep] * acc[keep] * _true_spectrum(R[keep], args)))


# --------------------------------------------------------------------------------------------------
# SM CEvNS and Primakoff recoil spectra
# --------------------------------------------------------------------------------------------------
def _enu_nodes(n_enu):
    """0 (exact fold of the tabulated flux) for None, else the checked Gauss-Legendre node count."""
    return 0 if n_enu is None else as_nodes(n_enu, "n_enu", maximum=_MAX_N_ENU)


def _recoil_spectrum(
    kind, E_R, detector_or_target, flux, m_N, form_factor, sin2w, recoil_resolution_MeV, n_enu
):
    R = as_array(E_R, "E_R", nonnegative=True, maximum=MAX_ENERGY_MEV)
    n_enu = _enu_nodes(n_enu)
    sin2w = as_float(sin2w, "sin2_theta_w", minimum=0.0, maximum=1.0)
    ex = exposure(detector_or_target, recoil_resolution_MeV)
    fl = as_flux(flux)
    table = _flux_table(fl)
    readout = _observed_readout(detector_or_target, recoil_resolution_MeV)
    if readout is not None:
        args = (kind, ex, table, float(m_N), form_factor_code(form_factor), float(sin2w), int(n_enu))
        return _observed_spectrum(R, readout, args).reshape(R.shape) * ex.seconds, ex
    out = np.empty(R.size)
    _spectrum_kernel(
        kind,
        np.ascontiguousarray(R, dtype=np.float64).ravel(),
        ex.recoil_resolution_MeV,
        float(m_N),
        ex.Z,
        ex.A,
        ex.M,
        ex.weight,
        float(sin2w),
        form_factor_code(form_factor),
        table.args(),
        _GL16_X,
        _GL16_W,
        int(n_enu),
        _GL24_X,
        _GL24_W,
        out,
    )
    with np.errstate(over="ignore"):  # m_N = 0: dR/dE_R ~ 1/E_R overflows to inf below E_R ~ 1e-260 MeV
        return out.reshape(R.shape) * ex.seconds, ex


def cevns_spectrum(
    E_R,
    target,
    *,
    flux=None,
    form_factor: str = "helm",
    sin2_theta_w: float = SIN2_THETA_W,
    recoil_resolution_MeV: float | None = None,
    n_enu: int | None = None,
):
    """SM CEvNS recoil spectrum dR/dE_R.

    Parameters
    ----------
    E_R : array_like
        Recoil energies in MeV (measured energies when a resolution applies).
    target : str, Nucleus, Element, Compound or Detector
        A target gives events / (kg day MeV) of reactor-on time; a :class:`Detector` gives events /
        (day MeV) for the whole detector per calendar day (duty and live fraction included), smeared
        with its recoil resolution.
    flux : flux object, optional
        Any flux of :mod:`radcevns.flux` (default: :func:`radcevns.flux.chooz`).
    form_factor : {"helm", "klein-nystrand", "none"}
    sin2_theta_w : float
        Weak mixing angle (default 0.2387).
    recoil_resolution_MeV : float, optional
        Gaussian recoil resolution in MeV; overrides the detector's (default: none for a target).
    n_enu : int, optional
        None (default): the E_nu integral is exact for the tabulated flux (see the module docstring);
        an integer: Gauss-Legendre with about that many nodes from E_nu^min(E_R) (a cross-check).
    """
    out, _ = _recoil_spectrum(
        0, E_R, target, flux, 0.0, form_factor, sin2_theta_w, recoil_resolution_MeV, n_enu
    )
    return scalar_or_array(out * MEV2_TO_CM2)


def cevns_rate(
    target,
    *,
    flux=None,
    E_R_min: float = CEVNS_WINDOW_MEV[0],
    E_R_max: float = CEVNS_WINDOW_MEV[1],
    form_factor: str = "helm",
    sin2_theta_w: float = SIN2_THETA_W,
    recoil_resolution_MeV: float | None = None,
    n_enu: int | None = None,
) -> float:
    """SM CEvNS events in a recoil window ``[E_R_min, E_R_max]`` (MeV, default 10-100 eV).

    Returns events per kg per day (reactor on) for a target, events per calendar day for a
    :class:`Detector`.  With a recoil resolution the window applies to the measured energy.

    Examples
    --------
    SM CEvNS events per kg of CaWO4 per reactor-on day at the NUCLEUS Very-Near-Site, 10-100 eV:

    >>> from radcevns import rates
    >>> f"{rates.cevns_rate('CaWO4'):.2f}"
    '33.24'
    """
    lo = as_float(E_R_min, "E_R_min", positive=True)
    hi = as_float(E_R_max, "E_R_max", positive=True, finite=False)
    if not hi > lo:
        raise ValueError("E_R_max must be larger than E_R_min")
    return _recoil_rate(0, target, flux, 0.0, lo, hi, form_factor, sin2_theta_w, recoil_resolution_MeV, n_enu)


def _recoil_rate(
    kind, detector_or_target, flux, m_N, lo, hi, form_factor, sin2w, recoil_resolution_MeV, n_enu
):
    n_enu = _enu_nodes(n_enu)
    sin2w = as_float(sin2w, "sin2_theta_w", minimum=0.0, maximum=1.0)
    ex = exposure(detector_or_target, recoil_resolution_MeV)
    fl = as_flux(flux)
    table = _flux_table(fl)
    r_top = _recoil_top(kind, fl, m_N, ex.M)
    readout = _observed_readout(detector_or_target, recoil_resolution_MeV)
    if readout is not None:
        args = (kind, ex, table, float(m_N), form_factor_code(form_factor), float(sin2w), int(n_enu))
        return _observed_window(lo, hi, r_top, readout, args) * ex.seconds * MEV2_TO_CM2
    val = _window_kernel(
        kind,
        lo,
        hi,
        ex.recoil_resolution_MeV,
        float(m_N),
        ex.Z,
        ex.A,
        ex.M,
        ex.weight,
        float(sin2w),
        form_factor_code(form_factor),
        table.args(),
        _GL16_X,
        _GL16_W,
        int(n_enu),
        r_top,
    )
    return val * ex.seconds * MEV2_TO_CM2


def _mu_factor(mu):
    mu_arr = as_array(mu, "mu", nonnegative=True, maximum=MAX_MOMENT_MU_B)
    return mu_arr, ALPHA * (mu_arr * MU_B_PER_MEV) ** 2


def primakoff_spectrum(
    E_R,
    m_N: float,
    target,
    mu,
    *,
    flux=None,
    form_factor: str = "helm",
    recoil_resolution_MeV: float | None = None,
    n_enu: int | None = None,
):
    """Primakoff upscattering recoil spectrum dR/dE_R of nu A -> N A (every produced N counted).

    Parameters
    ----------
    E_R : array_like
        Recoil energies in MeV (measured energies when a resolution applies).
    m_N : float
        Sterile-neutrino mass in MeV.
    target : str, Nucleus, Element, Compound or Detector
        A target: events / (kg day MeV) of reactor-on time.  A :class:`Detector`: events / (day MeV)
        per calendar day for the whole detector, smeared with its recoil resolution.
    mu : float or array_like
        Transition moment in Bohr magnetons (convention A); the spectrum scales exactly as ``mu^2``.
        ``E_R`` and ``mu`` broadcast against each other (pass ``mu[:, None]`` for a table).
    flux : Flux, optional
        Default :func:`radcevns.flux.chooz`.
    form_factor : {"helm", "klein-nystrand", "none"}
    recoil_resolution_MeV : float, optional
        Overrides the detector's recoil resolution (default: none for a target).
    n_enu : int, optional
        None (default): the E_nu integral is exact for the tabulated flux (see the module docstring);
        an integer: Gauss-Legendre with about that many nodes from E_nu^min(E_R) (a cross-check).

    Returns
    -------
    float or ndarray
        Exactly 0 where no neutrino of the flux can produce the recoil.  The decay of N inside the
        detector is not subtracted (``P_dec < 1e-6`` for the benchmark points of chapter 05).
    """
    m = as_float(m_N, "m_N", nonnegative=True, maximum=MAX_ENERGY_MEV)
    mu_arr, fac = _mu_factor(mu)
    out, _ = _recoil_spectrum(1, E_R, target, flux, m, form_factor, 0.0, recoil_resolution_MeV, n_enu)
    with np.errstate(over="ignore"):  # the 1/E_R divergence of m_N = 0 (see _recoil_spectrum)
        return scalar_or_array(out * MEV2_TO_CM2 * fac)


def primakoff_rate(
    m_N: float,
    target,
    mu,
    *,
    flux=None,
    E_R_min: float | None = None,
    E_R_max: float = np.inf,
    form_factor: str = "helm",
    recoil_resolution_MeV: float | None = None,
    n_enu: int | None = None,
):
    """Primakoff upscattering events with a recoil in ``[E_R_min, E_R_max]`` (MeV).

    ``E_R_min`` defaults to the detector threshold (a target: 0, i.e. every upscattering, down to the
    exact kinematic minimum recoil).  Per kg per day for a target, per calendar day for a
    :class:`Detector`; scales as ``mu^2`` (``mu`` may be an array).  For ``m_N = 0`` and ``E_R_min =
    0`` the rate diverges (``dsigma/dE_R ~ 1/E_R`` down to ``E_R = 0``) and ``inf`` is returned.

    Examples
    --------
    Upscatterings with a recoil above 20 eV per kg of CaWO4 per reactor-on day at the NUCLEUS
    Very-Near-Site, for ``m_N = 1`` MeV and ``mu = 1e-8`` Bohr magnetons:

    >>> from radcevns import rates
    >>> f"{rates.primakoff_rate(1.0, 'CaWO4', 1e-8, E_R_min=20e-6):.3e}"
    '2.631e+04'
    """
    m = as_float(m_N, "m_N", nonnegative=True, maximum=MAX_ENERGY_MEV)
    mu_arr, fac = _mu_factor(mu)
    if E_R_min is None:
        E_R_min = _default_threshold(target, recoil_resolution_MeV)
    lo = as_float(E_R_min, "E_R_min", nonnegative=True)
    hi = as_float(E_R_max, "E_R_max", positive=True, finite=False)
    if not hi > lo:
        raise ValueError("E_R_max must be larger than E_R_min")
    if lo == 0.0:
        # the exact lowest recoil any neutrino of the flux can give (heaviest isotope, highest energy):
        # dsigma/dE_R ~ 1/E_R down to it, so the rate is finite for m_N > 0 and diverges for m_N = 0
        ex = exposure(target, recoil_resolution_MeV)
        fl = as_flux(flux)
        lo = min(recoil_range_kernel(float(fl.e_max), m, Mj)[0] for Mj in ex.M)
        if not lo > 0.0:
            if m == 0.0 and np.all(mu_arr == 0.0):
                return scalar_or_array(np.zeros_like(mu_arr))
            if m == 0.0:
                return scalar_or_array(np.where(mu_arr > 0.0, np.inf, 0.0))
            raise ValueError(
                f"m_N = {m:g} MeV is so small that the lowest recoil underflows; give E_R_min > 0"
            )
    val = _recoil_rate(1, target, flux, m, lo, hi, form_factor, 0.0, recoil_resolution_MeV, n_enu)
    return scalar_or_array(val * fac)
