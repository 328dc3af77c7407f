"""Statistics of the expected limits: Poisson counting and the binned profile likelihood.

This module knows nothing about neutrinos: it turns expected event counts into limits.

* Counting: :func:`poisson_upper_limit`, the classical one-sided Poisson upper limit on a signal
  mean, continued to a non-integer observation with the regularised incomplete gamma function,
  ``P(N <= n | s + b) = Q(n + 1, s + b) = 1 - CL``. Without background it is the closed form
  ``s = -ln(1 - CL)`` (2.303 events at 90 % CL); for ``b >> 1`` it tends to the one-sided Gaussian
  ``1.28 sqrt(b)``. With the Asimov count ``n = b`` it is the median expected limit.
* Binned Poisson likelihood ratio (:func:`asimov_statistic`, :func:`binned_upper_limit`) with one
  background normalisation per group of bins as the nuisance parameter (profiled; free,
  Gaussian-constrained or fixed), evaluated on the Asimov data set (G. Cowan, K. Cranmer, E. Gross,
  O. Vitells, Eur. Phys. J. C 71 (2011) 1554, arXiv:1007.1727). The median expected upper limit is
  where the one-sided profile-likelihood statistic reaches :func:`critical_q`:
  ``rule="one-sided"`` uses ``[Phi^-1(CL)]^2`` (1.642 at 90 % CL, the Asimov median of Cowan et al.,
  eq. 60); ``rule="chi2"`` the chi^2 (1 dof) quantile, 2.706 at 90 % CL, the Delta chi^2 = 2.71
  convention of many phenomenology papers.
* :func:`poisson_deviance` and :func:`profile_normalisation` are numba-compiled building blocks
  (no input checks) that other compiled code, e.g. :mod:`radcevns.discrimination`, calls directly.

Roots are found with Brent's method (``scipy.optimize.brentq``); scipy.stats is imported only when
a critical value is computed.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from scipy.special import gammainccinv

from ._validate import as_array, as_choice, as_float, scalar_or_array

__all__ = [
    "DEFAULT_CL",
    "RULES",
    "NUISANCE_FIXED",
    "NUISANCE_CONSTRAINED",
    "NUISANCE_FREE",
    "check_cl",
    "critical_q",
    "poisson_upper_limit",
    "poisson_deviance",
    "profile_normalisation",
    "nuisance_mode",
    "asimov_statistic",
    "binned_upper_limit",
]

#: Default confidence level of the expected limits.
DEFAULT_CL = 0.90
#: Statistical rules understood by :func:`critical_q`.
RULES = ("one-sided", "chi2")

NUISANCE_FIXED, NUISANCE_CONSTRAINED, NUISANCE_FREE = 0, 1, 2


# --------------------------------------------------------------------------------------------------
# statistics: counting
# --------------------------------------------------------------------------------------------------
def check_cl(cl: float) -> float:
    """Return the confidence level ``cl`` as a float after checking ``0 < cl < 1``."""
    cl = as_float(cl, "cl")
    if not 0.0 < cl < 1.0:
        raise ValueError(f"cl must lie strictly between 0 and 1, got {cl}")
    return cl


def critical_q(cl: float = DEFAULT_CL, rule: str = "one-sided") -> float:
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
    cl = check_cl(cl)
    rule = as_choice(rule, "rule", RULES)
    if rule == "one-sided":
        from scipy.stats import norm

        return float(norm.ppf(cl) ** 2)
    from scipy.stats import chi2

    return float(chi2.ppf(cl, 1))


def poisson_upper_limit(background=0.0, *, cl: float = DEFAULT_CL, observed=None):
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

    Examples
    --------
    >>> from radcevns.statistics import poisson_upper_limit
    >>> round(poisson_upper_limit(0.0), 4)   # -ln(0.1): 2.30 events at 90 % CL without background
    2.3026
    >>> round(poisson_upper_limit(100.0), 2)  # near 1.28 sqrt(b) for a large background
    14.07
    """
    b = as_array(background, "background", nonnegative=True)
    cl = check_cl(cl)
    n = b if observed is None else as_array(observed, "observed", nonnegative=True)
    lam = gammainccinv(n + 1.0, 1.0 - cl)
    return scalar_or_array(np.maximum(lam - b, 0.0))


# --------------------------------------------------------------------------------------------------
# statistics: binned profile likelihood (numba kernels)
# --------------------------------------------------------------------------------------------------
@njit(cache=True, nogil=True)
def poisson_deviance(x, theta, s, c, f, n):
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
def profile_normalisation(x, s, c, f, n, inv_var, mode):
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
        theta = profile_normalisation(x, s[a:b], c[a:b], f[a:b], n[a:b], inv_var, mode)
        q += poisson_deviance(x, theta, s[a:b], c[a:b], f[a:b], n[a:b])
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


def nuisance_mode(background_uncertainty: float | None) -> tuple[float, int]:
    """Inverse variance and treatment code of a background normalisation.

    ``None`` or ``inf``: free (code :data:`NUISANCE_FREE`); ``0``: fixed (:data:`NUISANCE_FIXED`);
    a positive number ``sigma``: Gaussian constraint of relative width ``sigma``
    (:data:`NUISANCE_CONSTRAINED`, inverse variance ``1 / sigma^2``).
    """
    if background_uncertainty is None:
        return 0.0, NUISANCE_FREE
    sig = float(as_array(background_uncertainty, "background_uncertainty", nonnegative=True, finite=False))
    if sig == 0.0:
        return 0.0, NUISANCE_FIXED
    if math.isinf(sig):
        return 0.0, NUISANCE_FREE
    return 1.0 / sig**2, NUISANCE_CONSTRAINED


def asimov_statistic(
    strength: float,
    signal,
    fixed_background,
    floating_background=None,
    *,
    background_uncertainty: float | None = None,
    groups=None,
) -> float:
    """Profile-likelihood statistic q(x) on the background-only Asimov data set.

    Model per bin ``nu_i = x s_i + c_i + theta_g f_i``; Asimov data ``n_i = c_i + f_i``; one
    normalisation ``theta_g`` (nominal 1, >= 0) per group of bins, profiled. This is the statistic of
    an upper limit on a signal strength; :func:`radcevns.discrimination.asimov_statistic` (same name,
    other module) tests one signal *shape* against another (Dirac vs Majorana).

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
    inv_var, mode = nuisance_mode(background_uncertainty)
    starts = _group_starts(groups, s.size)
    return float(_profiled_statistic(x, s, c, f, c + f, inv_var, mode, starts))


def binned_upper_limit(
    signal,
    fixed_background,
    floating_background=None,
    *,
    background_uncertainty: float | None = None,
    cl: float = DEFAULT_CL,
    rule: str = "one-sided",
    q_crit: float | None = None,
    groups=None,
) -> float:
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
    from scipy.optimize import brentq

    s, c, f = _templates(signal, fixed_background, floating_background)
    inv_var, mode = nuisance_mode(background_uncertainty)
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
    return float(brentq(excess, lo, hi, xtol=1e-14 * hi, rtol=1e-12, maxiter=500))
