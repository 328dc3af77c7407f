"""Independent check of radcevns.primakoff with explicit Dirac matrices written here in plain numpy.

Nothing from the package is used to compute expected values: gamma matrices (Dirac representation), spinors,
sigma^{ab} as an explicit rank-2 tensor of 4x4 matrices, the spin density matrix of N, the kinematics and the
unit conversions (CODATA via scipy.constants) are all built in this file.  From the package only the functions
under test (``primakoff.dsigma_dER``, ``primakoff.polarisation``, ``primakoff.recoil_range``) and the target
data (Z and nuclear mass of ``radcevns.nucleus``) are taken.
"""

import math

import numpy as np
import pytest
from scipy import constants as codata

import radcevns
from radcevns import primakoff

# ---------------------------------------------------------------------------------------------------------------
# units (CODATA, typed here): e = sqrt(4 pi alpha), mu_B = e / (2 m_e) in MeV^-1, (hbar c)^2 in MeV^2 cm^2
# ---------------------------------------------------------------------------------------------------------------
ALPHA = codata.fine_structure
E_CHARGE = math.sqrt(4 * math.pi * ALPHA)
M_E = codata.physical_constants["electron mass energy equivalent in MeV"][0]
MU_B_NATURAL = E_CHARGE / (2 * M_E)
HBARC_MEV_CM = codata.hbar * codata.c / (1e6 * codata.e) * 100.0

# ---------------------------------------------------------------------------------------------------------------
# Dirac representation, metric (+,-,-,-)
# ---------------------------------------------------------------------------------------------------------------
PAULI = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex)
_Z2, _I2 = np.zeros((2, 2)), np.eye(2)
GAMMA = np.array(
    [np.block([[_I2, _Z2], [_Z2, -_I2]])] + [np.block([[_Z2, s], [-s, _Z2]]) for s in PAULI], dtype=complex
)
GAMMA5 = 1j * GAMMA[0] @ GAMMA[1] @ GAMMA[2] @ GAMMA[3]
P_LEFT = (np.eye(4) - GAMMA5) / 2
METRIC = np.diag([1.0, -1.0, -1.0, -1.0])
# sigma^{ab} = (i/2)[gamma^a, gamma^b], shape (4, 4, 4, 4): indices a, b, spinor, spinor
SIGMA = 0.5j * (np.einsum("aij,bjk->abik", GAMMA, GAMMA) - np.einsum("bij,ajk->abik", GAMMA, GAMMA))


def spinor_u(p, xi):
    """Dirac-representation u(p, xi) = (sqrt(E+m) xi, (sigma.p) xi / sqrt(E+m)): the pure boost of the rest-frame
    spin state xi (normalisation ubar u = 2m)."""
    energy, vec = p[0], p[1:]
    mass2 = max(energy**2 - vec @ vec, 0.0)
    norm = math.sqrt(energy + math.sqrt(mass2))
    sp = np.einsum("i,ijk->jk", vec, PAULI)
    return np.concatenate([norm * xi, sp @ xi / norm])


def bar(psi):
    return psi.conj() @ GAMMA[0]


def helicity_basis(direction):
    """Two-spinors with spin +-1/2 along `direction`, from diagonalising sigma.n."""
    vals, vecs = np.linalg.eigh(np.einsum("i,ijk->jk", direction / np.linalg.norm(direction), PAULI))
    return vecs[:, 1], vecs[:, 0]  # eigenvalues sorted ascending: (-1, +1)


def production_density_matrix(k1, k2, p1, p2):
    """rho_ab = sum_h M_a M_b^*, M_a = ubar(k2, e_a) sigma^{ab} q_a P_b P_L u(k1, h) (couplings stripped)."""
    q = METRIC @ (k2 - k1)  # lower indices
    big_p = METRIC @ (p1 + p2)
    vertex = np.einsum("abij,a,b->ij", SIGMA, q, big_p)
    rho = np.zeros((2, 2), dtype=complex)
    for xi_in in helicity_basis(k1[1:]):
        chain = vertex @ P_LEFT @ spinor_u(k1, xi_in)
        amps = np.array([bar(spinor_u(k2, e)) @ chain for e in np.eye(2)])
        rho += np.outer(amps, amps.conj())
    return rho


def lab_kinematics(E, ER, m, M, phi):
    """Beam along z, nucleus at rest; cos(theta_N) written without cancellation."""
    EN = E - ER
    pN = math.sqrt(EN**2 - m**2)
    e_minus_p = (2 * E * ER - ER**2 + m**2) / (E + pN)
    one_minus_c = (2 * M * ER + ER**2 - e_minus_p**2) / (2 * E * pN)
    cos_n, sin_n = 1 - one_minus_c, math.sqrt(max(0.0, one_minus_c * (2 - one_minus_c)))
    k1 = np.array([E, 0, 0, E])
    k2 = np.array([EN, pN * sin_n * math.cos(phi), pN * sin_n * math.sin(phi), pN * cos_n])
    p1 = np.array([M, 0, 0, 0.0])
    return k1, k2, p1, p1 + k1 - k2


def explicit_dsigma_and_polarisation(E, ER, m, M, Z, mu_hat, phi=0.7):
    """dsigma/dE_R in cm^2/MeV (F = 1) and (P_L, P_T) from explicit Dirac matrices."""
    k1, k2, p1, p2 = lab_kinematics(E, ER, m, M, phi)
    rho = production_density_matrix(k1, k2, p1, p2)
    q = k2 - k1
    t = q @ METRIC @ q
    mu = mu_hat * MU_B_NATURAL
    msq = (mu * Z * E_CHARGE / t) ** 2 * np.trace(rho).real
    # dsigma/dt = |M|^2 / (16 pi (s - M^2)^2), s - M^2 = 2 M E; dE_R = -dt / (2 M)
    dsigma = msq / (32 * math.pi * M * E**2) * HBARC_MEV_CM**2
    pol = np.einsum("ab,iba->i", rho, PAULI).real / np.trace(rho).real
    khat = k2[1:] / np.linalg.norm(k2[1:])
    zhat = np.array([0, 0, 1.0])
    e_theta = khat * khat[2] - zhat
    e_theta /= np.linalg.norm(e_theta)
    normal = np.cross(zhat, khat)
    normal /= np.linalg.norm(normal)
    return dsigma, pol @ khat, pol @ e_theta, pol @ normal


def recoil_range_S26(E, m, M):
    root = E * math.sqrt((2 * M * E - m**2) ** 2 - 4 * m**2 * M**2)
    base = 2 * M * E**2 - m**2 * (E + M)
    return (base - root) / (2 * M * (2 * E + M)), (base + root) / (2 * M * (2 * E + M))


def k_factor_S23(E, ER, m, M):
    return (
        8 * E**2 * ER * M
        - 8 * E * ER**2 * M
        - 4 * E * ER * m**2
        + 2 * ER**3 * M
        + ER**2 * m**2
        - 2 * ER * M * m**2
        - m**4
    )


TARGETS = ["W184", "W182", "W183", "W186", "Ca40", "O16", "Al27"]
ENERGY_MASS = [(5.0, 1.0), (8.0, 4.0), (3.0, 0.2), (9.5, 7.0), (2.5, 0.01)]
MU_HAT = 3e-8


def _points(rng, E, m, M, n=4):
    lo, hi = recoil_range_S26(E, m, M)
    return lo * (hi / lo) ** rng.uniform(1e-3, 1 - 1e-3, n)


def test_dirac_matrix_machinery_against_S23_at_reference_points():
    """The numpy Dirac-matrix |M|^2 of this file reproduces the exact dsigma/dE_R and P_L^2 + P_T^2 = 1 (no package code)."""
    rng = np.random.default_rng(2)
    for E, m, M in [(10.0, 6.0, 30.0), (10.0, 1.0, 5.0), (3.0, 2.0, 2.5e4), (5.0, 1.0, 1.71e5)]:
        for ER in _points(rng, E, m, M):
            dsig, p_l, p_t, p_n = explicit_dsigma_and_polarisation(E, ER, m, M, 1.0, 1.0)
            mu = MU_B_NATURAL
            analytic = ALPHA * mu**2 * k_factor_S23(E, ER, m, M) / (8 * E**2 * ER**2 * M) * HBARC_MEV_CM**2
            assert dsig == pytest.approx(analytic, rel=1e-9)
            assert p_l**2 + p_t**2 == pytest.approx(1.0, rel=1e-10)
            assert abs(p_n) < 1e-10


@pytest.mark.parametrize("name", TARGETS)
def test_dsigma_dER_matches_dirac_matrices(name):
    nuc = radcevns.nucleus(name)
    M, Z = nuc.mass, nuc.Z
    rng = np.random.default_rng(sum(map(ord, name)))
    for E, m in ENERGY_MASS:
        for ER in _points(rng, E, m, M):
            expected, _, _, _ = explicit_dsigma_and_polarisation(
                E, ER, m, M, Z, MU_HAT, phi=rng.uniform(0, 6)
            )
            got = primakoff.dsigma_dER(E, ER, m, name, MU_HAT, form_factor="none")
            assert got == pytest.approx(expected, rel=1e-9), (name, E, m, ER)
            got_obj = primakoff.dsigma_dER(E, ER, m, nuc, MU_HAT, form_factor="none")
            assert got_obj == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("name", TARGETS)
def test_polarisation_matches_dirac_matrices(name):
    nuc = radcevns.nucleus(name)
    rng = np.random.default_rng(7 + sum(map(ord, name)))
    for E, m in ENERGY_MASS:
        for ER in _points(rng, E, m, nuc.mass):
            _, p_l, p_t, _ = explicit_dsigma_and_polarisation(E, ER, m, nuc.mass, nuc.Z, MU_HAT)
            got_l, got_t = primakoff.polarisation(E, ER, m, name)
            assert got_l == pytest.approx(p_l, rel=1e-9, abs=1e-9), (name, E, m, ER)
            assert got_t == pytest.approx(p_t, rel=1e-9, abs=1e-9), (name, E, m, ER)


@pytest.mark.parametrize("name", TARGETS)
def test_recoil_range_and_zero_outside(name):
    nuc = radcevns.nucleus(name)
    for E, m in ENERGY_MASS:
        lo, hi = recoil_range_S26(E, m, nuc.mass)
        got_lo, got_hi = primakoff.recoil_range(E, m, name)
        assert got_hi == pytest.approx(hi, rel=1e-9)
        assert got_lo == pytest.approx(
            lo, rel=1e-6
        )  # the exact recoil range as typed cancels for heavy targets
        outside = primakoff.dsigma_dER(E, np.array([0.5 * lo, 2 * hi]), m, name, MU_HAT, form_factor="none")
        assert np.all(outside == 0.0)
    below = primakoff.dsigma_dER(0.9, 1e-6, 1.0, name, MU_HAT, form_factor="none")  # below threshold
    assert below == 0.0


def test_light_fictitious_targets_at_reference_points():
    """The reference's light-target points (M = 30, 5 MeV) through the package with a hand-made Nucleus record."""
    from radcevns.nuclear import Nucleus

    rng = np.random.default_rng(13)
    for E, m, M in [(10.0, 6.0, 30.0), (10.0, 1.0, 5.0), (3.0, 2.0, 2.5e4), (5.0, 1.0, 1.71e5)]:
        target = Nucleus(symbol="X", Z=3, N=3, A=6, mass=M, molar_mass=6.0)
        for ER in _points(rng, E, m, M):
            dsig, p_l, p_t, _ = explicit_dsigma_and_polarisation(E, ER, m, M, 3, MU_HAT)
            assert primakoff.dsigma_dER(E, ER, m, target, MU_HAT, form_factor="none") == pytest.approx(
                dsig, rel=1e-9
            )
            got_l, got_t = primakoff.polarisation(E, ER, m, target)
            assert got_l == pytest.approx(p_l, rel=1e-9, abs=1e-9)
            assert got_t == pytest.approx(p_t, rel=1e-9, abs=1e-9)
