"""Radiative coincidences (radcevns.coincidences) at a reactor detector.

Expected values come from outside the code under test: the published NUCLEUS CEvNS rate, nested
scipy quadratures of formulas typed in here (SM CEvNS) or of the separately tested cross sections
(radcevns.primakoff, radcevns.decay), the event generator of radcevns.radiative, exact scalings
(mu^2, mu^4, Majorana = 2 Dirac, mass and time) and the grid method of the same observable.
"""

import numpy as np
import pytest
from _reactor import flux_sigma as _flux_sigma
from _reactor import ideal_detector as _ideal
from _reactor import make_smooth_flux

from radcevns import coincidences, decay, radiative
from radcevns import detector as D


@pytest.fixture(scope="module")
def smooth_flux():
    return make_smooth_flux()


# --------------------------------------------------------------------------------------------------
# radiative coincidences
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("nature", ["dirac", "majorana"])
@pytest.mark.parametrize("m", [0.3, 3.0])
def test_ideal_detector_gives_flux_times_sigma_times_br(smooth_flux, nature, m):
    """Efficiencies 1, window everything, L = infinity: every upscattering gives a counted photon."""
    mu = 3e-8
    det = _ideal()
    expected = _flux_sigma(smooth_flux, m, "W184", mu) * det.crystals[0].n_units * 86400  # BR = 1
    assert coincidences.radiative_rate(m, det, mu, nature=nature, flux=smooth_flux) == pytest.approx(
        expected, rel=1e-7
    )
    # two decay channels of equal moments: the branching ratios add up to one
    two = coincidences.radiative_rate(
        m, det, mu, nature=nature, flux=smooth_flux, decay_moments={"e": mu, "mu": mu}
    )
    assert two == pytest.approx(expected, rel=1e-7)


def test_closed_channel_lowers_the_rate_by_its_branching_ratio(smooth_flux):
    """N -> N' gamma with a heavier N' is closed; N -> nu gamma then has BR = 1 whatever the moments."""
    det = _ideal(decay_length_cm=5.0)
    base = coincidences.radiative_rate(2.0, det, 3e-8, nature="dirac", flux=smooth_flux)
    closed = coincidences.radiative_rate(
        2.0,
        det,
        3e-8,
        nature="dirac",
        flux=smooth_flux,
        decay_moments={"e": 3e-8, "s": 1e-6},
        daughter_masses={"s": 3.0},
    )
    assert closed == pytest.approx(base, rel=1e-12)


def test_radiative_rate_scales_as_mu4_then_mu2():
    det = D.nucleus_10g()
    r1, r2 = coincidences.radiative_rate(2.0, det, np.array([3e-8, 6e-8]), nature="dirac")
    assert r2 / r1 == pytest.approx(16.0, rel=1e-5)  # long-lived: production mu^2 x decay mu^2
    # every N decays within 5 cm for a huge moment: only the production mu^2 is left
    big = coincidences.radiative_rate(2.0, det, np.array([1e-2, 2e-2]), nature="dirac")
    assert big[1] / big[0] == pytest.approx(4.0, rel=1e-9)


def test_majorana_is_twice_dirac_while_long_lived(smooth_flux):
    det = _ideal(decay_length_cm=5.0, photon_efficiency=0.5, recoil_threshold_MeV=20e-6)
    dirac, majorana = coincidences.radiative_rate(
        1.0, det, 3e-8, nature=("dirac", "majorana"), flux=smooth_flux
    )
    assert majorana / dirac == pytest.approx(2.0, rel=1e-5)


def test_counts_scale_with_mass_and_time():
    det = D.nucleus_10g(exposure_days=30.0)
    base = coincidences.radiative_counts(2.0, det, 3e-8, nature="majorana")
    assert base == pytest.approx(
        30.0 * coincidences.radiative_rate(2.0, det, 3e-8, nature="majorana"), rel=1e-12
    )
    assert coincidences.radiative_counts(2.0, det.scaled(4.0), 3e-8, nature="majorana") == pytest.approx(
        4 * base, rel=1e-12
    )
    assert coincidences.radiative_counts(
        2.0, det, 3e-8, nature="majorana", exposure_days=90.0
    ) == pytest.approx(3 * base)
    assert coincidences.radiative_counts(
        2.0, det, 3e-8, nature="majorana", reactor_duty=0.4
    ) == pytest.approx(base / 2)


def test_threshold_above_every_recoil_gives_exactly_zero():
    det = D.nucleus_10g()
    assert coincidences.radiative_rate(1.0, det, 3e-8, nature="dirac", recoil_threshold_MeV=0.1) == 0.0
    assert (
        coincidences.radiative_rate(20.0, det, 3e-8, nature="dirac") == 0.0
    )  # above every reactor antineutrino
    assert coincidences.radiative_rate(1.0, det, 0.0, nature="dirac") == 0.0
    assert (
        coincidences.radiative_rate(1.0, det, 3e-8, nature="dirac", method="grid", recoil_threshold_MeV=0.1)
        == 0.0
    )


def test_fast_path_agrees_with_photon_spectrum_grid():
    """Analytic photon-box integral per recoil node versus radiative.photon_spectrum on a grid."""
    det = D.Detector(crystals=[("Al", 0.01)])
    for kw in ({}, {"photon_efficiency": lambda E: 0.9 * np.exp(-E / 3.0), "photon_window_MeV": (0.3, 5.0)}):
        fast = coincidences.radiative_rate(3.0, det, 3e-8, nature=("dirac", "majorana"), n_flux=16, **kw)
        grid = coincidences.radiative_rate(
            3.0, det, 3e-8, nature=("dirac", "majorana"), n_flux=16, method="grid", **kw
        )
        np.testing.assert_allclose(grid, fast, rtol=2e-3)


def test_mean_decay_probability_against_weighted_events(smooth_flux):
    """<1 - exp(-L/lambda)> over generated events (radiative.generate + decay.decay_probability)."""
    m, mu, L = 1.0, 3e-8, 5.0
    det = _ideal(decay_length_cm=L, recoil_threshold_MeV=20e-6)
    ev = radiative.generate_folded(
        200_000, m, "W184", mu, flux=smooth_flux, nature="dirac", recoil_threshold_MeV=20e-6, seed=3
    )
    ev = ev[ev["weight"] > 0]
    E_N = ev["p_N"][:, 0]
    p_dec = decay.decay_probability(E_N, m, mu, decay_length_cm=L, nature="dirac")
    expected = np.sum(ev["weight"] * p_dec) / np.sum(ev["weight"])
    got = coincidences.mean_decay_probability(m, det, mu, nature="dirac", flux=smooth_flux)
    assert got == pytest.approx(expected, rel=5e-3)
    assert 0.0 < got < 1e-4  # long-lived at mu = 3e-8 mu_B


def test_mu_arrays_natures_and_table():
    det = D.nucleus_10g()
    mus = np.array([1e-8, 3e-8])
    both = coincidences.radiative_rate(2.0, det, mus, nature=("dirac", "majorana"))
    assert both.shape == (2, 2)
    assert both[1, 0] == pytest.approx(
        coincidences.radiative_rate(2.0, det, 1e-8, nature="majorana"), rel=1e-12
    )
    table = coincidences.radiative_rate_table([1.0, 2.0], det, 3e-8, n_threads=2)
    assert table.shape == (2, 2)
    assert table[1, 0] == pytest.approx(
        coincidences.radiative_rate(2.0, det, 3e-8, nature="dirac"), rel=1e-12
    )


def test_distributions_are_consistent_with_the_rate():
    det = D.Detector(crystals=[("Al2O3", 0.01)])
    out = {}
    for nat in ("dirac", "majorana"):
        d = coincidences.radiative_distributions(
            2.0,
            det,
            3e-8,
            nature=nat,
            energy_edges=np.linspace(0, 12.5, 51),
            n_flux_angle=12,
        )
        assert d.rate_detected == pytest.approx(
            coincidences.radiative_rate(2.0, det, 3e-8, nature=nat, n_flux=256), rel=1e-12
        )
        # constant efficiency: the true histogram holds eff x every photon; smearing conserves it
        assert d.true_counts.sum() == pytest.approx(det.photon_efficiency * d.rate_all, rel=1e-9)
        assert d.smeared_counts.sum() == pytest.approx(d.true_counts.sum(), rel=1e-4)
        assert d.cos_counts.sum() == pytest.approx(d.rate_detected, rel=1e-9)
        out[nat] = d
    mean = {k: np.sum(d.energy_centres * d.true_counts) / d.true_counts.sum() for k, d in out.items()}
    assert mean["dirac"] < mean["majorana"]  # Dirac photons are softer (arXiv:2110.02233)


def test_angular_quadrature_against_weighted_events():
    det = D.Detector(crystals=[("Al2O3", 0.01)])
    edges = np.linspace(-1, 1, 6)
    q = coincidences.radiative_distributions(2.0, det, 3e-8, nature="dirac", cos_edges=edges, n_flux_angle=16)
    mc = coincidences.radiative_distributions(
        2.0,
        det,
        3e-8,
        nature="dirac",
        cos_edges=edges,
        cos_method="mc",
        n_events=300_000,
    )
    np.testing.assert_allclose(mc.cos_counts, q.cos_counts, rtol=0.03)


@pytest.mark.parametrize(
    "call",
    [
        lambda det: coincidences.radiative_rate(-1.0, det, 3e-8),
        lambda det: coincidences.radiative_rate(1.0, det, -3e-8),
        lambda det: coincidences.radiative_rate(1.0, det, 3e-8, nature="sterile"),
        lambda det: coincidences.radiative_rate(1.0, det, 3e-8, method="exact"),
        lambda det: coincidences.radiative_rate(1.0, det, 3e-8, photon_eff=0.3),
        lambda det: coincidences.radiative_rate(1.0, "CaWO4", 3e-8),
        lambda det: coincidences.radiative_rate(1.0, det, 3e-8, photon_efficiency=2.0),
        lambda det: coincidences.radiative_distributions(1.0, det, 3e-8, energy_edges=[1.0, 0.5]),
        lambda det: coincidences.radiative_distributions(1.0, det, 3e-8, cos_edges=[-2.0, 0.0]),
        lambda det: coincidences.radiative_rate(1.0, det, 3e-8, flux="chooz"),
    ],
)
def test_bad_inputs_raise(call):
    with pytest.raises((ValueError, TypeError)):
        call(D.nucleus_10g())


@pytest.mark.parametrize("name", ["NUCLEUS-10g", "TEXONO"])
def test_radiative_recoil_nodes_are_converged(monkeypatch, name):
    """The recoil nodes (order 8 on panels up to 3 in ln E_R, order 6 on the narrow threshold panels)
    against order 8 everywhere on panels of 1.5 (the former rule, 1.5x the nodes): 1e-6 relative."""
    from radcevns import experiments, quadrature

    exp = experiments.get(name)
    det, fl = exp.detector, exp.flux()
    masses = (0.05, 1.0, 4.0)

    def rates():
        return np.array(
            [
                coincidences.radiative_rate(m, det, 3e-8, nature=nat, flux=fl)
                for m in masses
                for nat in ("dirac", "majorana")
            ]
        )

    got = rates()
    x8, w8 = np.polynomial.legendre.leggauss(8)
    monkeypatch.setattr(quadrature, "_DU_MAX", 1.5)
    monkeypatch.setattr(quadrature, "_GL_RN_X", x8)
    monkeypatch.setattr(quadrature, "_GL_RN_W", w8)
    np.testing.assert_allclose(got, rates(), rtol=1e-6)
