"""Standard-Model CEvNS and the diagonal magnetic-moment term."""

import numpy as np
import pytest
from scipy import constants as sc
from scipy.integrate import quad

import radcevns as rc
from radcevns import cevns

GF = sc.physical_constants["Fermi coupling constant"][0] * 1e-6
HBARC_CM = sc.physical_constants["reduced Planck constant times c in MeV fm"][0] * 1e-13


@pytest.mark.parametrize(
    "t,qw", [("W184", 106.66), ("Ca40", 19.10), ("O16", 7.64), ("Al27", 13.41), ("Ge74", 40.55)]
)
def test_weak_charges_tabulated(t, qw):
    assert cevns.weak_charge(t) == pytest.approx(qw, abs=0.01)


def test_total_cross_section_small_energy_limit():
    # F = 1, E << M: sigma = G_F^2 Q_W^2 E^2 / (4 pi) (1 + O(E/M))
    for t in ["W184", "Ca40"]:
        E = 3.0
        qw = cevns.weak_charge(t)
        ref = GF**2 * qw**2 * E**2 / (4 * np.pi) * HBARC_CM**2
        assert cevns.sigma(E, t, form_factor="none") == pytest.approx(ref, rel=3 * E / rc.nucleus(t).mass)


def test_sigma_equals_quad():
    E = 6.0
    val = quad(lambda r: cevns.dsigma_dER(E, r, "W184"), 0, cevns.max_recoil(E, "W184"), epsrel=1e-11)[0]
    assert cevns.sigma(E, "W184") == pytest.approx(val, rel=1e-9)


def test_endpoint_and_zero_outside():
    E = 4.0
    top = cevns.max_recoil(E, "Ca40")
    assert cevns.dsigma_dER(E, top * 1.0001, "Ca40") == 0.0
    assert cevns.dsigma_dER(E, top * 0.5, "Ca40") > 0
    assert cevns.dsigma_dER(0.0, 1e-6, "Ca40") == 0.0
    assert cevns.min_neutrino_energy(top, "Ca40") == pytest.approx(E, rel=1e-10)


def test_flat_at_small_recoil_and_n_squared():
    r = np.array([1e-9, 1e-8])
    d = cevns.dsigma_dER(3.0, r, "W184", form_factor="none")
    assert d[0] / d[1] == pytest.approx(1.0, abs=1e-4)


def test_compound_is_sum():
    E, R = 3.0, 2e-5
    tot = cevns.dsigma_dER(E, R, "CaWO4")
    parts = cevns.dsigma_dER(E, R, "Ca") + cevns.dsigma_dER(E, R, "W") + 4 * cevns.dsigma_dER(E, R, "O")
    assert tot == pytest.approx(parts, rel=1e-12)


def test_magnetic_moment_term_bad_input():
    with pytest.raises(ValueError, match="mu"):
        cevns.magnetic_moment_dsigma_dER(3.0, 1e-5, "W184", -1.0)
    with pytest.raises(ValueError, match="E_R"):
        cevns.dsigma_dER(3.0, np.nan, "W184")
