"""Quadrature over the flux and the recoil energy: the nodes shared by every flux-folded rate.

A flux-folded rate of Primakoff upscattering at a detector is a double integral,

.. math::
    \\begin{aligned}
    R = {} & \\sum_T n_T \\int dE_\\nu\\, \\Phi(E_\\nu) \\\\
           & \\times \\int dE_R\\, \\frac{d\\sigma_T}{dE_R}\\, \\epsilon_R(E_R)\\, g(E_\\nu, E_R),
    \\end{aligned}

with ``g`` whatever the rate needs at each point (the decay probability and the photon acceptance
of the radiative coincidences, :mod:`radcevns.coincidences`). This module builds the nodes of that
integral once per mass, so that several rates (moments, natures, decay channels) share them:

* :func:`flux_nodes`: a product-integration rule in ``E_nu``. With ``E = a + (b - a) u^2`` (which
  makes the ``sqrt(E - a)`` onset at a production threshold analytic) the integrand without the flux
  is interpolated at Gauss-Legendre nodes in ``u`` and integrated exactly against the flux, whose
  tabulated spectra have kinks every 25 keV; the integral is split at every element's production
  threshold and where the recoil threshold opens. 64 nodes give 4e-5 (NUCLEUS) to 3e-4 (Ricochet, whose
  3 MeV photon window puts a kink into the integrand where the photon box crosses the window edge)
  relative to 1024 nodes; ``n_flux=256`` gives 5e-6.
* :func:`recoil_nodes`: Gauss-Legendre in ``ln E_R`` at every flux node and isotope, with panels
  split at the (smeared) recoil threshold, converged to 1e-7. Each node carries the weight
  ``Phi dE_nu x n_T x dsigma/dE_R dE_R x epsilon_R / (alpha mu^2)`` in natural units, the N energy
  and momentum, and its longitudinal polarisation: a :class:`RecoilNodes`.
* :func:`exposure`: the isotope tables of a target or of a detector's crystals with their weights
  (per kg of target, or per detector) and the seconds per day that turn s^-1 into events per day.

Units: MeV for energies and masses, cm for lengths; the node weights are in MeV^-2 x (cm^-2 s^-1)
x target units, to be multiplied by ``alpha mu^2`` (mu in MeV^-1) and :data:`radcevns.constants.MEV2_TO_CM2`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numba import njit
from scipy.special import erfc

from ._validate import MAX_ENERGY_MEV, as_array, as_float, as_nodes
from .constants import SECONDS_PER_DAY
from .detector import Detector, units_per_kg
from .flux import Flux, chooz
from .flux import as_flux as _wrap_flux
from .nuclear import form_factor_code, form_factor_radius_kernel, target_arrays
from .primakoff import (
    dsigma_in_range_kernel,
    emin_kernel,
    polarisation_in_range_kernel,
    recoil_range_kernel,
    threshold_kernel,
)

__all__ = [
    "DEFAULT_N_FLUX",
    "Exposure",
    "RecoilNodes",
    "as_flux",
    "exposure",
    "flux_nodes",
    "product_rule",
    "recoil_nodes",
]

#: Flux nodes (product integration above threshold) of the radiative rates: 4e-5 to 3e-4 relative
#: (see the module docstring; pass ``n_flux`` for more).
DEFAULT_N_FLUX = 64
#: Gauss-Legendre order and largest panel width in ln(E_R) of the recoil integral, and the lower order
#: of the narrow panels (no wider than _DU_NARROW, those between the break points of a smeared
#: threshold). Converged to 1e-7 relative in the radiative rates of every registry experiment (order
#: 8 everywhere and panels of 1.5 agree to that level), well below the error of the flux nodes.
_GL_R_X, _GL_R_W = np.polynomial.legendre.leggauss(8)
_DU_MAX = 3.0
_DU_NARROW = 0.7
_GL_RN_X, _GL_RN_W = np.polynomial.legendre.leggauss(6)
#: Uniform cells (two flux evaluations each) for the product-integration weights of the E_nu integral.
_FINE_FLUX_CELLS = 2048


def as_flux(flux) -> Flux:
    """The flux to fold with: ``None`` gives :func:`radcevns.flux.chooz` (NUCLEUS Very-Near-Site).

    A :class:`radcevns.flux.Flux` is returned as is; a callable ``f(E_MeV)`` with ``e_min`` and
    ``e_max`` attributes is wrapped (:func:`radcevns.flux.as_flux`); anything else raises
    ``TypeError``.
    """
    if flux is None:
        return chooz()
    if isinstance(flux, Flux):
        return flux
    if not callable(flux):
        raise TypeError(f"flux must be a radcevns.flux.Flux, a callable or None, got {type(flux).__name__}")
    try:
        return _wrap_flux(flux)
    except ValueError as exc:
        raise ValueError(f"flux must be a flux object from radcevns.flux or a callable: {exc}") from exc


@dataclass(frozen=True)
class Exposure:
    """Isotope tables merged over the crystals, and the factor to events per day.

    Attributes
    ----------
    Z, A, M : ndarray
        Charge, mass number and nuclear mass (MeV) of every isotope.
    weight : ndarray
        Target units (per kg of target, or per detector) times the isotope multiplicity.
    seconds : float
        Seconds per day: reactor-on seconds for a bare target, live seconds per calendar day
        (duty and live fraction) for a detector.
    recoil_resolution_MeV : float
        Gaussian recoil resolution (MeV) of the detector, or the one given.
    """

    Z: np.ndarray
    A: np.ndarray
    M: np.ndarray
    weight: np.ndarray
    seconds: float
    recoil_resolution_MeV: float


def exposure(detector_or_target, recoil_resolution_MeV: float | None = None) -> Exposure:
    """Isotope arrays, weights and seconds per day of a target (per kg) or a detector (whole).

    Parameters
    ----------
    detector_or_target : Detector, str, Nucleus, Element or Compound
        A target gives weights per kg and reactor-on seconds per day; a
        :class:`radcevns.detector.Detector` gives weights for its crystals and live seconds per
        calendar day.
    recoil_resolution_MeV : float, optional
        Overrides the detector's recoil resolution (default: the detector's, 0 for a target).
    """
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
    return Exposure(cat(Zs), cat(As), cat(Ms), cat(ws), seconds, rsig)


@lru_cache(maxsize=64)
def _gauss_barycentric(k):
    """Gauss-Legendre nodes on [-1, 1] with their barycentric interpolation weights."""
    x, _ = np.polynomial.legendre.leggauss(k)
    _, w = np.polynomial.legendre.leggauss(k)
    lam = (-1.0) ** np.arange(k) * np.sqrt((1.0 - x * x) * w)
    return x, lam


def product_rule(flux: Flux, a: float, b: float, k: int, n_cells: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of ``int_a^b Phi(E) g(E) dE ~ sum_i w_i g(E_i)`` (product integration).

    With ``E = a + (b - a) u^2`` (which makes the ``sqrt(E - a)`` onset of ``g`` at a production
    threshold analytic), ``g`` is replaced by its polynomial interpolant in ``u`` at the k
    Gauss-Legendre nodes of [0, 1] (smooth ``g``: spectral accuracy), and the weights
    ``w_i = int Phi l_i dE`` of the Lagrange basis ``l_i`` are computed with two-point Gauss-Legendre
    on ``n_cells`` uniform cells in ``u``.  The flux itself may be kinked or jump anywhere (tabulated
    spectra): it only enters through these fine integrals.
    """
    k = as_nodes(k, "k", maximum=1_000)
    n_cells = as_nodes(n_cells, "n_cells", maximum=10**6)
    nodes, E, jac, s = _product_points(a, b, k, n_cells)
    return nodes, _product_weights(k, s, np.asarray(flux(E), dtype=np.float64) * jac)


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


@njit(cache=True, nogil=True, error_model="numpy")
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


def flux_nodes(
    flux: Flux,
    m_N: float,
    Z: np.ndarray,
    M: np.ndarray,
    recoil_threshold_MeV: float,
    recoil_resolution_MeV: float,
    n_flux: int = DEFAULT_N_FLUX,
) -> tuple[np.ndarray, np.ndarray]:
    """Product-integration nodes in E_nu above the production threshold (see :func:`product_rule`).

    The E_nu integrand starts like ``sqrt(E - E_thr)`` at the production threshold of every element
    and has a kink (sharp recoil threshold) or a fast rise (smeared threshold, at ``threshold -+ 3
    rsig``) where the recoil threshold becomes reachable, ``E_nu^min(threshold)``; the integral is
    split at all of these (per element, with its heaviest isotope), each piece with the ``u^2``
    substitution of :func:`product_rule`.

    Parameters
    ----------
    flux : Flux
    m_N : float
        Sterile-neutrino mass in MeV.
    Z, M : ndarray
        Charges and nuclear masses (MeV) of the isotopes (:class:`Exposure`).
    recoil_threshold_MeV, recoil_resolution_MeV : float
        Recoil threshold and Gaussian resolution in MeV.
    n_flux : int
        Nodes in total, shared between the pieces in proportion to their length (at least 6 each).

    Returns
    -------
    (ndarray, ndarray)
        Energies (MeV) and weights (``Phi dE``, cm^-2 s^-1); one zero node if nothing is produced.
    """
    fl, m, rthr, rsig = flux, m_N, recoil_threshold_MeV, recoil_resolution_MeV
    n_flux = as_nodes(n_flux, "n_flux")
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


@njit(cache=True, error_model="numpy")
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


@njit(cache=True, error_model="numpy")
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


@njit(cache=True, nogil=True, error_model="numpy")
def _count_recoil_nodes(Es, Ews, m, M, rthr, rsig, du_max, du_narrow, ngl, ngl_narrow):
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
                npan = max(1, int(math.ceil(du / du_max)))
                n += npan * (ngl_narrow if du / npan <= du_narrow else ngl)
    return n


@njit(cache=True, nogil=True, error_model="numpy")
def _fill_recoil_nodes(Es, Ews, m, Z, A, M, wiso, ff, rthr, rsig, need_pol, panels, out):
    """Weights ``Phi dE x n_T x dsigma/dE_R dE_R x eps_R`` / (alpha mu^2), E_N, p_N, P_L, E_R per node.

    ``panels = (du_max, du_narrow, (gx, gw), (gx_narrow, gw_narrow))``: panels no wider than
    ``du_max`` in ``ln E_R``; those no wider than ``du_narrow`` (the ones between the break points
    around a smeared threshold) get the lower-order rule. ``out = (W, EN, PN, PL, ER)`` is filled.
    """
    du_max, du_narrow, (gx_wide, gw_wide), (gx_narrow, gw_narrow) = panels
    W, EN, PN, PL, ER = out
    i = 0
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
                narrow = (u1 - u0) / npan <= du_narrow
                gx = gx_narrow if narrow else gx_wide
                gw = gw_narrow if narrow else gw_wide
                for q in range(npan):
                    v0 = u0 + (u1 - u0) * q / npan
                    v1 = u0 + (u1 - u0) * (q + 1) / npan
                    half = 0.5 * (v1 - v0)
                    mid = 0.5 * (v1 + v0)
                    for g in range(gx.shape[0]):
                        R = math.exp(mid + half * gx[g])
                        if rsig > 0.0:
                            z = (rthr - R) / (math.sqrt(2.0) * rsig)
                            # erfc(z) rounds to exactly 2 below z = -6 (erfc(6) = 2e-17)
                            eff = 1.0 if z < -6.0 else 0.5 * math.erfc(z)
                        else:
                            eff = 1.0 if R >= rthr else 0.0
                        E_N = E - R
                        p2 = E_N * E_N - m * m
                        ER[i] = R
                        W[i] = 0.0
                        EN[i] = E_N
                        PN[i] = 1.0
                        PL[i] = 0.0
                        if eff > 0.0 and p2 > 0.0:
                            ds = dsigma_in_range_kernel(E, R, m, Z[j], M[j], lo_k, hi_k, radius, ff)
                            W[i] = Ews[k] * wiso[j] * gw[g] * half * R * eff * ds
                            PN[i] = math.sqrt(p2)
                            if need_pol and W[i] != 0.0:
                                PL[i] = polarisation_in_range_kernel(E, R, m, M[j], lo_k, hi_k)[0]
                        i += 1
    return i


@dataclass(frozen=True)
class RecoilNodes:
    """Quadrature nodes of the (E_nu, E_R) integral for one mass and one detector.

    Attributes
    ----------
    n : int
        Number of nodes.
    weight : ndarray
        ``Phi dE_nu x n_T x dsigma/dE_R dE_R x epsilon_R / (alpha mu^2)`` at every node (natural
        units, see the module docstring); 0 where the recoil is below threshold or N cannot be made.
    E_N, p_N : ndarray
        Energy and momentum of N in MeV.
    P_L : ndarray
        Longitudinal polarisation of N (only filled when asked for; zeros otherwise).
    E_R : ndarray or None
        Recoil energy (MeV) of every node.
    """

    n: int
    weight: np.ndarray
    E_N: np.ndarray
    p_N: np.ndarray
    P_L: np.ndarray
    E_R: np.ndarray | None = None


def recoil_nodes(
    m_N: float,
    detector: Detector,
    *,
    flux=None,
    form_factor: str = "helm",
    polarisation: bool = True,
    n_flux: int = DEFAULT_N_FLUX,
    energy_nodes: tuple[np.ndarray, np.ndarray] | None = None,
) -> RecoilNodes:
    """Flux and recoil nodes of a detector for one mass (see the module docstring).

    Parameters
    ----------
    m_N : float
        Sterile-neutrino mass in MeV.
    detector : Detector
        Its crystals, recoil threshold and resolution are used.  With a non-trivial
        :class:`radcevns.detector.Readout` (ionisation, efficiency curve) the threshold is given in
        observed energy: the nodes are laid out with the recoil-equivalent threshold and resolution
        and the efficiency at each node is the exact :meth:`Readout.acceptance` of its recoil.
    flux : Flux, optional
        Default :func:`radcevns.flux.chooz`.
    form_factor : {"helm", "klein-nystrand", "none"}
    polarisation : bool
        Fill :attr:`RecoilNodes.P_L` (needed for a Dirac N).
    n_flux : int
        Flux nodes (:func:`flux_nodes`).
    energy_nodes : (ndarray, ndarray), optional
        Use these flux nodes and weights instead.
    """
    m = as_float(m_N, "m_N", nonnegative=True, maximum=MAX_ENERGY_MEV)
    n_flux = as_nodes(n_flux, "n_flux")
    ex = exposure(detector)
    fl = as_flux(flux)
    rthr = detector.recoil_threshold_MeV
    Es, Ews = (
        flux_nodes(fl, m, ex.Z, ex.M, rthr, ex.recoil_resolution_MeV, n_flux)
        if energy_nodes is None
        else energy_nodes
    )
    ff = form_factor_code(form_factor)
    rsig = ex.recoil_resolution_MeV
    n = _count_recoil_nodes(Es, Ews, m, ex.M, rthr, rsig, _DU_MAX, _DU_NARROW, _GL_R_X.size, _GL_RN_X.size)
    W, EN, PN, PL, ER = (np.empty(n) for _ in range(5))
    panels = (_DU_MAX, _DU_NARROW, (_GL_R_X, _GL_R_W), (_GL_RN_X, _GL_RN_W))
    out = (W, EN, PN, PL, ER)
    _fill_recoil_nodes(
        Es, Ews, m, ex.Z, ex.A, ex.M, ex.weight, ff, rthr, rsig, bool(polarisation), panels, out
    )
    readout = detector.observed_readout
    if readout is not None:
        # replace the Gaussian threshold in recoil energy by the exact observed-energy acceptance
        if rsig > 0.0:
            kernel_eff = 0.5 * erfc((rthr - ER) / (math.sqrt(2.0) * rsig))
        else:
            kernel_eff = (ER >= rthr).astype(np.float64)
        ok = (W != 0.0) & (kernel_eff > 0.0)
        W = np.where(ok, W * np.asarray(readout.acceptance(ER)) / np.where(ok, kernel_eff, 1.0), 0.0)
    return RecoilNodes(n, W, EN, PN, PL, ER)
