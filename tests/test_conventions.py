"""Conversions between transition-moment conventions (see the radcevns.conventions docstring)."""

import numpy as np
import pytest

import radcevns as rc


def test_bohr_magneton_in_natural_units():
    # mu_B = e/(2 m_e) = sqrt(4 pi alpha)/(2 m_e): 0.296304 MeV^-1 (CODATA)
    assert rc.mu_bohr_to_per_mev(1.0) == pytest.approx(0.296304, rel=1e-5)


def test_dipole_d_factor_used_by_hnlimits():
    # Magill et al. (arXiv:1803.03262) normalisation: d [GeV^-1] = 148.15 x mu/mu_B; 1e-9 mu_B <-> 1.48e-7 GeV^-1
    assert rc.mu_bohr_to_dipole_d_per_gev(1.0) == pytest.approx(296.30 / 2, rel=1e-4)
    assert rc.mu_bohr_to_dipole_d_per_gev(1e-9) == pytest.approx(1.48e-7, rel=2e-3)


def test_round_trips():
    x = np.geomspace(1e-12, 1e-6, 7)
    np.testing.assert_allclose(rc.dipole_d_per_gev_to_mu_bohr(rc.mu_bohr_to_dipole_d_per_gev(x)), x)
    np.testing.assert_allclose(rc.mu_per_mev_to_bohr(rc.mu_bohr_to_per_mev(x)), x)
    np.testing.assert_allclose(rc.mu_prime_to_mu(rc.mu_to_mu_prime(x)), x)


def test_width_convention_factor_four():
    # Gamma = mu^2 m^3/(16 pi) in convention A equals d^2 m^3/(4 pi) with d = mu/2
    m, mu_hat = 2.0, 3e-8
    d_per_mev = rc.mu_bohr_to_dipole_d_per_gev(mu_hat) * 1e-3
    assert rc.decay.width(m, mu_hat, nature="dirac") == pytest.approx(
        d_per_mev**2 * m**3 / (4 * np.pi), rel=1e-12
    )


def test_bad_input():
    with pytest.raises(ValueError, match="mu_bohr"):
        rc.mu_bohr_to_per_mev(float("nan"))


OWNED_MODULES = (
    "amplitudes",
    "cevns",
    "constants",
    "conventions",
    "decay",
    "flux",
    "implications",
    "nuclear",
    "primakoff",
    "radiative",
)


@pytest.mark.parametrize("name", OWNED_MODULES)
def test_public_api_contract(name):
    """Every module lists its public names in __all__ and imports no private name of another module."""
    import ast
    import importlib
    import inspect

    module = importlib.import_module(f"radcevns.{name}")
    assert module.__all__, f"{name} has an empty __all__"
    for public in module.__all__:
        assert hasattr(module, public) and not public.startswith("_")
    tree = ast.parse(inspect.getsource(module))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module != "_validate":
            assert all(not alias.name.startswith("_") for alias in node.names), (name, node.module)


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        rc.primakoff.sigma(5.0, 1.0, "W184", 3e-8, "none")
    with pytest.raises(TypeError):
        rc.cevns.sigma(5.0, "W184", "none")
    with pytest.raises(TypeError):
        rc.nuclear.form_factor(1e-4, "W184", "none")
