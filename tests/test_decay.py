"""N -> nu gamma widths, lifetimes and decay lengths (chapter 02 of the book; P. D. Bolton et al., arXiv:2110.02233)."""

import numpy as np
import pytest
from scipy import constants as sc

from radcevns import decay

ALPHA = sc.fine_structure
ME = sc.physical_constants["electron mass energy equivalent in MeV"][0]
HBARC_CM = sc.physical_constants["reduced Planck constant times c in MeV fm"][0] * 1e-13


def test_width_matches_alpha_form():
    # Gamma_D = alpha mu_hat^2 m^3 / (16 m_e^2)  (second form of the width in the radcevns.decay docstring)
    m = np.array([0.5, 1.0, 2.0, 7.0])
    np.testing.assert_allclose(
        decay.width(m, 3e-8, nature="dirac"), ALPHA * 9e-16 * m**3 / (16 * ME**2), rtol=1e-12
    )


def test_width_table_of_reference():
    m = [0.5, 1, 2, 4, 6, 8]
    table = [1.97e-19, 1.57e-18, 1.26e-17, 1.01e-16, 3.40e-16, 8.05e-16]
    np.testing.assert_allclose(decay.width(m, 3e-8), table, rtol=6e-3)


def test_majorana_width_is_twice_dirac():
    m = np.geomspace(0.01, 10, 9)
    np.testing.assert_allclose(
        decay.width(m, 1e-8, nature="majorana"), 2 * decay.width(m, 1e-8, nature="dirac"), rtol=1e-15
    )


def test_decay_length_scales_as_inverse_mu_squared_and_handy_formula():
    lam1 = decay.mean_decay_length(5.0, 1.0, 3e-8)
    lam2 = decay.mean_decay_length(5.0, 1.0, 6e-8)
    assert lam1 / lam2 == pytest.approx(4.0, rel=1e-12)
    # c tau_D ~ 1.26e5 m (3e-8/mu)^2 (1 MeV/m)^3; decay length = (p/m) c tau
    ctau = HBARC_CM / (ALPHA * 9e-16 / (16 * ME**2))
    assert ctau == pytest.approx(1.26e7, rel=5e-3)
    assert lam1 == pytest.approx(np.sqrt(24.0) * ctau, rel=1e-10)
    assert decay.mean_decay_length(5.0, 1.0, 3e-8, nature="majorana") == pytest.approx(lam1 / 2, rel=1e-12)


def test_lifetime():
    tau = decay.lifetime(1.0, 3e-8)
    assert tau == pytest.approx(sc.hbar / (decay.width(1.0, 3e-8) * 1e6 * sc.e), rel=1e-10)
    assert decay.lifetime(1.0, 0.0) == np.inf


def test_massive_daughter_and_channel_sum():
    m = 3.0
    w0 = decay.width(m, 1e-8)
    assert decay.width(m, 1e-8, daughter_mass=1.5) == pytest.approx(w0 * (1 - 0.25) ** 3, rel=1e-12)
    assert decay.width(m, 1e-8, daughter_mass=3.5) == 0.0
    total = decay.width(m, {"e": 1e-8, "mu": 2e-8, "s": 1e-8}, daughter_mass={"s": 1.5})
    assert total == pytest.approx(w0 * (1 + 4 + 0.75**3), rel=1e-12)
    br = decay.branching_ratios(m, {"e": 1e-8, "mu": 2e-8})
    assert br["e"] + br["mu"] == pytest.approx(1.0)
    assert br["mu"] / br["e"] == pytest.approx(4.0)


def test_decay_probability_limits():
    lam = decay.mean_decay_length(4.0, 2.0, 3e-8)
    L = np.array([0.0, 5.0, 1e3])
    p = decay.decay_probability(4.0, 2.0, 3e-8, decay_length_cm=L)
    x = L / lam  # long-lived: P = x - x^2/2 + O(x^3)
    np.testing.assert_allclose(p, x - x**2 / 2, rtol=1e-7)
    assert decay.decay_probability(4.0, 2.0, 3e-8, decay_length_cm=np.inf) == 1.0
    assert decay.decay_probability(4.0, 2.0, 3e-8, decay_length_cm=None) == 1.0
    assert decay.decay_probability(4.0, 2.0, 3e-8, decay_length_cm=lam) == pytest.approx(
        1 - np.exp(-1), rel=1e-12
    )


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: decay.width(1.0, 1e-8, nature="dirk"), "nature"),
        (lambda: decay.width(-1.0, 1e-8), "m_N"),
        (lambda: decay.width(1.0, np.nan), "mu"),
        (lambda: decay.mean_decay_length(0.5, 1.0, 1e-8), "E_N"),
        (lambda: decay.decay_probability(2.0, 1.0, 1e-8, decay_length_cm=-1.0), "decay_length_cm"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        decay.width(1.0, 1e-8, "majorana")
    with pytest.raises(TypeError):
        decay.decay_probability(4.0, 2.0, 3e-8, 5.0)
