"""Expected NUCLEUS exclusion limits on the transition moment mu_{nu_e N} versus m_N.

Two signatures of a transition magnetic moment at a reactor CEvNS experiment:

* **Primakoff** (``mode="primakoff"``): nu A -> N A with the N escaping. The recoil spectrum above
  threshold is fitted with SM CEvNS plus a flat background; the signal scales exactly as mu^2.
* **Radiative** (``mode="radiative"``): the N decays, N -> nu gamma, within the decay region and the
  photon is seen by the veto in coincidence with the recoil. The signal scales as
  ``mu_prod^2 x P_dec(mu_dec)`` with ``P_dec = 1 - exp(-L / lambda_N)``, ``lambda_N ~ 1/mu_dec^2``:
  mu^4 while the N is long-lived, mu^2 once every N decays inside the region. The background is
  accidental coincidences of an uncorrelated recoil with an uncorrelated veto hit.

Convention A throughout (reference.md 1.1): ``L = (mu/2) nubar_L sigma^{ab} N_R F_ab + h.c.``, mu in
Bohr magnetons, ``Gamma_Dirac(N -> nu gamma) = mu^2 m_N^3 / (16 pi)`` and a Majorana N twice that. The
Primakoff limit does not depend on the nature of N (production is identical); the radiative one does,
through the width (Majorana: twice the decay probability while long-lived).

Statistics (expected limits for the background-only hypothesis, Asimov data set)
--------------------------------------------------------------------------------
* Binned Poisson likelihood ratio with the flat-background normalisation as a nuisance parameter
  (profiled; free, Gaussian-constrained or fixed), evaluated on the Asimov data set (Cowan, Cranmer,
  Gross, Vitells, EPJC 71 (2011) 1554). The median expected upper limit is where the one-sided
  profile-likelihood statistic reaches ``q_crit``. ``rule="one-sided"`` (default) uses
  ``q_crit = [Phi^-1(CL)]^2`` (1.642 at 90 % CL: the Asimov median of Cowan et al. eq. 60, the
  Gaussian ``1.28 sigma``); ``rule="chi2"`` uses the chi^2 (1 dof) quantile, 2.706 at 90 % CL: the
  Delta chi^2 = 2.71 convention of many phenomenology papers and of the HNLimits curves. The two
  differ by a factor ``(2.706/1.642)^(1/4) = 1.13`` in a background-dominated Primakoff limit on mu.
* Counting (the radiative coincidence mode): the classical one-sided Poisson upper limit at the
  Asimov count ``n = b`` (the expected accidentals), continued to non-integer ``n`` with the
  regularised incomplete gamma function, ``P(N <= n | s + b) = Q(n + 1, s + b) = 1 - CL``. Without
  background it is the closed-form ``s = -ln(1 - CL) = 2.303`` events at 90 % CL; for ``b >> 1`` it
  tends to the one-sided Gaussian ``1.28 sqrt(b)``.
* Root finding: the limit in mu is solved for with Brent's method (``scipy.optimize.brentq``) per
  mass, on the exact mu dependence, never on a grid. Primakoff: the signal template at a reference
  mu scales as mu^2, so the root is found in the signal strength. Radiative: semi-analytic in mu.
  The flux and recoil quadrature nodes of :mod:`radcevns.rates` and the detected-photon yield
  ``J_i`` of every node are built once per mass; the rate at any moment is
  ``alpha mu^2 sum_c BR_c sum_i J_ci [1 - exp(-kappa(mu) / p_i)]`` with the exact decay probability
  (``kappa = L m_N Gamma(mu) / hbar c``), so ``brentq`` on ln mu costs one cheap sum per step. The
  long-lived estimate (rate ~ mu^4) starts it; the result agrees with
  :func:`radcevns.rates.radiative_rate` to 1e-6 (tests/test_sensitivity.py).

Products of couplings (radiative mode)
--------------------------------------
Production needs mu_{e N}; the decay can go through any moment of N: ``mu_{beta N}`` (another active
flavour) or ``mu_{N N'}`` (a lighter sterile N'). :func:`limit` with ``decay_moment`` (and
``daughter_mass``) gives the exact limit on mu_{e N} for a fixed second moment; while N is
long-lived and the second channel dominates the width the signal depends on the product only, and
:func:`product_limit` gives the limit on ``mu_{e N} x mu_{x N}``.

Background assumptions (all keywords of :func:`limit`, documented defaults)
----------------------------------------------------------------------------
* ``flat_background`` = 100 counts / (keV kg day), flat in recoil energy: the NUCLEUS design goal
  (NUCLEUS, EPJC 79 (2019) 1018); the background model of the experiment predicts about 250 for
  CaWO4 at 10-100 eV (arXiv:2509.03559), with S/B >~ 1.
* ``background_uncertainty`` = None: the normalisation of the flat background floats freely
  (profiled); a number gives a Gaussian constraint (relative), 0 fixes it.
* ``recoil_max_MeV`` = 1 keV (1e-3 MeV): upper edge of the recoil analysis window (and of the recoils
  counted for accidental coincidences); the window starts at the detector threshold. ``n_bins`` = 20
  log-spaced bins per crystal type, each type with its own background normalisation.
* ``veto_rate_Hz`` = 50 Hz: rate of veto hits in the photon window. **Our assumption** (no published
  number found): a cryogenic Ge veto of about 6 kg at a shallow site (3 m w.e.) sees natural
  radioactivity and cosmic rays at O(10-100) Hz.
* ``coincidence_window_s`` = 10 microseconds (1e-5 s), full width: **our assumption**, set by the
  timing of TES recoil signals (rise times of tens of microseconds) against the fast Ge veto.
* ``R_acc = R_recoil x R_veto x coincidence_window`` with ``R_recoil`` = CEvNS + flat background in
  the recoil window; accidentals = ``R_acc`` x reactor-on live time. ``accidentals=False`` (or
  ``veto_rate_Hz=0``) gives the background-free variant.
* SM CEvNS is a fixed background (flux known); the recoil resolution of the detector smears every
  recoil template; only reactor-on live time enters (``reactor_duty x live_fraction``).
* The coincidence signal (:func:`radcevns.rates.radiative_rate`) counts every recoil above threshold,
  the accidentals only recoils up to ``recoil_max_MeV``: recoils above 1 keV are below 2 % of the
  Primakoff rate in CaWO4 and 3-20 % in Al2O3 (m_N = 0.1-4 MeV), where the background is not
  modelled anyway.

Units: MeV, cm, seconds, exposures in kg yr, mu in Bohr magnetons.
"""

from __future__ import annotations

import dataclasses
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numba import njit
from scipy import optimize, special, stats

from . import rates
from ._validate import as_array, as_nature, scalar_or_array
from .constants import ALPHA, HBARC_MEV_CM, MEV2_TO_CM2, MU_B_PER_MEV, SECONDS_PER_DAY
from .decay import width as decay_width
from .detector import Detector

#: Default confidence level of the expected limits.
DEFAULT_CL = 0.90
#: Statistical rules understood by :func:`critical_q`.
RULES = ("one-sided", "chi2")
#: Modes understood by :func:`limit`.
MODES = ("primakoff", "radiative")

_NUISANCE_FIXED, _NUISANCE_CONSTRAINED, _NUISANCE_FREE = 0, 1, 2


# --------------------------------------------------------------------------------------------------
# statistics: counting
# --------------------------------------------------------------------------------------------------
def _check_cl(cl):
    cl = float(as_array(cl, "cl"))
    if not 0.0 < cl < 1.0:
        raise ValueError(f"cl must lie strictly between 0 and 1, got {cl}")
    return cl


def critical_q(cl=DEFAULT_CL, rule="one-sided"):
    """Threshold of the profile-likelihood statistic for an upper limit at confidence level ``cl``.

    Parameters
    ----------
    cl : float
        Confidence level, e.g. 0.9.
    rule : {"one-sided", "chi2"}
        ``"one-sided"``: ``[Phi^-1(cl)]^2`` (1.642 at 90 %), the median expected one-sided limit of
        Cowan et al. (2011); ``"chi2"``: the chi^2 quantile with one degree of freedom (2.706 at 90 %).

    Returns
    -------
    float
    """
    cl = _check_cl(cl)
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}, got {rule!r}")
    if rule == "one-sided":
        return float(stats.norm.ppf(cl) ** 2)
    return float(stats.chi2.ppf(cl, 1))


def poisson_upper_limit(background=0.0, cl=DEFAULT_CL, observed=None):
    """Classical one-sided Poisson upper limit on the signal mean, in events.

    Solves ``P(N <= n | s + b) = 1 - cl`` for ``s`` with the Poisson CDF written as the regularised
    upper incomplete gamma function ``Q(n + 1, s + b)``, which also defines it for non-integer
    ``n``.

    Parameters
    ----------
    background : array_like
        Expected background events ``b`` (>= 0).
    cl : float
        Confidence level.
    observed : array_like, optional
        Observed count ``n``; default the Asimov count ``n = b`` (expected limit). With ``b = 0``
        this gives ``-ln(1 - cl)`` = 2.303 events at 90 % CL.

    Returns
    -------
    float or ndarray
        Upper limit on the signal events (0 when the observation is far below the background).
    """
    b = as_array(background, "background", nonnegative=True)
    cl = _check_cl(cl)
    n = b if observed is None else as_array(observed, "observed", nonnegative=True)
    lam = special.gammainccinv(n + 1.0, 1.0 - cl)
    return scalar_or_array(np.maximum(lam - b, 0.0))


# --------------------------------------------------------------------------------------------------
# statistics: binned profile likelihood (numba kernels)
# --------------------------------------------------------------------------------------------------
@njit(cache=True, nogil=True)
def _deviance(x, theta, s, c, f, n):
    """2 sum_i [nu_i - n_i + n_i ln(n_i / nu_i)] for nu = x s + c + theta f (inf if a nu_i <= 0 < n_i)."""
    total = 0.0
    for i in range(s.shape[0]):
        nu = x * s[i] + c[i] + theta * f[i]
        if nu <= 0.0:
            if n[i] > 0.0:
                return np.inf
            continue
        total += nu - n[i]
        if n[i] > 0.0:
            total += n[i] * math.log(n[i] / nu)
    return 2.0 * total


@njit(cache=True, nogil=True)
def _theta_gradient(x, theta, s, c, f, n, inv_var):
    """First and second derivative of (deviance/2 + constraint/2) in theta."""
    g = inv_var * (theta - 1.0)
    h = inv_var
    for i in range(s.shape[0]):
        if f[i] == 0.0:
            continue
        nu = x * s[i] + c[i] + theta * f[i]
        if nu <= 0.0:
            if n[i] > 0.0:
                return -np.inf, np.inf
            g += f[i]
            continue
        g += f[i] * (1.0 - n[i] / nu)
        h += f[i] * f[i] * n[i] / (nu * nu)
    return g, h


@njit(cache=True, nogil=True)
def _profile_theta(x, s, c, f, n, inv_var, mode):
    """Conditional maximum-likelihood background normalisation theta >= 0 at signal strength x.

    The negative log-likelihood is convex in theta: safeguarded Newton iterations inside a
    bisection bracket.
    """
    if mode == 0:
        return 1.0
    total_f = 0.0
    for i in range(f.shape[0]):
        total_f += f[i]
    if total_f <= 0.0:
        return 1.0
    g0, _ = _theta_gradient(x, 0.0, s, c, f, n, inv_var)
    if g0 >= 0.0:
        return 0.0
    lo = 0.0
    hi = 1.0
    g, _ = _theta_gradient(x, hi, s, c, f, n, inv_var)
    while g < 0.0:
        lo = hi
        hi *= 2.0
        if hi > 1e300:
            return hi
        g, _ = _theta_gradient(x, hi, s, c, f, n, inv_var)
    th = 0.5 * (lo + hi)
    for _ in range(300):
        g, h = _theta_gradient(x, th, s, c, f, n, inv_var)
        if g == 0.0:
            return th
        if g > 0.0:
            hi = th
        else:
            lo = th
        new = 0.5 * (lo + hi)
        if h > 0.0 and math.isfinite(g):
            trial = th - g / h
            if lo < trial < hi:
                new = trial
        if abs(new - th) <= 1e-15 * max(1.0, abs(th)) or (hi - lo) <= 1e-15 * max(1.0, hi):
            return new
        th = new
    return th


@njit(cache=True, nogil=True)
def _profiled_statistic(x, s, c, f, n, inv_var, mode, starts):
    """Sum over bin groups of -2 ln L(x, theta_g) + constraint, each group with its own profiled theta_g.

    ``starts`` holds the first bin of every group plus the total number of bins; the statistic is
    relative to a perfect fit of the data ``n``.
    """
    q = 0.0
    for g in range(starts.shape[0] - 1):
        a = starts[g]
        b = starts[g + 1]
        theta = _profile_theta(x, s[a:b], c[a:b], f[a:b], n[a:b], inv_var, mode)
        q += _deviance(x, theta, s[a:b], c[a:b], f[a:b], n[a:b])
        if mode == 1:
            q += inv_var * (theta - 1.0) * (theta - 1.0)
    return q


def _templates(signal, fixed_background, floating_background):
    s = np.ascontiguousarray(as_array(signal, "signal", nonnegative=True), dtype=np.float64).ravel()
    c = np.ascontiguousarray(
        as_array(fixed_background, "fixed_background", nonnegative=True), dtype=np.float64
    ).ravel()
    if floating_background is None:
        f = np.zeros_like(s)
    else:
        f = np.ascontiguousarray(
            as_array(floating_background, "floating_background", nonnegative=True), dtype=np.float64
        ).ravel()
    if c.size == 1 and s.size > 1:
        c = np.full_like(s, c[0])
    if not (s.size == c.size == f.size) or s.size == 0:
        raise ValueError("signal, fixed_background and floating_background must have the same length")
    return s, c, f


def _group_starts(groups, size):
    """Bin-group boundaries from the group sizes (None: one group)."""
    if groups is None:
        return np.array([0, size], dtype=np.int64)
    sizes = np.asarray(groups)
    if sizes.ndim != 1 or sizes.size == 0 or not np.issubdtype(sizes.dtype, np.integer) or np.any(sizes <= 0):
        raise ValueError("groups must be a sequence of positive integers (bins per group)")
    if int(sizes.sum()) != size:
        raise ValueError(f"groups must add up to the number of bins ({size}), got {int(sizes.sum())}")
    return np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)


def _nuisance(background_uncertainty):
    if background_uncertainty is None:
        return 0.0, _NUISANCE_FREE
    sig = float(as_array(background_uncertainty, "background_uncertainty", nonnegative=True, finite=False))
    if sig == 0.0:
        return 0.0, _NUISANCE_FIXED
    if math.isinf(sig):
        return 0.0, _NUISANCE_FREE
    return 1.0 / sig**2, _NUISANCE_CONSTRAINED


def asimov_statistic(
    strength, signal, fixed_background, floating_background=None, background_uncertainty=None, groups=None
):
    """Profile-likelihood statistic q(x) on the background-only Asimov data set.

    Model per bin ``nu_i = x s_i + c_i + theta_g f_i``; Asimov data ``n_i = c_i + f_i``; one
    normalisation ``theta_g`` (nominal 1, >= 0) per group of bins, profiled.

    Parameters
    ----------
    strength : float
        Signal strength ``x`` (>= 0) multiplying the signal template.
    signal, fixed_background, floating_background : array_like
        Expected events per bin: signal template, background with a known normalisation (e.g. SM
        CEvNS) and background whose normalisation is the nuisance parameter.
    background_uncertainty : float or None
        Relative Gaussian uncertainty on each floating normalisation; None (or inf) lets them float
        freely, 0 fixes them.
    groups : sequence of int, optional
        Number of consecutive bins in each group (e.g. one group per target crystal, each with its
        own background normalisation); default one group.

    Returns
    -------
    float
        ``q(x) = -2 ln [L(x, theta_hat_hat) / L(0, 1)]``, the median of the one-sided statistic for
        ``x`` under the background-only hypothesis.
    """
    x = float(as_array(strength, "strength", nonnegative=True))
    s, c, f = _templates(signal, fixed_background, floating_background)
    inv_var, mode = _nuisance(background_uncertainty)
    starts = _group_starts(groups, s.size)
    return float(_profiled_statistic(x, s, c, f, c + f, inv_var, mode, starts))


def binned_upper_limit(
    signal,
    fixed_background,
    floating_background=None,
    background_uncertainty=None,
    cl=DEFAULT_CL,
    rule="one-sided",
    q_crit=None,
    groups=None,
):
    """Median expected upper limit on the signal strength from a binned Poisson likelihood.

    Solves ``q(x) = q_crit`` (:func:`asimov_statistic`) for ``x`` with Brent's method.

    Parameters
    ----------
    signal, fixed_background, floating_background, background_uncertainty, groups
        As in :func:`asimov_statistic`.
    cl, rule : float, str
        Confidence level and rule for :func:`critical_q`.
    q_crit : float, optional
        Explicit threshold (overrides ``cl`` and ``rule``).

    Returns
    -------
    float
        Upper limit ``x_up`` on the strength: ``x_up * signal`` is the excluded signal. ``inf`` if
        the data cannot constrain the signal.
    """
    s, c, f = _templates(signal, fixed_background, floating_background)
    inv_var, mode = _nuisance(background_uncertainty)
    starts = _group_starts(groups, s.size)
    qc = critical_q(cl, rule) if q_crit is None else float(as_array(q_crit, "q_crit", positive=True))
    n = c + f
    total_s = s.sum()
    if total_s <= 0.0:
        return math.inf

    def excess(x):
        return _profiled_statistic(x, s, c, f, n, inv_var, mode, starts) - qc

    # first guess: Gaussian counting on all bins, then widen until q exceeds the threshold
    hi = (math.sqrt(qc * max(n.sum(), 1e-300)) + qc) / total_s
    lo = 0.0
    while excess(hi) <= 0.0:
        lo = hi
        hi *= 4.0
        if hi * total_s > 1e300:
            return math.inf
    return float(optimize.brentq(excess, lo, hi, xtol=1e-14 * hi, rtol=1e-12, maxiter=500))


# --------------------------------------------------------------------------------------------------
# background model and exposure
# --------------------------------------------------------------------------------------------------
#: Flat recoil background in counts / (keV kg day): NUCLEUS design goal (EPJC 79 (2019) 1018).
DEFAULT_FLAT_BACKGROUND = 100.0
#: Upper edge of the recoil analysis window in MeV (1 keV).
DEFAULT_RECOIL_MAX_MEV = 1e-3
#: Log-spaced recoil bins between the threshold and the upper edge (per crystal group).
DEFAULT_N_BINS = 20
#: Veto hit rate in the photon window, Hz (our assumption, see the module docstring).
DEFAULT_VETO_RATE_HZ = 50.0
#: Full width of the recoil-photon coincidence window in s (our assumption).
DEFAULT_COINCIDENCE_WINDOW_S = 1e-5
#: Moment (mu_B) at which signal templates are evaluated: every N is long-lived there.
_MU_REF = 1e-13
_DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class BackgroundModel:
    """Background assumptions of the expected limits (keywords of :func:`limit`).

    Attributes
    ----------
    flat_background : float
        Flat recoil background in counts / (keV kg day) (default 100, the NUCLEUS design goal).
    background_uncertainty : float or None
        Relative Gaussian uncertainty on the flat-background normalisation of each crystal group;
        None (default) lets it float freely, 0 fixes it.
    recoil_max_MeV : float
        Upper edge of the recoil window in MeV (default 1 keV); the lower edge is the threshold.
    n_bins : int
        Log-spaced recoil bins per crystal group for the Primakoff fit (default 20).
    veto_rate_Hz : float
        Rate of veto hits in the photon window (default 50 Hz, our assumption).
    coincidence_window_s : float
        Full width of the coincidence window in s (default 10 microseconds, our assumption).
    accidentals : bool
        False gives the background-free radiative limit (2.30 events at 90 % CL).
    """

    flat_background: float = DEFAULT_FLAT_BACKGROUND
    background_uncertainty: float | None = None
    recoil_max_MeV: float = DEFAULT_RECOIL_MAX_MEV
    n_bins: int = DEFAULT_N_BINS
    veto_rate_Hz: float = DEFAULT_VETO_RATE_HZ
    coincidence_window_s: float = DEFAULT_COINCIDENCE_WINDOW_S
    accidentals: bool = True

    def __post_init__(self):
        for name in ("flat_background", "veto_rate_Hz", "coincidence_window_s"):
            val = as_array(getattr(self, name), name, nonnegative=True)
            if val.ndim:
                raise ValueError(f"{name} must be a single number")
            object.__setattr__(self, name, float(val))
        rmax = as_array(self.recoil_max_MeV, "recoil_max_MeV", positive=True)
        if rmax.ndim:
            raise ValueError("recoil_max_MeV must be a single number")
        object.__setattr__(self, "recoil_max_MeV", float(rmax))
        _nuisance(self.background_uncertainty)
        if isinstance(self.n_bins, bool) or not isinstance(self.n_bins, int | np.integer) or self.n_bins < 1:
            raise ValueError(f"n_bins must be a positive integer, got {self.n_bins!r}")
        if not isinstance(self.accidentals, bool | np.bool_):
            raise ValueError(f"accidentals must be True or False, got {self.accidentals!r}")


def _background_model(background):
    if (
        "background" in background
        and len(background) == 1
        and isinstance(background["background"], BackgroundModel)
    ):
        return background["background"]
    names = {f.name for f in dataclasses.fields(BackgroundModel)}
    unknown = sorted(set(background) - names)
    if unknown:
        raise ValueError(f"unknown background keyword(s) {unknown}; known: {sorted(names)}")
    return BackgroundModel(**background)


def _check_detector(detector):
    if not isinstance(detector, Detector):
        raise ValueError(f"detector must be a radcevns.detector.Detector, got {detector!r}")
    return detector


def live_days(detector, exposure_kg_yr):
    """Calendar days of data taking for an exposure in kg yr: ``365.25 x exposure / mass``."""
    det = _check_detector(detector)
    exp_ = as_array(exposure_kg_yr, "exposure_kg_yr", positive=True)
    return scalar_or_array(exp_ * _DAYS_PER_YEAR / det.mass_kg)


def recoil_rate_hz(detector, flux=None, **background):
    """Rate of recoils in the analysis window (threshold to ``recoil_max_MeV``) while the reactor runs, Hz.

    SM CEvNS (:func:`radcevns.rates.cevns_rate` per crystal, with the recoil resolution) plus the flat
    background, for the whole detector. ``**background``: fields of :class:`BackgroundModel` (or
    ``background=BackgroundModel(...)``).
    """
    det = _check_detector(detector)
    bg = _background_model(background)
    lo, hi = det.recoil_threshold_MeV, bg.recoil_max_MeV
    if not hi > lo:
        raise ValueError(f"recoil_max_MeV ({hi} MeV) must lie above the recoil threshold ({lo} MeV)")
    per_day = 0.0
    for crystal in det.crystals:
        cevns = rates.cevns_rate(
            crystal.target, flux, max(lo, 1e-12), hi, recoil_resolution_MeV=det.recoil_resolution_MeV
        )
        per_day += crystal.mass_kg * (float(cevns) + bg.flat_background * (hi - lo) * 1e3)
    return per_day / SECONDS_PER_DAY


def accidental_rate(detector, flux=None, **background):
    """Accidental recoil-photon coincidences per calendar day.

    ``R_acc = R_recoil x R_veto x coincidence_window`` (:func:`recoil_rate_hz`, ``veto_rate_Hz``,
    ``coincidence_window_s``) times the reactor-on live seconds per day; 0 with ``accidentals=False``.
    """
    det = _check_detector(detector)
    bg = _background_model(background)
    if not bg.accidentals or bg.veto_rate_Hz == 0.0 or bg.coincidence_window_s == 0.0:
        return 0.0
    r_hz = recoil_rate_hz(det, flux, background=bg)
    return r_hz * bg.veto_rate_Hz * bg.coincidence_window_s * det.live_seconds_per_day


# --------------------------------------------------------------------------------------------------
# Primakoff mode: binned recoil spectra
# --------------------------------------------------------------------------------------------------
_GL4_X, _GL4_W = np.polynomial.legendre.leggauss(4)


def _recoil_binning(det, bg):
    """Measured-energy bin edges, true-energy quadrature nodes and the response matrix (internal)."""
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
        resp = stats.norm.cdf((edges[None, 1:] - T[:, None]) / sig) - stats.norm.cdf(
            (edges[None, :-1] - T[:, None]) / sig
        )
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
        self.flux = rates._flux(flux)
        self.bg = bg
        self.form_factor = form_factor
        self.edges, self.T, self.R = _recoil_binning(det, bg)
        days = float(live_days(det, exposure_kg_yr))
        # reactor-on live days of data: events = rate per kg per reactor-on day x kg x these days
        self.on_days = days * det.reactor_duty * det.live_fraction
        cevns, flat = [], []
        widths_kev = np.diff(self.edges) * 1e3
        for crystal in det.crystals:
            spec = np.asarray(
                rates.cevns_spectrum(self.T, crystal.target, self.flux, form_factor=form_factor)
            )
            cevns.append(crystal.mass_kg * self.on_days * (spec @ self.R))
            flat.append(crystal.mass_kg * self.on_days * bg.flat_background * widths_kev)
        self.cevns = np.concatenate(cevns)
        self.flat = np.concatenate(flat)
        self.groups = [self.edges.size - 1] * len(det.crystals)

    def signal(self, m_N, mu=_MU_REF):
        parts = []
        for crystal in self.det.crystals:
            spec = np.asarray(
                rates.primakoff_spectrum(
                    self.T, crystal.target, self.flux, m_N, mu, form_factor=self.form_factor
                )
            )
            parts.append(crystal.mass_kg * self.on_days * (spec @ self.R))
        return np.concatenate(parts)

    def limit(self, m_N, cl, rule):
        s = self.signal(m_N)
        x_up = binned_upper_limit(
            s, self.cevns, self.flat, self.bg.background_uncertainty, cl, rule, groups=self.groups
        )
        return _MU_REF * math.sqrt(x_up) if math.isfinite(x_up) else math.inf


# --------------------------------------------------------------------------------------------------
# radiative mode: exact mu dependence with the recoil nodes built once
# --------------------------------------------------------------------------------------------------
@njit(cache=True, nogil=True)
def _cumulative_at(edges, AL, AR, C0, C1, x):
    """(int_0^x A dE, int_0^x E A dE) for an acceptance A linear inside each cell (clamped to the grid)."""
    n = edges.shape[0] - 1
    if x >= edges[n]:
        return C0[n], C1[n]
    if x <= edges[0]:
        return 0.0, 0.0
    i = np.searchsorted(edges, x, side="right") - 1
    x0 = edges[i]
    h = edges[i + 1] - x0
    slope = (AR[i] - AL[i]) / h
    t = x - x0
    return (
        C0[i] + AL[i] * t + 0.5 * slope * t * t,
        C1[i] + x0 * AL[i] * t + 0.5 * (AL[i] + x0 * slope) * t * t + slope * t * t * t / 3.0,
    )


@njit(cache=True, nogil=True)
def _node_photon_yields(n, W, EN, PN, PL, m, a, alpha, edges, AL, AR, C0, C1, out):
    """Detected-photon weight of every recoil node for one decay channel, without the decay probability.

    The photon box at a node spans ``[a (E_N - p_N), a (E_N + p_N)]`` with density
    ``[1 + alpha P_L (E/a - E_N) / p_N] / (2 a p_N)`` (reference.md S4.2, ``a = E*/m_N``); its integral
    against the acceptance is ``[I0 + alpha P_L (I1 - a E_N I0) / (a p_N)] / (2 a p_N)`` with
    ``I0 = int A dE`` and ``I1 = int E A dE`` over the box.
    """
    for i in range(n):
        out[i] = 0.0
        w = W[i]
        if w == 0.0 or a <= 0.0:
            continue
        E_N = EN[i]
        p = PN[i]
        elo = a * m * m / (E_N + p)  # a (E_N - p_N) without cancellation
        ehi = a * (E_N + p)
        c0a, c1a = _cumulative_at(edges, AL, AR, C0, C1, elo)
        c0b, c1b = _cumulative_at(edges, AL, AR, C0, C1, ehi)
        I0 = c0b - c0a
        centred = (c1b - c1a) - a * E_N * I0
        out[i] = w / (2.0 * a * p) * (I0 + alpha * PL[i] * centred / (a * p))


@njit(cache=True, nogil=True)
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


_ALPHA_GAMMA = {"dirac": -1.0, "majorana": 0.0}
_N_PHOTON_CELLS = 4000


def _acceptance_tables(det, top, extra):
    """Photon-energy cells with the acceptance at both ends (one-sided) and its cumulative moments."""
    lo, hi = det.photon_window_MeV
    nodes = [0.0, *np.geomspace(1e-9, top, _N_PHOTON_CELLS)]
    nodes += [x for x in (lo, hi, *extra) if 0.0 < x < top]
    edges = np.unique(np.array(nodes, dtype=np.float64))
    x0, x1 = edges[:-1], edges[1:]
    AL = np.asarray(det.photon_acceptance(np.nextafter(x0, x1)), dtype=np.float64)
    AR = np.asarray(det.photon_acceptance(np.nextafter(x1, x0)), dtype=np.float64)
    h = x1 - x0
    slope = (AR - AL) / h
    cell0 = 0.5 * (AL + AR) * h
    cell1 = x0 * AL * h + 0.5 * (AL + x0 * slope) * h * h + slope * h**3 / 3.0
    C0 = np.concatenate([[0.0], np.cumsum(cell0)])
    C1 = np.concatenate([[0.0], np.cumsum(cell1)])
    return (np.ascontiguousarray(a) for a in (edges, AL, AR, C0, C1))


class _RadiativeYield:
    """Detected radiative coincidences per calendar day as a function of the moment, for one mass.

    Semi-analytic in mu: the flux and recoil quadrature nodes of :mod:`radcevns.rates` (Primakoff
    weights, N momenta ``p_i`` and polarisations) are built once, and so is the detected-photon weight
    ``J_ci`` of every node and decay channel ``c`` (the photon box integrated against the detector
    acceptance). The rate at any moment is then

        R(mu) = alpha mu^2 x sum_c BR_c(mu) sum_i J_ci [1 - exp(-kappa(mu) / p_i)],

    ``kappa = L m_N Gamma_total(mu) / (hbar c)``: the exact decay probability, no approximation in mu.
    Checked against :func:`radcevns.rates.radiative_rate` in tests/test_sensitivity.py.

    ``decay_moment`` (mu_B) adds a decay channel ``"x"`` (moment fixed, daughter mass
    ``daughter_mass`` MeV) to the decay through the production moment itself (channel ``"e"``;
    dropped with ``e_channel=False``).
    """

    def __init__(
        self,
        det,
        m_N,
        natures,
        flux,
        decay_moment=None,
        daughter_mass=0.0,
        form_factor="helm",
        e_channel=True,
    ):
        self.det, self.m, self.natures = det, float(m_N), tuple(natures)
        self.flux = rates._flux(flux)
        self.form_factor = form_factor
        self.decay_moment = decay_moment
        self.e_channel = bool(e_channel) or decay_moment is None
        self.daughter_mass = float(daughter_mass)
        m = self.m
        # channels: (key, daughter mass); "e" decays through the production moment
        self.channels = []
        if self.e_channel:
            self.channels.append(("e", 0.0))
        if decay_moment is not None:
            self.channels.append(("x", self.daughter_mass))
        a_fac = [0.5 * (1.0 - (md / m) ** 2) if md < m else 0.0 for _, md in self.channels]
        ex = rates._exposure(det)
        self.seconds = ex.seconds
        need_pol = "dirac" in self.natures
        n, W, EN, PN, PL = rates._recoil_nodes(det, ex, self.flux, m, form_factor, need_pol, rates._N_FLUX)
        self.PN = np.ascontiguousarray(PN[:n])
        top = float(self.flux.e_max) * (1.0 + 1e-9)
        tables = tuple(_acceptance_tables(det, top, [a * m for a in a_fac if a > 0]))
        self.J = {}
        for nat in self.natures:
            rows = []
            for a in a_fac:
                J = np.zeros(n)
                _node_photon_yields(n, W, EN, PN, PL, m, a, _ALPHA_GAMMA[nat], *tables, J)
                rows.append(J)
            self.J[nat] = rows

    def _widths(self, mu, nature):
        widths = []
        for key, md in self.channels:
            moment = mu if key == "e" else self.decay_moment
            widths.append(float(decay_width(self.m, moment, nature, md)))
        return widths

    def __call__(self, mu, nature):
        """Events per calendar day at production moment ``mu`` (mu_B) for ``nature``."""
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


def _solve_moment(events, target, mu_start, rtol=1e-7):
    """Moment (mu_B) with ``events(mu) = target``, by Brent's method on ln mu.

    ``events`` must increase with mu. Starting from ``mu_start``, the bracket is widened by steps
    using the fact that the events grow at least as mu^2 and at most as mu^4 (when the decay moment
    is the production moment); a start that already solves the equation to ``rtol`` (relative, in
    events) is returned as is.
    """

    def f(u):
        val = events(math.exp(u))
        return math.log(val / target) if val > 0.0 else -math.inf

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
    u = optimize.brentq(f, lo, hi, xtol=1e-10, rtol=1e-12, maxiter=200)
    return math.exp(u)


def _radiative_limits(yield_, natures, days, s_up, decay_moment):
    """Limit on the production moment for each nature (mu_B)."""
    out = []
    for nat in natures:
        ref = yield_(_MU_REF, nat) * days
        if not ref > 0.0:
            out.append(math.inf)
            continue
        # mu^4 (long-lived, one moment) or mu^2 (decay through a fixed extra moment) first guess
        power = 4.0 if decay_moment is None else 2.0
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
    det = _check_detector(detector)
    exp_ = as_array(exposure_kg_yr, "exposure_kg_yr", positive=True)
    if exp_.ndim:
        raise ValueError("exposure_kg_yr must be a single number")
    _check_mode(mode)
    _check_cl(cl)
    return det, float(exp_), _background_model(background)


def _decay_inputs(decay_moment, daughter_mass):
    if decay_moment is not None:
        dm = as_array(decay_moment, "decay_moment", nonnegative=True)
        if dm.ndim:
            raise ValueError("decay_moment must be a single number (mu_B) or None")
        decay_moment = float(dm)
    dmass = as_array(daughter_mass, "daughter_mass", nonnegative=True)
    if dmass.ndim:
        raise ValueError("daughter_mass must be a single number (MeV)")
    if decay_moment is None and float(dmass) != 0.0:
        raise ValueError("daughter_mass needs a decay_moment (the moment of the N -> N' gamma channel)")
    return decay_moment, float(dmass)


def radiative_background_events(detector, exposure_kg_yr, flux=None, **background):
    """Expected accidental coincidences for an exposure in kg yr (see :func:`accidental_rate`)."""
    days = float(live_days(detector, exposure_kg_yr))
    return accidental_rate(detector, flux, **background) * days


def limit(
    m_N,
    detector,
    exposure_kg_yr,
    mode="radiative",
    nature="dirac",
    *,
    flux=None,
    decay_moment=None,
    daughter_mass=0.0,
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
    decay_moment : float, optional
        Radiative mode only: an extra decay moment in mu_B, ``mu_{beta N}`` (another flavour, massless
        daughter) or ``mu_{N N'}`` (a lighter sterile N', mass ``daughter_mass``); the N then decays
        through both ``mu`` (= mu_{e N}) and ``decay_moment``. The limit is on ``mu_{e N}``.
    daughter_mass : float
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
    """
    if np.ndim(m_N) != 0:
        raise ValueError("m_N must be a single mass here; use limit_curve for arrays")
    out = limit_curve(
        m_N,
        detector,
        exposure_kg_yr,
        mode,
        nature,
        flux=flux,
        decay_moment=decay_moment,
        daughter_mass=daughter_mass,
        cl=cl,
        rule=rule,
        form_factor=form_factor,
        n_threads=1,
        **background,
    )
    return float(out)


def limit_curve(
    m_N,
    detector,
    exposure_kg_yr,
    mode="radiative",
    nature="dirac",
    *,
    flux=None,
    decay_moment=None,
    daughter_mass=0.0,
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
    masses = as_array(m_N, "m_N", positive=True)
    natures, single = _natures_of(nature)
    det, exposure, bg = _common_inputs(detector, exposure_kg_yr, mode, background, cl)
    decay_moment, daughter_mass = _decay_inputs(decay_moment, daughter_mass)
    if mode == "primakoff" and decay_moment is not None:
        raise ValueError("decay_moment only applies to mode='radiative'")
    fl = rates._flux(flux)
    flat_m = masses.ravel()
    if mode == "primakoff":
        setup = _PrimakoffSetup(det, exposure, fl, bg, form_factor)

        def one(m):
            val = setup.limit(float(m), cl, rule)
            return [val] * len(natures)

    else:
        days = float(live_days(det, exposure))
        b = accidental_rate(det, fl, background=bg) * days
        s_up = float(poisson_upper_limit(b, cl))

        def one(m):
            y = _RadiativeYield(det, float(m), natures, fl, decay_moment, daughter_mass, form_factor)
            return _radiative_limits(y, natures, days, s_up, decay_moment)

    rows = _map_masses(one, flat_m, n_threads)
    res = np.array(rows, dtype=np.float64).T.reshape((len(natures), *masses.shape))
    return res[0] if single else res


def _map_masses(func, masses, n_threads):
    if n_threads is None:
        import numba

        n_threads = numba.get_num_threads()
    n_threads = max(1, int(n_threads))
    if n_threads == 1 or masses.size <= 1:
        return [func(m) for m in masses]
    func(masses[0])  # load / compile the kernels before the threads start
    with ThreadPoolExecutor(max_workers=n_threads) as pool:
        return list(pool.map(func, masses))


def product_limit(
    m_N,
    detector,
    exposure_kg_yr,
    nature="dirac",
    *,
    daughter_mass=0.0,
    flux=None,
    cl=DEFAULT_CL,
    form_factor="helm",
    n_threads=1,
    **background,
):
    """Limit on the product ``mu_{e N} x mu_{x N}`` (mu_B^2) probed by the radiative mode.

    Production through mu_{e N} (reactor nu_e-bar), decay through a second moment mu_{x N} into
    ``nu_beta gamma`` (another flavour, ``daughter_mass = 0``) or into a lighter sterile state
    ``N' gamma`` (``daughter_mass = m_N'``), in the regime where that channel dominates the width
    and N is long-lived: the signal is then ``(mu_eN mu_xN)^2`` times a constant, so the limit is on
    the product. Where it breaks down (N decaying promptly, or mu_eN comparable to mu_xN) use
    :func:`limit` with ``decay_moment`` for the exact answer.

    Returns
    -------
    float or ndarray
        Upper limit on ``mu_eN x mu_xN`` in mu_B^2 (``inf`` where the mode has no reach, including
        ``daughter_mass >= m_N``).
    """
    masses = as_array(m_N, "m_N", positive=True)
    natures, single = _natures_of(nature)
    det, exposure, bg = _common_inputs(detector, exposure_kg_yr, "radiative", background, cl)
    _, daughter_mass = _decay_inputs(_MU_REF, daughter_mass)
    fl = rates._flux(flux)
    days = float(live_days(det, exposure))
    s_up = float(poisson_upper_limit(accidental_rate(det, fl, background=bg) * days, cl))

    def one(m):
        y = _RadiativeYield(det, float(m), natures, fl, _MU_REF, daughter_mass, form_factor, e_channel=False)
        vals = []
        for nat in natures:
            ref = y(_MU_REF, nat) * days
            vals.append(_MU_REF**2 * math.sqrt(s_up / ref) if ref > 0 else math.inf)
        return vals

    rows = _map_masses(one, masses.ravel(), n_threads)
    res = np.array(rows, dtype=np.float64).T.reshape((len(natures), *masses.shape))
    out = res[0] if single else res
    return scalar_or_array(out)
