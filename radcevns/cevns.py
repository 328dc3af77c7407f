"""Standard-Model CEvNS and the diagonal neutrino magnetic-moment term.

SM coherent elastic scattering (NUCLEUS, EPJC 79 (2019) 1018, eq. 1):

.. math::
    \\frac{d\\sigma}{dE_R} = \\frac{G_F^2 M}{4\\pi} Q_W^2 F^2(q)
    \\Big(1 - \\frac{M E_R}{2E_\\nu^2} - \\frac{E_R}{E_\\nu}\\Big),

    Q_W = N - Z(1 - 4\\sin^2\\theta_W).

Diagonal magnetic moment (incoherent with the SM term), the ``m_N -> 0`` limit of the
Primakoff upscattering:

.. math::
    \\frac{d\\sigma}{dE_R} = \\frac{\\pi\\alpha^2\\hat\\mu^2}{m_e^2} Z^2 F^2
    \\Big(\\frac{1}{E_R} - \\frac{1}{E_\\nu}\\Big).

Units: MeV and cm^2/MeV; ``mu`` in Bohr magnetons.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numpy.typing import ArrayLike

from ._validate import as_energy, as_float, as_moment, as_nodes, broadcast, scalar_or_array
from .constants import ALPHA, G_FERMI, M_ELECTRON, MEV2_TO_CM2, SIN2_THETA_W
from .nuclear import Target, form_factor_code, form_factor_kernel, target_arrays

__all__ = [
    "weak_charge",
    "max_recoil",
    "min_neutrino_energy",
    "dsigma_dER",
    "magnetic_moment_dsigma_dER",
    "sigma",
    "dsigma_kernel",
    "dsigma_coefficients_kernel",
]


@njit(cache=True)
def dsigma_kernel(E, E_R, Z, N, A, M, sin2w, ff_code):
    """SM dsigma/dE_R in MeV^-3 for one isotope; 0 outside the range.

    Numba kernel, no input checks, natural units: ``E``, ``E_R``, ``M`` in MeV, ``Z``, ``N``, ``A``
    the proton, neutron and mass numbers, ``sin2w`` the weak mixing angle, ``ff_code`` from
    :func:`radcevns.nuclear.form_factor_code`.
    """
    if E <= 0.0 or E_R <= 0.0:
        return 0.0
    er_max = 2.0 * E * E / (M + 2.0 * E)
    if E_R > er_max:
        return 0.0
    qw = N - Z * (1.0 - 4.0 * sin2w)
    q = math.sqrt(2.0 * M * E_R + E_R * E_R)
    F = form_factor_kernel(q, A, ff_code)
    kin = 1.0 - M * E_R / (2.0 * E * E) - E_R / E
    if kin < 0.0:
        kin = 0.0
    return 1.1663787e-11 * 1.1663787e-11 * M / (4.0 * math.pi) * qw * qw * F * F * kin


@njit(cache=True)
def dsigma_coefficients_kernel(E_R, Z, N, A, M, sin2w, ff_code):
    """``(c0, c1, c2)`` with SM ``dsigma/dE_R = c0 + c1/E + c2/E^2`` (MeV^-3) for ``E >= E_nu^min(E_R)``.

    Numba kernel, no input checks, natural units (arguments as :func:`dsigma_kernel`): the kinematic
    factor ``1 - M E_R/(2E^2) - E_R/E`` is a polynomial in ``1/E``, non-negative exactly where the
    recoil is allowed, ``E >= (E_R + sqrt(E_R^2 + 2 M E_R)) / 2``. Returns zeros for ``E_R <= 0``.
    """
    if E_R <= 0.0:
        return 0.0, 0.0, 0.0
    qw = N - Z * (1.0 - 4.0 * sin2w)
    q = math.sqrt(2.0 * M * E_R + E_R * E_R)
    F = form_factor_kernel(q, A, ff_code)
    c0 = G_FERMI * G_FERMI * M / (4.0 * math.pi) * qw * qw * F * F
    return c0, -c0 * E_R, -c0 * 0.5 * M * E_R


@njit(cache=True)
def _mm_kernel(E, E_R, Z, A, M, ff_code):
    """Diagonal magnetic-moment dsigma/dE_R / (pi alpha^2 mu_hat^2 / m_e^2), in MeV^-1."""
    if E <= 0.0 or E_R <= 0.0:
        return 0.0
    er_max = 2.0 * E * E / (M + 2.0 * E)
    if E_R > er_max:
        return 0.0
    q = math.sqrt(2.0 * M * E_R + E_R * E_R)
    F = form_factor_kernel(q, A, ff_code)
    val = 1.0 / E_R - 1.0 / E
    if val < 0.0:
        val = 0.0
    return Z * Z * F * F * val


@njit(cache=True)
def _sum_sm(E, R, Z, Nn, A, M, w, sin2w, code, out):
    for i in range(E.shape[0]):
        acc = 0.0
        for j in range(Z.shape[0]):
            acc += w[j] * dsigma_kernel(E[i], R[i], Z[j], Nn[j], A[j], M[j], sin2w, code)
        out[i] = acc


@njit(cache=True)
def _sum_mm(E, R, Z, A, M, w, code, out):
    for i in range(E.shape[0]):
        acc = 0.0
        for j in range(Z.shape[0]):
            acc += w[j] * _mm_kernel(E[i], R[i], Z[j], A[j], M[j], code)
        out[i] = acc


assert abs(G_FERMI - 1.1663787e-11) < 1e-20  # value hard-coded in dsigma_kernel (CODATA 2018/2022)


def _grid(E_nu, E_R):
    E = as_energy(E_nu, "E_nu")
    R = as_energy(E_R, "E_R")
    E, R = broadcast(("E_nu", E), ("E_R", R))
    return np.ascontiguousarray(E).ravel(), np.ascontiguousarray(R).ravel(), E.shape


def weak_charge(target: Target, *, sin2_theta_w: float = SIN2_THETA_W) -> float:
    """Weak nuclear charge ``Q_W = N - Z (1 - 4 sin^2 theta_W)`` (weighted sum for composite targets).

    Parameters
    ----------
    target : str, Nucleus, Element or Compound
        Per atom (element) or per formula unit (compound).
    sin2_theta_w : float
        Low-energy weak mixing angle.

    Returns
    -------
    float
        Dimensionless weak charge.
    """
    sin2_theta_w = as_float(sin2_theta_w, "sin2_theta_w", minimum=0.0, maximum=1.0)
    Z, A, _, w = target_arrays(target)
    return float(np.sum(w * ((A - Z) - Z * (1.0 - 4.0 * sin2_theta_w))))


def max_recoil(E_nu: ArrayLike, target: Target) -> float | np.ndarray:
    """Maximum elastic recoil energy ``2 E^2 / (M + 2E)`` in MeV (lightest isotope: the largest value).

    Parameters
    ----------
    E_nu : array_like
        Neutrino energy in MeV.
    target : str, Nucleus, Element or Compound

    Returns
    -------
    float or ndarray
        Recoil energy in MeV.
    """
    E = as_energy(E_nu, "E_nu")
    _, _, M, _ = target_arrays(target)
    return scalar_or_array(2.0 * E**2 / (M.min() + 2.0 * E))


def min_neutrino_energy(E_R: ArrayLike, target: Target) -> float | np.ndarray:
    """Minimum neutrino energy (MeV) to produce a recoil ``E_R``: ``[E_R + sqrt(E_R^2 + 2 M E_R)] / 2``.

    For a composite target the lightest isotope's (smallest) value is returned.

    Parameters
    ----------
    E_R : array_like
        Recoil energy in MeV.
    target : str, Nucleus, Element or Compound

    Returns
    -------
    float or ndarray
        Neutrino energy in MeV.
    """
    R = as_energy(E_R, "E_R")
    _, _, M, _ = target_arrays(target)
    return scalar_or_array(0.5 * (R + np.sqrt(R**2 + 2.0 * M.min() * R)))


def dsigma_dER(
    E_nu: ArrayLike,
    E_R: ArrayLike,
    target: Target,
    *,
    form_factor: str = "helm",
    sin2_theta_w: float = SIN2_THETA_W,
) -> float | np.ndarray:
    """Standard-Model CEvNS differential cross section in cm^2 / MeV.

    Parameters
    ----------
    E_nu, E_R : array_like
        Neutrino energy and nuclear recoil energy in MeV.
    target : str, Nucleus, Element or Compound
        Composite targets: per atom (element) or per formula unit (compound).
    form_factor : {"helm", "klein-nystrand", "none"}
        For CEvNS the weak (neutron) distribution matters; the Helm form with the
        charge radius parameters is the customary approximation (sub-percent at reactor energies).
    sin2_theta_w : float
        Low-energy weak mixing angle (default 0.2387).

    Returns
    -------
    float or ndarray
        cm^2 / MeV per target unit; exactly 0 above the maximum recoil.
    """
    E, R, shape = _grid(E_nu, E_R)
    sin2_theta_w = as_float(sin2_theta_w, "sin2_theta_w", minimum=0.0, maximum=1.0)
    Z, A, M, w = target_arrays(target)
    out = np.empty(E.size)
    _sum_sm(E, R, Z, A - Z, A, M, w, sin2_theta_w, form_factor_code(form_factor), out)
    return scalar_or_array((out * MEV2_TO_CM2).reshape(shape))


def magnetic_moment_dsigma_dER(
    E_nu: ArrayLike, E_R: ArrayLike, target: Target, mu: ArrayLike, *, form_factor: str = "helm"
) -> float | np.ndarray:
    """Diagonal (or effective) neutrino magnetic-moment cross section in cm^2 / MeV.

    ``(pi alpha^2 mu_hat^2 / m_e^2) Z^2 F^2 (1/E_R - 1/E_nu)``, ``mu`` in Bohr magnetons.
    This is the ``m_N -> 0`` limit of :func:`radcevns.primakoff.dsigma_dER` (up to the
    negligible spin-0 recoil term ``E_R / (4 E_nu^2)``).

    Parameters
    ----------
    E_nu, E_R : array_like
        Neutrino and recoil energies in MeV.
    target : str, Nucleus, Element or Compound
    mu : array_like
        Magnetic moment in Bohr magnetons.
    form_factor : {"helm", "klein-nystrand", "none"}

    Returns
    -------
    float or ndarray
        cm^2 / MeV per target unit; exactly 0 for ``mu = 0`` or above the maximum recoil, ``inf`` where
        the ``1/E_R`` growth overflows (``E_R`` below about 1e-300 MeV).
    """
    E, R, shape = _grid(E_nu, E_R)
    mu = as_moment(mu, "mu")
    broadcast(("E_nu", E.reshape(shape)), ("mu", mu))
    Z, A, M, w = target_arrays(target)
    out = np.empty(E.size)
    _sum_mm(E, R, Z, A, M, w, form_factor_code(form_factor), out)
    pref = np.pi * ALPHA**2 / M_ELECTRON**2 * MEV2_TO_CM2
    coef = pref * mu**2
    with np.errstate(over="ignore"):  # E_R -> 0 (subnormal): the 1/E_R divergence is an explicit inf
        val = out.reshape(shape) * np.where(coef > 0, coef, 1.0)
    return scalar_or_array(np.where((coef > 0) & (out.reshape(shape) != 0), val, 0.0))


def sigma(
    E_nu: ArrayLike,
    target: Target,
    *,
    form_factor: str = "helm",
    sin2_theta_w: float = SIN2_THETA_W,
    n_points: int = 96,
) -> float | np.ndarray:
    """Total SM CEvNS cross section in cm^2 (Gauss-Legendre integral over the recoil range).

    Parameters
    ----------
    E_nu : array_like
        Neutrino energy in MeV.
    target : str, Nucleus, Element or Compound
        Per atom (element) or per formula unit (compound).
    form_factor : {"helm", "klein-nystrand", "none"}
    sin2_theta_w : float
        Low-energy weak mixing angle.
    n_points : int
        Gauss-Legendre nodes over the recoil range of each isotope.

    Returns
    -------
    float or ndarray
        Cross section in cm^2 per target unit.

    Examples
    --------
    >>> from radcevns import cevns
    >>> f"{cevns.sigma(5.0, 'W184'):.4e}"
    '1.1891e-39'
    """
    E = as_energy(E_nu, "E_nu")
    n_points = as_nodes(n_points, "n_points", maximum=10_000)
    sin2_theta_w = as_float(sin2_theta_w, "sin2_theta_w", minimum=0.0, maximum=1.0)
    x, wq = np.polynomial.legendre.leggauss(n_points)
    # integrate each isotope up to its own endpoint
    Z, A, M, w = target_arrays(target)
    total = np.zeros(E.shape)
    for Zj, Aj, Mj, wj in zip(Z, A, M, w, strict=True):
        top = 2.0 * E**2 / (Mj + 2.0 * E)
        R = 0.5 * top[..., None] * (x + 1.0)
        flatE = np.broadcast_to(E[..., None], R.shape).ravel().copy()
        tmp = np.empty(flatE.size)
        _sum_sm(
            flatE,
            R.ravel().copy(),
            np.array([Zj]),
            np.array([Aj - Zj]),
            np.array([Aj]),
            np.array([Mj]),
            np.array([wj]),
            float(sin2_theta_w),
            form_factor_code(form_factor),
            tmp,
        )
        vals = tmp.reshape(R.shape)
        total = total + 0.5 * top * np.sum(vals * wq, axis=-1)
    return scalar_or_array(total * MEV2_TO_CM2)
