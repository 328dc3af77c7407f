"""Conversions between transition-moment conventions (reference.md 1.2, ingredients.md 3.5)."""

import numpy as np
import pytest

import radcevns as rc


def test_bohr_magneton_in_natural_units():
    # mu_B = e/(2 m_e) = sqrt(4 pi alpha)/(2 m_e): 0.296304 MeV^-1 (reference.md 1.1)
    assert rc.mu_bohr_to_per_mev(1.0) == pytest.approx(0.296304, rel=1e-5)


def test_dipole_d_factor_used_by_hnlimits():
    # ingredients.md 3.5: d [GeV^-1] = 148.15 x mu/mu_B; 1e-9 mu_B <-> 1.48e-7 GeV^-1
    assert rc.mu_bohr_to_dipole_d_per_gev(1.0) == pytest.approx(296.30 / 2, rel=1e-4)
    assert rc.mu_bohr_to_dipole_d_per_gev(1e-9) == pytest.approx(1.48e-7, rel=2e-3)


def test_round_trips():
    x = np.geomspace(1e-12, 1e-6, 7)
    np.testing.assert_allclose(rc.dipole_d_per_gev_to_mu_bohr(rc.mu_bohr_to_dipole_d_per_gev(x)), x)
    np.testing.assert_allclose(rc.mu_per_mev_to_bohr(rc.mu_bohr_to_per_mev(x)), x)
    np.testing.assert_allclose(rc.mu_prime_to_mu(rc.mu_to_mu_prime(x)), x)


def test_width_convention_factor_four():
    # reference.md 1.2: Gamma = mu^2 m^3/(16 pi) in convention A equals d^2 m^3/(4 pi) with d = mu/2
    m, mu_hat = 2.0, 3e-8
    d_per_mev = rc.mu_bohr_to_dipole_d_per_gev(mu_hat) * 1e-3
    assert rc.decay.width(m, mu_hat, nature="dirac") == pytest.approx(d_per_mev**2 * m**3 / (4 * np.pi), rel=1e-12)


def test_bad_input():
    with pytest.raises(ValueError, match="mu_bohr"):
        rc.mu_bohr_to_per_mev(float("nan"))
