"""Every factor of the book page book/conventions.md, checked numerically.

Each convention is written down here from its own Lagrangian/width formula (the expected values are
the textbook formulas of that convention, not the package's code), then compared with the package's
convention-A functions after the conversion the page states.
"""

import numpy as np
import pytest

import radcevns as rc
from radcevns import constants, conventions, decay, implications, primakoff

MU_HAT = 3e-8  # convention-A moment in Bohr magnetons
M_N = 2.0  # MeV
MU_B_PER_MEV = np.sqrt(4 * np.pi * constants.ALPHA) / (2 * constants.M_ELECTRON)  # e / (2 m_e), MeV^-1


def _mu_per_mev(mu_hat=MU_HAT):
    return mu_hat * MU_B_PER_MEV


def test_bohr_magneton_numbers_on_the_page():
    # 1 mu_B = 0.2963 MeV^-1 = 296.3 GeV^-1; d = 148.15 GeV^-1 per mu_B
    assert MU_B_PER_MEV == pytest.approx(0.2963, rel=2e-4)
    assert conventions.mu_bohr_to_per_mev(1.0) == pytest.approx(MU_B_PER_MEV, rel=1e-6)
    assert conventions.mu_bohr_to_dipole_d_per_gev(1.0) == pytest.approx(148.15, rel=2e-4)


def test_convention_a_width():
    # Gamma_D = mu^2 m^3 / (16 pi), Gamma_M = 2 Gamma_D
    expected = _mu_per_mev() ** 2 * M_N**3 / (16 * np.pi)
    assert decay.width(M_N, MU_HAT, nature="dirac") == pytest.approx(expected, rel=1e-10)
    assert decay.width(M_N, MU_HAT, nature="majorana") == pytest.approx(2 * expected, rel=1e-10)


def test_dipole_d_and_mu_prime():
    # L = d nubar sigma N F: Gamma_D = d^2 m^3 / (4 pi), prefactor 4 alpha Z^2 d^2, with d = mu / 2
    d_per_mev = conventions.mu_bohr_to_dipole_d_per_gev(MU_HAT) * 1e-3
    assert d_per_mev == pytest.approx(_mu_per_mev() / 2, rel=1e-6)
    assert d_per_mev**2 * M_N**3 / (4 * np.pi) == pytest.approx(decay.width(M_N, MU_HAT), rel=1e-6)
    assert 4 * d_per_mev**2 == pytest.approx(_mu_per_mev() ** 2, rel=1e-6)
    # mu' is the same operator with the coefficient in mu_B
    mu_prime = conventions.mu_to_mu_prime(MU_HAT)
    assert mu_prime == pytest.approx(MU_HAT / 2)
    assert (mu_prime * MU_B_PER_MEV) ** 2 * M_N**3 / (4 * np.pi) == pytest.approx(
        decay.width(M_N, MU_HAT), rel=1e-6
    )
    assert conventions.dipole_d_per_gev_to_mu_bohr(148.15) == pytest.approx(1.0, rel=2e-4)


def test_darknews_input_and_width():
    # DarkNews: input mu_tr [GeV^-1] = mu (convention A), internal t = mu_tr / 2, width t^2 m^3 / (8 pi)
    mu_tr_per_gev = conventions.mu_bohr_to_per_mev(MU_HAT) * 1e3
    assert mu_tr_per_gev == pytest.approx(MU_HAT * 296.3, rel=2e-4)
    t_per_mev = mu_tr_per_gev * 1e-3 / 2
    gamma_dn = t_per_mev**2 * M_N**3 / (8 * np.pi)
    assert decay.width(M_N, MU_HAT, nature="dirac") == pytest.approx(2 * gamma_dn, rel=1e-6)
    # cross sections: DarkNews' vertex t with the operator t nubar sigma N F is the d convention,
    # prefactor 4 alpha Z^2 t^2 = alpha Z^2 mu_tr^2: equal to convention A at mu_tr = mu
    assert 4 * t_per_mev**2 == pytest.approx(_mu_per_mev() ** 2, rel=1e-6)


def test_giunti_studenikin():
    # (1/2) nubar sigma (mu_kj + i eps_kj gamma_5) N F; chiral case mu_kj = |eps_kj| = mu / 2
    # splits into (1/2)(mu_kj + i eps_kj) nubar_L sigma N_R F + (1/2)(mu_kj - i eps_kj) nubar_R sigma N_L F;
    # convention A is mu_kj + i eps_kj = mu, mu_kj - i eps_kj = 0
    mu = _mu_per_mev()
    mu_kj, eps_kj = mu / 2, -1j * mu / 2
    assert abs(mu_kj - 1j * eps_kj) == pytest.approx(0.0, abs=1e-30)
    assert abs(mu_kj + 1j * eps_kj) == pytest.approx(mu, rel=1e-12)  # what a left-handed nu scatters with
    assert abs(eps_kj) == pytest.approx(mu / 2, rel=1e-12)
    gamma_gs = (abs(mu_kj) ** 2 + abs(eps_kj) ** 2) * M_N**3 / (8 * np.pi)
    assert gamma_gs == pytest.approx(decay.width(M_N, MU_HAT, nature="dirac"), rel=1e-10)
    # the package's mixing-induced moment: the Giunti-Studenikin mu_kj is half of mu_A
    m, theta = np.array([0.5, 2.0]), 1e-3
    np.testing.assert_allclose(
        implications.mu_from_mixing(m, theta, convention="giunti_studenikin"),
        implications.mu_from_mixing(m, theta) / 2,
        rtol=1e-12,
    )


def test_cross_section_prefactor_alpha_z2_mu2():
    # heavy-target, m_N -> 0 limit: (pi alpha^2 mu_hat^2 / m_e^2) Z^2 F^2 (1/E_R - 1/E_nu) (Vogel & Engel),
    # i.e. the prefactor alpha Z^2 mu^2 of convention A with mu = mu_hat e / (2 m_e)
    E_nu, E_R = 5.0, 1e-4  # MeV
    nuc = rc.nucleus("W184")
    vogel_engel = (
        np.pi
        * constants.ALPHA**2
        * MU_HAT**2
        / constants.M_ELECTRON**2
        * nuc.Z**2
        * (1 / E_R - 1 / E_nu)
        * constants.MEV2_TO_CM2
    )
    got = primakoff.dsigma_dER(E_nu, E_R, 1e-4, nuc, MU_HAT, form_factor="none")
    assert got == pytest.approx(vogel_engel, rel=1e-3)
