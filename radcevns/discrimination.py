"""Telling a Dirac from a Majorana N with the photons of the radiative mode.

A Dirac N decays as ``1 - P . n*`` in its rest frame (the photon is emitted against the N spin), a
Majorana N isotropically (chapter 03 of the book): after the boost the Dirac photon spectrum is
tilted towards soft, backward photons, the Majorana one is a symmetric box about E_N / 2. The rates
differ too (a Majorana N has twice the width), but mu is unknown, so the test here is a **shape-only**
test: the normalisation of the signal under the tested hypothesis is a free parameter (profiled,
``theta >= 0``). Without background this is the same as normalising the tested hypothesis to the
observed total; with background the two differ slightly (``normalisation="total"`` gives the second).

Statistics
----------
Simple hypothesis ``H_true`` against ``H_alt`` (each with its free normalisation), statistic
``t = -2 ln [L(H_alt, theta_hat) / L(H_true, theta_hat)]`` on binned Poisson counts.

* Asimov: on the data set equal to the ``H_true`` expectation, ``q_A = -2 ln L(H_alt)/L(H_true)``;
  the median significance for rejecting ``H_alt`` is ``Z_A = sqrt(q_A)``. In the Gaussian limit
  ``t`` is normal with mean ``+q_A`` (``H_true``) or ``-q_A`` (``H_alt``) and variance ``4 q_A``, so
  the median of ``t`` under ``H_true`` sits ``sqrt(q_A)`` standard deviations above the ``H_alt``
  distribution. Without background ``q_A = 2 N KL(p_true || p_alt)`` for ``N`` signal events and
  normalised shapes ``p``: the significance grows as ``sqrt(N)``.
* Pseudo-experiments (seeded): Poisson toys under both hypotheses (``H_alt`` at its best-fit
  normalisation to the ``H_true`` expectation); ``p`` = fraction of ``H_alt`` toys with ``t`` above
  the median ``t`` of the ``H_true`` toys, ``Z = Phi^-1(1 - p)``, error from a bootstrap.

Physics layer: :func:`photon_templates` (flux-folded, detector-smeared photon-energy or
cos(theta_gamma) histograms from :func:`radcevns.coincidences.radiative_distributions`),
:func:`accidental_template` (accidentals flat in measured energy over the photon window, our
assumption), :func:`significance_vs_events`, :func:`events_for_significance` and
:func:`discrimination_reach` (smallest mu_{nu_e N} for a given significance at each mass, with the
exact radiative rate of :class:`radcevns.coincidences.RadiativeYield`). The photon energy carries the
discrimination; the angle to the beam is nearly the same for both natures once the recoil threshold selects
wide-angle N (chapter 06).

Units: MeV, cm, exposures in kg yr, mu in Bohr magnetons (convention A,
``Gamma_Dirac = mu^2 m_N^3 / (16 pi)``, Majorana twice that).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from scipy.special import ndtri

from ._validate import MAX_EDGES, MAX_ENERGY_MEV, as_array, as_choice, as_edges, as_float, as_int, as_nature
from .backgrounds import accidental_rate, background_model, check_detector, live_days
from .coincidences import RadiativeYield, radiative_distributions
from .detector import Detector
from .quadrature import as_flux
from .statistics import poisson_deviance, profile_normalisation

__all__ = [
    "NORMALISATIONS",
    "OBSERVABLES",
    "asimov_statistic",
    "asimov_significance",
    "kl_divergence",
    "toy_significance",
    "significance_vs_events",
    "events_for_significance",
    "default_energy_edges",
    "photon_templates",
    "accidental_template",
    "discrimination_reach",
]

#: Normalisation treatments of the tested hypothesis.
NORMALISATIONS = ("free", "total")


# --------------------------------------------------------------------------------------------------
# statistics
# --------------------------------------------------------------------------------------------------
def _hist(values, name):
    arr = np.ascontiguousarray(as_array(values, name, nonnegative=True), dtype=np.float64).ravel()
    if arr.size < 2:
        raise ValueError(f"{name} must have at least two bins")
    return arr


def _inputs(expected_true, expected_alt, background):
    t = _hist(expected_true, "expected_true")
    a = _hist(expected_alt, "expected_alt")
    if a.size != t.size:
        raise ValueError("expected_true and expected_alt must have the same number of bins")
    if background is None:
        b = np.zeros_like(t)
    else:
        b = np.ascontiguousarray(
            as_array(background, "background", nonnegative=True), dtype=np.float64
        ).ravel()
        if b.size == 1:
            b = np.full_like(t, b[0])
        if b.size != t.size:
            raise ValueError("background must be a number or have the same number of bins as expected_true")
    if t.sum() <= 0.0:
        raise ValueError("expected_true must contain some events")
    if a.sum() <= 0.0:
        raise ValueError("expected_alt must contain some events")
    return t, a, b


@njit(cache=True)
def _fit_deviance(n, shape, b, free):
    """Deviance of ``theta * shape + b`` against counts ``n`` (theta profiled if free, else 1)."""
    zero = np.zeros_like(n)
    if free:
        theta = profile_normalisation(0.0, zero, b, shape, n, 0.0, 2)
    else:
        theta = 1.0
    return poisson_deviance(0.0, theta, zero, b, shape, n)


@njit(cache=True)
def _toy_statistics(counts, shape_true, shape_alt, b, free, out):
    """t = deviance(H_alt) - deviance(H_true) for each row of ``counts``."""
    for k in range(counts.shape[0]):
        n = counts[k]
        out[k] = _fit_deviance(n, shape_alt, b, free) - _fit_deviance(n, shape_true, b, free)


def _alt_shape(t, a, normalisation):
    normalisation = as_choice(normalisation, "normalisation", NORMALISATIONS)
    if normalisation == "total":
        return a * (t.sum() / a.sum()), False
    return a, True


def asimov_statistic(expected_true, expected_alt, background=None, normalisation="free"):
    """Asimov ``q_A = -2 ln [L(H_alt) / L(H_true)]`` on the ``H_true`` expectation.

    A test of one signal shape against another (e.g. Majorana data against the Dirac hypothesis);
    :func:`radcevns.statistics.asimov_statistic` (same name, other module) is the statistic of an
    upper limit on a signal strength.

    Parameters
    ----------
    expected_true, expected_alt : array_like
        Expected signal events per bin under the true and the tested hypothesis (any normalisation
        for ``expected_alt`` when ``normalisation="free"``).
    background : array_like or float, optional
        Expected background events per bin (known).
    normalisation : {"free", "total"}
        ``"free"``: the ``H_alt`` signal normalisation is profiled (shape-only test);
        ``"total"``: ``expected_alt`` rescaled to the total of ``expected_true``.

    Returns
    -------
    float
    """
    t, a, b = _inputs(expected_true, expected_alt, background)
    shape, free = _alt_shape(t, a, normalisation)
    return float(_fit_deviance(t + b, shape, b, free))


def asimov_significance(expected_true, expected_alt, background=None, normalisation="free"):
    """Median significance ``Z_A = sqrt(q_A)`` for rejecting ``H_alt`` when ``H_true`` holds.

    Arguments as in :func:`asimov_statistic`.
    """
    return math.sqrt(max(asimov_statistic(expected_true, expected_alt, background, normalisation), 0.0))


def kl_divergence(p, q):
    """Kullback-Leibler divergence ``sum p ln(p/q)`` of two histograms, each normalised to 1 first."""
    p = _hist(p, "p")
    q = _hist(q, "q")
    if p.size != q.size:
        raise ValueError("p and q must have the same number of bins")
    if p.sum() <= 0 or q.sum() <= 0:
        raise ValueError("p and q must contain some events")
    p = p / p.sum()
    q = q / q.sum()
    if np.any((q == 0) & (p > 0)):
        return math.inf
    m = p > 0
    return float(np.sum(p[m] * np.log(p[m] / q[m])))


def toy_significance(
    expected_true,
    expected_alt,
    background=None,
    n_toys=20000,
    seed=0,
    normalisation="free",
    n_bootstrap=200,
):
    """Median significance for rejecting ``H_alt`` when ``H_true`` holds, from pseudo-experiments.

    Parameters
    ----------
    expected_true, expected_alt, background, normalisation
        As in :func:`asimov_statistic`.
    n_toys : int
        Pseudo-experiments per hypothesis.
    seed : int
        Seed of the random generator: same inputs, same result.
    n_bootstrap : int
        Bootstrap resamples for the statistical error.

    Returns
    -------
    dict
        ``z`` (``inf`` if no ``H_alt`` toy reaches the median: increase ``n_toys``), ``z_error``
        (bootstrap standard deviation), ``p_value``, ``z_gauss`` (distance of the ``H_true`` median
        from the mean of the ``H_alt`` toys in units of their standard deviation: usable beyond the
        reach of the tail count), ``median_t_true``, ``t_true``, ``t_alt`` (the statistic of every
        toy) and ``z_asimov`` for comparison.
    """
    t, a, b = _inputs(expected_true, expected_alt, background)
    n_toys = as_int(n_toys, "n_toys", minimum=10, maximum=10_000_000)
    n_bootstrap = as_int(n_bootstrap, "n_bootstrap", minimum=0, maximum=100_000)
    seed = as_int(seed, "seed", minimum=0)
    shape, free = _alt_shape(t, a, normalisation)
    # H_alt generated at its best fit to the H_true expectation
    if free:
        theta = profile_normalisation(0.0, np.zeros_like(t), b, shape, t + b, 0.0, 2)
    else:
        theta = 1.0
    mean_alt = theta * shape + b
    rng = np.random.default_rng(seed)
    counts_true = rng.poisson(t + b, size=(n_toys, t.size)).astype(np.float64)
    counts_alt = rng.poisson(mean_alt, size=(n_toys, t.size)).astype(np.float64)
    stat_true = np.empty(n_toys)
    stat_alt = np.empty(n_toys)
    # the true hypothesis always has a free normalisation when the alternative does
    _toy_statistics(counts_true, t, shape, b, free, stat_true)
    _toy_statistics(counts_alt, t, shape, b, free, stat_alt)

    def z_of(st, sa):
        med = np.median(st)
        p = np.count_nonzero(sa >= med) / sa.size
        return (math.inf if p == 0 else float(-ndtri(p))), p, med

    z, p, med = z_of(stat_true, stat_alt)
    spread = float(np.std(stat_alt, ddof=1))
    gap = float(med - np.mean(stat_alt))
    # identical toy statistics (e.g. identical hypotheses): 0 for no gap, +-inf otherwise, never NaN
    z_gauss = gap / spread if spread > 0.0 else (0.0 if gap == 0.0 else math.copysign(math.inf, gap))
    boot = []
    for _ in range(n_bootstrap):
        i = rng.integers(0, n_toys, n_toys)
        j = rng.integers(0, n_toys, n_toys)
        boot.append(z_of(stat_true[i], stat_alt[j])[0])
    boot = np.array(boot)
    finite = boot[np.isfinite(boot)]
    z_err = float(np.std(finite, ddof=1)) if finite.size > 1 else math.inf
    return {
        "z": z,
        "z_error": z_err,
        "p_value": p,
        "z_gauss": z_gauss,
        "median_t_true": float(med),
        "t_true": stat_true,
        "t_alt": stat_alt,
        "z_asimov": asimov_significance(t, a, b, normalisation),
    }


def significance_vs_events(n_events, expected_true, expected_alt, background=None, normalisation="free"):
    """Asimov significance when the true signal totals ``n_events`` events (shapes from the templates).

    Parameters
    ----------
    n_events : array_like
        Expected signal events under ``H_true`` (> 0).
    expected_true, expected_alt : array_like
        Templates (any normalisation) of the true and the tested hypothesis.
    background : array_like or float, optional
        Expected background events per bin (not rescaled).
    normalisation : {"free", "total"}

    Returns
    -------
    float or ndarray
        ``Z_A``; without background it grows as ``sqrt(n_events)``.
    """
    n = as_array(n_events, "n_events", positive=True)
    t, a, b = _inputs(expected_true, expected_alt, background)
    shape = t / t.sum()
    out = np.array([asimov_significance(k * shape, a, b, normalisation) for k in n.ravel()])
    return out.reshape(n.shape) if n.ndim else float(out[0])


def events_for_significance(z, expected_true, expected_alt):
    """Signal events needed for a median significance ``z`` without background: ``z^2 / (2 KL)``."""
    z = as_array(z, "z", positive=True, maximum=1e150)
    kl = kl_divergence(expected_true, expected_alt)
    if kl <= 0.0:
        return np.full(z.shape, math.inf) if z.ndim else math.inf
    out = z**2 / (2.0 * kl)
    return out if z.ndim else float(out)


# --------------------------------------------------------------------------------------------------
# physics: photon templates at NUCLEUS and the reach in (m_N, mu)
# --------------------------------------------------------------------------------------------------
#: Observables understood by :func:`photon_templates`.
OBSERVABLES = ("energy", "angle")
#: Moment (mu_B) at which the long-lived templates are evaluated.
_MU_SHAPE = 1e-10


def default_energy_edges(detector, top_MeV=8.0, n_bins=32):
    """Measured photon-energy bins: ``n_bins`` equal bins from the low window edge to ``top_MeV``.

    ``n_bins`` is an integer in [1, 2000]; ``top_MeV`` must lie above the low edge of the photon window.
    """
    check_detector(detector)
    n_bins = as_int(n_bins, "n_bins", minimum=1, maximum=MAX_EDGES - 1)
    top_MeV = as_float(top_MeV, "top_MeV", positive=True, maximum=MAX_ENERGY_MEV)
    lo, hi = detector.photon_window_MeV
    if not min(hi, top_MeV) > lo:
        raise ValueError(
            f"top_MeV must be above the low edge of the photon window ({lo:g} MeV), got {top_MeV:g}"
        )
    return np.linspace(lo, min(hi, top_MeV), n_bins + 1)


def photon_templates(
    m_N: float,
    detector: Detector,
    mu: float,
    *,
    natures=("dirac", "majorana"),
    flux=None,
    observable: str = "energy",
    edges=None,
    form_factor="helm",
    cos_method="quadrature",
    n_events=400_000,
    seed=0,
):
    """Expected detected radiative coincidences per calendar day in bins of a photon observable.

    Parameters
    ----------
    m_N : float
        Sterile-neutrino mass in MeV.
    detector : radcevns.detector.Detector
    mu : float
        Transition moment mu_{nu_e N} in mu_B (production and decay, convention A).
    natures : sequence of {"dirac", "majorana"}
    flux : flux object, optional
    observable : {"energy", "angle"}
        Measured photon energy (flux-folded, efficiency, window and Gaussian resolution of the
        detector) or cos(theta_gamma) to the beam.
    edges : array_like, optional
        Bin edges (MeV, or in cos theta); default :func:`default_energy_edges` or 20 bins in [-1, 1].
    cos_method, n_events, seed
        Passed to :func:`radcevns.coincidences.radiative_distributions` for the angle (``"quadrature"``
        is exact and slow, ``"mc"`` uses ``n_events`` weighted events with ``seed``).

    Returns
    -------
    dict
        ``{"edges": edges, nature: counts per day per bin, ...}``.
    """
    check_detector(detector)
    observable = as_choice(observable, "observable", OBSERVABLES)
    if not isinstance(natures, str | list | tuple):
        raise TypeError(f"natures must be 'dirac', 'majorana' or a list/tuple of them, got {natures!r:.60}")
    nats = tuple(as_nature(n) for n in ((natures,) if isinstance(natures, str) else natures))
    if not nats:
        raise ValueError("natures must not be empty")
    if edges is None:
        edges = default_energy_edges(detector) if observable == "energy" else np.linspace(-1.0, 1.0, 21)
    if observable == "angle":
        edges = as_edges(edges, "edges", minimum=-1.0, maximum=1.0)
    else:
        edges = as_edges(edges, "edges", minimum=0.0, maximum=MAX_ENERGY_MEV)
    out = {"edges": edges}
    for nat in nats:
        if observable == "energy":
            # the angular histogram is not used: a cheap Monte Carlo keeps it out of the way
            d = radiative_distributions(
                m_N,
                detector,
                mu,
                nature=nat,
                flux=flux,
                energy_edges=edges,
                cos_edges=np.array([-1.0, 1.0]),
                cos_method="mc",
                n_events=100,
                seed=seed,
                form_factor=form_factor,
            )
            out[nat] = np.asarray(d.smeared_counts, dtype=np.float64)
        else:
            d = radiative_distributions(
                m_N,
                detector,
                mu,
                nature=nat,
                flux=flux,
                energy_edges=default_energy_edges(detector, n_bins=4),
                cos_edges=edges,
                cos_method=cos_method,
                n_events=n_events,
                seed=seed,
                form_factor=form_factor,
            )
            out[nat] = np.asarray(d.cos_counts, dtype=np.float64)
    return out


def accidental_template(detector, edges, observable="energy"):
    """Shape of the accidental coincidences in the bins (sums to 1): flat in the measured photon energy
    over the photon window (our assumption), uniform in cos(theta_gamma)."""
    check_detector(detector)
    observable = as_choice(observable, "observable", OBSERVABLES)
    if observable == "angle":
        edges = as_edges(edges, "edges", minimum=-1.0, maximum=1.0)
    else:
        edges = as_edges(edges, "edges", minimum=0.0, maximum=MAX_ENERGY_MEV)
    if observable == "angle":
        lo, hi = -1.0, 1.0
    else:
        lo, hi = detector.photon_window_MeV
        hi = min(hi, 20.0)
    overlap = np.clip(np.minimum(edges[1:], hi) - np.maximum(edges[:-1], lo), 0.0, None)
    return overlap / (hi - lo)


def _solve_z(zfun, z, mu0):
    """Smallest mu with zfun(mu) = z (zfun increasing), Brent's method on ln mu."""
    from scipy.optimize import brentq

    def f(u):
        return zfun(math.exp(u)) - z

    u0 = math.log(mu0)
    f0 = f(u0)
    step = 1.0 if f0 < 0 else -1.0
    u1 = u0 + step
    f1 = f(u1)
    for _ in range(80):
        if (f1 > 0) != (f0 > 0):
            break
        u0, f0 = u1, f1
        u1 += step
        f1 = f(u1)
    else:
        return math.inf
    lo, hi = sorted((u0, u1))
    return math.exp(brentq(f, lo, hi, xtol=1e-8))


def discrimination_reach(
    m_N,
    detector: Detector,
    exposure_kg_yr: float,
    *,
    z: float = 3.0,
    true_nature: str = "majorana",
    flux=None,
    edges=None,
    normalisation="free",
    form_factor="helm",
    max_iterations=4,
    **background,
):
    """Smallest mu_{nu_e N} (mu_B) at which the expected significance for rejecting the other nature is ``z``.

    The true hypothesis (``true_nature``, moment mu) is tested against the other nature with a free
    normalisation (shape-only), on the measured photon-energy spectrum with the accidental background
    of :func:`radcevns.backgrounds.accidental_rate` (flat in energy). The number of signal events is
    the exact radiative rate of :class:`radcevns.coincidences.RadiativeYield` times the exposure; the
    shapes are computed at the solution mu and the solution is iterated until it is stable (they only
    depend on mu once N stops being long-lived).

    Parameters
    ----------
    m_N : array_like
        Masses in MeV.
    detector : Detector
    exposure_kg_yr : float
    z : float
        Required median significance (default 3).
    true_nature : {"dirac", "majorana"}
    flux, edges, normalisation, form_factor
        As in :func:`photon_templates` and :func:`asimov_statistic`.
    **background
        Fields of :class:`radcevns.backgrounds.BackgroundModel` (accidentals, veto rate, ...).

    Returns
    -------
    float or ndarray
        mu in mu_B (``inf`` where the mode has no reach).
    """
    masses = as_array(m_N, "m_N", positive=True, maximum=MAX_ENERGY_MEV)
    z = as_float(z, "z", positive=True, maximum=40.0)
    max_iterations = as_int(max_iterations, "max_iterations", minimum=1, maximum=100)
    true_nature = as_nature(true_nature)
    alt_nature = "dirac" if true_nature == "majorana" else "majorana"
    det = check_detector(detector)
    exposure = as_float(exposure_kg_yr, "exposure_kg_yr", positive=True)
    bg = background_model(**background)
    fl = as_flux(flux)
    days = float(live_days(det, exposure))
    if edges is None:
        edges = default_energy_edges(det)
    edges = as_edges(edges, "edges", minimum=0.0, maximum=MAX_ENERGY_MEV)
    b = accidental_rate(det, flux=fl, background=bg) * days * accidental_template(det, edges)
    out = []
    for m in masses.ravel():
        m = float(m)
        y = RadiativeYield(m, det, (true_nature,), flux=fl, form_factor=form_factor)
        if not y(_MU_SHAPE, true_nature) > 0.0:
            out.append(math.inf)
            continue
        mu_shape = _MU_SHAPE
        mu_sol = math.inf
        for _ in range(int(max_iterations)):
            tpl = photon_templates(
                m,
                det,
                mu_shape,
                natures=(true_nature, alt_nature),
                flux=fl,
                edges=edges,
                form_factor=form_factor,
            )
            t_shape = tpl[true_nature] / tpl[true_nature].sum()
            alt = tpl[alt_nature]

            def zfun(mu, t_shape=t_shape, alt=alt, y=y):
                n_sig = y(mu, true_nature) * days
                return asimov_significance(n_sig * t_shape, alt, b, normalisation)

            n_needed = events_for_significance(z, t_shape, alt)
            ref = y(_MU_SHAPE, true_nature) * days
            mu0 = _MU_SHAPE * (max(n_needed, 1e-300) / ref) ** 0.25 if math.isfinite(n_needed) else 1e-6
            new = _solve_z(zfun, z, mu0)
            if not math.isfinite(new):
                mu_sol = math.inf
                break
            converged = math.isfinite(mu_sol) and abs(new / mu_sol - 1.0) < 1e-3
            mu_sol = new
            if converged:
                break
            mu_shape = mu_sol
        out.append(mu_sol)
    res = np.array(out).reshape(masses.shape)
    return res if masses.ndim else float(res)
