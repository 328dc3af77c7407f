"""Radiative decay N -> nu gamma through the transition magnetic moment.

Convention A (see :mod:`radcevns.conventions`; P. D. Bolton et al., arXiv:2110.02233,
Phys. Rev. D 106 (2022) 035036): for a Dirac N,

.. math::

    \\Gamma_D(N \\to \\nu_L \\gamma) = \\frac{\\mu^2 m_N^3}{16\\pi}
    = \\frac{\\alpha \\hat\\mu^2 m_N^3}{16 m_e^2},

and a Majorana N decays to both ``nu gamma`` and ``nubar gamma`` with equal rates,
so ``Gamma_M = 2 Gamma_D`` at equal ``mu``.  A massive daughter (``N -> N' gamma``)
multiplies the width by ``(1 - m'^2/m_N^2)^3``.

Two lengths appear and are kept apart by their names: the *mean* lab-frame decay length of N,
:func:`mean_decay_length`, and the length of the region within which N must decay,
``decay_length_cm`` (an argument of :func:`decay_probability`, as of the detector model).

Units: masses and energies in MeV, widths in MeV, lengths in cm, times in s,
``mu`` in Bohr magnetons.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from numba import njit
from numpy.typing import ArrayLike

from ._validate import as_array, as_energy, as_moment, as_nature, broadcast, scalar_or_array
from .constants import HBAR_MEV_S, HBARC_MEV_CM, MU_B_PER_MEV

__all__ = [
    "width",
    "branching_ratios",
    "lifetime",
    "mean_decay_length",
    "decay_probability",
    "decay_probability_kernel",
]


@njit(cache=True, nogil=True, error_model="numpy")
def decay_probability_kernel(kappa, p_N):
    """``1 - exp(-kappa / p_N)`` without cancellation; 1 for ``kappa = inf``.

    ``kappa = L m_N Gamma / (hbar c)`` (MeV) for a decay region of length ``L``; ``p_N`` in MeV.
    """
    if math.isinf(kappa):
        return 1.0
    return -math.expm1(-kappa / p_N)


def _channel_width(m_N, mu, daughter_mass, nature):
    m = as_energy(m_N, "m_N")
    mu = as_moment(mu, "mu")
    md = as_energy(daughter_mass, "daughter_mass")
    broadcast(("m_N", m), ("mu", mu), ("daughter_mass", md))
    open_ = m > md
    ratio = np.where(open_, md / np.where(m > 0, m, 1.0), 1.0)
    phase_space = np.where(open_, (1.0 - ratio**2) ** 3, 0.0)
    gamma = (mu * MU_B_PER_MEV) ** 2 * m**3 / (16.0 * np.pi) * phase_space
    return gamma * (2.0 if nature == "majorana" else 1.0)


def width(
    m_N: ArrayLike,
    mu: ArrayLike | Mapping,
    *,
    nature: str = "dirac",
    daughter_mass: ArrayLike | Mapping = 0.0,
) -> float | np.ndarray:
    """Decay width Gamma(N -> nu gamma) in MeV.

    Parameters
    ----------
    m_N : array_like
        Sterile-neutrino mass in MeV.
    mu : array_like or mapping
        Transition moment(s) in Bohr magnetons (convention A).  A mapping
        ``{"e": mu_e, "mu": mu_mu, ...}`` sums the widths of all final channels.
    nature : {"dirac", "majorana"}
        A Majorana N has twice the Dirac width (nu gamma and nubar gamma).
    daughter_mass : array_like or mapping
        Mass in MeV of the daughter (0 for a light neutrino; ``m_N'`` for N -> N' gamma).
        With a mapping for ``mu``, a mapping with the same keys (missing keys mean 0).

    Returns
    -------
    float or ndarray
        Width in MeV; exactly 0 where the channel is closed.

    Examples
    --------
    >>> from radcevns import decay
    >>> f"{decay.width(1.0, 3e-8):.4e}"
    '1.5720e-18'
    >>> decay.width(1.0, 3e-8, nature="majorana") / decay.width(1.0, 3e-8)
    2.0
    """
    nature = as_nature(nature)
    if isinstance(mu, Mapping):
        if not mu:
            raise ValueError("mu mapping must contain at least one channel")
        masses = daughter_mass if isinstance(daughter_mass, Mapping) else {}
        if not isinstance(daughter_mass, Mapping) and np.any(as_energy(daughter_mass, "daughter_mass") != 0):
            raise ValueError("daughter_mass must be a mapping when mu is a mapping")
        unknown = set(masses) - set(mu)
        if unknown:
            raise ValueError(f"daughter_mass has channels not in mu: {sorted(unknown)}")
        total = sum(_channel_width(m_N, mu_c, masses.get(key, 0.0), nature) for key, mu_c in mu.items())
        return scalar_or_array(total)
    return scalar_or_array(_channel_width(m_N, mu, daughter_mass, nature))


def branching_ratios(
    m_N: ArrayLike, mu: Mapping, *, nature: str = "dirac", daughter_mass: Mapping | None = None
) -> dict:
    """Branching ratios of N into the channels of the mapping ``mu`` (see :func:`width`).

    Parameters
    ----------
    m_N : array_like
        Sterile-neutrino mass in MeV.
    mu : mapping
        ``{channel: moment in Bohr magnetons}``.
    nature : {"dirac", "majorana"}
    daughter_mass : mapping, optional
        ``{channel: daughter mass in MeV}`` (missing keys mean 0).

    Returns
    -------
    dict
        Channel -> branching ratio (arrays broadcast over ``m_N``); N -> nu gamma is taken as
        the only decay mode (N -> nu e+ e- is O(alpha/pi) below 10 MeV and neglected).
    """
    if not isinstance(mu, Mapping) or not mu:
        raise TypeError(f"mu must be a non-empty mapping {{channel: moment in mu_B}}, got {mu!r:.60}")
    nature = as_nature(nature)
    if daughter_mass is not None and not isinstance(daughter_mass, Mapping):
        raise TypeError(
            f"daughter_mass must be None or a mapping {{channel: mass in MeV}}, got {daughter_mass!r:.60}"
        )
    masses = daughter_mass or {}
    unknown = set(masses) - set(mu)
    if unknown:
        raise ValueError(f"daughter_mass has channels not in mu: {sorted(map(str, unknown))}")
    parts = {k: _channel_width(m_N, v, masses.get(k, 0.0), nature) for k, v in mu.items()}
    total = sum(parts.values())
    safe = np.where(total > 0, total, 1.0)
    return {k: scalar_or_array(np.where(total > 0, v / safe, 0.0)) for k, v in parts.items()}


def lifetime(
    m_N: ArrayLike,
    mu: ArrayLike | Mapping,
    *,
    nature: str = "dirac",
    daughter_mass: ArrayLike | Mapping = 0.0,
) -> float | np.ndarray:
    """Rest-frame lifetime of N in seconds (``hbar / Gamma``); ``inf`` for a vanishing width.

    Parameters as in :func:`width`.
    """
    g = np.asarray(width(m_N, mu, nature=nature, daughter_mass=daughter_mass))
    with np.errstate(divide="ignore"):
        tau = np.where(g > 0, HBAR_MEV_S / np.where(g > 0, g, 1.0), np.inf)
    return scalar_or_array(tau)


def mean_decay_length(
    E_N: ArrayLike,
    m_N: ArrayLike,
    mu: ArrayLike | Mapping,
    *,
    nature: str = "dirac",
    daughter_mass: ArrayLike | Mapping = 0.0,
) -> float | np.ndarray:
    """Mean lab-frame decay length ``gamma beta c tau = (p_N / m_N) hbar c / Gamma`` of N, in cm.

    Not to be confused with ``decay_length_cm``, the length of the region within which N must
    decay (see :func:`decay_probability`).

    Parameters
    ----------
    E_N : array_like
        Lab energy of N in MeV (must be >= m_N).
    m_N : array_like
        Mass in MeV (> 0).
    mu, nature, daughter_mass
        As in :func:`width`.

    Returns
    -------
    float or ndarray
        Mean decay length in cm (``inf`` if the width vanishes).
    """
    E_N = as_energy(E_N, "E_N")
    m = as_energy(m_N, "m_N", positive=True)
    E_N, m = broadcast(("E_N", E_N), ("m_N", m))
    if np.any(E_N < m):
        raise ValueError("E_N must be >= m_N (N on shell)")
    p = np.sqrt(np.maximum(E_N**2 - m**2, 0.0))
    g = np.asarray(width(m, mu, nature=nature, daughter_mass=daughter_mass))
    with np.errstate(divide="ignore"):
        lam = np.where(g > 0, p / m * HBARC_MEV_CM / np.where(g > 0, g, 1.0), np.inf)
    return scalar_or_array(lam)


def decay_probability(
    E_N: ArrayLike,
    m_N: ArrayLike,
    mu: ArrayLike | Mapping,
    *,
    decay_length_cm: ArrayLike | None,
    nature: str = "dirac",
    daughter_mass: ArrayLike | Mapping = 0.0,
) -> float | np.ndarray:
    """Probability ``1 - exp(-L / lambda)`` that N decays within ``L = decay_length_cm``.

    ``lambda`` is the mean decay length (:func:`mean_decay_length`).  Computed with ``expm1`` so
    that the long-lived regime ``P ~ L / lambda`` keeps full precision.

    Parameters
    ----------
    E_N : array_like
        Lab energy of N in MeV (must be >= m_N).
    m_N : array_like
        Mass in MeV (> 0).
    mu : array_like or mapping
        Transition moment(s) in Bohr magnetons, as in :func:`width`.
    decay_length_cm : array_like or None
        Length in cm of the region within which N must decay; ``None`` or ``inf``: every N
        decays (probability 1).
    nature, daughter_mass
        As in :func:`width`.

    Returns
    -------
    float or ndarray
        Probability in [0, 1]: exactly 0 for ``decay_length_cm = 0`` (also for N at rest) and for a
        vanishing width; exactly 1 for N at rest (``E_N = m_N``) in a region of length > 0.

    Examples
    --------
    >>> from radcevns import decay
    >>> f"{decay.decay_probability(5.0, 2.0, 3e-8, decay_length_cm=5.0):.4e}"
    '1.3907e-06'
    >>> decay.decay_probability(5.0, 2.0, 3e-8, decay_length_cm=None)
    1.0
    """
    # every argument is checked, also when decay_length_cm is None
    lam = np.asarray(mean_decay_length(E_N, m_N, mu, nature=nature, daughter_mass=daughter_mass))
    if decay_length_cm is None:
        return scalar_or_array(np.ones(lam.shape))
    L = as_array(decay_length_cm, "decay_length_cm", nonnegative=True, finite=False)
    broadcast(("E_N", lam), ("decay_length_cm", L))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        x = np.where(np.isinf(L), np.inf, L / np.where(np.isinf(lam) | (lam == 0), 1.0, lam))
        x = np.where((lam == 0) & (L > 0), np.inf, x)  # N at rest: decays at once
        x = np.where(L == 0, 0.0, x)  # no decay region
        x = np.where(np.isinf(lam), 0.0, x)  # vanishing width: never decays
    return scalar_or_array(-np.expm1(-x))
