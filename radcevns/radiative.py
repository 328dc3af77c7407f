"""Radiative upscattering nu A -> (N -> nu gamma) A: photon distributions and an event generator.

Narrow-width factorisation (exact to O(Gamma/m) ~ 1e-18; P. D. Bolton et al., arXiv:2110.02233,
Phys. Rev. D 106 (2022) 035036, and chapter 03 of the book): the 2->3 cross
section is the production cross section times the branching ratio times the decay
distribution of a polarised N in its rest frame,

.. math::
    \\frac{d\\sigma}{dE_R\\,d\\Omega^*} = \\frac{d\\sigma(\\nu A\\to NA)}{dE_R}\\,\\mathrm{BR}\\,
    \\frac{1 + \\alpha_\\gamma \\vec P\\cdot\\hat n^*}{4\\pi},

    \\alpha_\\gamma = -1\\ (\\text{Dirac}),\\ 0\\ (\\text{Majorana}).

The rest-frame photon energy is ``E* = (m_N^2 - m_d^2) / (2 m_N)`` (``m_d`` = daughter mass,
0 for a light neutrino) and the lab photon follows from a boost along the N direction.
Observables are in the lab frame with the beam along +z:

* :func:`photon_spectrum` -- dsigma/dE_gamma (1D quadrature in ln E_R, analytic in cos theta*);
* :func:`photon_angle` -- dsigma/dcos(theta_gamma) (the azimuthal delta function integrated
  analytically, the remaining integral over the photon-N opening angle done with a
  substitution that removes the inverse-square-root edges);
* :func:`double_differential` -- bin-averaged d^2 sigma / dE_gamma dcos(theta_gamma) on a grid
  of bin edges (the azimuthal CDF is analytic, so the integrable edge singularities of the
  point density never enter);
* :func:`generate` / :func:`iter_events` -- weighted (or unweighted) events with full
  four-vectors, reproducible with a seed;
* :func:`generate_primakoff` / :func:`iter_events_primakoff` -- the same sampling without the
  decay: 2->2 events nu A -> N A (weights summing to :func:`radcevns.primakoff.sigma`);
* :func:`decay_positions` -- decay points of the N of an event sample (exponential flight along
  p_N, truncated to the decay region); :mod:`radcevns.io` writes events to files.

Each takes one neutrino energy ``E_nu`` in MeV and returns cross sections (cm^2 ...).  Its
``*_folded`` twin (:func:`photon_spectrum_folded`, :func:`photon_angle_folded`,
:func:`double_differential_folded`, :func:`generate_folded`, :func:`iter_events_folded`) takes a
``flux=`` keyword (a :class:`radcevns.flux.Flux`, default :func:`radcevns.flux.chooz`) instead and
returns rates per target unit (s^-1 ...).  The unit of a result never depends on an argument's type.

For a reactor (antineutrino) beam a Dirac N-bar has polarisation ``-P`` and decays with
``alpha = +1``: every photon distribution is identical to the neutrino-beam one
(CP conjugation of the whole chain; checked with explicit v-spinors in ``tests/test_amplitudes.py``).

Decay inside a region: with ``decay_length_cm = L`` given, each N decays within ``L`` of its
production point with probability ``1 - exp(-L / lambda_N)``, ``lambda_N = (p_N/m_N) hbar c / Gamma``
the mean decay length (:func:`radcevns.decay.mean_decay_length`); ``None`` means every N decays.

Flavour structure: production through ``mu`` (= mu_{e N} for reactor nu_e-bar); decays through
``decay_moments`` = ``{channel: moment}`` (default ``{"e": mu}``), with optional daughter masses
(``N -> N' gamma``).  Every channel emits one photon, so the photon rate is the sum over
channels of ``BR_c`` times the channel's photon distribution, and the total width sets the
decay probability.

Units: MeV, cm, cm^2, s; ``mu`` and the moments in Bohr magnetons (convention A).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping

import numpy as np
from numba import njit
from numpy.typing import ArrayLike

from ._validate import (
    MAX_ENERGY_MEV,
    MAX_EVENTS,
    MAX_MOMENT_MU_B,
    as_array,
    as_bool,
    as_edges,
    as_float,
    as_int,
    as_length_or_none,
    as_nature,
    as_nodes,
    scalar_or_array,
)
from .constants import ALPHA, HBARC_MEV_CM, MEV2_TO_CM2, MU_B_PER_MEV
from .decay import decay_probability_kernel
from .decay import width as decay_width
from .flux import Flux, chooz
from .nuclear import Target, form_factor_code, target_arrays
from .primakoff import dsigma_dER as primakoff_dsigma_dER
from .primakoff import dsigma_kernel, polarisation_kernel, recoil_range_kernel, threshold_kernel
from .primakoff import polarisation as primakoff_polarisation

__all__ = [
    "EVENT_DTYPE",
    "factorised_dsigma",
    "photon_energy_range",
    "photon_spectrum",
    "photon_spectrum_folded",
    "photon_angle",
    "photon_angle_folded",
    "double_differential",
    "double_differential_folded",
    "iter_events",
    "iter_events_folded",
    "generate",
    "generate_folded",
    "iter_events_primakoff",
    "iter_events_primakoff_folded",
    "generate_primakoff",
    "generate_primakoff_folded",
    "decay_positions",
]

_ALPHA_GAMMA = {"dirac": -1.0, "majorana": 0.0}


# --------------------------------------------------------------------------------------------------
# input handling
# --------------------------------------------------------------------------------------------------
class _Setup:
    """Validated inputs shared by every observable (internal)."""

    def __init__(
        self,
        m_N,
        target,
        mu,
        *,
        nature,
        decay_length_cm,
        decay_moments,
        daughter_masses,
        form_factor,
        recoil_threshold_MeV,
        recoil_resolution_MeV,
    ):
        self.m = as_float(m_N, "m_N", positive=True, maximum=MAX_ENERGY_MEV)
        self.rthr = as_float(
            recoil_threshold_MeV, "recoil_threshold_MeV", nonnegative=True, maximum=MAX_ENERGY_MEV
        )
        self.rsig = as_float(
            recoil_resolution_MeV, "recoil_resolution_MeV", nonnegative=True, maximum=MAX_ENERGY_MEV
        )
        self.mu = as_float(mu, "mu", nonnegative=True, maximum=MAX_MOMENT_MU_B)
        self.nature = as_nature(nature)
        self.alpha = _ALPHA_GAMMA[self.nature]
        self.Z, self.A, self.M, self.w = target_arrays(target)
        self.ff = form_factor_code(form_factor)
        if decay_moments is None:
            decay_moments = {"e": self.mu}
        if not isinstance(decay_moments, Mapping) or not decay_moments:
            raise TypeError("decay_moments must be a non-empty mapping {channel: moment in mu_B}")
        if daughter_masses is not None and not isinstance(daughter_masses, Mapping):
            raise TypeError("daughter_masses must be None or a mapping {channel: mass in MeV}")
        daughter_masses = dict(daughter_masses or {})
        unknown = set(daughter_masses) - set(decay_moments)
        if unknown:
            raise ValueError(f"daughter_masses has channels not in decay_moments: {sorted(unknown)}")
        widths, a_fac = [], []
        for key, moment in decay_moments.items():
            md = as_float(
                daughter_masses.get(key, 0.0), "daughter_masses", nonnegative=True, maximum=MAX_ENERGY_MEV
            )
            widths.append(
                float(
                    decay_width(
                        self.m,
                        as_float(moment, "decay_moments", nonnegative=True, maximum=MAX_MOMENT_MU_B),
                        nature=self.nature,
                        daughter_mass=md,
                    )
                )
            )
            a_fac.append(0.5 * (1.0 - (md / self.m) ** 2) if md < self.m else 0.0)
        self.channels = tuple(decay_moments)
        self.gamma_total = float(sum(widths))
        self.br = np.array([wd / self.gamma_total if self.gamma_total > 0 else 0.0 for wd in widths])
        self.a = np.array(a_fac)
        L = as_length_or_none(decay_length_cm, "decay_length_cm")
        if L is None or np.isinf(L):
            self.kappa = np.inf
        else:
            # P_dec = 1 - exp(-kappa / p_N) with kappa = L m Gamma / (hbar c)  [MeV]
            self.kappa = float(L) * self.m * self.gamma_total / HBARC_MEV_CM
        # overall factor turning the kernels' (dimensionless / MeV^-1) sums into cm^2
        self.pref = ALPHA * (self.mu * MU_B_PER_MEV) ** 2 * MEV2_TO_CM2

    def threshold(self):
        return float(threshold_kernel(self.m, self.M.max()))

    def kernel_args(self):
        """(m, Z, A, M, weights, form factor, recoil threshold, recoil resolution, alpha) for the kernels."""
        return (self.m, self.Z, self.A, self.M, self.w, self.ff, self.rthr, self.rsig, self.alpha)


def _monochromatic(E_nu, folded_name):
    """A single neutrino energy in MeV; a flux object is refused with a pointer to the folded function."""
    if isinstance(E_nu, Flux):
        raise TypeError(
            f"E_nu must be a single neutrino energy in MeV; to fold over a flux "
            f"use {folded_name}(..., flux=...)"
        )
    return as_float(E_nu, "E_nu", nonnegative=True, maximum=MAX_ENERGY_MEV)


def _as_flux(flux):
    """``None`` -> :func:`radcevns.flux.chooz`; otherwise a :class:`radcevns.flux.Flux` instance."""
    if flux is None:
        return chooz()
    if not isinstance(flux, Flux):
        raise TypeError(
            f"flux must be a radcevns.flux.Flux instance (or None for the Chooz site), got {flux!r}"
        )
    return flux


def _energy_nodes(E_nu, flux, threshold, n_flux):
    """(energies, weights): ``([E_nu], [1])`` for one energy, else the flux quadrature above threshold."""
    if flux is None:
        return np.array([E_nu]), np.array([1.0])
    n_flux = as_nodes(n_flux, "n_flux")
    if threshold >= flux.e_max:
        return np.array([0.0]), np.array([0.0])
    E, w = flux.quadrature(n=n_flux, e_min=max(threshold, flux.e_min))
    return np.ascontiguousarray(E, dtype=np.float64), np.ascontiguousarray(w, dtype=np.float64)


_GL16_X, _GL16_W = np.polynomial.legendre.leggauss(16)
#: Cap on the number of integration panels per recoil range or photon-energy bin in the kernels.
_MAX_PANELS = 200_000


# --------------------------------------------------------------------------------------------------
# kernels
# --------------------------------------------------------------------------------------------------
@njit(cache=True)
def _recoil_window(E, m, M, rthr, rsig):
    """Kinematic recoil range cut by the recoil threshold: sharp (rsig = 0) or smeared (6 sigma below)."""
    lo, hi = recoil_range_kernel(E, m, M)
    if hi <= 0.0:
        return 0.0, 0.0
    cut = rthr - 6.0 * rsig if rsig > 0.0 else rthr
    if cut > lo:
        lo = cut
    if lo >= hi:
        return 0.0, 0.0
    return lo, hi


@njit(cache=True)
def _dsigma_eff(E, R, m, Z, A, M, ff, rthr, rsig):
    """dsigma/dE_R kernel times the recoil detection efficiency (step, or Gaussian-smeared step)."""
    if rsig > 0.0:
        eff = 0.5 * math.erfc((rthr - R) / (math.sqrt(2.0) * rsig))
    else:
        eff = 1.0 if R >= rthr else 0.0
    if eff == 0.0:
        return 0.0
    return eff * dsigma_kernel(E, R, m, Z, A, M, ff)


@njit(cache=True)
def _spectrum_kernel(
    Eg, Es, Ews, m, Z, A, M, wiso, ff, rthr, rsig, alpha, a_fac, br, kappa, gx, gw, npan, out
):
    """dsigma/dE_gamma / (alpha mu^2) at photon energies Eg, folded over (Es, Ews)."""
    for g in range(Eg.shape[0]):
        eg = Eg[g]
        total = 0.0
        if eg <= 0.0:
            out[g] = 0.0
            continue
        for k in range(Es.shape[0]):
            E = Es[k]
            if Ews[k] == 0.0:
                continue
            for j in range(Z.shape[0]):
                lo, hi = _recoil_window(E, m, M[j], rthr, rsig)
                if hi <= 0.0:
                    continue
                for c in range(a_fac.shape[0]):
                    a = a_fac[c]
                    if a <= 0.0 or br[c] == 0.0:
                        continue
                    # photon energy inside the boosted box  <=>  E_N >= Eg/(2a) + a m^2 / (2 Eg)
                    top = E - (eg / (2.0 * a) + a * m * m / (2.0 * eg))
                    if top > hi:
                        top = hi
                    if top <= lo:
                        continue
                    u0 = math.log(lo)
                    u1 = math.log(top)
                    acc = 0.0
                    for pan in range(npan):
                        v0 = u0 + (u1 - u0) * pan / npan
                        v1 = u0 + (u1 - u0) * (pan + 1) / npan
                        half = 0.5 * (v1 - v0)
                        mid = 0.5 * (v1 + v0)
                        for i in range(gx.shape[0]):
                            R = math.exp(mid + half * gx[i])
                            ds = _dsigma_eff(E, R, m, Z[j], A[j], M[j], ff, rthr, rsig)
                            if ds == 0.0:
                                continue
                            E_N = E - R
                            p2 = E_N * E_N - m * m
                            if p2 <= 0.0:
                                continue
                            p_N = math.sqrt(p2)
                            cs = (eg / a - E_N) / p_N
                            if cs > 1.0:
                                cs = 1.0
                            if cs < -1.0:
                                cs = -1.0
                            wgt = 1.0
                            if alpha != 0.0:
                                pl, pt = polarisation_kernel(E, R, m, M[j])
                                wgt = 1.0 + alpha * pl * cs
                            f = wgt / (2.0 * a * p_N)
                            acc += gw[i] * half * R * ds * f * decay_probability_kernel(kappa, p_N)
                    total += Ews[k] * wiso[j] * br[c] * acc
        out[g] = total


@njit(cache=True)
def _n_direction(E, R, m, M):
    """(cos theta_N, beta, p_N) of N in the lab for recoil R."""
    E_N = E - R
    p_N = math.sqrt(max(E_N * E_N - m * m, 0.0))
    if p_N <= 0.0:
        return 1.0, 0.0, 0.0
    # 1 - cos(theta_N) = (2 M R + R^2 - (E - p_N)^2) / (2 E p_N), with E - p_N written without
    # cancellation: keeps sin(theta_N) accurate for the nearly collinear N of heavy targets
    e_minus_p = (2.0 * E * R - R * R + m * m) / (E + p_N)
    one_minus_c = (2.0 * M * R + R * R - e_minus_p * e_minus_p) / (2.0 * E * p_N)
    c = 1.0 - one_minus_c
    if c > 1.0:
        c = 1.0
    if c < -1.0:
        c = -1.0
    return c, p_N / E_N, p_N


@njit(cache=True)
def _next_recoil_panel(E, m, M, v0, u1, du_max, step):
    """End of the ln(E_R) panel starting at v0: at most du_max wide and short enough that
    cos(theta_N) changes by at most `step` across it (halving until it does)."""
    c0 = _n_direction(E, math.exp(v0), m, M)[0]
    v1 = min(u1, v0 + du_max)
    for _ in range(40):
        if abs(_n_direction(E, math.exp(v1), m, M)[0] - c0) <= step:
            break
        v1 = v0 + 0.5 * (v1 - v0)
    if v1 <= v0:  # a panel narrower than one ulp of v0 (e.g. just above threshold): finish the range
        v1 = u1
    return v1


@njit(cache=True)
def _angle_kernel(
    C, Es, Ews, m, Z, A, M, wiso, ff, rthr, rsig, alpha, kappa, gx, gw, px, pw, npan, step, out
):
    """dsigma/dcos(theta_gamma) / (alpha mu^2) at lab cosines C."""
    for ic in range(C.shape[0]):
        c = C[ic]
        th_g = math.acos(c)
        total = 0.0
        for k in range(Es.shape[0]):
            E = Es[k]
            if Ews[k] == 0.0:
                continue
            for j in range(Z.shape[0]):
                lo, hi = _recoil_window(E, m, M[j], rthr, rsig)
                if hi <= 0.0:
                    continue
                u0 = math.log(lo)
                u1 = math.log(hi)
                acc = 0.0
                du_max = (u1 - u0) / npan
                v1 = u0
                n_pan = 0
                while v1 < u1:
                    v0 = v1
                    v1 = _next_recoil_panel(E, m, M[j], v0, u1, du_max, step)
                    n_pan += 1
                    if n_pan >= _MAX_PANELS:  # bounded work whatever the kinematics
                        v1 = u1
                    half = 0.5 * (v1 - v0)
                    mid = 0.5 * (v1 + v0)
                    for i in range(gx.shape[0]):
                        R = math.exp(mid + half * gx[i])
                        ds = _dsigma_eff(E, R, m, Z[j], A[j], M[j], ff, rthr, rsig)
                        if ds == 0.0:
                            continue
                        cN, beta, p_N = _n_direction(E, R, m, M[j])
                        if p_N <= 0.0:
                            continue
                        sN = math.sqrt(max((1.0 - cN) * (1.0 + cN), 0.0))
                        th_N = math.acos(cN)
                        xp = math.cos(th_N - th_g)
                        xm = math.cos(th_N + th_g)
                        xmid = 0.5 * (xp + xm)
                        xhalf = 0.5 * (xp - xm)
                        pl = 0.0
                        pt = 0.0
                        if alpha != 0.0:
                            pl, pt = polarisation_kernel(E, R, m, M[j])
                        inner = 0.0
                        for q in range(px.shape[0]):
                            psi = 0.5 * math.pi * (px[q] + 1.0)
                            x = xmid + xhalf * math.cos(psi)
                            jac = (1.0 - beta * beta) / ((1.0 - beta * x) ** 2)
                            wgt = 1.0
                            if alpha != 0.0:
                                cst = (x - beta) / (1.0 - beta * x)
                                sst = math.sqrt(max(1.0 - cst * cst, 0.0))
                                sx = math.sqrt(max(1.0 - x * x, 0.0))
                                den = sN * sx
                                cphi = 0.0
                                if den > 0.0:
                                    cphi = (cN * x - c) / den
                                    if cphi > 1.0:
                                        cphi = 1.0
                                    if cphi < -1.0:
                                        cphi = -1.0
                                wgt = 1.0 + alpha * (pl * cst + pt * sst * cphi)
                            inner += pw[q] * 0.5 * math.pi * jac * wgt
                        dP = inner / (2.0 * math.pi)
                        acc += gw[i] * half * R * ds * dP * decay_probability_kernel(kappa, p_N)
                total += Ews[k] * wiso[j] * acc
        out[ic] = total


@njit(cache=True)
def _phi_cdf(A_, B_, c, one_plus, tilt):
    """Weighted azimuthal fraction with cos(theta_gamma) <= c, for cos(theta_gamma) = A - B cos(phi).

    Weight ``one_plus + tilt * cos(phi)``, normalised so that the full circle gives ``one_plus``.
    """
    if B_ <= 0.0:
        return one_plus if A_ <= c else 0.0
    u = (A_ - c) / B_
    if u <= -1.0:
        return one_plus
    if u >= 1.0:
        return 0.0
    phic = math.acos(u)
    return (phic * one_plus + tilt * math.sin(phic)) / math.pi


@njit(cache=True)
def _double_kernel(
    Ge,
    Ce,
    Es,
    Ews,
    m,
    Z,
    A,
    M,
    wiso,
    ff,
    rthr,
    rsig,
    alpha,
    a_fac,
    br,
    kappa,
    gx,
    gw,
    tx,
    tw,
    npan,
    step,
    out,
):
    """Bin contents (not densities) of sigma / (alpha mu^2) in (E_gamma, cos theta_gamma) bins."""
    nE = Ge.shape[0] - 1
    nC = Ce.shape[0] - 1
    cdf = np.empty(nC + 1)
    for k in range(Es.shape[0]):
        E = Es[k]
        if Ews[k] == 0.0:
            continue
        for j in range(Z.shape[0]):
            lo, hi = _recoil_window(E, m, M[j], rthr, rsig)
            if hi <= 0.0:
                continue
            u0 = math.log(lo)
            u1 = math.log(hi)
            du_max = (u1 - u0) / npan
            v1 = u0
            n_pan = 0
            while v1 < u1:
                v0 = v1
                v1 = _next_recoil_panel(E, m, M[j], v0, u1, du_max, step)
                n_pan += 1
                if n_pan >= _MAX_PANELS:  # bounded work whatever the kinematics
                    v1 = u1
                half = 0.5 * (v1 - v0)
                mid = 0.5 * (v1 + v0)
                for i in range(gx.shape[0]):
                    R = math.exp(mid + half * gx[i])
                    ds = _dsigma_eff(E, R, m, Z[j], A[j], M[j], ff, rthr, rsig)
                    if ds == 0.0:
                        continue
                    cN, beta, p_N = _n_direction(E, R, m, M[j])
                    if p_N <= 0.0:
                        continue
                    E_N = E - R
                    sN = math.sqrt(max((1.0 - cN) * (1.0 + cN), 0.0))
                    pl = 0.0
                    pt = 0.0
                    if alpha != 0.0:
                        pl, pt = polarisation_kernel(E, R, m, M[j])
                    base = Ews[k] * wiso[j] * gw[i] * half * R * ds * decay_probability_kernel(kappa, p_N)
                    for ch in range(a_fac.shape[0]):
                        a = a_fac[ch]
                        if a <= 0.0 or br[ch] == 0.0:
                            continue
                        elo = a * (E_N - p_N)
                        ehi = a * (E_N + p_N)
                        for b in range(nE):
                            g0 = max(Ge[b], elo)
                            g1 = min(Ge[b + 1], ehi)
                            if g1 <= g0:
                                continue
                            # cos(theta*) interval of this photon-energy bin
                            t0b = (g0 / a - E_N) / p_N
                            t1b = (g1 / a - E_N) / p_N
                            # march through the bin in panels no wider than `step` both in cos(theta*)
                            # and in the lab photon-N cosine x = (t + beta)/(1 + beta t): the azimuthal
                            # CDF has kinks in x, and x(t) is steep near t = -1 for fast N
                            ta = t0b
                            n_t = 0
                            while ta < t1b:
                                n_t += 1
                                xa = (ta + beta) / (1.0 + beta * ta)
                                xb = xa + step
                                tb = t1b
                                if xb < 1.0:
                                    tb = min(tb, (xb - beta) / (1.0 - beta * xb))
                                tb = min(tb, ta + step)
                                if tb <= ta or n_t >= _MAX_PANELS:
                                    tb = t1b
                                th = 0.5 * (tb - ta)
                                tm = 0.5 * (tb + ta)
                                ta = tb
                                for q in range(tx.shape[0]):
                                    t = tm + th * tx[q]
                                    st = math.sqrt(max(1.0 - t * t, 0.0))
                                    x = (t + beta) / (1.0 + beta * t)
                                    sx = math.sqrt(max(1.0 - x * x, 0.0))
                                    A_ = cN * x
                                    B_ = sN * sx
                                    one_plus = 1.0 + alpha * pl * t
                                    tilt = alpha * pt * st
                                    for e in range(nC + 1):
                                        cdf[e] = _phi_cdf(A_, B_, Ce[e], one_plus, tilt)
                                    wq = base * br[ch] * 0.5 * tw[q] * th
                                    for e in range(nC):
                                        out[b, e] += wq * (cdf[e + 1] - cdf[e])


@njit(cache=True)
def _generate_kernel(U, E_arr, Ew_arr, iso_idx, ch_idx, m, Z, A, M, ff, rthr, rsig, alpha, a_fac, kappa, out):
    """Fill event records from uniform random numbers U[n, 5] (internal).

    out columns: 0 E_nu, 1 E_R, 2-5 p_N, 6-9 p_gamma, 10-13 p_nu_out, 14 cos_theta_gamma,
    15 cos_theta_star, 16 weight (sigma units / (alpha mu^2), before isotope/branching factors).
    """
    for n in range(U.shape[0]):
        for col in range(out.shape[1]):
            out[n, col] = 0.0
        E = E_arr[n]
        j = iso_idx[n]
        out[n, 0] = E
        lo, hi = _recoil_window(E, m, M[j], rthr, rsig)
        if hi <= 0.0 or Ew_arr[n] == 0.0:
            continue
        u0 = math.log(lo)
        u1 = math.log(hi)
        R = math.exp(u0 + (u1 - u0) * U[n, 0])
        ds = _dsigma_eff(E, R, m, Z[j], A[j], M[j], ff, rthr, rsig)
        cN, beta, p_N = _n_direction(E, R, m, M[j])
        if ds == 0.0 or p_N <= 0.0:
            continue
        E_N = E - R
        sN = math.sqrt(max((1.0 - cN) * (1.0 + cN), 0.0))
        phiN = 2.0 * math.pi * U[n, 1]
        cph = math.cos(phiN)
        sph = math.sin(phiN)
        kx = sN * cph
        ky = sN * sph
        kz = cN
        # e_theta (away from the beam axis) and e_phi
        tx_ = cN * cph
        ty_ = cN * sph
        tz_ = -sN
        fx = -sph
        fy = cph
        fz = 0.0
        cst = 2.0 * U[n, 2] - 1.0
        sst = math.sqrt(max(1.0 - cst * cst, 0.0))
        phs = 2.0 * math.pi * U[n, 3]
        wdec = 1.0
        if alpha != 0.0:
            pl, pt = polarisation_kernel(E, R, m, M[j])
            wdec = 1.0 + alpha * (pl * cst + pt * sst * math.cos(phs))
        a = a_fac[ch_idx[n]]
        estar = a * m
        # photon in the N rest frame, components along (k_N, e_theta, e_phi)
        gl = estar * cst
        gt1 = estar * sst * math.cos(phs)
        gt2 = estar * sst * math.sin(phs)
        gamma = E_N / m
        gE = gamma * (estar + beta * gl)
        gL = gamma * (gl + beta * estar)
        gx_ = gL * kx + gt1 * tx_ + gt2 * fx
        gy_ = gL * ky + gt1 * ty_ + gt2 * fy
        gz_ = gL * kz + gt1 * tz_ + gt2 * fz
        out[n, 1] = R
        out[n, 2] = E_N
        out[n, 3] = p_N * kx
        out[n, 4] = p_N * ky
        out[n, 5] = p_N * kz
        out[n, 6] = gE
        out[n, 7] = gx_
        out[n, 8] = gy_
        out[n, 9] = gz_
        out[n, 10] = E_N - gE
        out[n, 11] = p_N * kx - gx_
        out[n, 12] = p_N * ky - gy_
        out[n, 13] = p_N * kz - gz_
        ctg = gz_ / gE if gE > 0.0 else 0.0
        out[n, 14] = min(1.0, max(-1.0, ctg))  # rounding can leave |cos| one ulp above 1
        out[n, 15] = cst
        out[n, 16] = Ew_arr[n] * ds * R * (u1 - u0) * wdec * decay_probability_kernel(kappa, p_N)


# --------------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------------
def factorised_dsigma(
    E_nu: ArrayLike,
    E_R: ArrayLike,
    cos_theta_star: ArrayLike,
    phi_star: ArrayLike,
    m_N: float,
    target: Target,
    mu: float,
    *,
    nature: str = "dirac",
) -> float | np.ndarray:
    """Narrow-width 2->3 cross section dsigma / (dE_R dOmega*) in cm^2 / MeV / sr (module docstring).

    ``dsigma(nu A -> N A)/dE_R x BR x (1 + alpha_gamma P . n*) / (4 pi)`` with BR = 1 (one channel),
    ``n* = (cos theta*, sin theta* cos phi*, sin theta* sin phi*)`` in the basis
    (N direction, e_theta, e_phi) of the N rest frame reached by a pure boost from the lab.

    Parameters
    ----------
    E_nu, E_R : array_like
        Neutrino and recoil energies in MeV.
    cos_theta_star, phi_star : array_like
        Photon direction in the N rest frame (phi* in rad, measured from e_theta, which points away
        from the beam).
    m_N : float
        Sterile-neutrino mass in MeV.
    target : str or Nucleus
        One isotope.
    mu : float
        Production moment in Bohr magnetons.
    nature : {"dirac", "majorana"}

    Returns
    -------
    float or ndarray
        cm^2 / MeV / sr.
    """
    nature = as_nature(nature)
    cst = as_array(cos_theta_star, "cos_theta_star")
    if np.any(np.abs(cst) > 1):
        raise ValueError("cos_theta_star must lie in [-1, 1]")
    phs = as_array(phi_star, "phi_star")
    ds = primakoff_dsigma_dER(E_nu, E_R, m_N, target, mu)
    pl, pt = primakoff_polarisation(E_nu, E_R, m_N, target)
    pdotn = np.asarray(pl) * cst + np.asarray(pt) * np.sqrt(1 - cst**2) * np.cos(phs)
    return scalar_or_array(np.asarray(ds) * (1.0 + _ALPHA_GAMMA[nature] * pdotn) / (4.0 * np.pi))


def photon_energy_range(
    E_nu: ArrayLike, E_R: ArrayLike, m_N: ArrayLike, *, daughter_mass: ArrayLike = 0.0
) -> tuple:
    """Lab photon-energy range ``[a (E_N - p_N), a (E_N + p_N)]`` at fixed recoil, ``a = E*/m_N``, in MeV.

    Parameters
    ----------
    E_nu, E_R : array_like
        Neutrino and recoil energies in MeV.
    m_N : array_like
        Sterile-neutrino mass in MeV.
    daughter_mass : array_like
        Mass of the decay daughter in MeV (0 for a light neutrino).

    Returns
    -------
    (E_min, E_max) : tuple of float or ndarray
        Photon energies in MeV.
    """
    E_N = as_array(E_nu, "E_nu", nonnegative=True, maximum=MAX_ENERGY_MEV) - as_array(
        E_R, "E_R", nonnegative=True, maximum=MAX_ENERGY_MEV
    )
    m = as_array(m_N, "m_N", positive=True, maximum=MAX_ENERGY_MEV)
    md = as_array(daughter_mass, "daughter_mass", nonnegative=True, maximum=MAX_ENERGY_MEV)
    a = 0.5 * (1 - (md / m) ** 2)
    p = np.sqrt(np.maximum(E_N**2 - m**2, 0.0))
    return scalar_or_array(a * (E_N - p)), scalar_or_array(a * (E_N + p))


_OPTIONS_DOC = """nature : {"dirac", "majorana"}
        Nature of N (the photon of a Dirac N follows its polarisation, a Majorana N decays isotropically).
    decay_length_cm : float or None
        Length in cm of the region within which N must decay (probability ``1 - exp(-L/lambda_N)``);
        None: every N decays.
    decay_moments : mapping, optional
        ``{channel: moment in mu_B}`` for the decays (default ``{"e": mu}``).
    daughter_masses : mapping, optional
        ``{channel: mass in MeV}`` for decays into a massive state (N -> N' gamma).
    form_factor : {"helm", "klein-nystrand", "none"}
        Nuclear charge form factor.
    recoil_threshold_MeV : float
        Nuclear-recoil threshold in MeV for a coincidence with the recoil (0: photon only).
    recoil_resolution_MeV : float
        Gaussian recoil-energy resolution in MeV: the threshold efficiency becomes
        ``erfc((threshold - E_R) / (sqrt(2) sigma)) / 2``; 0 gives a sharp step."""


def _setup(m_N, target, mu, options):
    return _Setup(m_N, target, mu, **options)


def _photon_spectrum(E_gamma, E_nu, flux, n_flux, m_N, target, mu, options):
    Eg = as_array(E_gamma, "E_gamma", nonnegative=True, maximum=MAX_ENERGY_MEV)
    s = _setup(m_N, target, mu, options)
    Es, Ews = _energy_nodes(E_nu, flux, s.threshold(), n_flux)
    out = np.empty(Eg.size)
    _spectrum_kernel(
        np.ascontiguousarray(Eg).ravel(),
        Es,
        Ews,
        *s.kernel_args(),
        s.a,
        s.br,
        s.kappa,
        _GL16_X,
        _GL16_W,
        3,
        out,
    )
    return scalar_or_array(out.reshape(Eg.shape) * s.pref)


def photon_spectrum(
    E_gamma: ArrayLike,
    E_nu: float,
    m_N: float,
    target: Target,
    mu: float,
    *,
    nature: str = "dirac",
    decay_length_cm: float | None = None,
    decay_moments: Mapping | None = None,
    daughter_masses: Mapping | None = None,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
) -> float | np.ndarray:
    """Photon energy spectrum dsigma/dE_gamma of nu A -> nu A gamma at one neutrino energy, in cm^2 / MeV.

    For a reactor flux use :func:`photon_spectrum_folded`.

    Parameters
    ----------
    E_gamma : array_like
        Lab photon energies in MeV.
    E_nu : float
        Neutrino energy in MeV (a :class:`radcevns.flux.Flux` raises ``TypeError``).
    m_N : float
        Sterile-neutrino mass in MeV.
    target : str, Nucleus, Element or Compound
        Per atom for an element, per formula unit for a compound.
    mu : float
        Production moment mu_{nu N} in Bohr magnetons (convention A).
    {options}

    Returns
    -------
    float or ndarray
        cm^2 / MeV per target unit; exactly 0 outside the kinematically allowed photon energies.

    Examples
    --------
    >>> from radcevns import radiative
    >>> f"{radiative.photon_spectrum(2.0, 5.0, 1.0, 'W184', 3e-8):.4e}"
    '2.4391e-36'
    >>> radiative.photon_spectrum(6.0, 5.0, 1.0, "W184", 3e-8)  # above E_nu
    0.0
    """
    E = _monochromatic(E_nu, "photon_spectrum_folded")
    options = dict(
        nature=nature,
        decay_length_cm=decay_length_cm,
        decay_moments=decay_moments,
        daughter_masses=daughter_masses,
        form_factor=form_factor,
        recoil_threshold_MeV=recoil_threshold_MeV,
        recoil_resolution_MeV=recoil_resolution_MeV,
    )
    return _photon_spectrum(E_gamma, E, None, 0, m_N, target, mu, options)


def photon_spectrum_folded(
    E_gamma: ArrayLike,
    m_N: float,
    target: Target,
    mu: float,
    *,
    flux: Flux | None = None,
    n_flux: int = 96,
    nature: str = "dirac",
    decay_length_cm: float | None = None,
    decay_moments: Mapping | None = None,
    daughter_masses: Mapping | None = None,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
) -> float | np.ndarray:
    """Photon energy spectrum folded over a neutrino flux, in s^-1 MeV^-1 per target unit.

    ``int dE_nu dPhi/dE_nu dsigma/dE_gamma`` (Gauss-Legendre quadrature of the flux above threshold).

    Parameters
    ----------
    E_gamma, m_N, target, mu
        As in :func:`photon_spectrum`.
    flux : radcevns.flux.Flux or None
        The neutrino flux (cm^-2 s^-1 MeV^-1); None: :func:`radcevns.flux.chooz`.
    n_flux : int
        Quadrature nodes for the flux folding.
    {options}

    Returns
    -------
    float or ndarray
        s^-1 MeV^-1 per target unit (atom or formula unit).
    """
    options = dict(
        nature=nature,
        decay_length_cm=decay_length_cm,
        decay_moments=decay_moments,
        daughter_masses=daughter_masses,
        form_factor=form_factor,
        recoil_threshold_MeV=recoil_threshold_MeV,
        recoil_resolution_MeV=recoil_resolution_MeV,
    )
    return _photon_spectrum(E_gamma, None, _as_flux(flux), n_flux, m_N, target, mu, options)


def _photon_angle(cos_theta, E_nu, flux, n_flux, m_N, target, mu, options, n_psi, n_recoil, step):
    C = as_array(cos_theta, "cos_theta", minimum=-1.0, maximum=1.0)
    n_psi = as_nodes(n_psi, "n_psi", maximum=10_000)
    n_recoil = as_nodes(n_recoil, "n_recoil", maximum=10_000)
    step = as_float(step, "step", minimum=1e-4, maximum=2.0)
    s = _setup(m_N, target, mu, options)
    Es, Ews = _energy_nodes(E_nu, flux, s.threshold(), n_flux)
    px, pw = np.polynomial.legendre.leggauss(n_psi)
    out = np.empty(C.size)
    _angle_kernel(
        np.ascontiguousarray(C).ravel(),
        Es,
        Ews,
        *s.kernel_args(),
        s.kappa,
        _GL16_X,
        _GL16_W,
        px,
        pw,
        int(n_recoil),
        float(step),
        out,
    )
    return scalar_or_array(out.reshape(C.shape) * s.pref * float(np.sum(s.br)))


def photon_angle(
    cos_theta: ArrayLike,
    E_nu: float,
    m_N: float,
    target: Target,
    mu: float,
    *,
    nature: str = "dirac",
    decay_length_cm: float | None = None,
    decay_moments: Mapping | None = None,
    daughter_masses: Mapping | None = None,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
    n_psi: int = 48,
    n_recoil: int = 6,
    step: float = 0.02,
) -> float | np.ndarray:
    """Photon angular distribution dsigma/dcos(theta_gamma) (angle to the beam) at one energy, in cm^2.

    For a reactor flux use :func:`photon_angle_folded`.

    Parameters
    ----------
    cos_theta : array_like
        Cosine of the lab angle between photon and beam, in [-1, 1].
    E_nu, m_N, target, mu
        As in :func:`photon_spectrum`.
    {options}
    n_psi : int
        Gauss-Legendre order of the integral over the photon-N opening angle (after a substitution
        that removes its inverse-square-root end points).
    n_recoil : int
        Minimum number of panels in ln E_R.
    step : float
        Largest change of cos(theta_N) across a recoil panel (light N at backward photon angles
        need short panels).

    Returns
    -------
    float or ndarray
        cm^2 per target unit.
    """
    E = _monochromatic(E_nu, "photon_angle_folded")
    options = dict(
        nature=nature,
        decay_length_cm=decay_length_cm,
        decay_moments=decay_moments,
        daughter_masses=daughter_masses,
        form_factor=form_factor,
        recoil_threshold_MeV=recoil_threshold_MeV,
        recoil_resolution_MeV=recoil_resolution_MeV,
    )
    return _photon_angle(cos_theta, E, None, 0, m_N, target, mu, options, n_psi, n_recoil, step)


def photon_angle_folded(
    cos_theta: ArrayLike,
    m_N: float,
    target: Target,
    mu: float,
    *,
    flux: Flux | None = None,
    n_flux: int = 96,
    nature: str = "dirac",
    decay_length_cm: float | None = None,
    decay_moments: Mapping | None = None,
    daughter_masses: Mapping | None = None,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
    n_psi: int = 48,
    n_recoil: int = 6,
    step: float = 0.02,
) -> float | np.ndarray:
    """Photon angular distribution folded over a neutrino flux, in s^-1 per target unit.

    Parameters
    ----------
    cos_theta, m_N, target, mu
        As in :func:`photon_angle`.
    flux : radcevns.flux.Flux or None
        The neutrino flux; None: :func:`radcevns.flux.chooz`.
    n_flux : int
        Quadrature nodes for the flux folding.
    {options}
    n_psi, n_recoil, step
        Quadrature settings, as in :func:`photon_angle`.

    Returns
    -------
    float or ndarray
        Rate density in s^-1 per unit cos(theta_gamma) per target unit.
    """
    options = dict(
        nature=nature,
        decay_length_cm=decay_length_cm,
        decay_moments=decay_moments,
        daughter_masses=daughter_masses,
        form_factor=form_factor,
        recoil_threshold_MeV=recoil_threshold_MeV,
        recoil_resolution_MeV=recoil_resolution_MeV,
    )
    return _photon_angle(
        cos_theta, None, _as_flux(flux), n_flux, m_N, target, mu, options, n_psi, n_recoil, step
    )


def _double_differential(
    E_gamma, cos_theta, E_nu, flux, n_flux, m_N, target, mu, options, n_sub, n_recoil, step
):
    Ge = as_edges(E_gamma, "E_gamma", minimum=0.0, maximum=MAX_ENERGY_MEV)
    Ce = as_edges(cos_theta, "cos_theta", minimum=-1.0, maximum=1.0)
    n_sub = as_nodes(n_sub, "n_sub", maximum=1_000)
    n_recoil = as_nodes(n_recoil, "n_recoil", maximum=10_000)
    step = as_float(step, "step", minimum=1e-4, maximum=2.0)
    s = _setup(m_N, target, mu, options)
    Es, Ews = _energy_nodes(E_nu, flux, s.threshold(), n_flux)
    tx, tw = np.polynomial.legendre.leggauss(n_sub)
    out = np.zeros((Ge.size - 1, Ce.size - 1))
    _double_kernel(
        Ge,
        Ce,
        Es,
        Ews,
        *s.kernel_args(),
        s.a,
        s.br,
        s.kappa,
        _GL16_X,
        _GL16_W,
        tx,
        tw,
        int(n_recoil),
        float(step),
        out,
    )
    return out * s.pref / np.diff(Ge)[:, None] / np.diff(Ce)[None, :]


def double_differential(
    E_gamma: ArrayLike,
    cos_theta: ArrayLike,
    E_nu: float,
    m_N: float,
    target: Target,
    mu: float,
    *,
    nature: str = "dirac",
    decay_length_cm: float | None = None,
    decay_moments: Mapping | None = None,
    daughter_masses: Mapping | None = None,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
    n_sub: int = 4,
    n_recoil: int = 24,
    step: float = 0.03,
) -> np.ndarray:
    """Bin-averaged d^2 sigma / (dE_gamma dcos theta_gamma) at one neutrino energy, in cm^2 / MeV.

    The point density has integrable inverse-square-root edges (chapter 03 of the book), so this
    returns averages over bins: for each recoil energy and each photon-energy bin the
    azimuthal distribution is integrated analytically (its cumulative distribution in
    cos theta_gamma is closed-form), leaving smooth one-dimensional quadratures.  For a reactor
    flux use :func:`double_differential_folded`.

    Parameters
    ----------
    E_gamma : array_like
        Photon-energy bin edges in MeV (increasing, length nE + 1).
    cos_theta : array_like
        Bin edges in cos(theta_gamma) within [-1, 1] (increasing, length nC + 1).
    E_nu, m_N, target, mu
        As in :func:`photon_spectrum`.
    {options}
    n_sub : int
        Gauss-Legendre nodes per integration panel in cos(theta*).
    n_recoil : int
        Minimum number of panels in ln E_R (16 Gauss-Legendre nodes each).
    step : float
        Largest change of cos(theta_N) across a recoil panel and of cos(theta*) or of the lab
        photon-N cosine across a photon panel.  The default 0.03 converges a 100 x 100 grid to
        better than 1 % (tests/test_radiative.py); halve it for more precision.

    Returns
    -------
    ndarray, shape (nE, nC)
        Bin averages in cm^2 / MeV per target unit.
    """
    E = _monochromatic(E_nu, "double_differential_folded")
    options = dict(
        nature=nature,
        decay_length_cm=decay_length_cm,
        decay_moments=decay_moments,
        daughter_masses=daughter_masses,
        form_factor=form_factor,
        recoil_threshold_MeV=recoil_threshold_MeV,
        recoil_resolution_MeV=recoil_resolution_MeV,
    )
    return _double_differential(
        E_gamma, cos_theta, E, None, 0, m_N, target, mu, options, n_sub, n_recoil, step
    )


def double_differential_folded(
    E_gamma: ArrayLike,
    cos_theta: ArrayLike,
    m_N: float,
    target: Target,
    mu: float,
    *,
    flux: Flux | None = None,
    n_flux: int = 64,
    nature: str = "dirac",
    decay_length_cm: float | None = None,
    decay_moments: Mapping | None = None,
    daughter_masses: Mapping | None = None,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
    n_sub: int = 4,
    n_recoil: int = 24,
    step: float = 0.03,
) -> np.ndarray:
    """Bin-averaged photon energy-angle distribution folded over a flux, in s^-1 MeV^-1 per target unit.

    Parameters
    ----------
    E_gamma, cos_theta, m_N, target, mu
        As in :func:`double_differential`.
    flux : radcevns.flux.Flux or None
        The neutrino flux; None: :func:`radcevns.flux.chooz`.
    n_flux : int
        Quadrature nodes for the flux folding.
    {options}
    n_sub, n_recoil, step
        Quadrature settings, as in :func:`double_differential`.

    Returns
    -------
    ndarray, shape (nE, nC)
        Bin averages of the rate density, s^-1 MeV^-1 per unit cos(theta_gamma) per target unit.
    """
    options = dict(
        nature=nature,
        decay_length_cm=decay_length_cm,
        decay_moments=decay_moments,
        daughter_masses=daughter_masses,
        form_factor=form_factor,
        recoil_threshold_MeV=recoil_threshold_MeV,
        recoil_resolution_MeV=recoil_resolution_MeV,
    )
    return _double_differential(
        E_gamma, cos_theta, None, _as_flux(flux), n_flux, m_N, target, mu, options, n_sub, n_recoil, step
    )


EVENT_DTYPE = np.dtype(
    [
        ("E_nu", "f8"),
        ("E_R", "f8"),
        ("p_N", "f8", (4,)),
        ("p_gamma", "f8", (4,)),
        ("p_nu", "f8", (4,)),
        ("cos_theta_gamma", "f8"),
        ("cos_theta_star", "f8"),
        ("isotope", "i4"),
        ("channel", "i4"),
        ("weight", "f8"),
    ]
)
"""Event record of :func:`generate` and :func:`generate_folded`: energies in MeV, four-vectors
(E, px, py, pz) in MeV with the beam along +z, ``isotope`` indexes ``target.components()``, ``channel``
indexes ``decay_moments``; ``weight`` in cm^2 from :func:`generate` / :func:`iter_events` (one neutrino
energy) and in s^-1 per target unit from :func:`generate_folded` / :func:`iter_events_folded` (flux)."""


def _iter_events(n, E_nu, flux, m_N, target, mu, options, seed, batch_size):
    n = as_int(n, "n", minimum=0, maximum=MAX_EVENTS)
    batch_size = as_int(batch_size, "batch_size", minimum=1, maximum=MAX_EVENTS)
    seed = as_int(seed, "seed", minimum=0)
    s = _setup(m_N, target, mu, options)
    thr = s.threshold()
    if flux is not None:
        flux_above = flux.total(e_min=max(thr, flux.e_min)) if thr < flux.e_max else 0.0
    rng = np.random.default_rng(seed)
    wsum = float(np.sum(s.w))
    p_iso = s.w / wsum
    done = 0
    while done < n:
        k = min(batch_size, n - done)
        U = rng.random((k, 4))
        iso = rng.choice(len(p_iso), size=k, p=p_iso).astype(np.int64)
        ch = (
            rng.choice(len(s.br), size=k, p=s.br / s.br.sum()).astype(np.int64)
            if s.br.sum() > 0
            else np.zeros(k, np.int64)
        )
        if flux is not None:
            if flux_above > 0:
                E = np.asarray(
                    flux.sample(k, seed=int(rng.integers(2**31)), e_min=max(thr, flux.e_min)),
                    dtype=np.float64,
                )
                Ew = np.full(k, flux_above)
            else:
                E, Ew = np.zeros(k), np.zeros(k)
        else:
            E, Ew = np.full(k, E_nu), np.ones(k)
        raw = np.empty((k, 17))
        _generate_kernel(
            U, E, Ew, iso, ch, s.m, s.Z, s.A, s.M, s.ff, s.rthr, s.rsig, s.alpha, s.a, s.kappa, raw
        )
        ev = np.zeros(k, dtype=EVENT_DTYPE)
        ev["E_nu"] = raw[:, 0]
        ev["E_R"] = raw[:, 1]
        ev["p_N"] = raw[:, 2:6]
        ev["p_gamma"] = raw[:, 6:10]
        ev["p_nu"] = raw[:, 10:14]
        ev["cos_theta_gamma"] = raw[:, 14]
        ev["cos_theta_star"] = raw[:, 15]
        ev["isotope"] = iso
        ev["channel"] = ch
        br_total = float(s.br.sum())
        ev["weight"] = raw[:, 16] * s.pref * wsum * br_total / n
        done += k
        yield ev


def iter_events(
    n: int,
    E_nu: float,
    m_N: float,
    target: Target,
    mu: float,
    *,
    nature: str = "dirac",
    decay_length_cm: float | None = None,
    seed: int = 0,
    batch_size: int = 1_000_000,
    decay_moments: Mapping | None = None,
    daughter_masses: Mapping | None = None,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
) -> Iterator[np.ndarray]:
    """Yield weighted events (weights in cm^2) in batches of constant memory; see :func:`generate`.

    The concatenation of the batches equals ``generate(n, ...)`` with the same seed and batch size.
    """
    E = _monochromatic(E_nu, "iter_events_folded")
    options = dict(
        nature=nature,
        decay_length_cm=decay_length_cm,
        decay_moments=decay_moments,
        daughter_masses=daughter_masses,
        form_factor=form_factor,
        recoil_threshold_MeV=recoil_threshold_MeV,
        recoil_resolution_MeV=recoil_resolution_MeV,
    )
    return _iter_events(n, E, None, m_N, target, mu, options, seed, batch_size)


def iter_events_folded(
    n: int,
    m_N: float,
    target: Target,
    mu: float,
    *,
    flux: Flux | None = None,
    nature: str = "dirac",
    decay_length_cm: float | None = None,
    seed: int = 0,
    batch_size: int = 1_000_000,
    decay_moments: Mapping | None = None,
    daughter_masses: Mapping | None = None,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
) -> Iterator[np.ndarray]:
    """Yield weighted events (weights in s^-1 per target unit) in batches; see :func:`generate_folded`.

    The concatenation of the batches equals ``generate_folded(n, ...)`` with the same seed and batch size.
    """
    options = dict(
        nature=nature,
        decay_length_cm=decay_length_cm,
        decay_moments=decay_moments,
        daughter_masses=daughter_masses,
        form_factor=form_factor,
        recoil_threshold_MeV=recoil_threshold_MeV,
        recoil_resolution_MeV=recoil_resolution_MeV,
    )
    return _iter_events(n, None, _as_flux(flux), m_N, target, mu, options, seed, batch_size)


def _unweighted(ev, seed, unweight):
    if as_bool(unweight, "unweight") and ev.size:
        rng = np.random.default_rng(np.random.SeedSequence([int(seed), 1]))
        w = ev["weight"]
        wmax = w.max()
        if wmax <= 0:
            return ev[:0]
        keep = rng.random(ev.size) < w / wmax
        total = w.sum()
        ev = ev[keep].copy()
        if ev.size:
            ev["weight"] = total / ev.size
    return ev


def _concatenate(parts):
    parts = list(parts)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=EVENT_DTYPE)


def generate(
    n: int,
    E_nu: float,
    m_N: float,
    target: Target,
    mu: float,
    *,
    nature: str = "dirac",
    decay_length_cm: float | None = None,
    seed: int = 0,
    unweight: bool = False,
    batch_size: int = 1_000_000,
    decay_moments: Mapping | None = None,
    daughter_masses: Mapping | None = None,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
) -> np.ndarray:
    """Generate events of nu A -> (N -> nu gamma) A at one neutrino energy; weights in cm^2.

    Sampling: isotope by abundance, ln E_R uniform over the kinematic range, the N azimuth,
    cos theta* and phi* uniform in the N rest frame; the weight carries
    dsigma/dlnE_R x (1 + alpha P.n*) x BR x P_decay.  The sum of the weights estimates the
    cross section in cm^2 per target unit.  For a reactor flux use :func:`generate_folded`.

    Parameters
    ----------
    n : int
        Number of (weighted) events to generate.
    E_nu : float
        Neutrino energy in MeV.
    m_N, target, mu
        As in :func:`photon_spectrum`.
    {options}
    seed : int
        Seed of the random generator: same inputs, same events.
    unweight : bool
        If True, keep events with probability ``weight / max(weight)`` and give each kept event the
        weight ``sum(weights) / n_kept`` (a smaller sample of equal-weight events).
    batch_size : int
        Events generated per internal batch (see :func:`iter_events` to stream large samples).

    Returns
    -------
    numpy structured array of dtype :data:`EVENT_DTYPE`
        Weights in cm^2.

    Examples
    --------
    >>> from radcevns import radiative
    >>> ev = radiative.generate(1000, 5.0, 1.0, "W184", 3e-8, seed=1)
    >>> ev.size, bool((ev["p_gamma"][:, 0] <= ev["E_nu"]).all())
    (1000, True)
    >>> f"{ev['weight'].sum():.2e}"
    '9.99e-36'
    """
    it = iter_events(
        n,
        E_nu,
        m_N,
        target,
        mu,
        nature=nature,
        decay_length_cm=decay_length_cm,
        seed=seed,
        batch_size=batch_size,
        decay_moments=decay_moments,
        daughter_masses=daughter_masses,
        form_factor=form_factor,
        recoil_threshold_MeV=recoil_threshold_MeV,
        recoil_resolution_MeV=recoil_resolution_MeV,
    )
    return _unweighted(_concatenate(it), seed, unweight)


def generate_folded(
    n: int,
    m_N: float,
    target: Target,
    mu: float,
    *,
    flux: Flux | None = None,
    nature: str = "dirac",
    decay_length_cm: float | None = None,
    seed: int = 0,
    unweight: bool = False,
    batch_size: int = 1_000_000,
    decay_moments: Mapping | None = None,
    daughter_masses: Mapping | None = None,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
) -> np.ndarray:
    """Generate events with neutrino energies drawn from a flux; weights in s^-1 per target unit.

    As :func:`generate`, with ``E_nu`` drawn from the flux above threshold; the sum of the weights
    estimates the event rate per target unit (atom or formula unit) in s^-1.

    Parameters
    ----------
    n, m_N, target, mu
        As in :func:`generate`.
    flux : radcevns.flux.Flux or None
        The neutrino flux; None: :func:`radcevns.flux.chooz`.
    {options}
    seed, unweight, batch_size
        As in :func:`generate`.

    Returns
    -------
    numpy structured array of dtype :data:`EVENT_DTYPE`
        Weights in s^-1 per target unit.
    """
    it = iter_events_folded(
        n,
        m_N,
        target,
        mu,
        flux=flux,
        nature=nature,
        decay_length_cm=decay_length_cm,
        seed=seed,
        batch_size=batch_size,
        decay_moments=decay_moments,
        daughter_masses=daughter_masses,
        form_factor=form_factor,
        recoil_threshold_MeV=recoil_threshold_MeV,
        recoil_resolution_MeV=recoil_resolution_MeV,
    )
    return _unweighted(_concatenate(it), seed, unweight)


# --------------------------------------------------------------------------------------------------
# 2->2 Primakoff events (no decay) and decay positions
# --------------------------------------------------------------------------------------------------
def _primakoff_batches(it):
    """Strip the decay from radiative batches generated with BR = 1, P_decay = 1, isotropic decay."""
    for ev in it:
        ev["p_gamma"] = 0.0
        ev["p_nu"] = 0.0
        ev["cos_theta_gamma"] = 0.0
        ev["cos_theta_star"] = 0.0
        ev["channel"] = 0
        yield ev


def _primakoff_options(form_factor, recoil_threshold_MeV, recoil_resolution_MeV):
    # a Majorana N (alpha = 0), one channel of unit moment (BR = 1) and no decay region (P = 1): the
    # weights are then exactly those of the production cross section dsigma(nu A -> N A)/dE_R
    return dict(
        nature="majorana",
        decay_length_cm=None,
        decay_moments={"e": 1.0},
        daughter_masses=None,
        form_factor=form_factor,
        recoil_threshold_MeV=recoil_threshold_MeV,
        recoil_resolution_MeV=recoil_resolution_MeV,
    )


def iter_events_primakoff(
    n: int,
    E_nu: float,
    m_N: float,
    target: Target,
    mu: float,
    *,
    seed: int = 0,
    batch_size: int = 1_000_000,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
) -> Iterator[np.ndarray]:
    """Yield weighted 2->2 events nu A -> N A (weights in cm^2) in batches; see :func:`generate_primakoff`."""
    E = _monochromatic(E_nu, "iter_events_primakoff_folded")
    options = _primakoff_options(form_factor, recoil_threshold_MeV, recoil_resolution_MeV)
    return _primakoff_batches(_iter_events(n, E, None, m_N, target, mu, options, seed, batch_size))


def iter_events_primakoff_folded(
    n: int,
    m_N: float,
    target: Target,
    mu: float,
    *,
    flux: Flux | None = None,
    seed: int = 0,
    batch_size: int = 1_000_000,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
) -> Iterator[np.ndarray]:
    """Yield weighted 2->2 events (s^-1 per target unit) in batches; see :func:`generate_primakoff_folded`."""
    options = _primakoff_options(form_factor, recoil_threshold_MeV, recoil_resolution_MeV)
    return _primakoff_batches(
        _iter_events(n, None, _as_flux(flux), m_N, target, mu, options, seed, batch_size)
    )


def generate_primakoff(
    n: int,
    E_nu: float,
    m_N: float,
    target: Target,
    mu: float,
    *,
    seed: int = 0,
    unweight: bool = False,
    batch_size: int = 1_000_000,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
) -> np.ndarray:
    """Generate 2->2 Primakoff events nu A -> N A at one neutrino energy (no decay); weights in cm^2.

    The same sampling as :func:`generate` (isotope by abundance, ln E_R uniform, N azimuth uniform)
    without the decay: ``p_gamma``, ``p_nu``, ``cos_theta_gamma`` and ``cos_theta_star`` are 0 and
    the N is the final state.  The weights carry dsigma(nu A -> N A)/dlnE_R only, so their sum
    estimates :func:`radcevns.primakoff.sigma` (times the recoil-threshold efficiency, if any).

    Parameters
    ----------
    n : int
        Number of (weighted) events.
    E_nu : float
        Neutrino energy in MeV.
    m_N : float
        Sterile-neutrino mass in MeV.
    target : str or Nucleus or Compound
        Target; ``isotope`` indexes ``target.components()``.
    mu : float
        Production moment in Bohr magnetons.
    seed, unweight, batch_size
        As in :func:`generate`.
    form_factor, recoil_threshold_MeV, recoil_resolution_MeV
        As in :func:`photon_spectrum`.

    Returns
    -------
    numpy structured array of dtype :data:`EVENT_DTYPE`
        Weights in cm^2.

    Examples
    --------
    >>> from radcevns import radiative
    >>> ev = radiative.generate_primakoff(1000, 5.0, 1.0, "W184", 3e-8, seed=1)
    >>> bool((ev["p_gamma"] == 0).all()), f"{ev['weight'].sum():.2e}"
    (True, '9.96e-36')
    """
    it = iter_events_primakoff(
        n,
        E_nu,
        m_N,
        target,
        mu,
        seed=seed,
        batch_size=batch_size,
        form_factor=form_factor,
        recoil_threshold_MeV=recoil_threshold_MeV,
        recoil_resolution_MeV=recoil_resolution_MeV,
    )
    return _unweighted(_concatenate(it), seed, unweight)


def generate_primakoff_folded(
    n: int,
    m_N: float,
    target: Target,
    mu: float,
    *,
    flux: Flux | None = None,
    seed: int = 0,
    unweight: bool = False,
    batch_size: int = 1_000_000,
    form_factor: str = "helm",
    recoil_threshold_MeV: float = 0.0,
    recoil_resolution_MeV: float = 0.0,
) -> np.ndarray:
    """Generate 2->2 Primakoff events with E_nu drawn from a flux; weights in s^-1 per target unit.

    As :func:`generate_primakoff`; the sum of the weights estimates
    :func:`radcevns.rates.primakoff_rate` per target unit.

    Parameters
    ----------
    n, m_N, target, mu
        As in :func:`generate_primakoff`.
    flux : radcevns.flux.Flux or None
        The neutrino flux; None: :func:`radcevns.flux.chooz`.
    seed, unweight, batch_size, form_factor, recoil_threshold_MeV, recoil_resolution_MeV
        As in :func:`generate_primakoff`.

    Returns
    -------
    numpy structured array of dtype :data:`EVENT_DTYPE`
        Weights in s^-1 per target unit.
    """
    it = iter_events_primakoff_folded(
        n,
        m_N,
        target,
        mu,
        flux=flux,
        seed=seed,
        batch_size=batch_size,
        form_factor=form_factor,
        recoil_threshold_MeV=recoil_threshold_MeV,
        recoil_resolution_MeV=recoil_resolution_MeV,
    )
    return _unweighted(_concatenate(it), seed, unweight)


def decay_positions(
    events: np.ndarray,
    m_N: float,
    mu: float,
    *,
    nature: str = "dirac",
    decay_length_cm: float | None = None,
    decay_moments: Mapping | None = None,
    daughter_masses: Mapping | None = None,
    seed: int | np.random.Generator = 0,
) -> np.ndarray:
    """Decay points of the N of ``events`` relative to the production point, in cm.

    The flight length is drawn from the exponential of mean :func:`radcevns.decay.mean_decay_length`
    (the lab decay length of each N), truncated to ``[0, decay_length_cm]`` when a decay region is
    given (the events' weights already carry the probability to decay inside it), and the N flies
    along its momentum ``p_N``.

    Parameters
    ----------
    events : numpy structured array of dtype :data:`EVENT_DTYPE`
        Events from :func:`generate` / :func:`iter_events` (or their folded twins).
    m_N : float
        Sterile-neutrino mass in MeV.
    mu : float
        Decay moment in Bohr magnetons (the production moment when ``decay_moments`` is None).
    nature : {"dirac", "majorana"}
    decay_length_cm : float or None
        Length in cm of the decay region (as in :func:`generate`); None: no truncation.
    decay_moments, daughter_masses : mapping, optional
        As in :func:`generate`: the total width over all channels sets the decay length.
    seed : int or numpy.random.Generator
        Seed (same seed, same positions) or a generator to draw from (for streams of batches).

    Returns
    -------
    ndarray of shape (len(events), 4)
        ``(c t, x, y, z)`` in cm: ``c t = d / beta`` for a flight length ``d``; zero rows where the
        event has weight 0 or no N.

    Examples
    --------
    >>> from radcevns import radiative
    >>> ev = radiative.generate(3, 5.0, 1.0, "W184", 3e-8, decay_length_cm=5.0, seed=1)
    >>> x = radiative.decay_positions(ev, 1.0, 3e-8, decay_length_cm=5.0, seed=1)
    >>> x.shape, bool((np.linalg.norm(x[:, 1:], axis=1) <= 5.0).all())
    ((3, 4), True)
    """
    from .decay import mean_decay_length

    ev = np.asarray(events)
    if ev.dtype != EVENT_DTYPE:
        raise TypeError("events must be a structured array of dtype radiative.EVENT_DTYPE")
    m = float(as_array(m_N, "m_N", positive=True))
    L = as_length_or_none(decay_length_cm, "decay_length_cm")
    moments = {"e": float(as_array(mu, "mu", nonnegative=True))} if decay_moments is None else decay_moments
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    u = rng.random(ev.size)
    out = np.zeros((ev.size, 4))
    p4 = ev["p_N"]
    E_N = p4[:, 0]
    p = np.sqrt(np.maximum(np.sum(p4[:, 1:] ** 2, axis=1), 0.0))
    ok = (E_N >= m) & (p > 0)
    if not ok.any():
        return out
    if daughter_masses:
        md = {k: daughter_masses.get(k, 0.0) for k in moments}
    else:
        md = 0.0
    lam = np.asarray(mean_decay_length(E_N[ok], m, moments, nature=nature, daughter_mass=md), dtype=float)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if L is None or np.isinf(L):
            d = -lam * np.log1p(-u[ok])
        else:
            # inverse CDF of the exponential truncated to [0, L]; lam -> inf gives d = u L
            frac = -np.expm1(-L / lam)
            d = np.where(np.isfinite(lam), -lam * np.log1p(-u[ok] * frac), u[ok] * L)
            d = np.minimum(d, L)
    d = np.where(np.isfinite(d), d, 0.0)
    beta = p[ok] / E_N[ok]
    out[ok, 0] = d / beta
    out[ok, 1:] = d[:, None] * p4[ok, 1:] / p[ok, None]
    return out


for _f in (
    photon_spectrum,
    photon_spectrum_folded,
    photon_angle,
    photon_angle_folded,
    double_differential,
    double_differential_folded,
    generate,
    generate_folded,
):
    if _f.__doc__:  # None under python -OO
        _f.__doc__ = _f.__doc__.replace("{options}", _OPTIONS_DOC)
del _f
