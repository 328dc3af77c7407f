"""Squared matrix elements from explicit Dirac matrices and spinors.

This low-level module evaluates the upscattering, decay and 2 -> 3 amplitudes (chapters 02 and 03 of the
book; P. D. Bolton et al., arXiv:2110.02233) *numerically*:
explicit 4x4 gamma matrices (chiral representation, metric (+,-,-,-)), explicit helicity spinors, explicit
photon polarisation vectors, and spin sums done as sums over those states.  No trace is simplified by hand.
It is the independent cross-check of the analytic formulas used elsewhere in radcevns
(:mod:`radcevns.primakoff`, :mod:`radcevns.decay`), and it gives the full 2 -> 3 matrix element with a
Breit-Wigner N propagator.

Conventions ("convention A", see :mod:`radcevns.conventions`)
-------------------------------------------------------------
* Lagrangian ``(mu/2) nubar_L sigma^{ab} N_R F_ab + h.c.``, ``sigma^{ab} = (i/2)[gamma^a, gamma^b]``;
  vertex ``mu sigma^{ab} q_a eps_b`` (photon momentum ``q`` entering the vertex).  With this
  normalisation ``Gamma_Dirac(N -> nu gamma) = mu^2 m_N^3 / (16 pi)`` and a Majorana N has twice that.
* Nucleus: spin-0 scalar with electromagnetic current ``Z e F (p1 + p2)^mu``, ``e = sqrt(4 pi alpha)``
  (:data:`radcevns.constants.E_CHARGE`).
* Four-vectors are float arrays of shape ``(n, 4)`` (or ``(4,)`` for a single event), ordered
  ``(E, px, py, pz)``, in MeV.  Any Lorentz frame may be used: the spin-summed results are invariant.
  Neutrinos and photons are massless.

.. warning::
   **Magnetic moments in this module are in natural units, MeV^-1, NOT in Bohr magnetons.**
   Convert with :func:`radcevns.conventions.mu_bohr_to_per_mev` (1 mu_B = 0.2963 MeV^-1).  The high-level
   modules take mu in Bohr magnetons and convert before calling this one.

Spin states of N
----------------
The spin of a massive N (or Nbar) with momentum ``k2`` is described in the N rest frame reached from the
frame of the input four-vectors by a *pure* boost along ``k2`` (see :func:`radcevns.primakoff.polarisation`);
the rest-frame axes are the axes of the input frame.  A two-component spinor ``xi`` in that frame is carried
to the moving frame by the chiral-representation spinor
``u(k2, xi) = (sqrt(k2.sigma) xi, sqrt(k2.sigmabar) xi)``, which *is* that pure boost.  For an antiparticle
with physical spin state ``xi`` the v-spinor uses ``eta = -i sigma_2 xi^*``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numpy.typing import ArrayLike

from ._validate import MAX_ENERGY_MEV, as_array
from .constants import E_CHARGE

__all__ = [
    "msq_upscattering",
    "upscattering_polarisation",
    "upscattering_spin_density",
    "polarisation_components",
    "msq_decay",
    "msq_radiative",
    "RADIATIVE_NATURES",
    "GAMMA",
    "GAMMA5",
    "P_LEFT",
    "P_RIGHT",
]

#: Allowed values of ``nature`` in :func:`msq_radiative` (the last two give one final state alone).
RADIATIVE_NATURES = ("dirac", "majorana", "majorana-lnc", "majorana-lnv")

# --------------------------------------------------------------------------------------------------
# Explicit Dirac algebra (chiral / Weyl representation), built once with numpy.
# --------------------------------------------------------------------------------------------------
_PAULI = np.array(
    [
        [[1, 0], [0, 1]],
        [[0, 1], [1, 0]],
        [[0, -1j], [1j, 0]],
        [[1, 0], [0, -1]],
    ],
    dtype=np.complex128,
)
_ZERO2 = np.zeros((2, 2), dtype=np.complex128)


def _build_gammas():
    gam = np.zeros((4, 4, 4), dtype=np.complex128)
    gam[0] = np.block([[_ZERO2, _PAULI[0]], [_PAULI[0], _ZERO2]])
    for i in (1, 2, 3):
        gam[i] = np.block([[_ZERO2, _PAULI[i]], [-_PAULI[i], _ZERO2]])
    gamma5 = 1j * gam[0] @ gam[1] @ gam[2] @ gam[3]
    return gam, gamma5


#: Dirac matrices gamma^0..gamma^3 (shape (4, 4, 4)) and gamma^5, chiral representation, metric (+,-,-,-).
GAMMA, GAMMA5 = _build_gammas()
#: Chiral projectors (1 -/+ gamma^5) / 2.
#: Chirality projectors P_L = (1 - gamma5)/2 and P_R = (1 + gamma5)/2 (explicit 4x4 matrices).
P_LEFT = 0.5 * (np.eye(4) - GAMMA5)
P_RIGHT = 0.5 * (np.eye(4) + GAMMA5)
_METRIC = np.array([1.0, -1.0, -1.0, -1.0])


# --------------------------------------------------------------------------------------------------
# Numba building blocks (no allocation: every routine writes into caller-provided buffers).
# --------------------------------------------------------------------------------------------------
@njit(cache=True)
def _mdot(a, b):
    """Minkowski product a.b with metric (+,-,-,-) of two length-4 float arrays."""
    return a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3]


@njit(cache=True)
def _slash(p0, p1, p2, p3, out):
    """out = gamma^mu p_mu = gamma^0 p^0 - gamma^i p^i for a contravariant vector p^mu."""
    for i in range(4):
        for j in range(4):
            out[i, j] = GAMMA[0, i, j] * p0 - GAMMA[1, i, j] * p1 - GAMMA[2, i, j] * p2 - GAMMA[3, i, j] * p3


@njit(cache=True)
def _sigma_contracted(aslash, bslash, out):
    """out = sigma^{mu nu} a_mu b_nu = (i/2) [aslash, bslash] (by linearity of sigma in its indices)."""
    for i in range(4):
        for j in range(4):
            acc = 0.0j
            for k in range(4):
                acc += aslash[i, k] * bslash[k, j] - bslash[i, k] * aslash[k, j]
            out[i, j] = 0.5j * acc


@njit(cache=True)
def _matvec(mat, vec, out):
    for i in range(4):
        acc = 0.0j
        for j in range(4):
            acc += mat[i, j] * vec[j]
        out[i] = acc


@njit(cache=True)
def _bar_dot(psi, chi):
    """Dirac-adjoint product psibar chi = psi^dagger gamma^0 chi."""
    acc = 0.0j
    for i in range(4):
        ci = psi[i].conjugate()
        for j in range(4):
            acc += ci * GAMMA[0, i, j] * chi[j]
    return acc


@njit(cache=True)
def _helicity_xi(px, py, pz):
    """Two-spinors with spin +1/2 and -1/2 along the direction of (px, py, pz) (any length > 0).

    Returns (a0, a1, b0, b1): xi_+ = (a0, a1), xi_- = (b0, b1) = -i sigma_2 xi_+^*.
    A zero vector gives the spin states along +z.
    """
    norm = math.sqrt(px * px + py * py + pz * pz)
    if norm == 0.0:
        nx, ny, nz = 0.0, 0.0, 1.0
    else:
        nx, ny, nz = px / norm, py / norm, pz / norm
    if nz >= 0.0:
        c = math.sqrt(2.0 * (1.0 + nz))
        a0 = complex((1.0 + nz) / c, 0.0)
        a1 = complex(nx / c, ny / c)
    else:
        c = math.sqrt(2.0 * (1.0 - nz))
        a0 = complex(nx / c, -ny / c)
        a1 = complex((1.0 - nz) / c, 0.0)
    return a0, a1, -a1.conjugate(), a0.conjugate()


@njit(cache=True)
def _dirac_spinor(p, xi0, xi1, is_v, out):
    """u(p, xi) (is_v False) or v(p, eta=xi) (is_v True) in the chiral representation.

    upper = sqrt(p.sigma) xi, lower = +/- sqrt(p.sigmabar) xi with p.sigma = E - p.sigma_vec; the square roots
    are formed from the spectral decomposition of p.sigma_vec (eigenvalues +/-``|p|``).  The spinor mass is
    the invariant mass of the four-vector given (E - ``|p|`` is clipped at 0 for light-like vectors).
    """
    e = p[0]
    pabs = math.sqrt(p[1] * p[1] + p[2] * p[2] + p[3] * p[3])
    a = math.sqrt(max(e - pabs, 0.0))
    b = math.sqrt(max(e + pabs, 0.0))
    if pabs > 0.0:
        nx, ny, nz = p[1] / pabs, p[2] / pabs, p[3] / pabs
    else:
        nx, ny, nz = 0.0, 0.0, 0.0
    # (n . sigma) xi with explicit Pauli matrices
    s0 = 0.0j
    s1 = 0.0j
    for k in range(1, 4):
        nk = nx if k == 1 else (ny if k == 2 else nz)
        s0 += nk * (_PAULI[k, 0, 0] * xi0 + _PAULI[k, 0, 1] * xi1)
        s1 += nk * (_PAULI[k, 1, 0] * xi0 + _PAULI[k, 1, 1] * xi1)
    plus = 0.5 * (a + b)
    minus = 0.5 * (a - b)
    sign = -1.0 if is_v else 1.0
    out[0] = plus * xi0 + minus * s0
    out[1] = plus * xi1 + minus * s1
    out[2] = sign * (plus * xi0 - minus * s0)
    out[3] = sign * (plus * xi1 - minus * s1)


@njit(cache=True)
def _helicity_spinors(p, is_v, out):
    """out[0], out[1] = spinors for the helicity two-spinors xi_+, xi_- along p (a basis for spin sums)."""
    a0, a1, b0, b1 = _helicity_xi(p[1], p[2], p[3])
    _dirac_spinor(p, a0, a1, is_v, out[0])
    _dirac_spinor(p, b0, b1, is_v, out[1])


@njit(cache=True)
def _transverse_polarisations(k, out):
    """Two real, orthonormal, transverse polarisation four-vectors (0, e) of a photon with momentum k."""
    norm = math.sqrt(k[1] * k[1] + k[2] * k[2] + k[3] * k[3])
    kx, ky, kz = k[1] / norm, k[2] / norm, k[3] / norm
    # reference axis: the coordinate axis least aligned with k
    ax, ay, az = abs(kx), abs(ky), abs(kz)
    if ax <= ay and ax <= az:
        rx, ry, rz = 1.0, 0.0, 0.0
    elif ay <= az:
        rx, ry, rz = 0.0, 1.0, 0.0
    else:
        rx, ry, rz = 0.0, 0.0, 1.0
    # e1 = r x k / |r x k|, e2 = k x e1
    e1x = ry * kz - rz * ky
    e1y = rz * kx - rx * kz
    e1z = rx * ky - ry * kx
    n1 = math.sqrt(e1x * e1x + e1y * e1y + e1z * e1z)
    e1x, e1y, e1z = e1x / n1, e1y / n1, e1z / n1
    out[0, 0] = 0.0
    out[0, 1] = e1x
    out[0, 2] = e1y
    out[0, 3] = e1z
    out[1, 0] = 0.0
    out[1, 1] = ky * e1z - kz * e1y
    out[1, 2] = kz * e1x - kx * e1z
    out[1, 3] = kx * e1y - ky * e1x


# --------------------------------------------------------------------------------------------------
# Kernels
# --------------------------------------------------------------------------------------------------
@njit(cache=True)
def _upscattering_rho_kernel(k1, k2, p1, p2, coupling, nubar, out):
    """Unnormalised N spin density matrix rho_ab = sum_in M_a M_b^* in the rest-frame z basis.

    nu beam:    M_a = ubar(k2, e_a) sigma.qP P_L u(k1)          (sum over both k1 helicities)
    nubar beam: M_a = vbar(k1) sigma.qP P_R v(k2, -i s2 e_a^*)  (Nbar with physical spin e_a)
    times coupling / t with coupling = mu Z e F and q = k2 - k1, P = p1 + p2, t = q^2.
    """
    n = k1.shape[0]
    qs = np.empty((4, 4), dtype=np.complex128)
    ps = np.empty((4, 4), dtype=np.complex128)
    amat = np.empty((4, 4), dtype=np.complex128)
    s1 = np.empty((2, 4), dtype=np.complex128)
    s2 = np.empty((2, 4), dtype=np.complex128)
    x = np.empty(4, dtype=np.complex128)
    y = np.empty(4, dtype=np.complex128)
    q = np.empty(4)
    big_p = np.empty(4)
    for ev in range(n):
        for mu in range(4):
            q[mu] = k2[ev, mu] - k1[ev, mu]
            big_p[mu] = p1[ev, mu] + p2[ev, mu]
        t = _mdot(q, q)
        for a in range(2):
            for b in range(2):
                out[ev, a, b] = 0.0j
        if t == 0.0 or coupling[ev] == 0.0:
            continue
        _slash(q[0], q[1], q[2], q[3], qs)
        _slash(big_p[0], big_p[1], big_p[2], big_p[3], ps)
        _sigma_contracted(qs, ps, amat)
        _helicity_spinors(k1[ev], nubar, s1)
        if nubar:
            # physical spin e_0 = (1, 0) -> eta = (0, 1); e_1 = (0, 1) -> eta = (-1, 0)
            _dirac_spinor(k2[ev], 0.0j, 1.0 + 0.0j, True, s2[0])
            _dirac_spinor(k2[ev], -1.0 + 0.0j, 0.0j, True, s2[1])
        else:
            _dirac_spinor(k2[ev], 1.0 + 0.0j, 0.0j, False, s2[0])
            _dirac_spinor(k2[ev], 0.0j, 1.0 + 0.0j, False, s2[1])
        scale = coupling[ev] / t
        for h in range(2):
            amp0 = 0.0j
            amp1 = 0.0j
            if nubar:
                for a in range(2):
                    _matvec(P_RIGHT, s2[a], x)
                    _matvec(amat, x, y)
                    if a == 0:
                        amp0 = _bar_dot(s1[h], y)
                    else:
                        amp1 = _bar_dot(s1[h], y)
            else:
                _matvec(P_LEFT, s1[h], x)
                _matvec(amat, x, y)
                amp0 = _bar_dot(s2[0], y)
                amp1 = _bar_dot(s2[1], y)
            amp0 *= scale
            amp1 *= scale
            out[ev, 0, 0] += amp0 * amp0.conjugate()
            out[ev, 0, 1] += amp0 * amp1.conjugate()
            out[ev, 1, 0] += amp1 * amp0.conjugate()
            out[ev, 1, 1] += amp1 * amp1.conjugate()


@njit(cache=True)
def _decay_kernel(k2, k3, kg, xi, polarised, parent_bar, final_nubar, coupling, out):
    """``|M|^2`` of N(k2) -> nu(k3) gamma(kg), summed over nu spin and photon polarisations.

    parent N:    M = ubar(k3) sigma.(-kg)eps* P_X u(k2, xi)
    parent Nbar: M = vbar(k2, eta(xi)) sigma.(-kg)eps* P_X v(k3)
    with P_X = P_R for a final nu_L-type lepton from N (P_L for Nbar) and the opposite for the other final
    state.  Unpolarised (polarised False): average over the two spin states of the parent.
    """
    n = k2.shape[0]
    gs = np.empty((4, 4), dtype=np.complex128)
    es = np.empty((4, 4), dtype=np.complex128)
    bmat = np.empty((2, 4, 4), dtype=np.complex128)
    pols = np.empty((2, 4))
    s2 = np.empty(4, dtype=np.complex128)
    s3 = np.empty((2, 4), dtype=np.complex128)
    x = np.empty(4, dtype=np.complex128)
    y = np.empty(4, dtype=np.complex128)
    kin = np.empty(4)
    # N -> nu_L: ubar(k3) B P_R u(k2); N -> nubar (LNV): P_L.
    # Nbar -> nubar_R: vbar(k2) B P_L v(k3); Nbar -> nu (LNV): P_R.
    proj = P_LEFT if final_nubar else P_RIGHT
    for ev in range(n):
        for mu in range(4):
            kin[mu] = -kg[ev, mu]  # photon momentum entering the vertex
        _slash(kin[0], kin[1], kin[2], kin[3], gs)
        _transverse_polarisations(kg[ev], pols)
        for lam in range(2):
            _slash(pols[lam, 0], pols[lam, 1], pols[lam, 2], pols[lam, 3], es)
            _sigma_contracted(gs, es, bmat[lam])
        _helicity_spinors(k3[ev], parent_bar, s3)
        nstates = 1 if polarised else 2
        total = 0.0
        for st in range(nstates):
            if polarised:
                x0 = xi[ev, 0]
                x1 = xi[ev, 1]
            elif st == 0:
                x0 = 1.0 + 0.0j
                x1 = 0.0j
            else:
                x0 = 0.0j
                x1 = 1.0 + 0.0j
            if parent_bar:
                _dirac_spinor(k2[ev], -x1.conjugate(), x0.conjugate(), True, s2)
                for h in range(2):
                    _matvec(proj, s3[h], x)
                    for lam in range(2):
                        _matvec(bmat[lam], x, y)
                        amp = _bar_dot(s2, y)
                        total += amp.real * amp.real + amp.imag * amp.imag
            else:
                _dirac_spinor(k2[ev], x0, x1, False, s2)
                _matvec(proj, s2, x)
                for lam in range(2):
                    _matvec(bmat[lam], x, y)
                    for h in range(2):
                        amp = _bar_dot(s3[h], y)
                        total += amp.real * amp.real + amp.imag * amp.imag
        out[ev] = total * coupling[ev] ** 2 / nstates


@njit(cache=True)
def _radiative_kernel(k1, k3, kg, p1, p2, m_n, width, coupling, nubar, w_lnc, w_lnv, out):
    """Full 2 -> 3 ``|M|^2`` of nu(k1) A(p1) -> nu(k3) A(p2) gamma(kg) through an s-channel-like N line.

    nu beam:    ubar(k3) B P_X (k2slash + m) A P_L u(k1),   P_X = P_R (LNC) or P_L (LNV)
    nubar beam: vbar(k1) A P_R (-k2slash + m) B P_X v(k3),  P_X = P_L (LNC) or P_R (LNV)
    with A = sigma.qP (production, q = k2 - k1), B = sigma.(-kg) eps (decay), k2 = k3 + kg, times
    coupling / (t (k2^2 - m^2 + i m Gamma)), coupling = mu_prod mu_decay Z e F.
    The LNC and LNV squares are added with weights w_lnc, w_lnv (no interference: different final helicity).
    """
    n = k1.shape[0]
    qs = np.empty((4, 4), dtype=np.complex128)
    ps = np.empty((4, 4), dtype=np.complex128)
    amat = np.empty((4, 4), dtype=np.complex128)
    nmat = np.empty((4, 4), dtype=np.complex128)
    gs = np.empty((4, 4), dtype=np.complex128)
    es = np.empty((4, 4), dtype=np.complex128)
    bmat = np.empty((2, 4, 4), dtype=np.complex128)
    pols = np.empty((2, 4))
    s1 = np.empty((2, 4), dtype=np.complex128)
    s3 = np.empty((2, 4), dtype=np.complex128)
    x = np.empty(4, dtype=np.complex128)
    y = np.empty(4, dtype=np.complex128)
    z = np.empty(4, dtype=np.complex128)
    w = np.empty(4, dtype=np.complex128)
    q = np.empty(4)
    big_p = np.empty(4)
    k2 = np.empty(4)
    kin = np.empty(4)
    do_lnc = w_lnc != 0.0
    do_lnv = w_lnv != 0.0
    for ev in range(n):
        for mu in range(4):
            k2[mu] = k3[ev, mu] + kg[ev, mu]
            q[mu] = k2[mu] - k1[ev, mu]
            big_p[mu] = p1[ev, mu] + p2[ev, mu]
            kin[mu] = -kg[ev, mu]
        t = _mdot(q, q)
        if t == 0.0 or coupling[ev] == 0.0:
            out[ev] = 0.0
            continue
        s_n = _mdot(k2, k2)
        m = m_n[ev]
        _slash(q[0], q[1], q[2], q[3], qs)
        _slash(big_p[0], big_p[1], big_p[2], big_p[3], ps)
        _sigma_contracted(qs, ps, amat)
        _slash(k2[0], k2[1], k2[2], k2[3], nmat)
        sgn = -1.0 if nubar else 1.0
        for i in range(4):
            for j in range(4):
                nmat[i, j] = sgn * nmat[i, j]
            nmat[i, i] += m
        _slash(kin[0], kin[1], kin[2], kin[3], gs)
        _transverse_polarisations(kg[ev], pols)
        for lam in range(2):
            _slash(pols[lam, 0], pols[lam, 1], pols[lam, 2], pols[lam, 3], es)
            _sigma_contracted(gs, es, bmat[lam])
        _helicity_spinors(k1[ev], nubar, s1)
        _helicity_spinors(k3[ev], nubar, s3)
        sum_lnc = 0.0
        sum_lnv = 0.0
        for channel in range(2):
            if channel == 0 and not do_lnc:
                continue
            if channel == 1 and not do_lnv:
                continue
            acc = 0.0
            if nubar:
                proj = P_LEFT if channel == 0 else P_RIGHT
                for h3 in range(2):
                    _matvec(proj, s3[h3], x)
                    for lam in range(2):
                        _matvec(bmat[lam], x, y)
                        _matvec(nmat, y, z)
                        _matvec(P_RIGHT, z, w)
                        _matvec(amat, w, y)
                        for h1 in range(2):
                            amp = _bar_dot(s1[h1], y)
                            acc += amp.real * amp.real + amp.imag * amp.imag
            else:
                proj = P_RIGHT if channel == 0 else P_LEFT
                for h1 in range(2):
                    _matvec(P_LEFT, s1[h1], x)
                    _matvec(amat, x, y)
                    _matvec(nmat, y, z)
                    _matvec(proj, z, w)
                    for lam in range(2):
                        _matvec(bmat[lam], w, y)
                        for h3 in range(2):
                            amp = _bar_dot(s3[h3], y)
                            acc += amp.real * amp.real + amp.imag * amp.imag
            if channel == 0:
                sum_lnc = acc
            else:
                sum_lnv = acc
        denom = t * t * ((s_n - m * m) ** 2 + (m * width[ev]) ** 2)
        out[ev] = (w_lnc * sum_lnc + w_lnv * sum_lnv) * coupling[ev] ** 2 / denom


# --------------------------------------------------------------------------------------------------
# Python layer: validation and broadcasting
# --------------------------------------------------------------------------------------------------
_SHELL_RTOL = 1e-6


def _four_vectors(value, name):
    # components up to 1e12 MeV in any frame: their squares stay far from the float64 range
    arr = as_array(value, name, minimum=-1e12, maximum=1e12)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != 4:
        raise ValueError(f"{name} must have shape (4,) or (n, 4) (E, px, py, pz), got {np.shape(value)}")
    if np.any(arr[:, 0] < 0):
        raise ValueError(f"{name} must have non-negative energies (component 0)")
    return arr


def _broadcast_events(vectors, scalars):
    """Broadcast (n_i, 4) four-vector arrays and per-event scalars to a common leading length n."""
    lengths = {v.shape[0] for v in vectors.values()} | {np.size(s) for s in scalars.values()}
    lengths.discard(1)
    if len(lengths) > 1:
        sizes = {k: v.shape[0] for k, v in vectors.items()} | {k: np.size(s) for k, s in scalars.items()}
        raise ValueError(f"inputs have incompatible numbers of events: {sizes}")
    n = lengths.pop() if lengths else 1
    out_v = {k: np.ascontiguousarray(np.broadcast_to(v, (n, 4))) for k, v in vectors.items()}
    out_s = {}
    for k, s in scalars.items():
        s = np.asarray(s, dtype=np.float64)
        if s.ndim > 1:
            raise ValueError(f"{k} must be a scalar or a 1-d array over events")
        out_s[k] = np.ascontiguousarray(np.broadcast_to(s.reshape(-1), (n,)))
    return n, out_v, out_s


def _minkowski_sq(v):
    return v[:, 0] ** 2 - v[:, 1] ** 2 - v[:, 2] ** 2 - v[:, 3] ** 2


def _check_mass_shell(v, mass, name):
    """ValueError unless v^2 = mass^2 within a relative tolerance of E^2."""
    scale = np.maximum(v[:, 0] ** 2, 1e-300)
    if np.any(np.abs(_minkowski_sq(v) - mass**2) > _SHELL_RTOL * scale):
        what = "light-like (massless)" if np.all(np.asarray(mass) == 0) else "on the m_N mass shell"
        raise ValueError(f"{name} must be {what}")


def _check_conservation(incoming, outgoing, label):
    """ValueError unless sum(incoming) = sum(outgoing) component-wise within 1e-8 of the total energy."""
    total_in = sum(incoming)
    scale = total_in[:, 0]
    if np.any(np.abs(total_in - sum(outgoing)) > 1e-8 * scale[:, None]):
        raise ValueError(f"four-momentum is not conserved: {label}")


def _beam_is_nubar(beam):
    if not isinstance(beam, str) or beam.lower() not in ("nu", "nubar"):
        raise ValueError(f"beam must be 'nu' or 'nubar', got {beam!r}")
    return beam.lower() == "nubar"


def _unit_three_vectors(value, name, n):
    arr = as_array(value, name)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != 3 or arr.shape[0] not in (1, n):
        raise ValueError(f"{name} must have shape (3,) or ({n}, 3)")
    norm = np.linalg.norm(arr, axis=1)
    if np.any(np.abs(norm - 1.0) > 1e-9):
        raise ValueError(f"{name} must be unit vectors")
    return np.broadcast_to(arr, (n, 3))


def _xi_along(directions):
    """Two-spinors (n, 2) with spin +1/2 along each unit three-vector (numpy twin of _helicity_xi)."""
    nx, ny, nz = directions[:, 0], directions[:, 1], directions[:, 2]
    xi = np.empty((len(nx), 2), dtype=np.complex128)
    up = nz >= 0
    c_up = np.sqrt(2.0 * (1.0 + np.where(up, nz, 0.0)))
    c_dn = np.sqrt(2.0 * (1.0 - np.where(up, 0.0, nz)))
    xi[:, 0] = np.where(up, (1.0 + nz) / c_up, (nx - 1j * ny) / c_dn)
    xi[:, 1] = np.where(up, (nx + 1j * ny) / c_up, (1.0 - nz) / c_dn)
    return xi


def _upscattering_rho(k1, k2, p1, p2, m_N, Z, mu_per_mev, form_factor, beam):
    nubar = _beam_is_nubar(beam)
    vecs = {
        "k1": _four_vectors(k1, "k1"),
        "k2": _four_vectors(k2, "k2"),
        "p1": _four_vectors(p1, "p1"),
        "p2": _four_vectors(p2, "p2"),
    }
    scal = {
        "m_N": as_array(m_N, "m_N", nonnegative=True, maximum=MAX_ENERGY_MEV),
        "Z": as_array(Z, "Z", positive=True, maximum=200.0),
        "mu_per_mev": as_array(mu_per_mev, "mu_per_mev"),
        "form_factor": as_array(form_factor, "form_factor"),
    }
    n, v, s = _broadcast_events(vecs, scal)
    _check_mass_shell(v["k1"], 0.0, "k1")
    _check_mass_shell(v["k2"], s["m_N"], "k2")
    _check_conservation([v["k1"], v["p1"]], [v["k2"], v["p2"]], "k1 + p1 != k2 + p2")
    coupling = s["mu_per_mev"] * s["Z"] * E_CHARGE * s["form_factor"]
    rho = np.empty((n, 2, 2), dtype=np.complex128)
    _upscattering_rho_kernel(v["k1"], v["k2"], v["p1"], v["p2"], coupling, nubar, rho)
    return rho, v


def msq_upscattering(
    k1: ArrayLike,
    k2: ArrayLike,
    p1: ArrayLike,
    p2: ArrayLike,
    m_N: ArrayLike,
    Z: ArrayLike,
    mu_per_mev: ArrayLike,
    *,
    form_factor: ArrayLike = 1.0,
    beam: str = "nu",
    n_spin: ArrayLike | None = None,
) -> np.ndarray:
    """``|M|^2`` of Primakoff upscattering nu(k1) A(p1) -> N(k2) A(p2), from explicit spinors.

    **mu_per_mev is in MeV^-1 (natural units), not in Bohr magnetons.**  Convention A
    (:mod:`radcevns.conventions`):
    ``M = (mu Z e F / t) ubar(k2) sigma^{ab} q_a P_b P_L u(k1)``, q = k2 - k1, P = p1 + p2, t = q^2.

    Parameters
    ----------
    k1, k2, p1, p2 : array_like, shape (4,) or (n, 4)
        Four-momenta (E, px, py, pz) in MeV of the incoming neutrino (massless), of N (mass m_N), and of the
        nucleus before/after, in any common frame.
    m_N : float or array_like
        N mass in MeV (checked against k2).
    Z : float or array_like
        Nuclear charge number.
    mu_per_mev : float or array_like
        Transition moment in **MeV^-1** (convention A).
    form_factor : float or array_like
        Charge form factor F(q^2) (default 1).
    beam : {"nu", "nubar"}
        Left-handed neutrino beam producing N, or right-handed antineutrino beam producing Nbar (v-spinors).
    n_spin : array_like, shape (3,) or (n, 3), optional
        Unit vector in the N rest frame reached by a pure boost along k2 (axes of the input frame).  If given,
        return ``|M|^2`` for N (Nbar) produced with spin +1/2 along it; otherwise sum over the N spin.

    Returns
    -------
    ndarray, shape (n,)
        ``|M|^2`` (dimensionless).  t = 0 exactly (forward massless scattering) gives 0.0.
    """
    rho, v = _upscattering_rho(k1, k2, p1, p2, m_N, Z, mu_per_mev, form_factor, beam)
    if n_spin is None:
        return np.real(rho[:, 0, 0] + rho[:, 1, 1])
    xi = _xi_along(_unit_three_vectors(n_spin, "n_spin", rho.shape[0]))
    return np.real(np.einsum("na,nab,nb->n", xi.conj(), rho, xi))


def upscattering_polarisation(
    k1: ArrayLike, k2: ArrayLike, p1: ArrayLike, p2: ArrayLike, m_N: ArrayLike, *, beam: str = "nu"
) -> np.ndarray:
    """Polarisation vector of N (beam="nu") or Nbar (beam="nubar") produced in nu A -> N A.

    Parameters are those of :func:`msq_upscattering` (four-vectors in MeV).  The vector is defined in the
    N rest frame reached from the input frame by a pure boost along k2 (module docstring), with the axes of
    the input frame: ``P_i = Tr(rho sigma_i)`` for the (pure) produced spin state.

    Returns
    -------
    ndarray, shape (n, 3)
        Polarisation vector (``|P|`` = 1 for a pure state).  Rows where ``|M|^2`` = 0 are 0.
    """
    rho, _ = _upscattering_rho(k1, k2, p1, p2, m_N, 1.0, 1.0, 1.0, beam)
    norm = np.real(rho[:, 0, 0] + rho[:, 1, 1])
    pvec = np.real(np.einsum("nab,iba->ni", rho, _PAULI[1:]))
    safe = np.where(norm > 0, norm, 1.0)
    return np.where(norm[:, None] > 0, pvec / safe[:, None], 0.0)


def upscattering_spin_density(
    k1: ArrayLike, k2: ArrayLike, p1: ArrayLike, p2: ArrayLike, m_N: ArrayLike, *, beam: str = "nu"
) -> np.ndarray:
    """Normalised 2x2 spin density matrix of the produced N (Nbar) in its helicity basis.

    Basis index 0 = helicity +1/2, 1 = helicity -1/2 along k2 (input frame), i.e. spin along +/- k2_hat in
    the rest frame reached by a pure boost.  ``rho[0, 0] = (1 + P_L)/2``.

    Returns
    -------
    ndarray, shape (n, 2, 2), complex
    """
    rho, v = _upscattering_rho(k1, k2, p1, p2, m_N, 1.0, 1.0, 1.0, beam)
    khat = v["k2"][:, 1:]
    knorm = np.linalg.norm(khat, axis=1)
    khat = np.where(knorm[:, None] > 0, khat / np.where(knorm > 0, knorm, 1.0)[:, None], [0.0, 0.0, 1.0])
    xi_plus = _xi_along(khat)
    xi_minus = np.stack([-xi_plus[:, 1].conj(), xi_plus[:, 0].conj()], axis=1)
    basis = np.stack([xi_plus, xi_minus], axis=2)  # columns = helicity two-spinors
    rho_hel = np.einsum("nai,nab,nbj->nij", basis.conj(), rho, basis)
    norm = np.real(rho_hel[:, 0, 0] + rho_hel[:, 1, 1])
    safe = np.where(norm > 0, norm, 1.0)
    return np.where(norm[:, None, None] > 0, rho_hel / safe[:, None, None], 0.0)


def polarisation_components(pol: ArrayLike, k1: ArrayLike, k2: ArrayLike) -> tuple:
    """Split a rest-frame polarisation vector into (P_L, P_T, P_normal) (module docstring).

    Parameters
    ----------
    pol : array_like, shape (3,) or (n, 3)
        Polarisation vector from :func:`upscattering_polarisation`.
    k1, k2 : array_like, shape (4,) or (n, 4)
        Beam and N four-momenta (MeV) in the same frame.

    Returns
    -------
    P_L, P_T, P_N : ndarray, shape (n,)
        Components along k2_hat, along e_theta = (k2_hat cos(theta_N) - k1_hat) / sin(theta_N) (in the
        production plane, perpendicular to k2_hat, pointing away from the beam axis) and along
        k1_hat x k2_hat / sin(theta_N).  For theta_N = 0 the transverse components are set to 0.
    """
    pol = as_array(pol, "pol")
    pol = pol[None, :] if pol.ndim == 1 else pol
    k1 = _four_vectors(k1, "k1")[:, 1:]
    k2 = _four_vectors(k2, "k2")[:, 1:]
    k1h = k1 / np.linalg.norm(k1, axis=1)[:, None]
    k2h = k2 / np.linalg.norm(k2, axis=1)[:, None]
    cos_n = np.sum(k1h * k2h, axis=1)
    normal = np.cross(k1h, k2h)
    sin_n = np.linalg.norm(normal, axis=1)
    ok = sin_n > 0
    safe = np.where(ok, sin_n, 1.0)[:, None]
    e_theta = np.where(ok[:, None], (k2h * cos_n[:, None] - k1h) / safe, 0.0)
    e_norm = np.where(ok[:, None], normal / safe, 0.0)
    return np.sum(pol * k2h, axis=1), np.sum(pol * e_theta, axis=1), np.sum(pol * e_norm, axis=1)


def msq_decay(
    k_n: ArrayLike,
    k_nu: ArrayLike,
    k_gamma: ArrayLike,
    m_N: ArrayLike,
    mu_per_mev: ArrayLike,
    *,
    n_spin: ArrayLike | None = None,
    parent: str = "N",
    final: str = "nu",
) -> np.ndarray:
    """``|M|^2`` of the radiative decay N(k_n) -> nu(k_nu) gamma(k_gamma) from explicit spinors.

    **mu_per_mev is in MeV^-1 (natural units), not in Bohr magnetons.**  Convention A: vertex
    ``mu sigma^{ab} q_a eps*_b`` with q = -k_gamma entering; the partial width is
    ``Gamma = (1/(2 m_N)) int |M|^2 dPhi_2 = mu^2 m_N^3/(16 pi)`` per channel.

    Parameters
    ----------
    k_n, k_nu, k_gamma : array_like, shape (4,) or (n, 4)
        Four-momenta in MeV (k_n on the m_N shell, k_nu and k_gamma light-like).
    m_N : float or array_like
        N mass in MeV.
    mu_per_mev : float or array_like
        Transition moment in **MeV^-1**.
    n_spin : array_like, shape (3,) or (n, 3), optional
        Parent spin +1/2 along this unit vector in its rest frame reached by a pure boost along k_n.
        Default: average over the parent spin.
    parent : {"N", "Nbar"}
        Decaying particle (Nbar uses v-spinors).
    final : {"nu", "nubar"}
        Final lepton: for parent N, "nu" is the nu_L (lepton-number conserving) channel and "nubar" the
        Majorana-only LNV channel; for parent Nbar, "nubar" is the LNC channel and "nu" the LNV one.

    Returns
    -------
    ndarray, shape (n,)
        ``|M|^2`` in MeV^2, summed over the final neutrino spin and the two photon polarisations.
    """
    if parent not in ("N", "Nbar"):
        raise ValueError(f"parent must be 'N' or 'Nbar', got {parent!r}")
    if final not in ("nu", "nubar"):
        raise ValueError(f"final must be 'nu' or 'nubar', got {final!r}")
    vecs = {
        "k_n": _four_vectors(k_n, "k_n"),
        "k_nu": _four_vectors(k_nu, "k_nu"),
        "k_gamma": _four_vectors(k_gamma, "k_gamma"),
    }
    scal = {
        "m_N": as_array(m_N, "m_N", positive=True, maximum=MAX_ENERGY_MEV),
        "mu_per_mev": as_array(mu_per_mev, "mu_per_mev"),
    }
    n, v, s = _broadcast_events(vecs, scal)
    _check_mass_shell(v["k_n"], s["m_N"], "k_n")
    _check_mass_shell(v["k_nu"], 0.0, "k_nu")
    _check_mass_shell(v["k_gamma"], 0.0, "k_gamma")
    _check_conservation([v["k_n"]], [v["k_nu"], v["k_gamma"]], "k_n != k_nu + k_gamma")
    if np.any(np.linalg.norm(v["k_gamma"][:, 1:], axis=1) == 0):
        raise ValueError("k_gamma must have a non-zero momentum")
    if n_spin is None:
        xi = np.zeros((n, 2), dtype=np.complex128)
        polarised = False
    else:
        xi = np.ascontiguousarray(_xi_along(_unit_three_vectors(n_spin, "n_spin", n)))
        polarised = True
    out = np.empty(n)
    _decay_kernel(
        v["k_n"],
        v["k_nu"],
        v["k_gamma"],
        xi,
        polarised,
        parent == "Nbar",
        final == "nubar",
        s["mu_per_mev"],
        out,
    )
    return out


def msq_radiative(
    k1,
    k3,
    kg,
    p1,
    p2,
    m_N,
    width,
    Z,
    mu_prod_per_mev,
    mu_decay_per_mev,
    *,
    nature: str = "dirac",
    beam: str = "nu",
    form_factor: ArrayLike = 1.0,
) -> np.ndarray:
    """Full 2 -> 3 ``|M|^2`` of nu(k1) A(p1) -> nu(k3) A(p2) gamma(kg) through an N line (chapter 03).

    **Moments in MeV^-1 (natural units), not in Bohr magnetons.**  The N propagator is
    ``i (k2slash + m_N) / (k2^2 - m_N^2 + i m_N Gamma)`` with k2 = k3 + kg (``-k2slash + m_N`` on the Nbar
    line of an antineutrino beam).  Summed over the final neutrino spin and photon polarisations; the
    incoming (anti)neutrino has a definite chirality (no spin average).  The spin-0 nucleus couples through
    ``Z e F (p1 + p2)^mu``.

    Parameters
    ----------
    k1, k3, kg, p1, p2 : array_like, shape (4,) or (n, 4)
        Four-momenta (E, px, py, pz) in MeV: beam neutrino, final neutrino, photon (all massless), nucleus
        before and after.  Any common Lorentz frame.
    m_N : float or array_like
        N mass in MeV.
    width : float or array_like
        **Total** N width in MeV (> 0) used in the Breit-Wigner; for a Majorana N it includes both
        channels (twice the Dirac width, mu^2 m_N^3/(8 pi), in convention A).
    Z : float or array_like
        Nuclear charge number.
    mu_prod_per_mev, mu_decay_per_mev : float or array_like
        Transition moments (MeV^-1) at the production and decay vertices (they differ if the final flavour
        differs from the beam flavour).
    nature : {"dirac", "majorana", "majorana-lnc", "majorana-lnv"}
        "dirac": lepton-number-conserving final state only.  "majorana": LNC + LNV final states summed
        incoherently (they have opposite final helicity).  "majorana-lnc" / "majorana-lnv": one of the two
        Majorana final states alone (diagnostics; "majorana-lnc" equals "dirac").
    beam : {"nu", "nubar"}
        Left-handed neutrino or right-handed antineutrino beam (v-spinor chain, chapter 03 of the book).
    form_factor : float or array_like
        Nuclear charge form factor F(q^2), default 1.

    Returns
    -------
    ndarray, shape (n,)
        ``|M|^2`` in MeV^-2.  t = 0 exactly gives 0.0.
    """
    nubar = _beam_is_nubar(beam)
    if not isinstance(nature, str) or nature.lower() not in RADIATIVE_NATURES:
        raise ValueError(f"nature must be one of {RADIATIVE_NATURES}, got {nature!r}")
    nature = nature.lower()
    w_lnc = 0.0 if nature == "majorana-lnv" else 1.0
    w_lnv = 1.0 if nature in ("majorana", "majorana-lnv") else 0.0
    vecs = {
        "k1": _four_vectors(k1, "k1"),
        "k3": _four_vectors(k3, "k3"),
        "kg": _four_vectors(kg, "kg"),
        "p1": _four_vectors(p1, "p1"),
        "p2": _four_vectors(p2, "p2"),
    }
    scal = {
        "m_N": as_array(m_N, "m_N", positive=True, maximum=MAX_ENERGY_MEV),
        "width": as_array(width, "width", positive=True),
        "Z": as_array(Z, "Z", positive=True, maximum=200.0),
        "mu_prod_per_mev": as_array(mu_prod_per_mev, "mu_prod_per_mev"),
        "mu_decay_per_mev": as_array(mu_decay_per_mev, "mu_decay_per_mev"),
        "form_factor": as_array(form_factor, "form_factor"),
    }
    n, v, s = _broadcast_events(vecs, scal)
    for name in ("k1", "k3", "kg"):
        _check_mass_shell(v[name], 0.0, name)
    if np.any(np.linalg.norm(v["kg"][:, 1:], axis=1) == 0):
        raise ValueError("kg must have a non-zero momentum")
    _check_conservation([v["k1"], v["p1"]], [v["k3"], v["kg"], v["p2"]], "k1 + p1 != k3 + kg + p2")
    coupling = s["mu_prod_per_mev"] * s["mu_decay_per_mev"] * s["Z"] * E_CHARGE * s["form_factor"]
    out = np.empty(n)
    _radiative_kernel(
        v["k1"], v["k3"], v["kg"], v["p1"], v["p2"], s["m_N"], s["width"], coupling, nubar, w_lnc, w_lnv, out
    )
    return out
