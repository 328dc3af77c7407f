"""Expected exclusion limits on the transition moment mu_{nu_e N} versus m_N.

Two signatures of a transition magnetic moment at a reactor CEvNS experiment:

* **Primakoff** (``mode="primakoff"``): nu A -> N A with the N escaping. The recoil spectrum above
  threshold (:func:`radcevns.rates.primakoff_spectrum`) is fitted with SM CEvNS plus a flat
  background (binned Poisson likelihood of :mod:`radcevns.statistics`); the signal scales exactly
  as mu^2.
* **Radiative** (``mode="radiative"``): the N decays, N -> nu gamma, within the decay region and the
  photon is seen by the veto in coincidence with the recoil (:mod:`radcevns.coincidences`). The
  signal scales as ``mu_prod^2 x P_dec(mu_dec)`` with ``P_dec = 1 - exp(-L / lambda_N)``,
  ``lambda_N ~ 1/mu_dec^2``: mu^4 while the N is long-lived, mu^2 once every N decays inside the
  region. The background is accidental coincidences (:mod:`radcevns.backgrounds`); the limit is the
  Poisson counting limit at the Asimov count.

The idea and the NUCLEUS setting are those of P. D. Bolton, F. F. Deppisch, K. Fridell, J. Harz,
C. Hati and S. Kulkarni, arXiv:2110.02233, Phys. Rev. D 106 (2022) 035036.

Convention A throughout: ``L = (mu/2) nubar_L sigma^{ab} N_R F_ab + h.c.``, mu in Bohr magnetons,
``Gamma_Dirac(N -> nu gamma) = mu^2 m_N^3 / (16 pi)`` and a Majorana N twice that. The Primakoff
limit does not depend on the nature of N (production is identical); the radiative one does, through
the width (Majorana: twice the decay probability while long-lived).

Root finding: the limit in mu is solved for with Brent's method per mass, on the exact mu
dependence, never on a grid. Primakoff: the signal template at a reference mu scales as mu^2, so the
root is found in the signal strength. Radiative: :class:`radcevns.coincidences.RadiativeYield`
builds the flux and recoil nodes and the detected-photon yield of every node once per mass; the
rate at any moment is then one cheap sum with the exact decay probability, and ``brentq`` on
``ln mu`` starts from the long-lived estimate (rate ~ mu^4).

Products of couplings (radiative mode): production needs mu_{e N}; the decay can go through any
moment of N: ``mu_{beta N}`` (another active flavour) or ``mu_{N N'}`` (a lighter sterile N').
:func:`limit` with ``extra_decay_moment`` (and ``extra_daughter_mass``) gives the exact limit on
mu_{e N} for a fixed second moment; while N is long-lived and the second channel dominates the
width the signal depends on the product only, and :func:`product_limit` gives the limit on
``mu_{e N} x mu_{x N}``.

The background assumptions are the keywords of :class:`radcevns.backgrounds.BackgroundModel`
(flat recoil background, its uncertainty, the recoil window, the veto rate and the coincidence
window), passed to :func:`limit` as ``**background``.

Units: MeV, cm, seconds, exposures in kg yr, mu in Bohr magnetons.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtr

from ._validate import MAX_ENERGY_MEV, as_array, as_int, as_nature, scalar_or_array
from .backgrounds import accidental_rate, background_model, check_detector, live_days
from .coincidences import RadiativeYield
from .detector import Detector
from .quadrature import as_flux
from .rates import cevns_spectrum, primakoff_spectrum
from .statistics import DEFAULT_CL, binned_upper_limit, check_cl, poisson_upper_limit

__all__ = ["MODES", "limit", "limit_curve", "product_limit"]

#: Modes understood by :func:`limit`.
MODES = ("primakoff", "radiative")
#: Moment (mu_B) at which signal templates are evaluated: every N is long-lived there.
_MU_REF = 1e-13

_GL4_X, _GL4_W = np.polynomial.legendre.leggauss(4)


# --------------------------------------------------------------------------------------------------
# Primakoff mode: binned recoil spectra
# --------------------------------------------------------------------------------------------------


def _observed_binning(det, readout, bg):
    """Bins in observed energy (eVee for ionisation), true-recoil nodes and the response (internal).

    The bins run from the readout threshold to the observed energy of ``recoil_max_MeV``; the response
    of a true recoil ``T`` is ``eff(E_obs) x [Phi((e_hi - E_obs)/s) - Phi((e_lo - E_obs)/s)]`` at its
    mean observed energy ``E_obs`` (:meth:`radcevns.detector.Readout.acceptance`).
    """
    lo = readout.threshold_MeV
    hi = float(readout.observed_energy(bg.recoil_max_MeV))
    if not hi > lo:
        raise ValueError(
            f"recoil_max_MeV ({bg.recoil_max_MeV} MeV, observed {hi} MeV) must lie above the threshold"
        )
    edges = np.geomspace(lo, hi, bg.n_bins + 1)
    sig = readout.resolution_MeV
    cand = (edges[:, None] + sig * np.array([-6.0, -3.0, 0.0, 3.0, 6.0])[None, :]).ravel()
    o_lo, o_hi = max(lo - 6.0 * sig, 0.05 * lo), hi + 6.0 * sig
    if readout.efficiency is not None:
        cand = np.concatenate([cand, readout.efficiency[0]])
    cand = np.unique(np.clip(cand, o_lo, o_hi))
    u = np.log(np.unique(np.asarray(readout.recoil_energy(cand))))
    pieces = []
    for a, b in zip(u[:-1], u[1:], strict=True):
        k = max(1, int(math.ceil((b - a) / 0.25)))
        pieces.append(np.linspace(a, b, k + 1)[:-1])
    u = np.concatenate([*pieces, [u[-1]]])
    mid, half = 0.5 * (u[1:] + u[:-1]), 0.5 * np.diff(u)
    T = np.exp((mid[:, None] + half[:, None] * _GL4_X[None, :]).ravel())
    wT = (half[:, None] * _GL4_W[None, :]).ravel() * T
    resp = np.stack(
        [np.asarray(readout.acceptance(T, a, b)) for a, b in zip(edges[:-1], edges[1:], strict=True)], 1
    )
    return edges, T, wT[:, None] * resp


def _recoil_binning(det, bg):
    """Measured-energy bin edges, true-energy quadrature nodes and the response matrix (internal)."""
    readout = det.observed_readout
    if readout is not None:
        return _observed_binning(det, readout, bg)
    lo, hi = det.recoil_threshold_MeV, bg.recoil_max_MeV
    if not hi > lo:
        raise ValueError(f"recoil_max_MeV ({hi} MeV) must lie above the recoil threshold ({lo} MeV)")
    if lo <= 0.0:
        raise ValueError("the Primakoff analysis needs a recoil threshold > 0 (log-spaced bins)")
    edges = np.geomspace(lo, hi, bg.n_bins + 1)
    sig = det.recoil_resolution_MeV
    if sig > 0.0:
        cand = (edges[:, None] + sig * np.array([-6.0, -3.0, 0.0, 3.0, 6.0])[None, :]).ravel()
        t_lo = max(lo - 6.0 * sig, 0.05 * lo)
        t_hi = hi + 6.0 * sig
    else:
        cand = edges
        t_lo, t_hi = lo, hi
    breaks = np.unique(np.clip(cand, t_lo, t_hi))
    u = np.log(breaks)
    # split panels wider than 0.25 in ln E
    pieces = []
    for a, b in zip(u[:-1], u[1:], strict=True):
        k = max(1, int(math.ceil((b - a) / 0.25)))
        pieces.append(np.linspace(a, b, k + 1)[:-1])
    u = np.concatenate([*pieces, [u[-1]]])
    mid, half = 0.5 * (u[1:] + u[:-1]), 0.5 * np.diff(u)
    un = (mid[:, None] + half[:, None] * _GL4_X[None, :]).ravel()
    T = np.exp(un)
    wT = (half[:, None] * _GL4_W[None, :]).ravel() * T  # dE = E du
    if sig > 0.0:
        resp = ndtr((edges[None, 1:] - T[:, None]) / sig) - ndtr((edges[None, :-1] - T[:, None]) / sig)
    else:
        idx = np.searchsorted(edges, T, side="right") - 1
        resp = np.zeros((T.size, edges.size - 1))
        ok = (idx >= 0) & (idx < edges.size - 1)
        resp[np.flatnonzero(ok), idx[ok]] = 1.0
    return edges, T, wT[:, None] * resp


class _PrimakoffSetup:
    """Recoil templates per crystal group for one detector, exposure and background (internal).

    Background templates (SM CEvNS, flat) are built once; :meth:`signal` folds the Primakoff
    spectrum for a mass at the reference moment.
    """

    def __init__(self, det, exposure_kg_yr, flux, bg, form_factor="helm"):
        self.det = det
        self.flux = as_flux(flux)
        self.bg = bg
        self.form_factor = form_factor
        self.edges, self.T, self.R = _recoil_binning(det, bg)
        days = float(live_days(det, exposure_kg_yr))
        # reactor-on live days of data: events = rate per kg per reactor-on day x kg x these days
        self.on_days = days * det.reactor_duty * det.live_fraction
        cevns, flat = [], []
        widths_kev = np.diff(self.edges) * 1e3
        for crystal in det.crystals:
            spec = np.asarray(cevns_spectrum(self.T, crystal.target, flux=self.flux, form_factor=form_factor))
            cevns.append(crystal.mass_kg * self.on_days * (spec @ self.R))
            flat.append(crystal.mass_kg * self.on_days * bg.flat_background * widths_kev)
        self.cevns = np.concatenate(cevns)
        self.flat = np.concatenate(flat)
        self.groups = [self.edges.size - 1] * len(det.crystals)

    def signal(self, m_N, mu=_MU_REF):
        parts = []
        for crystal in self.det.crystals:
            spec = np.asarray(
                primakoff_spectrum(
                    self.T, m_N, crystal.target, mu, flux=self.flux, form_factor=self.form_factor
                )
            )
            parts.append(crystal.mass_kg * self.on_days * (spec @ self.R))
        return np.concatenate(parts)

    def limit(self, m_N, cl, rule):
        s = self.signal(m_N)
        x_up = binned_upper_limit(
            s,
            self.cevns,
            self.flat,
            background_uncertainty=self.bg.background_uncertainty,
            cl=cl,
            rule=rule,
            groups=self.groups,
        )
        return _MU_REF * math.sqrt(x_up) if math.isfinite(x_up) else math.inf


def _solve_moment(events, target, mu_start, rtol=1e-7):
    """Moment (mu_B) with ``events(mu) = target``, by Brent's method on ln mu.

    ``events`` must increase with mu. Starting from ``mu_start``, the bracket is widened by steps
    using the fact that the events grow at least as mu^2 and at most as mu^4 (when the decay moment
    is the production moment); a start that already solves the equation to ``rtol`` (relative, in
    events) is returned as is.
    """

    seen = {}  # brentq evaluates the bracket ends again: reuse them

    def f(u):
        if u not in seen:
            val = events(math.exp(u))
            seen[u] = math.log(val / target) if val > 0.0 else -math.inf
        return seen[u]

    u0 = math.log(mu_start)
    f0 = f(u0)
    if not math.isfinite(f0):
        return math.inf
    if abs(f0) <= rtol:
        return mu_start
    # events ~ mu^k with k >= 2: the root lies within |f0| / 2 of u0 in ln mu
    step = -f0 / 2.0
    u1 = u0 + step
    f1 = f(u1)
    for _ in range(60):
        if f1 == 0.0:
            return math.exp(u1)
        if (f1 > 0) != (f0 > 0):
            break
        u0, f0 = u1, f1
        u1 = u1 + 2.0 * step
        f1 = f(u1)
    else:  # pragma: no cover
        raise RuntimeError("could not bracket the limit in mu")
    lo, hi = (u0, u1) if u0 < u1 else (u1, u0)
    u = brentq(f, lo, hi, xtol=1e-10, rtol=1e-12, maxiter=200)
    return math.exp(u)


def _radiative_limits(yield_, natures, days, s_up, extra_decay_moment):
    """Limit on the production moment for each nature (mu_B)."""
    out = []
    for nat in natures:
        ref = yield_(_MU_REF, nat) * days
        if not ref > 0.0:
            out.append(math.inf)
            continue
        # mu^4 (long-lived, one moment) or mu^2 (decay through a fixed extra moment) first guess
        power = 4.0 if extra_decay_moment is None else 2.0
        mu0 = _MU_REF * (s_up / ref) ** (1.0 / power)
        out.append(_solve_moment(lambda mu, nat=nat: yield_(mu, nat) * days, s_up, mu0))
    return out


# --------------------------------------------------------------------------------------------------
# public limits
# --------------------------------------------------------------------------------------------------
def _check_mode(mode):
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    return mode


def _natures_of(nature):
    if isinstance(nature, str):
        return (as_nature(nature),), True
    try:
        out = tuple(as_nature(n) for n in nature)
    except TypeError as exc:
        raise ValueError(f"nature must be 'dirac', 'majorana' or a sequence of them, got {nature!r}") from exc
    if not out:
        raise ValueError("nature must be 'dirac', 'majorana' or a sequence of them")
    return out, False


def _common_inputs(detector, exposure_kg_yr, mode, background, cl):
    det = check_detector(detector)
    exp_ = as_array(exposure_kg_yr, "exposure_kg_yr", positive=True)
    if exp_.ndim:
        raise ValueError("exposure_kg_yr must be a single number")
    _check_mode(mode)
    check_cl(cl)
    return det, float(exp_), background_model(**background)


def _decay_inputs(extra_decay_moment, extra_daughter_mass):
    if extra_decay_moment is not None:
        dm = as_array(extra_decay_moment, "extra_decay_moment", nonnegative=True)
        if dm.ndim:
            raise ValueError("extra_decay_moment must be a single number (mu_B) or None")
        extra_decay_moment = float(dm)
    dmass = as_array(extra_daughter_mass, "extra_daughter_mass", nonnegative=True)
    if dmass.ndim:
        raise ValueError("extra_daughter_mass must be a single number (MeV)")
    if extra_decay_moment is None and float(dmass) != 0.0:
        raise ValueError(
            "extra_daughter_mass needs a extra_decay_moment (the moment of the N -> N' gamma channel)"
        )
    return extra_decay_moment, float(dmass)


def limit(
    m_N: float,
    detector: Detector,
    exposure_kg_yr: float,
    *,
    mode="radiative",
    nature="dirac",
    flux=None,
    extra_decay_moment=None,
    extra_daughter_mass=0.0,
    cl=DEFAULT_CL,
    rule="one-sided",
    form_factor="helm",
    **background,
):
    """Median expected upper limit on mu_{nu_e N} (Bohr magnetons, convention A) at one mass.

    Parameters
    ----------
    m_N : float
        Sterile-neutrino mass in MeV.
    detector : radcevns.detector.Detector
        E.g. :func:`radcevns.detector.nucleus_10g` or :func:`radcevns.detector.nucleus_1kg`; its
        threshold, resolution, decay region, photon acceptance, duty and live fraction are used.
    exposure_kg_yr : float
        Exposure in kg yr (target mass times calendar time; 0.0113 for NUCLEUS-10g in one year).
    mode : {"primakoff", "radiative"}
        Recoil-spectrum fit of the escaping N, or photon-recoil coincidences (module docstring).
    nature : {"dirac", "majorana"}
        Nature of N; the Primakoff limit does not depend on it.
    flux : flux object, optional
        Default :func:`radcevns.flux.chooz`.
    extra_decay_moment : float, optional
        Radiative mode only: an extra decay moment in mu_B, ``mu_{beta N}`` (another flavour, massless
        daughter) or ``mu_{N N'}`` (a lighter sterile N', mass ``extra_daughter_mass``); the N then decays
        through both ``mu`` (= mu_{e N}) and ``extra_decay_moment``. The limit is on ``mu_{e N}``.
    extra_daughter_mass : float
        Mass in MeV of the daughter of the extra channel (default 0).
    cl : float
        Confidence level (default 0.9).
    rule : {"one-sided", "chi2"}
        Threshold of the binned Primakoff fit (:func:`critical_q`); the radiative counting limit
        always uses the Poisson construction of :func:`poisson_upper_limit`.
    form_factor : {"helm", "klein-nystrand", "none"}
    **background
        Fields of :class:`BackgroundModel`: ``flat_background``, ``background_uncertainty``,
        ``recoil_max_MeV``, ``n_bins``, ``veto_rate_Hz``, ``coincidence_window_s``, ``accidentals``
        (or ``background=BackgroundModel(...)``).

    Returns
    -------
    float
        mu_{nu_e N} in mu_B excluded at ``cl`` in the median experiment; ``inf`` where the flux
        cannot produce N with a recoil above threshold.

    Examples
    --------
    The median expected 90 % CL limit of the radiative mode for 1 kg x 1 yr of NUCLEUS-1kg at
    ``m_N = 2`` MeV (Dirac N, default backgrounds):

    >>> from radcevns import detector, sensitivity
    >>> f"{sensitivity.limit(2.0, detector.nucleus_1kg(), 1.0):.3e} mu_B"
    '1.786e-08 mu_B'
    """
    if np.ndim(m_N) != 0:
        raise ValueError("m_N must be a single mass here; use limit_curve for arrays")
    out = limit_curve(
        m_N,
        detector,
        exposure_kg_yr,
        mode=mode,
        nature=nature,
        flux=flux,
        extra_decay_moment=extra_decay_moment,
        extra_daughter_mass=extra_daughter_mass,
        cl=cl,
        rule=rule,
        form_factor=form_factor,
        n_threads=1,
        **background,
    )
    return float(out)


def limit_curve(
    m_N,
    detector: Detector,
    exposure_kg_yr: float,
    *,
    mode="radiative",
    nature="dirac",
    flux=None,
    extra_decay_moment=None,
    extra_daughter_mass=0.0,
    cl=DEFAULT_CL,
    rule="one-sided",
    form_factor="helm",
    n_threads=1,
    **background,
):
    """Expected limits on mu_{nu_e N} (mu_B) for an array of masses (MeV); arguments as in :func:`limit`.

    The backgrounds (CEvNS and flat templates, accidentals) are computed once; with ``n_threads > 1``
    the masses run in that many threads (None: numba's thread count; the default 1 is usually as
    fast on a shared two-core machine).

    Returns
    -------
    ndarray
        Shape of ``m_N``; with a sequence of natures, a leading axis with one row per nature.
    """
    masses = as_array(m_N, "m_N", positive=True, maximum=MAX_ENERGY_MEV)
    natures, single = _natures_of(nature)
    det, exposure, bg = _common_inputs(detector, exposure_kg_yr, mode, background, cl)
    extra_decay_moment, extra_daughter_mass = _decay_inputs(extra_decay_moment, extra_daughter_mass)
    if mode == "primakoff" and extra_decay_moment is not None:
        raise ValueError("extra_decay_moment only applies to mode='radiative'")
    fl = as_flux(flux)
    flat_m = masses.ravel()
    if mode == "primakoff":
        setup = _PrimakoffSetup(det, exposure, fl, bg, form_factor)

        def one(m):
            val = setup.limit(float(m), cl, rule)
            return [val] * len(natures)

    elif not _photon_possible(det):

        def one(m):
            return [math.inf] * len(natures)

    else:
        days = float(live_days(det, exposure))
        b = accidental_rate(det, flux=fl, background=bg) * days
        s_up = float(poisson_upper_limit(b, cl=cl))

        def one(m):
            y = RadiativeYield(
                float(m),
                det,
                natures,
                flux=fl,
                extra_decay_moment=extra_decay_moment,
                extra_daughter_mass=extra_daughter_mass,
                form_factor=form_factor,
            )
            return _radiative_limits(y, natures, days, s_up, extra_decay_moment)

    rows = _map_masses(one, flat_m, n_threads)
    res = np.array(rows, dtype=np.float64).T.reshape((len(natures), *masses.shape))
    return res[0] if single else res


def _photon_possible(det):
    """False when the detector cannot record the photon at all (zero efficiency): no radiative reach."""
    eff = det.photon_efficiency
    return callable(eff) or eff > 0.0


def _map_masses(func, masses, n_threads):
    if n_threads is None:
        import numba

        n_threads = numba.get_num_threads()
    n_threads = as_int(n_threads, "n_threads", minimum=1, maximum=1024)
    if n_threads == 1 or masses.size <= 1:
        return [func(m) for m in masses]
    func(masses[0])  # load / compile the kernels before the threads start
    with ThreadPoolExecutor(max_workers=n_threads) as pool:
        return list(pool.map(func, masses))


def product_limit(
    m_N,
    detector: Detector,
    exposure_kg_yr: float,
    *,
    nature="dirac",
    extra_daughter_mass=0.0,
    flux=None,
    cl=DEFAULT_CL,
    form_factor="helm",
    n_threads=1,
    **background,
):
    """Limit on the product ``mu_{e N} x mu_{x N}`` (mu_B^2) probed by the radiative mode.

    Production through mu_{e N} (reactor nu_e-bar), decay through a second moment mu_{x N} into
    ``nu_beta gamma`` (another flavour, ``extra_daughter_mass = 0``) or into a lighter sterile state
    ``N' gamma`` (``extra_daughter_mass = m_N'``), in the regime where that channel dominates the width
    and N is long-lived: the signal is then ``(mu_eN mu_xN)^2`` times a constant, so the limit is on
    the product. Where it breaks down (N decaying promptly, or mu_eN comparable to mu_xN) use
    :func:`limit` with ``extra_decay_moment`` for the exact answer.

    Returns
    -------
    float or ndarray
        Upper limit on ``mu_eN x mu_xN`` in mu_B^2 (``inf`` where the mode has no reach, including
        ``extra_daughter_mass >= m_N``).
    """
    masses = as_array(m_N, "m_N", positive=True, maximum=MAX_ENERGY_MEV)
    natures, single = _natures_of(nature)
    det, exposure, bg = _common_inputs(detector, exposure_kg_yr, "radiative", background, cl)
    _, extra_daughter_mass = _decay_inputs(_MU_REF, extra_daughter_mass)
    fl = as_flux(flux)
    days = float(live_days(det, exposure))
    s_up = float(poisson_upper_limit(accidental_rate(det, flux=fl, background=bg) * days, cl=cl))

    def one(m):
        y = RadiativeYield(
            float(m),
            det,
            natures,
            flux=fl,
            extra_decay_moment=_MU_REF,
            extra_daughter_mass=extra_daughter_mass,
            form_factor=form_factor,
            production_channel=False,
        )
        vals = []
        for nat in natures:
            ref = y(_MU_REF, nat) * days
            vals.append(_MU_REF**2 * math.sqrt(s_up / ref) if ref > 0 else math.inf)
        return vals

    rows = _map_masses(one, masses.ravel(), n_threads)
    res = np.array(rows, dtype=np.float64).T.reshape((len(natures), *masses.shape))
    out = res[0] if single else res
    return scalar_or_array(out)
