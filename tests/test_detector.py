"""The NUCLEUS detector model: presets, validation, photon acceptance (radcevns.detector)."""

import math

import numpy as np
import pytest
from scipy import constants as sc
from scipy.stats import norm

from radcevns import detector as D


def test_nucleus_10g_preset_matches_ingredients():
    """NUCLEUS phase 1 (arXiv:1905.10258): 9 CaWO4 cubes (6.8 g) + 9 Al2O3 cubes (4.5 g), ~20 eV threshold, L < 5 cm."""
    det = D.nucleus_10g()
    masses = {c.name: c.mass_kg for c in det.crystals}
    assert masses == {"CaWO4": pytest.approx(6.8e-3), "Al2O3": pytest.approx(4.5e-3)}
    assert det.mass_kg == pytest.approx(11.3e-3)
    assert det.recoil_threshold_MeV == pytest.approx(20e-6)
    assert det.decay_length_cm == 5.0
    assert det.photon_window_MeV == (1e-3, 10.0)
    assert 0.0 <= det.photon_efficiency <= 1.0


def test_nucleus_1kg_preset_and_overrides():
    det = D.nucleus_1kg()
    assert [c.name for c in det.crystals] == ["CaWO4"]
    assert det.mass_kg == pytest.approx(1.0)
    assert D.nucleus_1kg(reactor_duty=1.0).reactor_duty == 1.0
    # same performance as phase 1
    p1 = D.nucleus_10g()
    for key in ("recoil_threshold_MeV", "decay_length_cm", "photon_window_MeV", "photon_efficiency"):
        assert getattr(det, key) == getattr(p1, key)


def test_units_per_kg_from_standard_atomic_weights():
    """CaWO4: 40.078 + 183.84 + 4 x 15.999 g/mol (IUPAC standard weights typed in here)."""
    molar = 40.078 + 183.84 + 4 * 15.999
    assert D.units_per_kg("CaWO4") == pytest.approx(1000 * sc.N_A / molar, rel=2e-4)
    assert D.units_per_kg("Al2O3") == pytest.approx(1000 * sc.N_A / (2 * 26.9815 + 3 * 15.999), rel=2e-4)
    assert D.units_per_kg("W") == pytest.approx(1000 * sc.N_A / 183.84, rel=2e-4)
    crystal = D.Crystal("CaWO4", 0.5)
    assert crystal.n_units == pytest.approx(0.5 * D.units_per_kg("CaWO4"))


def test_time_budget():
    det = D.nucleus_10g(reactor_duty=0.8, live_fraction=0.9, exposure_days=100.0)
    assert det.live_seconds_per_day == pytest.approx(86400 * 0.8 * 0.9)
    assert det.exposure_kg_days == pytest.approx(11.3e-3 * 100.0)
    assert det.scaled(3.0).mass_kg == pytest.approx(3 * det.mass_kg)


def test_decay_length_none_and_inf_are_the_same():
    assert D.nucleus_10g(decay_length_cm=None).decay_length_cm is None
    assert D.nucleus_10g(decay_length_cm=np.inf).decay_length_cm is None


@pytest.mark.parametrize(
    "changes",
    [
        dict(crystals=[("CaWO4", -1e-3)]),
        dict(crystals=[("CaWO4", 0.0)]),
        dict(crystals=[]),
        dict(crystals="CaWO4"),
        dict(crystals=[("Xx2O3", 1e-3)]),
        dict(recoil_threshold_MeV=-1e-6),
        dict(recoil_resolution_MeV=-1e-6),
        dict(decay_length_cm=-1.0),
        dict(photon_window_MeV=(2.0, 1.0)),
        dict(photon_window_MeV=(1.0, 1.0)),
        dict(photon_window_MeV=(-1.0, 1.0)),
        dict(photon_window_MeV=1.0),
        dict(photon_efficiency=1.2),
        dict(photon_efficiency=-0.1),
        dict(photon_efficiency=lambda E: 2.0 + 0 * E),
        dict(photon_efficiency=lambda E: np.nan * E),
        dict(photon_resolution_MeV=-0.01),
        dict(photon_resolution_MeV=lambda E: -1.0 + 0 * E),
        dict(reactor_duty=1.5),
        dict(live_fraction=-0.1),
        dict(exposure_days=-1.0),
    ],
)
def test_bad_configurations_raise(changes):
    with pytest.raises(ValueError):
        D.nucleus_10g(**changes)


def test_unknown_override_names_the_parameter():
    with pytest.raises(ValueError, match="threshold_eV"):
        D.nucleus_10g(threshold_eV=20)


def test_sharp_window_is_a_box():
    det = D.nucleus_10g(photon_resolution_MeV=0.0, photon_efficiency=0.4, photon_window_MeV=(0.1, 2.0))
    E = np.array([0.05, 0.0999, 0.1, 1.0, 2.0, 2.0001, 5.0])
    np.testing.assert_array_equal(det.photon_acceptance(E), [0, 0, 0.4, 0.4, 0.4, 0, 0])


def test_smeared_window_against_normal_cdf():
    """A photon at the window edge is measured inside half of the time (symmetric Gaussian)."""
    sig = 0.05
    det = D.nucleus_10g(photon_resolution_MeV=sig, photon_efficiency=1.0, photon_window_MeV=(0.5, 3.0))
    assert det.window_probability(0.5) == pytest.approx(0.5 - norm.sf(2.5 / sig), abs=1e-12)
    assert det.window_probability(3.0) == pytest.approx(0.5, abs=1e-12)
    E = np.array([0.45, 0.6, 2.9])
    expected = norm.cdf((3.0 - E) / sig) - norm.cdf((0.5 - E) / sig)
    np.testing.assert_allclose(det.window_probability(E), expected, rtol=1e-12)


def test_default_resolution_is_75_kev_times_sqrt_e():
    det = D.nucleus_10g()
    np.testing.assert_allclose(det.photon_sigma([0.25, 1.0, 4.0]), [0.0375, 0.075, 0.15], rtol=1e-12)
    # inside "50-100 keV at MeV energies" (the talk presenting arXiv:2110.02233) between 0.5 and 1.75 MeV
    assert 0.05 <= det.photon_sigma(0.5) and det.photon_sigma(1.75) <= 0.1 + 1e-12


def test_callable_efficiency_is_used():
    det = D.nucleus_10g(photon_efficiency=lambda E: 0.5 * np.exp(-E), photon_resolution_MeV=0.0)
    assert det.photon_acceptance(1.0) == pytest.approx(0.5 * math.exp(-1.0))
    assert det.photon_acceptance(20.0) == 0.0  # outside the window


def test_describe_lists_every_assumption():
    info = D.nucleus_10g().describe()
    assert info["recoil threshold [eV]"] == pytest.approx(20.0)
    assert info["decay region [cm]"] == 5.0
    assert "CaWO4" in info["crystals"] and "Al2O3" in info["crystals"]
