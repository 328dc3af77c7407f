"""Conversions between the normalisations of the transition magnetic moment.

radcevns uses **convention A** everywhere (that of P. D. Bolton et al., arXiv:2110.02233,
Phys. Rev. D 106 (2022) 035036)::

    L  >  (mu / 2) * nubar_L sigma^{alpha beta} N_R F_{alpha beta} + h.c.,

with ``mu`` quoted in Bohr magnetons (``mu_hat = mu / mu_B``), mu_B = e / (2 m_e).
In this convention Gamma_Dirac(N -> nu gamma) = mu^2 m_N^3 / (16 pi) and the
Primakoff prefactor is alpha Z^2 mu^2.

Other conventions in the literature:

* the "dipole" ``d`` of Magill et al. (arXiv:1803.03262) and the HNLimits collection,
  ``L > d * nubar_L sigma N F + h.c.``, usually in GeV^-1: ``d = mu / 2``;
* DarkNews 0.4.8 (arXiv:2207.04137): its input ``mu_tr`` (GeV^-1) is ``mu`` itself; it stores
  ``t = mu_tr / 2 = d`` internally (appendix A1 of the book compares the two codes);
* the "no one-half" moment ``mu'`` with ``L > mu' nubar_L sigma N F + h.c.``:
  ``mu' = mu / 2`` (same as ``d``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, scalar_or_array
from .constants import MU_B_PER_MEV

__all__ = [
    "mu_bohr_to_per_mev",
    "mu_per_mev_to_bohr",
    "mu_bohr_to_dipole_d_per_gev",
    "dipole_d_per_gev_to_mu_bohr",
    "mu_prime_to_mu",
    "mu_to_mu_prime",
]


def mu_bohr_to_per_mev(mu_bohr: ArrayLike) -> float | np.ndarray:
    """Convert a moment from Bohr magnetons to natural units (MeV^-1).

    Parameters
    ----------
    mu_bohr : array_like
        Transition moment in units of mu_B (convention A).

    Returns
    -------
    float or ndarray
        The same moment in MeV^-1 (1 mu_B = 0.2963 MeV^-1).

    Examples
    --------
    >>> from radcevns import conventions
    >>> round(conventions.mu_bohr_to_per_mev(1.0), 6)
    0.296304
    """
    return scalar_or_array(as_array(mu_bohr, "mu_bohr") * MU_B_PER_MEV)


def mu_per_mev_to_bohr(mu_per_mev: ArrayLike) -> float | np.ndarray:
    """Convert a moment in MeV^-1 (convention A) to Bohr magnetons.

    Examples
    --------
    >>> from radcevns import conventions
    >>> round(conventions.mu_per_mev_to_bohr(conventions.mu_bohr_to_per_mev(3e-8)) / 3e-8, 12)
    1.0
    """
    return scalar_or_array(as_array(mu_per_mev, "mu_per_mev") / MU_B_PER_MEV)


def mu_bohr_to_dipole_d_per_gev(mu_bohr: ArrayLike) -> float | np.ndarray:
    """Convert mu (convention A, in mu_B) to the dipole ``d`` in GeV^-1.

    ``d = mu / 2`` with mu_B = 296.3 GeV^-1, i.e. ``d = 148.15 GeV^-1 * mu / mu_B``.
    This is the normalisation of Magill et al. (arXiv:1803.03262) and of the HNLimits limit
    files (DarkNews' input ``mu_tr`` is ``mu`` itself, in GeV^-1; its internal ``t`` is ``d``).

    Examples
    --------
    >>> from radcevns import conventions
    >>> f"{conventions.mu_bohr_to_dipole_d_per_gev(1e-9):.4e}"
    '1.4815e-07'
    """
    return scalar_or_array(as_array(mu_bohr, "mu_bohr") * MU_B_PER_MEV * 1e3 / 2.0)


def dipole_d_per_gev_to_mu_bohr(d_per_gev: ArrayLike) -> float | np.ndarray:
    """Convert the dipole ``d`` in GeV^-1 to mu (convention A) in Bohr magnetons.

    Examples
    --------
    >>> from radcevns import conventions
    >>> d = conventions.mu_bohr_to_dipole_d_per_gev(1e-9)
    >>> round(conventions.dipole_d_per_gev_to_mu_bohr(d) / 1e-9, 12)
    1.0
    """
    return scalar_or_array(as_array(d_per_gev, "d_per_gev") * 2.0 / (MU_B_PER_MEV * 1e3))


def mu_prime_to_mu(mu_prime: ArrayLike) -> float | np.ndarray:
    """Convert a "no one-half" moment ``mu'`` (L > mu' nubar sigma N F) to convention A.

    Works in any unit: the result is in the unit of the input (``mu = 2 mu'``).

    Examples
    --------
    >>> from radcevns import conventions
    >>> conventions.mu_prime_to_mu(1.5e-8)
    3e-08
    """
    return scalar_or_array(2.0 * as_array(mu_prime, "mu_prime"))


def mu_to_mu_prime(mu: ArrayLike) -> float | np.ndarray:
    """Convert convention-A ``mu`` to the "no one-half" moment ``mu' = mu / 2`` (same unit as the input).

    Examples
    --------
    >>> from radcevns import conventions
    >>> conventions.mu_to_mu_prime(3e-8)
    1.5e-08
    """
    return scalar_or_array(np.asarray(as_array(mu, "mu")) / 2.0)
