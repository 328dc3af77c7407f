"""Event rates at a reactor CEvNS detector: SM CEvNS, Primakoff upscattering and radiative coincidences.

Three signals of a reactor antineutrino flux ``Phi(E_nu)`` on a :class:`~radcevns.detector.Detector`
(or on a bare target):

* **SM CEvNS** -- :func:`cevns_spectrum`, :func:`cevns_rate`: ``dR/dE_R = n_T int dE_nu Phi dsigma/dE_R``
  with the cross section of :mod:`radcevns.cevns`;
* **Primakoff upscattering**, ``nu A -> N A`` with the N escaping -- :func:`primakoff_spectrum`,
  :func:`primakoff_rate`: the same fold of :func:`radcevns.primakoff.dsigma_dER`; it scales exactly as
  ``mu^2``;
* **radiative coincidences**, ``nu A -> (N -> nu gamma) A`` with the recoil above threshold and the
  photon detected -- :func:`radiative_rate`, :func:`radiative_distributions` (reference.md S5.2):

  .. math::
      R_\\gamma = t\\sum_T n_T\\int dE_\\nu\\,\\Phi\\int dE_R\\,\\frac{d\\sigma_T}{dE_R}\\,\\epsilon_R(E_R)\\,
      P_{\\rm dec}(p_N; L)\\,\\mathrm{BR}\\int dE_\\gamma\\,f(E_\\gamma)\\,A(E_\\gamma),

  with ``epsilon_R`` the (Gaussian-smeared) recoil threshold, ``P_dec = 1 - exp(-L / lambda_N)`` the
  exact decay probability within the decay region, ``f`` the photon box of reference.md (S4.2) (flat
  for a Majorana N, tilted by ``-P_L`` for a Dirac N) and ``A`` the photon acceptance of the detector
  (efficiency times the probability that the *measured* energy falls in the window).

Radiative rate: two methods
---------------------------
``method="fast"`` (default): at each (E_nu, E_R) node the photon box is linear in ``E_gamma``, so its
integral against the acceptance is ``I0 + alpha P_L (I1 - a E_N I0) / (a p_N)`` with
``I0 = int A dE`` and ``I1 = int E A dE`` over the box; both come from cumulative tables of the
acceptance on a fine photon-energy grid (3000 log-spaced cells, acceptance linear in each cell), so a
node costs two table look-ups.  The E_R integral is Gauss-Legendre in ``ln E_R`` with panels split at
the recoil threshold (converged to 1e-9); the E_nu integral is a product-integration rule (the
integrand without the flux is interpolated at Gauss nodes in ``u``, ``E = E_thr + (E_max - E_thr)
u^2``, and integrated exactly against the flux, whose tabulated spectra have kinks every 25 keV),
split at every element's production threshold and where the recoil threshold opens; 64 nodes give
1e-5 relative.  Several moments and both natures share the same nodes.

``method="grid"``: :func:`radcevns.radiative.photon_spectrum` on a fine photon-energy grid (with nodes
at the kinks, ``E* = a m_N`` and the window edges), multiplied by the acceptance and integrated.  It
is slower and serves as the independent check of the fast path (tests/test_rates.py).

Conventions: convention A, ``L = (mu/2) nubar sigma^{ab} N F_ab + h.c.``, ``mu`` in Bohr magnetons,
``Gamma_Dirac(N -> nu gamma) = mu^2 m_N^3 / (16 pi)``, a Majorana N twice that.  Units: MeV, cm,
cm^2, s.  Rates for a *target* are per kg of target per day of reactor-on time; rates for a
*Detector* are per calendar day for the whole detector (``x 86400 s x reactor_duty x live_fraction``).
The default flux is :func:`radcevns.flux.chooz` (NUCLEUS Very-Near-Site), looked up at every call.

Not included: N produced outside the target crystals (shielding, cryostat, the veto itself) that decays
in view (reference.md 10, item 9), and N -> nu e+ e- (BR < 1e-3).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numba import njit
from scipy.special import ndtr

from . import flux as flux_mod
from . import radiative
from ._validate import as_array, as_nature, scalar_or_array
from .cevns import dsigma_kernel as _sm_kernel
from .constants import ALPHA, HBARC_MEV_CM, MEV2_TO_CM2, MU_B_PER_MEV, SECONDS_PER_DAY, SIN2_THETA_W
from .decay import decay_probability_kernel as _p_decay
from .decay import width as decay_width
from .detector import Detector, units_per_kg
from .nuclear import form_factor_code, form_factor_radius_kernel, target_arrays
from .primakoff import dsigma_in_range_kernel, polarisation_kernel, recoil_range_kernel, threshold_kernel

#: Default recoil window of :func:`cevns_rate` in MeV (the NUCLEUS region of interest, 10-100 eV).
CEVNS_WINDOW_MEV = (10e-6, 100e-6)

_GL16_X, _GL16_W = np.polynomial.legendre.leggauss(16)
_GL24_X, _GL24_W = np.polynomial.legendre.leggauss(24)
#: Gauss-Legendre order and largest panel width in ln(E_R) of the radiative recoil integral (converged
#: to 1e-9 relative: halving the width and doubling the order changes nothing at that level).
_GL_R_X, _GL_R_W = np.polynomial.legendre.leggauss(8)
_DU_MAX = 1.5
#: Flux nodes (Gauss-Legendre, split at the flux breakpoints) for the radiative rate.
_N_FLUX = 64
#: Gauss-Legendre nodes in E_nu per (E_R, isotope) for the recoil spectra.
_N_ENU = 48
#: Points per smooth piece of the tabulated flux used inside the spectrum kernels.
_FLUX_TABLE_POINTS = 8192
#: Uniform cells (two flux evaluations each) for the product-integration weights of the E_nu integral.
_FINE_FLUX_CELLS = 2048
#: Cells of the photon-energy grid (log spaced) for acceptance tables and histograms.
_N_CELLS = 3000
#: Lowest photon energy resolved by the grid (MeV); lower photons fall into the first cell [0, _E_CELL_MIN].
_E_CELL_MIN = 1e-8
#: Half-width (in Gaussian sigmas) of the recoil-resolution convolution.
_SMEAR_SIGMAS = 6.0


# --------------------------------------------------------------------------------------------------
# input handling
# --------------------------------------------------------------------------------------------------
def _flux(flux):
    """``None`` -> the Chooz VNS flux; otherwise anything :func:`radcevns.flux.as_flux` accepts."""
    if flux is None:
        return flux_mod.chooz()
    if hasattr(flux, "quadrature") and hasattr(flux, "e_max"):
        return flux
    try:
        return flux_mod.as_flux(flux)
    except ValueError as exc:
        raise ValueError(f"flux must be a flux object from radcevns.flux or a callable: {exc}") from exc


@dataclass(frozen=True)
class _Exposure:
    """Isotope tables merged over the crystal groups and the factor to events per day (internal)."""

    Z: np.ndarray
    A: np.ndarray
    M: np.ndarray
    weight: np.ndarray  # target units (per kg or per detector) x isotope multiplicity
    seconds: float  # seconds per day (reactor-on for targets; calendar for detectors)
    rsig: float  # recoil resolution in MeV (detector's, or given)


def _exposure(detector_or_target, recoil_resolution_MeV=None):
    """Per kg (target) or per detector: isotope arrays, weights and seconds per day."""
    if isinstance(detector_or_target, Detector):
        det = detector_or_target
        parts = [(c.target, c.n_units) for c in det.crystals]
        seconds = det.live_seconds_per_day
        rsig = det.recoil_resolution_MeV if recoil_resolution_MeV is None else recoil_resolution_MeV
    else:
        parts = [(detector_or_target, units_per_kg(detector_or_target))]
        seconds = SECONDS_PER_DAY
        rsig = 0.0 if recoil_resolution_MeV is None else recoil_resolution_MeV
    rsig = float(as_array(rsig, "recoil_resolution_MeV", nonnegative=True))
    Zs, As, Ms, ws = [], [], [], []
    for target, n_units in parts:
        Z, A, M, w = target_arrays(target)
        Zs.append(Z)
        As.append(A)
        Ms.append(M)
        ws.append(w * n_units)
    cat = lambda xs: np.ascontiguousarray(np.concatenate(xs))  # noqa: E731
    return _Exposure(cat(Zs), cat(As), cat(Ms), cat(ws), seconds, rsig)


def _scalar(value, name, **kw):
    arr = as_array(value, name, **kw)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number")
    return float(arr)


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
        self.e_min, self.e_max = e_min, e_max

    def args(self):
        return self.cuts, self.n_cells, self.offsets, self.values


@njit(cache=True)
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


@njit(cache=True)
def _fold_point(kind, R, m, Z, A, M, w, sin2w, ff, cuts, n_cells, offsets, values, gx, gw, n_enu):
    """sum_j w_j int dE_nu Phi dsigma_j/dE_R at one recoil energy (natural units, see callers)."""
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
                        ds = _sm_kernel(E, R, Z[j], A[j] - Z[j], A[j], M[j], sin2w, ff)
                    else:
                        lo, hi = recoil_range_kernel(E, m, M[j])
                        ds = dsigma_in_range_kernel(E, R, m, Z[j], M[j], lo, hi, radius, ff)
                    acc += gw[g] * half * phi * ds
        total += w[j] * acc
    return total


@njit(cache=True)
def _spectrum_kernel(
    kind, Rs, rsig, m, Z, A, M, w, sin2w, ff, cuts, n_cells, offsets, values, gx, gw, n_enu, sx, sw, out
):
    """Flux-folded recoil spectrum at measured energies Rs, Gaussian-smeared when rsig > 0."""
    for i in range(Rs.shape[0]):
        R = Rs[i]
        if rsig <= 0.0:
            out[i] = _fold_point(
                kind, R, m, Z, A, M, w, sin2w, ff, cuts, n_cells, offsets, values, gx, gw, n_enu
            )
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
                acc += (
                    sw[g]
                    * half
                    * gauss
                    * _fold_point(
                        kind, T, m, Z, A, M, w, sin2w, ff, cuts, n_cells, offsets, values, gx, gw, n_enu
                    )
                )
        out[i] = acc


@njit(cache=True)
def _window_kernel(
    kind, lo, hi, rsig, m, Z, A, M, w, sin2w, ff, cuts, n_cells, offsets, values, gx, gw, n_enu, r_top
):
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
                f = _fold_point(
                    kind, R, m, Z, A, M, w, sin2w, ff, cuts, n_cells, offsets, values, gx, gw, n_enu
                )
                total += gw[g] * half * R * acc * f
    return total


def _recoil_top(kind, flux, m, M):
    """Largest recoil energy any isotope can reach with the flux (MeV)."""
    E = float(flux.e_max)
    if kind == 0:
        return float(np.max(2.0 * E**2 / (M + 2.0 * E)))
    return max(float(recoil_range_kernel(E, m, Mj)[1]) for Mj in M)


# --------------------------------------------------------------------------------------------------
# SM CEvNS and Primakoff recoil spectra
# --------------------------------------------------------------------------------------------------
def _recoil_spectrum(
    kind, E_R, detector_or_target, flux, m_N, form_factor, sin2w, recoil_resolution_MeV, n_enu
):
    R = as_array(E_R, "E_R", nonnegative=True)
    ex = _exposure(detector_or_target, recoil_resolution_MeV)
    fl = _flux(flux)
    table = _FluxTable(fl)
    out = np.empty(R.size)
    _spectrum_kernel(
        kind,
        np.ascontiguousarray(R, dtype=np.float64).ravel(),
        ex.rsig,
        float(m_N),
        ex.Z,
        ex.A,
        ex.M,
        ex.weight,
        float(sin2w),
        form_factor_code(form_factor),
        *table.args(),
        _GL16_X,
        _GL16_W,
        int(n_enu),
        _GL24_X,
        _GL24_W,
        out,
    )
    return out.reshape(R.shape) * ex.seconds, ex


def cevns_spectrum(
    E_R,
    target,
    flux=None,
    *,
    form_factor="helm",
    sin2_theta_w=SIN2_THETA_W,
    recoil_resolution_MeV=None,
    n_enu=_N_ENU,
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
    n_enu : int
        Gauss-Legendre nodes of the E_nu integral (exact lower limit E_nu^min(E_R) per isotope).
    """
    out, _ = _recoil_spectrum(
        0, E_R, target, flux, 0.0, form_factor, sin2_theta_w, recoil_resolution_MeV, n_enu
    )
    return scalar_or_array(out * MEV2_TO_CM2)


def cevns_rate(
    target,
    flux=None,
    E_R_min=CEVNS_WINDOW_MEV[0],
    E_R_max=CEVNS_WINDOW_MEV[1],
    *,
    form_factor="helm",
    sin2_theta_w=SIN2_THETA_W,
    recoil_resolution_MeV=None,
    n_enu=_N_ENU,
):
    """SM CEvNS events in a recoil window ``[E_R_min, E_R_max]`` (MeV, default 10-100 eV).

    Returns events per kg per day (reactor on) for a target, events per calendar day for a
    :class:`Detector`.  With a recoil resolution the window applies to the measured energy.
    """
    lo = _scalar(E_R_min, "E_R_min", positive=True)
    hi = _scalar(E_R_max, "E_R_max", positive=True, finite=False)
    if not hi > lo:
        raise ValueError("E_R_max must be larger than E_R_min")
    return _recoil_rate(0, target, flux, 0.0, lo, hi, form_factor, sin2_theta_w, recoil_resolution_MeV, n_enu)


def _recoil_rate(
    kind, detector_or_target, flux, m_N, lo, hi, form_factor, sin2w, recoil_resolution_MeV, n_enu
):
    ex = _exposure(detector_or_target, recoil_resolution_MeV)
    fl = _flux(flux)
    table = _FluxTable(fl)
    r_top = _recoil_top(kind, fl, m_N, ex.M)
    val = _window_kernel(
        kind,
        lo,
        hi,
        ex.rsig,
        float(m_N),
        ex.Z,
        ex.A,
        ex.M,
        ex.weight,
        float(sin2w),
        form_factor_code(form_factor),
        *table.args(),
        _GL16_X,
        _GL16_W,
        int(n_enu),
        r_top,
    )
    return val * ex.seconds * MEV2_TO_CM2


def _mu_factor(mu):
    mu_arr = as_array(mu, "mu", nonnegative=True)
    return mu_arr, ALPHA * (mu_arr * MU_B_PER_MEV) ** 2


def primakoff_spectrum(
    E_R,
    detector_or_target,
    flux,
    m_N,
    mu,
    *,
    form_factor="helm",
    recoil_resolution_MeV=None,
    n_enu=_N_ENU,
):
    """Primakoff upscattering recoil spectrum dR/dE_R of nu A -> N A (every produced N counted).

    Parameters
    ----------
    E_R : array_like
        Recoil energies in MeV (measured energies when a resolution applies).
    detector_or_target : str, Nucleus, Element, Compound or Detector
        A target: events / (kg day MeV) of reactor-on time.  A :class:`Detector`: events / (day MeV)
        per calendar day for the whole detector, smeared with its recoil resolution.
    flux : flux object or None
        None means :func:`radcevns.flux.chooz`.
    m_N : float
        Sterile-neutrino mass in MeV.
    mu : float or array_like
        Transition moment in Bohr magnetons (convention A); the spectrum scales exactly as ``mu^2``.
        ``E_R`` and ``mu`` broadcast against each other (pass ``mu[:, None]`` for a table).
    form_factor : {"helm", "klein-nystrand", "none"}
    recoil_resolution_MeV : float, optional
        Overrides the detector's recoil resolution (default: none for a target).
    n_enu : int
        Gauss-Legendre nodes of the E_nu integral.

    Returns
    -------
    float or ndarray
        Exactly 0 where no neutrino of the flux can produce the recoil.  The decay of N inside the
        detector is not subtracted (``P_dec < 1e-6`` for the benchmark points; reference.md 3.3).
    """
    m = _scalar(m_N, "m_N", nonnegative=True)
    mu_arr, fac = _mu_factor(mu)
    out, _ = _recoil_spectrum(
        1, E_R, detector_or_target, flux, m, form_factor, 0.0, recoil_resolution_MeV, n_enu
    )
    return scalar_or_array(out * MEV2_TO_CM2 * fac)


def primakoff_rate(
    detector_or_target,
    m_N,
    mu,
    flux=None,
    E_R_min=None,
    E_R_max=np.inf,
    *,
    form_factor="helm",
    recoil_resolution_MeV=None,
    n_enu=_N_ENU,
):
    """Primakoff upscattering events with a recoil in ``[E_R_min, E_R_max]`` (MeV).

    ``E_R_min`` defaults to the detector threshold (a target: 0, i.e. every upscattering).  Per kg per
    day for a target, per calendar day for a :class:`Detector`; scales as ``mu^2`` (``mu`` may be an
    array).
    """
    m = _scalar(m_N, "m_N", nonnegative=True)
    mu_arr, fac = _mu_factor(mu)
    if E_R_min is None:
        E_R_min = detector_or_target.recoil_threshold_MeV if isinstance(detector_or_target, Detector) else 0.0
    lo = _scalar(E_R_min, "E_R_min", nonnegative=True)
    hi = _scalar(E_R_max, "E_R_max", positive=True, finite=False)
    if not hi > lo:
        raise ValueError("E_R_max must be larger than E_R_min")
    if lo == 0.0:
        # lowest kinematically possible recoil (heavy isotopes, highest energies) as the lower edge
        ex = _exposure(detector_or_target, recoil_resolution_MeV)
        fl = _flux(flux)
        lows = [recoil_range_kernel(float(fl.e_max), m, Mj)[0] for Mj in ex.M]
        lo = max(min(lows), 1e-30)
    val = _recoil_rate(1, detector_or_target, flux, m, lo, hi, form_factor, 0.0, recoil_resolution_MeV, n_enu)
    return scalar_or_array(val * fac)


# --------------------------------------------------------------------------------------------------
# radiative coincidences: recoil nodes, then photon accumulation
# --------------------------------------------------------------------------------------------------
@njit(cache=True)
def _recoil_breaks(lo, hi, rthr, rsig):
    """Panel break points in E_R: the window ends plus, for a smeared threshold, thr + (-3, 0, 3, 6) sigma."""
    out = np.empty(6)
    out[0] = lo
    n = 1
    if rsig > 0.0:
        for s in (-3.0, 0.0, 3.0, 6.0):
            c = rthr + s * rsig
            if c > out[n - 1] and c < hi:
                out[n] = c
                n += 1
    out[n] = hi
    return out[: n + 1]


@njit(cache=True)
def _recoil_limits(E, m, M, rthr, rsig):
    """Kinematic range (lo_kin, hi_kin) and the integration window cut by the threshold (6 sigma below)."""
    lo_k, hi_k = recoil_range_kernel(E, m, M)
    if hi_k <= 0.0:
        return 0.0, 0.0, 0.0, 0.0
    cut = rthr - 6.0 * rsig if rsig > 0.0 else rthr
    lo = lo_k if lo_k > cut else cut
    if lo <= 0.0:
        lo = hi_k * 1e-12
    if lo >= hi_k:
        return lo_k, hi_k, 0.0, 0.0
    return lo_k, hi_k, lo, hi_k


@njit(cache=True, nogil=True)
def _count_recoil_nodes(Es, Ews, m, M, rthr, rsig, du_max, ngl):
    n = 0
    for k in range(Es.shape[0]):
        if Ews[k] == 0.0:
            continue
        for j in range(M.shape[0]):
            lo_k, hi_k, lo, hi = _recoil_limits(Es[k], m, M[j], rthr, rsig)
            if hi <= 0.0:
                continue
            br = _recoil_breaks(lo, hi, rthr, rsig)
            for p in range(br.shape[0] - 1):
                du = math.log(br[p + 1]) - math.log(br[p])
                n += max(1, int(math.ceil(du / du_max))) * ngl
    return n


@njit(cache=True, nogil=True)
def _fill_recoil_nodes(Es, Ews, m, Z, A, M, wiso, ff, rthr, rsig, need_pol, du_max, gx, gw, W, EN, PN, PL):
    """Weights ``Phi dE x n_T x dsigma/dE_R dE_R x eps_R`` / (alpha mu^2), E_N, p_N, P_L at every node."""
    i = 0
    ngl = gx.shape[0]
    for k in range(Es.shape[0]):
        E = Es[k]
        if Ews[k] == 0.0:
            continue
        for j in range(M.shape[0]):
            lo_k, hi_k, lo, hi = _recoil_limits(E, m, M[j], rthr, rsig)
            if hi <= 0.0:
                continue
            radius = form_factor_radius_kernel(A[j], ff)
            br = _recoil_breaks(lo, hi, rthr, rsig)
            for p in range(br.shape[0] - 1):
                u0 = math.log(br[p])
                u1 = math.log(br[p + 1])
                npan = max(1, int(math.ceil((u1 - u0) / du_max)))
                for q in range(npan):
                    v0 = u0 + (u1 - u0) * q / npan
                    v1 = u0 + (u1 - u0) * (q + 1) / npan
                    half = 0.5 * (v1 - v0)
                    mid = 0.5 * (v1 + v0)
                    for g in range(ngl):
                        R = math.exp(mid + half * gx[g])
                        if rsig > 0.0:
                            eff = 0.5 * math.erfc((rthr - R) / (math.sqrt(2.0) * rsig))
                        else:
                            eff = 1.0 if R >= rthr else 0.0
                        E_N = E - R
                        p2 = E_N * E_N - m * m
                        W[i] = 0.0
                        EN[i] = E_N
                        PN[i] = 1.0
                        PL[i] = 0.0
                        if eff > 0.0 and p2 > 0.0:
                            ds = dsigma_in_range_kernel(E, R, m, Z[j], M[j], lo_k, hi_k, radius, ff)
                            W[i] = Ews[k] * wiso[j] * gw[g] * half * R * eff * ds
                            PN[i] = math.sqrt(p2)
                            if need_pol and W[i] != 0.0:
                                PL[i] = polarisation_kernel(E, R, m, M[j])[0]
                        i += 1
    return i


@njit(cache=True)
def _cell_index(edges, x):
    n = edges.shape[0] - 1
    i = np.searchsorted(edges, x, side="right") - 1
    if i < 0:
        i = 0
    if i > n - 1:
        i = n - 1
    return i


@njit(cache=True)
def _cumulative(edges, AL, AR, C0, C1, x):
    """(int_0^x A dE, int_0^x E A dE) for an acceptance linear in each cell from AL to AR (clamped)."""
    n = edges.shape[0] - 1
    if x >= edges[n]:
        return C0[n], C1[n]
    if x <= edges[0]:
        return 0.0, 0.0
    i = _cell_index(edges, x)
    x0 = edges[i]
    t = x - x0
    a0 = AL[i]
    s = (AR[i] - a0) / (edges[i + 1] - x0)
    return C0[i] + a0 * t + 0.5 * s * t * t, C1[i] + x0 * a0 * t + 0.5 * (
        a0 + x0 * s
    ) * t * t + s * t * t * t / 3.0


@njit(cache=True, nogil=True)
def _rate_accumulate(n, W, EN, PN, PL, m, a_fac, br, alphas, kappas, edges, AL, AR, C0, C1, out):
    """out[v] += sum over nodes and channels of W BR P_dec(kappa_v) int f_v(E_gamma) A(E_gamma) dE_gamma."""
    for i in range(n):
        w = W[i]
        if w == 0.0:
            continue
        E_N = EN[i]
        p = PN[i]
        for c in range(a_fac.shape[0]):
            a = a_fac[c]
            if a <= 0.0 or br[c] == 0.0:
                continue
            elo = a * m * m / (E_N + p)  # = a (E_N - p_N) without cancellation
            ehi = a * (E_N + p)
            c0a, c1a = _cumulative(edges, AL, AR, C0, C1, elo)
            c0b, c1b = _cumulative(edges, AL, AR, C0, C1, ehi)
            I0 = c0b - c0a
            centred = (c1b - c1a) - a * E_N * I0
            base = w * br[c] / (2.0 * a * p)
            for v in range(alphas.shape[0]):
                pd = _p_decay(kappas[v], p)
                if pd == 0.0:
                    continue
                out[v] += base * pd * (I0 + alphas[v] * PL[i] * centred / (a * p))


@njit(cache=True, nogil=True)
def _cells_accumulate(n, W, EN, PN, PL, m, a_fac, br, alphas, kappas, edges, S0, S1, P):
    """Exact photon-energy cell contents via difference arrays (S0, S1: coefficient of 1 and of E)."""
    for i in range(n):
        w = W[i]
        if w == 0.0:
            continue
        E_N = EN[i]
        p = PN[i]
        for c in range(a_fac.shape[0]):
            a = a_fac[c]
            if a <= 0.0 or br[c] == 0.0:
                continue
            elo = a * m * m / (E_N + p)
            ehi = a * (E_N + p)
            i0 = _cell_index(edges, elo)
            i1 = _cell_index(edges, ehi)
            base = w * br[c] / (2.0 * a * p)
            for v in range(alphas.shape[0]):
                pd = _p_decay(kappas[v], p)
                if pd == 0.0:
                    continue
                wv = base * pd
                tilt = alphas[v] * PL[i] / p  # density = wv (1 + tilt (E/a - E_N))
                if i0 == i1:
                    P[v, i0] += wv * (ehi - elo) * (1.0 + tilt * (0.5 * (elo + ehi) / a - E_N))
                    continue
                x1 = edges[i0 + 1]
                P[v, i0] += wv * (x1 - elo) * (1.0 + tilt * (0.5 * (elo + x1) / a - E_N))
                x0 = edges[i1]
                P[v, i1] += wv * (ehi - x0) * (1.0 + tilt * (0.5 * (x0 + ehi) / a - E_N))
                if i1 > i0 + 1:
                    d0 = wv * (1.0 - tilt * E_N)
                    d1 = wv * tilt / a
                    S0[v, i0 + 1] += d0
                    S0[v, i1] -= d0
                    S1[v, i0 + 1] += d1
                    S1[v, i1] -= d1


# --------------------------------------------------------------------------------------------------
# radiative coincidences: Python layer
# --------------------------------------------------------------------------------------------------
def _decay_channels(m, mu_values, nature, decay_moments, daughter_masses):
    """Per-channel a = E*/m, branching ratios and total widths (one per mu) for ``nature``."""
    if decay_moments is not None and (not isinstance(decay_moments, Mapping) or not decay_moments):
        raise ValueError("decay_moments must be a non-empty mapping {channel: moment in mu_B}")
    daughters = dict(daughter_masses or {})
    keys = ("e",) if decay_moments is None else tuple(decay_moments)
    unknown = set(daughters) - set(keys)
    if unknown:
        raise ValueError(f"daughter_masses has channels not in decay_moments: {sorted(unknown)}")
    md = np.array([_scalar(daughters.get(k, 0.0), "daughter_masses", nonnegative=True) for k in keys])
    a_fac = np.where(md < m, 0.5 * (1.0 - (md / m) ** 2), 0.0)
    widths = np.empty((mu_values.size, len(keys)))
    for i, mu in enumerate(mu_values):
        for c, key in enumerate(keys):
            moment = (
                mu
                if decay_moments is None
                else _scalar(decay_moments[key], "decay_moments", nonnegative=True)
            )
            widths[i, c] = float(decay_width(m, moment, nature, md[c]))
    total = widths.sum(axis=1)
    br = np.divide(widths, total[:, None], out=np.zeros_like(widths), where=total[:, None] > 0)
    return np.ascontiguousarray(a_fac), br, total


_ALPHA_GAMMA = {"dirac": -1.0, "majorana": 0.0}


def _natures(nature):
    if isinstance(nature, str):
        return (as_nature(nature),)
    out = tuple(as_nature(n) for n in nature)
    if not out:
        raise ValueError("nature must be 'dirac', 'majorana' or a sequence of them")
    return out


class _Variants:
    """The (nature, mu) combinations sharing one set of recoil nodes (internal)."""

    def __init__(self, m, mu, natures, L, decay_moments, daughter_masses):
        self.mu = as_array(mu, "mu", nonnegative=True)
        mus = self.mu.ravel()
        alphas, kappas, prefs, brs = [], [], [], []
        for nat in natures:
            a_fac, br, gamma = _decay_channels(m, mus, nat, decay_moments, daughter_masses)
            for i, mu_i in enumerate(mus):
                alphas.append(_ALPHA_GAMMA[nat])
                kappas.append(np.inf if L is None else L * m * gamma[i] / HBARC_MEV_CM)
                prefs.append(ALPHA * (mu_i * MU_B_PER_MEV) ** 2 * MEV2_TO_CM2)
                brs.append(br[i])
        self.a_fac = a_fac
        self.alphas = np.array(alphas)
        self.kappas = np.array(kappas)
        self.prefs = np.array(prefs)
        self.brs = np.array(brs)  # (V, channels)
        self.shape = (len(natures), *self.mu.shape)
        # the branching ratios only depend on mu through the channel mix when decay_moments is None
        # (then a single channel with BR = 1); group variants by identical BR vectors
        self.groups = {}
        for v, b in enumerate(self.brs):
            self.groups.setdefault(tuple(b), []).append(v)


def _photon_grid(det, flux, m, a_fac, extra=()):
    """Cell edges of the photon-energy grid: 0, log-spaced up to the largest photon energy, plus nodes."""
    top = float(flux.e_max) * (1.0 + 1e-9)
    lo, hi = det.photon_window_MeV
    nodes = [0.0, *np.geomspace(_E_CELL_MIN, top, _N_CELLS)]
    nodes += [x for x in (lo, hi, *(a * m for a in a_fac if a > 0), *extra) if 0.0 < x < top]
    return np.ascontiguousarray(np.unique(np.array(nodes, dtype=np.float64)))


def _cell_average(func, edges, n=4):
    """Average of ``func`` over each cell with n-point Gauss-Legendre."""
    x, w = np.polynomial.legendre.leggauss(n)
    mid = 0.5 * (edges[1:] + edges[:-1])
    half = 0.5 * np.diff(edges)
    pts = mid[:, None] + half[:, None] * x[None, :]
    vals = np.asarray(func(pts.ravel()), dtype=np.float64).reshape(pts.shape)
    return vals @ w / 2.0


def _acceptance_tables(det, edges):
    """Acceptance at both ends of every cell (one-sided, so a sharp window edge at a node stays sharp)
    and the cumulative integrals ``C0 = int A dE``, ``C1 = int E A dE`` at the cell edges, A linear in
    each cell."""
    x0, x1 = edges[:-1], edges[1:]
    AL = np.asarray(det.photon_acceptance(np.nextafter(x0, x1)), dtype=np.float64)
    AR = np.asarray(det.photon_acceptance(np.nextafter(x1, x0)), dtype=np.float64)
    h = x1 - x0
    slope = (AR - AL) / h
    cell0 = 0.5 * (AL + AR) * h
    cell1 = x0 * AL * h + 0.5 * (AL + x0 * slope) * h * h + slope * h**3 / 3.0
    C0 = np.concatenate([[0.0], np.cumsum(cell0)])
    C1 = np.concatenate([[0.0], np.cumsum(cell1)])
    return np.ascontiguousarray(AL), np.ascontiguousarray(AR), C0, C1


@lru_cache(maxsize=64)
def _gauss_barycentric(k):
    """Gauss-Legendre nodes on [-1, 1] with their barycentric interpolation weights."""
    x, _ = np.polynomial.legendre.leggauss(k)
    _, w = np.polynomial.legendre.leggauss(k)
    lam = (-1.0) ** np.arange(k) * np.sqrt((1.0 - x * x) * w)
    return x, lam


def _product_rule(fl, a, b, k, n_cells):
    """Nodes and weights of ``int_a^b Phi(E) g(E) dE ~ sum_i w_i g(E_i)`` (product integration).

    With ``E = a + (b - a) u^2`` (which makes the ``sqrt(E - a)`` onset of ``g`` at a production
    threshold analytic), ``g`` is replaced by its polynomial interpolant in ``u`` at the k
    Gauss-Legendre nodes of [0, 1] (smooth ``g``: spectral accuracy), and the weights
    ``w_i = int Phi l_i dE`` of the Lagrange basis ``l_i`` are computed with two-point Gauss-Legendre
    on ``n_cells`` uniform cells in ``u``.  The flux itself may be kinked or jump anywhere (tabulated
    spectra): it only enters through these fine integrals.
    """
    nodes, E, jac, s = _product_points(a, b, k, n_cells)
    return nodes, _product_weights(k, s, np.asarray(fl(E), dtype=np.float64) * jac)


def _product_points(a, b, k, n_cells):
    """Nodes, fine evaluation points E, their weights ``dE`` and their coordinate in [-1, 1] (internal)."""
    x, _ = _gauss_barycentric(k)
    nodes = a + (b - a) * (0.5 * (x + 1.0)) ** 2
    cell = np.linspace(0.0, 1.0, n_cells + 1)
    mid, half = 0.5 * (cell[1:] + cell[:-1]), 0.5 * np.diff(cell)
    g = 1.0 / math.sqrt(3.0)
    u = np.concatenate([mid - g * half, mid + g * half])
    E = a + (b - a) * u * u
    jac = np.concatenate([half, half]) * 2.0 * (b - a) * u
    return nodes, E, jac, np.ascontiguousarray(2.0 * u - 1.0)


def _product_weights(k, s, phi_w):
    x, lam = _gauss_barycentric(k)
    weights = np.zeros(k)
    _product_weights_kernel(s, np.ascontiguousarray(phi_w), x, lam, weights)
    return weights


@njit(cache=True, nogil=True)
def _product_weights_kernel(s, phi_w, x, lam, out):
    """out[i] += sum_p phi_w[p] l_i(s[p]) with the barycentric form of the Lagrange basis l_i."""
    k = x.shape[0]
    basis = np.empty(k)
    for p in range(s.shape[0]):
        total = 0.0
        on_node = -1
        for i in range(k):
            d = s[p] - x[i]
            if d == 0.0:
                on_node = i
                break
            basis[i] = lam[i] / d
            total += basis[i]
        if on_node >= 0:
            out[on_node] += phi_w[p]
            continue
        f = phi_w[p] / total
        for i in range(k):
            out[i] += f * basis[i]


def _flux_nodes(fl, m, Z, M, rthr, rsig, n_flux):
    """Product-integration nodes in E_nu above the production threshold (see :func:`_product_rule`).

    The E_nu integrand starts like ``sqrt(E - E_thr)`` at the production threshold of every element
    and has a kink (sharp recoil threshold) or a fast rise (smeared threshold, at ``threshold -+ 3
    rsig``) where the recoil threshold becomes reachable, ``E_nu^min(threshold)``; the integral is
    split at all of these (per element, with its heaviest isotope), each piece with the ``u^2``
    substitution of :func:`_product_rule`.
    """
    e_hi = float(fl.e_max)
    cuts = {e_hi}
    for z in np.unique(Z):
        Mz = float(M[Z == z].max())
        cuts.add(max(float(threshold_kernel(m, Mz)), float(fl.e_min)))
        if rthr > 0.0:
            for k in (-3.0, 0.0, 3.0) if rsig > 0.0 else (0.0,):
                if rthr + k * rsig > 0.0:
                    cuts.add(float(emin_kernel(rthr + k * rsig, m, Mz)))
    e_lo = min(cuts)
    if e_lo >= e_hi:
        return np.zeros(1), np.zeros(1)
    cuts = np.array(sorted(c for c in cuts if e_lo <= c <= e_hi))
    keep = np.concatenate([[True], np.diff(cuts) > 1e-9 * e_hi])
    cuts = cuts[keep]
    cuts[-1] = e_hi
    pieces = []
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        frac = (b - a) / (e_hi - e_lo)
        k = max(6, int(round(n_flux * frac)))
        n_cells = max(24 * k, int(round(_FINE_FLUX_CELLS * frac)))
        pieces.append((k, *_product_points(float(a), float(b), k, n_cells)))
    # one flux evaluation for every piece (tabulated spectra are costly to call)
    phi = np.asarray(fl(np.concatenate([p[2] for p in pieces])), dtype=np.float64)
    xs, ws, start = [], [], 0
    for k, nodes, E, jac, s in pieces:
        xs.append(nodes)
        ws.append(_product_weights(k, s, phi[start : start + E.size] * jac))
        start += E.size
    return np.ascontiguousarray(np.concatenate(xs)), np.ascontiguousarray(np.concatenate(ws))


def _recoil_nodes(det, ex, fl, m, form_factor, need_pol, n_flux, Es_ws=None):
    Es, Ews = (
        _flux_nodes(fl, m, ex.Z, ex.M, det.recoil_threshold_MeV, ex.rsig, n_flux) if Es_ws is None else Es_ws
    )
    rthr = det.recoil_threshold_MeV
    ff = form_factor_code(form_factor)
    n = _count_recoil_nodes(Es, Ews, m, ex.M, rthr, ex.rsig, _DU_MAX, _GL_R_X.size)
    W, EN, PN, PL = (np.empty(n) for _ in range(4))
    _fill_recoil_nodes(
        Es,
        Ews,
        m,
        ex.Z,
        ex.A,
        ex.M,
        ex.weight,
        ff,
        rthr,
        ex.rsig,
        need_pol,
        _DU_MAX,
        _GL_R_X,
        _GL_R_W,
        W,
        EN,
        PN,
        PL,
    )
    return n, W, EN, PN, PL


def _split_overrides(overrides):
    """Detector-field overrides (anything else is an error)."""
    from dataclasses import fields

    names = {f.name for f in fields(Detector)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise ValueError(f"unknown keyword(s) {unknown}: not a Detector field ({sorted(names)})")
    return overrides


def _prepare(detector, m_N, mu, nature, flux, decay_moments, daughter_masses, overrides):
    if not isinstance(detector, Detector):
        raise ValueError(f"detector must be a radcevns.detector.Detector, got {detector!r}")
    det = detector.replace(**_split_overrides(overrides)) if overrides else detector
    m = _scalar(m_N, "m_N", positive=True)
    natures = _natures(nature)
    var = _Variants(m, mu, natures, det.decay_length_cm, decay_moments, daughter_masses)
    return det, m, natures, var, _exposure(det), _flux(flux)


def radiative_rate(
    detector,
    m_N,
    mu,
    nature="dirac",
    flux=None,
    *,
    form_factor="helm",
    decay_moments=None,
    daughter_masses=None,
    method="fast",
    n_flux=_N_FLUX,
    **overrides,
):
    """Detected radiative coincidences per calendar day: recoil above threshold + photon seen.

    Parameters
    ----------
    detector : Detector
        Target crystals, recoil threshold/resolution, decay region, photon window/efficiency/
        resolution, live fraction and reactor duty.
    m_N : float
        Sterile-neutrino mass in MeV.
    mu : float or array_like
        Production moment mu_{nu_e N} in Bohr magnetons (convention A); also the decay moment unless
        ``decay_moments`` is given.  An array gives one rate per value (same shape).
    nature : {"dirac", "majorana"} or a sequence of them
        A sequence adds a leading axis (one entry per nature).
    flux : flux object, optional
        Default :func:`radcevns.flux.chooz`.
    form_factor : {"helm", "klein-nystrand", "none"}
    decay_moments, daughter_masses : mapping, optional
        Decay channels ``{channel: moment in mu_B}`` and ``{channel: daughter mass in MeV}``
        (as in :func:`radcevns.radiative.photon_spectrum`).
    method : {"fast", "grid"}
        Analytic photon-box integral per recoil node (default) or the photon spectrum on a grid.
    n_flux : int
        Flux quadrature nodes above threshold.
    **overrides
        Detector fields to change for this call, e.g. ``decay_length_cm=10`` or
        ``photon_efficiency=1``.

    Returns
    -------
    float or ndarray
        Events per calendar day (``x 86400 x reactor_duty x live_fraction``); exactly 0 when the
        recoil threshold exceeds every kinematically allowed recoil or m_N is above the flux.
    """
    det, m, natures, var, ex, fl = _prepare(
        detector,
        mu=mu,
        m_N=m_N,
        nature=nature,
        flux=flux,
        decay_moments=decay_moments,
        daughter_masses=daughter_masses,
        overrides=overrides,
    )
    if method == "fast":
        rates = _rate_fast(det, m, var, ex, fl, form_factor, n_flux)
    elif method == "grid":
        rates = _rate_grid(det, m, natures, var, ex, fl, form_factor, n_flux, decay_moments, daughter_masses)
    else:
        raise ValueError(f"method must be 'fast' or 'grid', got {method!r}")
    out = rates.reshape(var.shape) * ex.seconds
    if isinstance(nature, str):
        out = out[0]
    return scalar_or_array(out)


def _rate_fast(det, m, var, ex, fl, form_factor, n_flux, nodes=None):
    """Rates (s^-1, per variant) with the analytic photon-box integral at every recoil node (internal)."""
    need_pol = bool(np.any(var.alphas != 0.0))
    n, W, EN, PN, PL = (
        _recoil_nodes(det, ex, fl, m, form_factor, need_pol, n_flux) if nodes is None else nodes
    )
    edges = _photon_grid(det, fl, m, var.a_fac)
    AL, AR, C0, C1 = _acceptance_tables(det, edges)
    out = np.zeros(var.alphas.size)
    for br_tuple, idx in var.groups.items():
        idx = np.array(idx)
        part = np.zeros(idx.size)
        args = (var.a_fac, np.array(br_tuple), var.alphas[idx], var.kappas[idx], edges, AL, AR, C0, C1, part)
        _rate_accumulate(n, W, EN, PN, PL, m, *args)
        out[idx] = part
    return out * var.prefs


class _FixedNodes:
    """Hands a fixed set of flux nodes to :mod:`radcevns.radiative` (its ``quadrature`` interface)."""

    def __init__(self, E, w, e_min, e_max):
        self._E, self._w = E, w
        self.e_min, self.e_max = e_min, e_max

    def quadrature(self, n=None, e_min=None, e_max=None):
        return self._E, self._w


def _rate_grid(
    det, m, natures, var, ex, fl, form_factor, n_flux, decay_moments, daughter_masses, n_grid=4000
):
    """Reference path: radiative.photon_spectrum on a fine grid x acceptance, integrated (internal)."""
    Es, Ews = _flux_nodes(fl, m, ex.Z, ex.M, det.recoil_threshold_MeV, ex.rsig, n_flux)
    nodes = _FixedNodes(Es, Ews, fl.e_min, fl.e_max)
    top = float(Es.max()) if Es.size else 0.0
    out = np.zeros(var.alphas.size)
    if top <= 0.0:
        return out
    lo, hi = det.photon_window_MeV
    bps = sorted({x for x in (lo, hi, *(a * m for a in var.a_fac if a > 0)) if 0.0 < x < top} | {top})
    # Gauss-Legendre in ln E_gamma between break points, from far below the lowest photon energy
    e_floor = max(1e-12, min(var.a_fac[var.a_fac > 0].min() * m * m / (2.0 * top), bps[0]) * 0.5)
    pieces = list(zip([e_floor, *bps[:-1]], bps, strict=True))
    x, w = np.polynomial.legendre.leggauss(16)
    nodes_E, nodes_w = [], []
    total_log = math.log(top / e_floor)
    for a, b in pieces:
        npan = max(2, int(math.ceil(n_grid / 16 * math.log(b / a) / total_log)))
        u = np.linspace(math.log(a), math.log(b), npan + 1)
        mid, half = 0.5 * (u[1:] + u[:-1]), 0.5 * np.diff(u)
        uu = (mid[:, None] + half[:, None] * x[None, :]).ravel()
        nodes_E.append(np.exp(uu))
        nodes_w.append((half[:, None] * w[None, :]).ravel() * np.exp(uu))
    Eg = np.concatenate(nodes_E)
    wg = np.concatenate(nodes_w) * np.asarray(det.photon_acceptance(Eg))
    v = 0
    mus = var.mu.ravel()
    for nat in natures:
        for mu_i in mus:
            total = 0.0
            for crystal in det.crystals:
                spec = radiative.photon_spectrum(
                    Eg,
                    nodes,
                    m,
                    crystal.target,
                    mu_i,
                    nat,
                    L=det.decay_length_cm,
                    decay_moments=decay_moments,
                    daughter_masses=daughter_masses,
                    form_factor=form_factor,
                    recoil_threshold=det.recoil_threshold_MeV,
                    recoil_resolution=det.recoil_resolution_MeV,
                )
                total += crystal.n_units * float(np.sum(spec * wg))
            out[v] = total
            v += 1
    return out


def radiative_counts(detector, m_N, mu, nature="dirac", flux=None, **kwargs):
    """Expected radiative coincidences in the detector's exposure: ``radiative_rate x exposure_days``."""
    det = detector.replace(**{k: kwargs.pop(k) for k in list(kwargs) if k in Detector.__dataclass_fields__})
    return scalar_or_array(
        np.asarray(radiative_rate(det, m_N, mu, nature, flux, **kwargs)) * det.exposure_days
    )


def radiative_rate_table(
    detector,
    m_N,
    mu,
    natures=("dirac", "majorana"),
    flux=None,
    *,
    form_factor="helm",
    decay_moments=None,
    daughter_masses=None,
    n_flux=_N_FLUX,
    n_threads=None,
    **overrides,
):
    """Radiative coincidence rates (events per calendar day) for many masses, in parallel threads.

    Returns an array of shape ``(len(m_N), len(natures), *mu.shape)``; the numba kernels release the
    GIL, so ``n_threads`` (default: numba's thread count or ``os.cpu_count()``) masses run at once.
    """
    masses = as_array(m_N, "m_N", positive=True).ravel()
    natures = _natures(natures)
    if not isinstance(detector, Detector):
        raise ValueError(f"detector must be a radcevns.detector.Detector, got {detector!r}")
    det = detector.replace(**_split_overrides(overrides)) if overrides else detector
    ex = _exposure(det)
    fl = _flux(flux)
    mu_arr = as_array(mu, "mu", nonnegative=True)

    def one(m):
        var = _Variants(float(m), mu_arr, natures, det.decay_length_cm, decay_moments, daughter_masses)
        return _rate_fast(det, float(m), var, ex, fl, form_factor, n_flux).reshape(var.shape)

    if n_threads is None:
        try:
            import numba

            n_threads = numba.get_num_threads()
        except Exception:  # pragma: no cover
            n_threads = os.cpu_count() or 1
    n_threads = max(1, int(n_threads))
    if n_threads == 1 or masses.size == 1:
        rows = [one(m) for m in masses]
    else:
        one(masses[0])  # compile / load the kernels once before the threads start
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            rows = list(pool.map(one, masses))
    return np.stack(rows) * ex.seconds


def mean_decay_probability(detector, m_N, mu, nature="dirac", flux=None, **kwargs):
    """Rate-weighted mean probability that N decays within the decay region.

    ``radiative_rate(L) / radiative_rate(L = inf)`` for the detector's acceptance (the decay-region
    penalty; ``~ L m_N Gamma / p_N`` while N is long-lived).
    """
    full = radiative_rate(detector, m_N, mu, nature, flux, **{**kwargs, "decay_length_cm": None})
    part = radiative_rate(detector, m_N, mu, nature, flux, **kwargs)
    return scalar_or_array(
        np.divide(part, full, out=np.zeros_like(np.asarray(full, float)), where=np.asarray(full) > 0)
    )


# --------------------------------------------------------------------------------------------------
# distributions
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RadiativeDistributions:
    """Flux-folded photon distributions of the radiative coincidences (events per calendar day).

    Attributes
    ----------
    nature : str
    energy_edges : ndarray
        Photon-energy bin edges in MeV.
    true_counts : ndarray
        Events per day per bin of *true* photon energy, detection efficiency applied, no window.
    smeared_counts : ndarray
        Events per day per bin of *measured* photon energy (efficiency and Gaussian resolution).
    fine_energy : ndarray
        Centres of the fine photon-energy cells (MeV), for smooth curves.
    fine_true_density : ndarray
        True-energy spectrum (events / day / MeV) on the fine cells, efficiency applied.
    fine_all_density : ndarray
        True-energy spectrum of every photon (no efficiency), events / day / MeV.
    rate_all : float
        Every coincidence photon (recoil above threshold, decay in the region), events / day.
    rate_detected : float
        Photons detected in the window (the value of :func:`radiative_rate`), events / day.
    cos_edges : ndarray
        Bin edges in cos(theta_gamma) (angle to the beam).
    cos_counts : ndarray
        Detected events per day per cos bin.
    cos_method : str
        "quadrature" (shape of every coincidence photon from radiative.photon_angle, normalised to
        ``rate_detected``) or "mc" (weighted events with the acceptance applied event by event).
    """

    nature: str
    energy_edges: np.ndarray
    true_counts: np.ndarray
    smeared_counts: np.ndarray
    fine_energy: np.ndarray
    fine_true_density: np.ndarray
    fine_all_density: np.ndarray
    rate_all: float
    rate_detected: float
    cos_edges: np.ndarray
    cos_counts: np.ndarray
    cos_method: str

    @property
    def energy_centres(self):
        return 0.5 * (self.energy_edges[1:] + self.energy_edges[:-1])

    @property
    def cos_centres(self):
        return 0.5 * (self.cos_edges[1:] + self.cos_edges[:-1])

    def true_density(self):
        """True-energy histogram as a density, events / day / MeV."""
        return self.true_counts / np.diff(self.energy_edges)

    def smeared_density(self):
        """Measured-energy histogram as a density, events / day / MeV."""
        return self.smeared_counts / np.diff(self.energy_edges)

    def cos_density(self):
        """Angular histogram as a density, events / day per unit cos(theta_gamma)."""
        return self.cos_counts / np.diff(self.cos_edges)


def _smearing_matrix(det, fine_edges, edges, n=4):
    """P(measured in bin b | true energy uniform in fine cell i), shape (cells, bins)."""
    x, w = np.polynomial.legendre.leggauss(n)
    mid = 0.5 * (fine_edges[1:] + fine_edges[:-1])
    half = 0.5 * np.diff(fine_edges)
    pts = mid[:, None] + half[:, None] * x[None, :]
    sig = np.asarray(det.photon_sigma(pts.ravel()), dtype=np.float64).reshape(pts.shape)
    out = np.zeros((mid.size, edges.size - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        for b in range(edges.size - 1):
            lo, hi = edges[b], edges[b + 1]
            sharp = ((pts >= lo) & (pts < hi)).astype(float)
            s = np.where(sig > 0, sig, 1.0)
            smooth = ndtr((hi - pts) / s) - ndtr((lo - pts) / s)
            prob = np.where(sig > 0, smooth, sharp)
            out[:, b] = prob @ w / 2.0
    return out


def radiative_distributions(
    detector,
    m_N,
    mu,
    nature="dirac",
    flux=None,
    *,
    energy_edges=None,
    cos_edges=None,
    cos_method="quadrature",
    n_events=400_000,
    seed=0,
    form_factor="helm",
    decay_moments=None,
    daughter_masses=None,
    n_flux=256,
    n_flux_angle=32,
    n_cos_gauss=2,
    angle_step=0.2,
    **overrides,
):
    """Flux-folded photon-energy (true and smeared) and cos(theta_gamma) histograms of the coincidences.

    Parameters
    ----------
    detector, m_N, mu, nature, flux, form_factor, decay_moments, daughter_masses, **overrides
        As in :func:`radiative_rate` (``mu`` a single value, ``nature`` a single string).
    energy_edges : array_like, optional
        Photon-energy bin edges in MeV (default: 100 bins from 0 to the largest photon energy).
    cos_edges : array_like, optional
        cos(theta_gamma) bin edges in [-1, 1] (default: 40 bins).
    cos_method : {"quadrature", "mc", "none"}
        "quadrature": :func:`radcevns.radiative.photon_angle` at Gauss points in every bin (shape of
        every coincidence photon), scaled to the detected rate; exact when the acceptance does not
        depend on the photon energy, as for the default detector up to the window edges.  "mc":
        :func:`radcevns.radiative.generate` with ``n_events`` weighted events (``seed``), the
        acceptance applied per event.
    n_flux : int
        Flux nodes (default 256, more than for a rate: each node adds a photon box with sharp edges,
        and the histogram should not resolve them).
    n_flux_angle, n_cos_gauss : int
        Flux nodes and Gauss points per cos bin for photon_angle (the angular integral is the
        expensive part: about 0.1 s per cos point for CaWO4 with 32 flux nodes).  ``cos_method="none"``
        skips the angular histogram (``cos_counts`` is then all zeros).
    angle_step : float
        ``step`` of :func:`radcevns.radiative.photon_angle` (largest change of cos(theta_N) across a
        recoil panel).  0.2 reproduces its default 0.02 to 1e-9 for the coincidence selection (a 20 eV
        threshold) at 1/10 of the cost.

    Returns
    -------
    RadiativeDistributions
    """
    if not isinstance(nature, str):
        raise ValueError("nature must be a single string here ('dirac' or 'majorana')")
    det, m, natures, var, ex, fl = _prepare(
        detector, m_N, mu, nature, flux, decay_moments, daughter_masses, overrides
    )
    if var.mu.ndim:
        raise ValueError("mu must be a single value in radiative_distributions")
    nat = natures[0]
    mu_f = float(var.mu)
    if energy_edges is None:
        energy_edges = np.linspace(0.0, float(fl.e_max), 101)
    edges = as_array(energy_edges, "energy_edges", nonnegative=True)
    if edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError("energy_edges must be increasing bin edges (at least two)")
    if cos_edges is None:
        cos_edges = np.linspace(-1.0, 1.0, 41)
    cedges = as_array(cos_edges, "cos_edges")
    if cedges.ndim != 1 or cedges.size < 2 or np.any(np.diff(cedges) <= 0) or np.any(np.abs(cedges) > 1):
        raise ValueError("cos_edges must be increasing bin edges within [-1, 1]")
    if cos_method not in ("quadrature", "mc", "none"):
        raise ValueError(f"cos_method must be 'quadrature', 'mc' or 'none', got {cos_method!r}")

    fine = _photon_grid(det, fl, m, var.a_fac, extra=tuple(edges))
    need_pol = nat == "dirac"
    n, W, EN, PN, PL = _recoil_nodes(det, ex, fl, m, form_factor, need_pol, n_flux)
    ncell = fine.size - 1
    S0, S1, P = np.zeros((1, ncell + 1)), np.zeros((1, ncell + 1)), np.zeros((1, ncell))
    br = np.ascontiguousarray(var.brs[0])
    _cells_accumulate(n, W, EN, PN, PL, m, var.a_fac, br, var.alphas, var.kappas, fine, S0, S1, P)
    scale = var.prefs[0] * ex.seconds
    content = (
        np.cumsum(S0, axis=1)[:, :ncell] * np.diff(fine)
        + np.cumsum(S1, axis=1)[:, :ncell] * 0.5 * (fine[1:] ** 2 - fine[:-1] ** 2)
        + P
    )[0] * scale
    eff_bar = _cell_average(det.photon_efficiency_at, fine)
    detected_content = content * eff_bar
    # re-bin on the requested edges (they are nodes of the fine grid)
    idx = np.searchsorted(fine, edges)
    csum = np.concatenate([[0.0], np.cumsum(detected_content)])
    true_counts = csum[idx[1:]] - csum[idx[:-1]]
    smeared_counts = detected_content @ _smearing_matrix(det, fine, edges)
    rate_all = float(content.sum())
    rate_detected = (
        float(_rate_fast(det, m, var, ex, fl, form_factor, n_flux, (n, W, EN, PN, PL))[0]) * ex.seconds
    )
    widths = np.diff(fine)

    if cos_method == "quadrature":
        gx, gw = np.polynomial.legendre.leggauss(int(n_cos_gauss))
        cmid, chalf = 0.5 * (cedges[1:] + cedges[:-1]), 0.5 * np.diff(cedges)
        cpts = np.clip((cmid[:, None] + chalf[:, None] * gx[None, :]).ravel(), -1.0, 1.0)
        dens = np.zeros(cpts.size)
        for crystal in det.crystals:
            dens += crystal.n_units * np.asarray(
                radiative.photon_angle(
                    cpts,
                    fl,
                    m,
                    crystal.target,
                    mu_f,
                    nat,
                    L=det.decay_length_cm,
                    decay_moments=decay_moments,
                    daughter_masses=daughter_masses,
                    form_factor=form_factor,
                    recoil_threshold=det.recoil_threshold_MeV,
                    recoil_resolution=det.recoil_resolution_MeV,
                    n_flux=n_flux_angle,
                    step=angle_step,
                )
            )
        cos_counts = (dens.reshape(cmid.size, gx.size) @ gw) * chalf
        s = cos_counts.sum()
        cos_counts = cos_counts * (rate_detected / s) if s > 0 else cos_counts
    elif cos_method == "none":
        cos_counts = np.zeros(cedges.size - 1)
    else:
        cos_counts = np.zeros(cedges.size - 1)
        for crystal in det.crystals:
            ev = radiative.generate(
                int(n_events),
                fl,
                m,
                crystal.target,
                mu_f,
                nat,
                L=det.decay_length_cm,
                seed=seed,
                decay_moments=decay_moments,
                daughter_masses=daughter_masses,
                form_factor=form_factor,
                recoil_threshold=det.recoil_threshold_MeV,
                recoil_resolution=det.recoil_resolution_MeV,
            )
            if ev.size == 0:
                continue
            wts = ev["weight"] * np.asarray(det.photon_acceptance(np.maximum(ev["p_gamma"][:, 0], 0.0)))
            h, _ = np.histogram(ev["cos_theta_gamma"], bins=cedges, weights=wts)
            cos_counts += h * crystal.n_units * ex.seconds
    return RadiativeDistributions(
        nature=nat,
        energy_edges=edges,
        true_counts=true_counts,
        smeared_counts=smeared_counts,
        fine_energy=0.5 * (fine[1:] + fine[:-1]),
        fine_true_density=detected_content / widths,
        fine_all_density=content / widths,
        rate_all=rate_all,
        rate_detected=rate_detected,
        cos_edges=cedges,
        cos_counts=cos_counts,
        cos_method=cos_method,
    )
