"""Radiative coincidences at a detector: nu A -> (N -> nu gamma) A with the recoil and the photon seen.

The rate of detected coincidences (P. D. Bolton, F. F. Deppisch, K. Fridell, J. Harz, C. Hati,
S. Kulkarni, arXiv:2110.02233, Phys. Rev. D 106 (2022) 035036) is

.. math::
    \\begin{aligned}
    R_\\gamma = {} & t\\sum_T n_T\\int dE_\\nu\\,\\Phi\\int dE_R\\,
        \\frac{d\\sigma_T}{dE_R}\\,\\epsilon_R(E_R) \\\\
        & \\times P_{\\rm dec}(p_N; L)\\,\\mathrm{BR}
        \\int dE_\\gamma\\,f(E_\\gamma)\\,A(E_\\gamma),
    \\end{aligned}

with ``epsilon_R`` the (Gaussian-smeared) recoil threshold, ``P_dec = 1 - exp(-L / lambda_N)`` the
exact probability that N decays within the decay region of length ``L`` (``decay_length_cm``),
``f`` the lab photon-energy distribution of the decay, a box on ``[a (E_N - p_N), a (E_N + p_N)]``
(``a = E*/m_N``) that is flat for a Majorana N and tilted by ``-P_L`` for a Dirac N (chapter 03 of
the book derives it), and ``A`` the photon acceptance of the detector.

How it is computed
------------------
The (E_nu, E_R) nodes come from :func:`radcevns.quadrature.recoil_nodes` (built once per mass and
shared by every moment, nature and decay channel); at every node the photon box is integrated
against the acceptance tables of :class:`radcevns.acceptance.PhotonAcceptance` with two look-ups,
``I0 + alpha P_L (I1 - a E_N I0) / (a p_N)``. ``method="grid"`` of :func:`radiative_rate` instead
integrates :func:`radcevns.radiative.photon_spectrum_folded` on a fine photon-energy grid: slower,
the independent check of the fast path. :class:`RadiativeYield` keeps the nodes and the
detected-photon weight of every node for one mass, so that the rate at any moment is one cheap sum
(used by :mod:`radcevns.sensitivity` and :mod:`radcevns.discrimination`).

Conventions: convention A, ``L = (mu/2) nubar sigma^{ab} N F_ab + h.c.``, ``mu`` in Bohr magnetons,
``Gamma_Dirac(N -> nu gamma) = mu^2 m_N^3 / (16 pi)``, a Majorana N twice that. Units: MeV, cm,
cm^2, s; rates are events per calendar day for the whole detector (``x 86400 s x reactor_duty x
live_fraction``). The default flux is :func:`radcevns.flux.chooz` (NUCLEUS Very-Near-Site).

Not included: N produced outside the target crystals (shielding, cryostat, the veto itself) that
decays in view, and N -> nu e+ e- (BR < 1e-3).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numba import njit
from scipy.special import ndtr

from ._validate import (
    MAX_ENERGY_MEV,
    MAX_EVENTS,
    MAX_MOMENT_MU_B,
    as_array,
    as_bool,
    as_choice,
    as_edges,
    as_float,
    as_int,
    as_nature,
    as_nodes,
    scalar_or_array,
)
from .acceptance import PhotonAcceptance, box_kernel, cell_index_kernel
from .constants import ALPHA, HBARC_MEV_CM, MEV2_TO_CM2, MU_B_PER_MEV
from .decay import decay_probability_kernel
from .decay import width as decay_width
from .detector import Detector
from .flux import Flux
from .quadrature import DEFAULT_N_FLUX, as_flux, exposure, flux_nodes, recoil_nodes
from .radiative import generate_folded, photon_angle_folded, photon_spectrum_folded

__all__ = [
    "RadiativeDistributions",
    "RadiativeYield",
    "mean_decay_probability",
    "radiative_counts",
    "radiative_distributions",
    "radiative_rate",
    "radiative_rate_table",
]


@njit(cache=True, nogil=True, error_model="numpy")
def _rate_accumulate(n, W, EN, PN, PL, m, a_fac, br, alphas, kappas, edges, AL, slope, C0, C1, out):
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
            I0, centred = box_kernel(edges, AL, slope, C0, C1, a, m, E_N, p)
            base = w * br[c] / (2.0 * a * p)
            for v in range(alphas.shape[0]):
                pd = decay_probability_kernel(kappas[v], p)
                if pd == 0.0:
                    continue
                out[v] += base * pd * (I0 + alphas[v] * PL[i] * centred / (a * p))


@njit(cache=True, nogil=True, error_model="numpy")
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
            i0 = cell_index_kernel(edges, elo)
            i1 = cell_index_kernel(edges, ehi)
            base = w * br[c] / (2.0 * a * p)
            for v in range(alphas.shape[0]):
                pd = decay_probability_kernel(kappas[v], p)
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


def _decay_channels(m, mu_values, nature, decay_moments, daughter_masses):
    """Per-channel a = E*/m, branching ratios and total widths (one per mu) for ``nature``."""
    if decay_moments is not None and (not isinstance(decay_moments, Mapping) or not decay_moments):
        raise ValueError("decay_moments must be a non-empty mapping {channel: moment in mu_B}")
    daughters = dict(daughter_masses or {})
    keys = ("e",) if decay_moments is None else tuple(decay_moments)
    unknown = set(daughters) - set(keys)
    if unknown:
        raise ValueError(f"daughter_masses has channels not in decay_moments: {sorted(unknown)}")
    md = np.array([as_float(daughters.get(k, 0.0), "daughter_masses", nonnegative=True) for k in keys])
    a_fac = np.where(md < m, 0.5 * (1.0 - (md / m) ** 2), 0.0)
    widths = np.empty((mu_values.size, len(keys)))
    for i, mu in enumerate(mu_values):
        for c, key in enumerate(keys):
            moment = (
                mu
                if decay_moments is None
                else as_float(decay_moments[key], "decay_moments", nonnegative=True)
            )
            widths[i, c] = float(decay_width(m, moment, nature=nature, daughter_mass=md[c]))
    total = widths.sum(axis=1)
    br = np.divide(widths, total[:, None], out=np.zeros_like(widths), where=total[:, None] > 0)
    return np.ascontiguousarray(a_fac), br, total


_ALPHA_GAMMA = {"dirac": -1.0, "majorana": 0.0}


def _natures(nature, name="nature"):
    if isinstance(nature, str):
        return (as_nature(nature),)
    if not isinstance(nature, list | tuple):
        raise TypeError(f"{name} must be 'dirac', 'majorana' or a list/tuple of them, got {nature!r:.60}")
    out = tuple(as_nature(n) for n in nature)
    if not out:
        raise ValueError(f"{name} must be 'dirac', 'majorana' or a non-empty sequence of them")
    return out


class _Variants:
    """The (nature, mu) combinations sharing one set of recoil nodes (internal)."""

    def __init__(self, m, mu, natures, L, decay_moments, daughter_masses):
        self.mu = as_array(mu, "mu", nonnegative=True, maximum=MAX_MOMENT_MU_B)
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


def _acceptance(det, flux, m, a_fac, extra=()):
    """Acceptance tables on the photon grid up to the largest photon energy of the flux."""
    top = float(flux.e_max) * (1.0 + 1e-9)
    return PhotonAcceptance.of_detector(det, top, (*(a * m for a in a_fac if a > 0), *extra))


def _cell_average(func, edges, n=4):
    """Average of ``func`` over each cell with n-point Gauss-Legendre."""
    x, w = np.polynomial.legendre.leggauss(n)
    mid = 0.5 * (edges[1:] + edges[:-1])
    half = 0.5 * np.diff(edges)
    pts = mid[:, None] + half[:, None] * x[None, :]
    vals = np.asarray(func(pts.ravel()), dtype=np.float64).reshape(pts.shape)
    return vals @ w / 2.0


def _split_overrides(overrides):
    """Detector-field overrides (anything else is an error)."""
    from dataclasses import fields

    names = {f.name for f in fields(Detector)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise ValueError(f"unknown keyword(s) {unknown}: not a Detector field ({sorted(names)})")
    return overrides


def _check_detector(detector):
    if not isinstance(detector, Detector):
        raise TypeError(f"detector must be a radcevns.detector.Detector, got {type(detector).__name__}")
    return detector


def _prepare(m_N, detector, mu, nature, flux, decay_moments, daughter_masses, overrides):
    det = _check_detector(detector)
    det = det.replace(**_split_overrides(overrides)) if overrides else det
    m = as_float(m_N, "m_N", positive=True, maximum=MAX_ENERGY_MEV)
    natures = _natures(nature)
    var = _Variants(m, mu, natures, det.decay_length_cm, decay_moments, daughter_masses)
    return det, m, natures, var, exposure(det), as_flux(flux)


def radiative_rate(
    m_N: float,
    detector: Detector,
    mu,
    *,
    nature="dirac",
    flux=None,
    form_factor: str = "helm",
    decay_moments=None,
    daughter_masses=None,
    method="fast",
    n_flux: int = DEFAULT_N_FLUX,
    **overrides,
):
    """Detected radiative coincidences per calendar day: recoil above threshold + photon seen.

    Parameters
    ----------
    m_N : float
        Sterile-neutrino mass in MeV.
    detector : Detector
        Target crystals, recoil threshold/resolution, decay region, photon window/efficiency/
        resolution, live fraction and reactor duty.
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
        (as in :func:`radcevns.radiative.photon_spectrum`). Default: one channel, ``{"e": mu}``.
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

    Examples
    --------
    Detected coincidences per day at NUCLEUS-10g for a Dirac N of 1 MeV and ``mu = 1e-7`` mu_B:

    >>> from radcevns import coincidences, detector
    >>> rate = coincidences.radiative_rate(1.0, detector.nucleus_10g(), 1e-7)
    >>> f"{rate:.3e} per day"
    '2.081e-02 per day'
    """
    method = as_choice(method, "method", ("fast", "grid"))
    n_flux = as_nodes(n_flux, "n_flux")
    det, m, natures, var, ex, fl = _prepare(
        m_N,
        detector,
        mu=mu,
        nature=nature,
        flux=flux,
        decay_moments=decay_moments,
        daughter_masses=daughter_masses,
        overrides=overrides,
    )
    if method == "fast":
        rates = _rate_fast(det, m, var, fl, form_factor, n_flux)
    elif method == "grid":
        rates = _rate_grid(det, m, natures, var, ex, fl, form_factor, n_flux, decay_moments, daughter_masses)
    else:
        raise ValueError(f"method must be 'fast' or 'grid', got {method!r}")
    out = rates.reshape(var.shape) * ex.seconds
    if isinstance(nature, str):
        out = out[0]
    return scalar_or_array(out)


def _rate_fast(det, m, var, fl, form_factor, n_flux, nodes=None):
    """Rates (s^-1, per variant) with the analytic photon-box integral at every recoil node (internal)."""
    need_pol = bool(np.any(var.alphas != 0.0))
    if nodes is None:
        nodes = recoil_nodes(m, det, flux=fl, form_factor=form_factor, polarisation=need_pol, n_flux=n_flux)
    tables = _acceptance(det, fl, m, var.a_fac).tables()
    out = np.zeros(var.alphas.size)
    for br_tuple, idx in var.groups.items():
        idx = np.array(idx)
        part = np.zeros(idx.size)
        args = (var.a_fac, np.array(br_tuple), var.alphas[idx], var.kappas[idx], *tables, part)
        _rate_accumulate(nodes.n, nodes.weight, nodes.E_N, nodes.p_N, nodes.P_L, m, *args)
        out[idx] = part
    return out * var.prefs


class _FixedNodes(Flux):
    """A flux whose quadrature is a fixed set of nodes: hands the nodes of :func:`flux_nodes` to the
    flux-folded functions of :mod:`radcevns.radiative` (only their ``quadrature`` is used)."""

    def __init__(self, E, w, e_min, e_max):
        self._E, self._w = E, w
        self.e_min, self.e_max = e_min, e_max

    def _evaluate(self, E):  # pragma: no cover - never called: only the quadrature is used
        raise NotImplementedError("_FixedNodes only provides quadrature nodes")

    def quadrature(self, n=None, e_min=None, e_max=None):
        return self._E, self._w


def _rate_grid(
    det, m, natures, var, ex, fl, form_factor, n_flux, decay_moments, daughter_masses, n_grid=4000
):
    """Reference path: radiative.photon_spectrum on a fine grid x acceptance, integrated (internal)."""
    Es, Ews = flux_nodes(fl, m, ex.Z, ex.M, det.recoil_threshold_MeV, ex.recoil_resolution_MeV, n_flux)
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
                spec = photon_spectrum_folded(
                    Eg,
                    m,
                    crystal.target,
                    mu_i,
                    flux=nodes,
                    nature=nat,
                    decay_length_cm=det.decay_length_cm,
                    decay_moments=decay_moments,
                    daughter_masses=daughter_masses,
                    form_factor=form_factor,
                    recoil_threshold_MeV=det.recoil_threshold_MeV,
                    recoil_resolution_MeV=det.recoil_resolution_MeV,
                )
                total += crystal.n_units * float(np.sum(spec * wg))
            out[v] = total
            v += 1
    return out


def radiative_counts(m_N: float, detector: Detector, mu, *, nature="dirac", flux=None, **kwargs):
    """Expected radiative coincidences in the detector's exposure: ``radiative_rate x exposure_days``.

    Arguments as in :func:`radiative_rate`; detector fields among ``kwargs`` override the detector's.
    """
    det = _check_detector(detector)
    det = det.replace(**{k: kwargs.pop(k) for k in list(kwargs) if k in Detector.__dataclass_fields__})
    return scalar_or_array(
        np.asarray(radiative_rate(m_N, det, mu, nature=nature, flux=flux, **kwargs)) * det.exposure_days
    )


def radiative_rate_table(
    m_N,
    detector: Detector,
    mu,
    *,
    natures=("dirac", "majorana"),
    flux=None,
    form_factor: str = "helm",
    decay_moments=None,
    daughter_masses=None,
    n_flux: int = DEFAULT_N_FLUX,
    n_threads: int | None = None,
    **overrides,
):
    """Radiative coincidence rates (events per calendar day) for many masses, in parallel threads.

    Returns an array of shape ``(len(m_N), len(natures), *mu.shape)``; the numba kernels release the
    GIL, so ``n_threads`` (default: numba's thread count or ``os.cpu_count()``) masses run at once.
    """
    masses = as_array(m_N, "m_N", positive=True, maximum=MAX_ENERGY_MEV).ravel()
    natures = _natures(natures, "natures")
    det = _check_detector(detector)
    det = det.replace(**_split_overrides(overrides)) if overrides else det
    ex = exposure(det)
    fl = as_flux(flux)
    mu_arr = as_array(mu, "mu", nonnegative=True, maximum=MAX_MOMENT_MU_B)
    n_flux = as_nodes(n_flux, "n_flux")
    if n_threads is not None:
        n_threads = as_int(n_threads, "n_threads", minimum=1, maximum=1024)
    if masses.size == 0:  # no masses: an empty table of the documented shape
        return np.zeros((0, len(natures), *mu_arr.shape))

    def one(m):
        var = _Variants(float(m), mu_arr, natures, det.decay_length_cm, decay_moments, daughter_masses)
        return _rate_fast(det, float(m), var, fl, form_factor, n_flux).reshape(var.shape)

    if n_threads is None:
        try:
            import numba

            n_threads = numba.get_num_threads()
        except Exception:  # pragma: no cover
            n_threads = os.cpu_count() or 1
    n_threads = max(1, n_threads)
    if n_threads == 1 or masses.size == 1:
        rows = [one(m) for m in masses]
    else:
        one(masses[0])  # compile / load the kernels once before the threads start
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            rows = list(pool.map(one, masses))
    return np.stack(rows) * ex.seconds


def mean_decay_probability(m_N: float, detector: Detector, mu, *, nature="dirac", flux=None, **kwargs):
    """Rate-weighted mean probability that N decays within the decay region.

    ``radiative_rate(L) / radiative_rate(L = inf)`` for the detector's acceptance (the decay-region
    penalty; ``~ L m_N Gamma / p_N`` while N is long-lived).
    """
    full = radiative_rate(m_N, detector, mu, nature=nature, flux=flux, **{**kwargs, "decay_length_cm": None})
    part = radiative_rate(m_N, detector, mu, nature=nature, flux=flux, **kwargs)
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
    m_N: float,
    detector: Detector,
    mu: float,
    *,
    nature: str = "dirac",
    flux=None,
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
    m_N, detector, mu, nature, flux, form_factor, decay_moments, daughter_masses, **overrides
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
        raise TypeError("nature must be a single string here ('dirac' or 'majorana')")
    cos_method = as_choice(cos_method, "cos_method", ("quadrature", "mc", "none"))
    n_events = as_int(n_events, "n_events", minimum=0, maximum=MAX_EVENTS)
    n_flux = as_nodes(n_flux, "n_flux")
    n_flux_angle = as_nodes(n_flux_angle, "n_flux_angle")
    n_cos_gauss = as_nodes(n_cos_gauss, "n_cos_gauss", maximum=1000)
    angle_step = as_float(angle_step, "angle_step", minimum=1e-4, maximum=2.0)
    det, m, natures, var, ex, fl = _prepare(
        m_N, detector, mu, nature, flux, decay_moments, daughter_masses, overrides
    )
    if var.mu.ndim:
        raise ValueError("mu must be a single value in radiative_distributions")
    nat = natures[0]
    mu_f = float(var.mu)
    if energy_edges is None:
        energy_edges = np.linspace(0.0, float(fl.e_max), 101)
    edges = as_edges(energy_edges, "energy_edges", minimum=0.0, maximum=MAX_ENERGY_MEV)
    if cos_edges is None:
        cos_edges = np.linspace(-1.0, 1.0, 41)
    cedges = as_edges(cos_edges, "cos_edges", minimum=-1.0, maximum=1.0)

    fine = _acceptance(det, fl, m, var.a_fac, extra=tuple(edges)).edges
    need_pol = nat == "dirac"
    nodes = recoil_nodes(m, det, flux=fl, form_factor=form_factor, polarisation=need_pol, n_flux=n_flux)
    n, W, EN, PN, PL = nodes.n, nodes.weight, nodes.E_N, nodes.p_N, nodes.P_L
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
    rate_detected = float(_rate_fast(det, m, var, fl, form_factor, n_flux, nodes)[0]) * ex.seconds
    widths = np.diff(fine)

    if cos_method == "quadrature":
        gx, gw = np.polynomial.legendre.leggauss(int(n_cos_gauss))
        cmid, chalf = 0.5 * (cedges[1:] + cedges[:-1]), 0.5 * np.diff(cedges)
        cpts = np.clip((cmid[:, None] + chalf[:, None] * gx[None, :]).ravel(), -1.0, 1.0)
        dens = np.zeros(cpts.size)
        for crystal in det.crystals:
            dens += crystal.n_units * np.asarray(
                photon_angle_folded(
                    cpts,
                    m,
                    crystal.target,
                    mu_f,
                    flux=fl,
                    nature=nat,
                    decay_length_cm=det.decay_length_cm,
                    decay_moments=decay_moments,
                    daughter_masses=daughter_masses,
                    form_factor=form_factor,
                    recoil_threshold_MeV=det.recoil_threshold_MeV,
                    recoil_resolution_MeV=det.recoil_resolution_MeV,
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
            ev = generate_folded(
                int(n_events),
                m,
                crystal.target,
                mu_f,
                flux=fl,
                nature=nat,
                decay_length_cm=det.decay_length_cm,
                seed=seed,
                decay_moments=decay_moments,
                daughter_masses=daughter_masses,
                form_factor=form_factor,
                recoil_threshold_MeV=det.recoil_threshold_MeV,
                recoil_resolution_MeV=det.recoil_resolution_MeV,
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


@njit(cache=True, nogil=True, error_model="numpy")
def _node_photon_yields(n, W, EN, PN, PL, m, a, alphas, edges, AL, slope, C0, C1, out):
    """Detected-photon weight of every recoil node for one decay channel, without the decay probability.

    The photon box at a node spans ``[a (E_N - p_N), a (E_N + p_N)]`` with density
    ``[1 + alpha P_L (E/a - E_N) / p_N] / (2 a p_N)`` (``a = E*/m_N``); its integral against the
    acceptance is ``[I0 + alpha P_L (I1 - a E_N I0) / (a p_N)] / (2 a p_N)``. One row of ``out`` per
    entry of ``alphas`` (the natures): the acceptance integrals are shared.
    """
    for i in range(n):
        for v in range(alphas.shape[0]):
            out[v, i] = 0.0
        w = W[i]
        if w == 0.0 or a <= 0.0:
            continue
        E_N = EN[i]
        p = PN[i]
        I0, centred = box_kernel(edges, AL, slope, C0, C1, a, m, E_N, p)
        base = w / (2.0 * a * p)
        for v in range(alphas.shape[0]):
            out[v, i] = base * (I0 + alphas[v] * PL[i] * centred / (a * p))


@njit(cache=True, nogil=True, error_model="numpy")
def _decay_weighted_sum(J, PN, kappa):
    """sum_i J_i (1 - exp(-kappa / p_i)); kappa = inf means every N decays."""
    total = 0.0
    if math.isinf(kappa):
        for i in range(J.shape[0]):
            total += J[i]
        return total
    for i in range(J.shape[0]):
        if J[i] != 0.0:
            total += J[i] * -math.expm1(-kappa / PN[i])
    return total


class RadiativeYield:
    """Detected radiative coincidences per calendar day as a function of the moment, for one mass.

    Semi-analytic in mu: the flux and recoil quadrature nodes of :mod:`radcevns.rates` (Primakoff
    weights, N momenta ``p_i`` and polarisations) are built once, and so is the detected-photon weight
    ``J_ci`` of every node and decay channel ``c`` (the photon box integrated against the detector
    acceptance). The rate at any moment is then

        R(mu) = alpha mu^2 x sum_c BR_c(mu) sum_i J_ci [1 - exp(-kappa(mu) / p_i)],

    ``kappa = L m_N Gamma_total(mu) / (hbar c)``: the exact decay probability, no approximation in mu.
    Checked against :func:`radiative_rate` in the tests.

    Parameters
    ----------
    m_N : float
        Sterile-neutrino mass in MeV.
    detector : Detector
    natures : sequence of {"dirac", "majorana"}
    flux : Flux, optional
        Default :func:`radcevns.flux.chooz`.
    extra_decay_moment : float, optional
        Adds a decay channel ``"x"`` with this fixed moment (mu_B) and daughter mass
        ``extra_daughter_mass`` (MeV) to the decay through the production moment itself (channel
        ``"e"``, dropped with ``production_channel=False``).
    form_factor : {"helm", "klein-nystrand", "none"}
    """

    def __init__(
        self,
        m_N: float,
        detector: Detector,
        natures=("dirac", "majorana"),
        *,
        flux=None,
        extra_decay_moment: float | None = None,
        extra_daughter_mass: float = 0.0,
        form_factor: str = "helm",
        production_channel: bool = True,
    ):
        det = _check_detector(detector)
        natures = _natures(natures, "natures")
        m_N = as_float(m_N, "m_N", positive=True, maximum=MAX_ENERGY_MEV)
        if extra_decay_moment is not None:
            extra_decay_moment = as_float(
                extra_decay_moment, "extra_decay_moment", nonnegative=True, maximum=MAX_MOMENT_MU_B
            )
        extra_daughter_mass = as_float(
            extra_daughter_mass, "extra_daughter_mass", nonnegative=True, maximum=MAX_ENERGY_MEV
        )
        production_channel = as_bool(production_channel, "production_channel")
        decay_moment = extra_decay_moment
        self.det, self.m, self.natures = det, float(m_N), tuple(natures)
        self.flux = as_flux(flux)
        self.form_factor = form_factor
        self.decay_moment = decay_moment
        self.e_channel = bool(production_channel) or decay_moment is None
        self.daughter_mass = float(extra_daughter_mass)
        m = self.m
        # channels: (key, daughter mass); "e" decays through the production moment
        self.channels = []
        if self.e_channel:
            self.channels.append(("e", 0.0))
        if decay_moment is not None:
            self.channels.append(("x", self.daughter_mass))
        a_fac = [0.5 * (1.0 - (md / m) ** 2) if md < m else 0.0 for _, md in self.channels]
        self.seconds = exposure(det).seconds
        need_pol = "dirac" in self.natures
        nodes = recoil_nodes(m, det, flux=self.flux, form_factor=form_factor, polarisation=need_pol)
        n, W, EN, PN, PL = nodes.n, nodes.weight, nodes.E_N, nodes.p_N, nodes.P_L
        self.PN = np.ascontiguousarray(PN[:n])
        tables = _acceptance(det, self.flux, m, a_fac).tables()
        alphas = np.array([_ALPHA_GAMMA[nat] for nat in self.natures], dtype=np.float64)
        self.J = {nat: [] for nat in self.natures}
        for a in a_fac:
            J = np.empty((alphas.size, n))
            _node_photon_yields(n, W, EN, PN, PL, m, a, alphas, *tables, J)
            for v, nat in enumerate(self.natures):
                self.J[nat].append(np.ascontiguousarray(J[v]))

    def _widths(self, mu, nature):
        widths = []
        for key, md in self.channels:
            moment = mu if key == "e" else self.decay_moment
            widths.append(float(decay_width(self.m, moment, nature=nature, daughter_mass=md)))
        return widths

    def __call__(self, mu: float, nature: str) -> float:
        """Events per calendar day at production moment ``mu`` (mu_B) for ``nature``."""
        # no tight cap: the limit solvers widen their bracket beyond 1 mu_B; 1e50 keeps mu^4 finite
        mu = as_float(mu, "mu", nonnegative=True, maximum=1e50)
        nature = as_nature(nature)
        if nature not in self.J:
            raise ValueError(
                f"nature must be one of {self.natures} (the natures of this yield), got {nature!r}"
            )
        widths = self._widths(mu, nature)
        total = sum(widths)
        if not total > 0.0:
            return 0.0
        L = self.det.decay_length_cm
        kappa = math.inf if L is None else L * self.m * total / HBARC_MEV_CM
        acc = 0.0
        for J, width in zip(self.J[nature], widths, strict=True):
            if width > 0.0:
                acc += width / total * _decay_weighted_sum(J, self.PN, kappa)
        pref = ALPHA * (mu * MU_B_PER_MEV) ** 2 * MEV2_TO_CM2
        return float(acc * pref * self.seconds)
