"""Dirac versus Majorana discrimination: Asimov significance and pseudo-experiments."""

import math

import numpy as np
import pytest
from scipy import stats

from radcevns import backgrounds, coincidences
from radcevns import discrimination as dis

# two toy shapes on [0, 1]: a flat box (Majorana-like) and a falling triangle (Dirac-like)
_EDGES = np.linspace(0.0, 1.0, 21)
_CENTRES = 0.5 * (_EDGES[1:] + _EDGES[:-1])
BOX = np.full(20, 1.0 / 20)
TRIANGLE = 2.0 * (1.0 - _CENTRES) / 20
TILT = (1.0 + 0.6 * (1.0 - 2.0 * _CENTRES)) / 20  # milder tilt: tens of events for 2 sigma


def test_shape_only_asimov_is_twice_n_times_kl():
    """Without background, q_A = 2 N KL(p_true || p_alt), written out here with numpy."""
    for n_events in (10.0, 37.0, 500.0):
        p, q = BOX, TRIANGLE / TRIANGLE.sum()
        expected = 2.0 * n_events * np.sum(p * np.log(p / q))
        assert dis.asimov_statistic(n_events * BOX, TRIANGLE) == pytest.approx(expected, rel=1e-12)
        assert dis.kl_divergence(BOX, TRIANGLE) == pytest.approx(np.sum(p * np.log(p / q)), rel=1e-12)
        # normalising the tested hypothesis to the observed total is the same without background
        assert dis.asimov_statistic(n_events * BOX, TRIANGLE, normalisation="total") == pytest.approx(
            expected, rel=1e-12
        )


def test_significance_grows_as_sqrt_of_events():
    z1 = dis.asimov_significance(10 * BOX, TRIANGLE)
    z4 = dis.asimov_significance(40 * BOX, TRIANGLE)
    assert z4 / z1 == pytest.approx(2.0, rel=1e-12)


def test_identical_shapes_give_zero():
    assert dis.asimov_significance(30 * BOX, 3 * BOX) == pytest.approx(0.0, abs=1e-7)


def test_profiled_normalisation_with_background_matches_scipy():
    """With a background the free normalisation is profiled: compare with scipy's bounded minimiser."""
    from scipy.optimize import minimize_scalar

    t, a, b = 25 * BOX, TRIANGLE, np.full(20, 0.7)
    n = t + b

    def dev(theta):
        nu = theta * a + b
        return 2 * np.sum(nu - n + n * np.log(n / nu))

    best = minimize_scalar(dev, bounds=(0, 1e3), method="bounded", options={"xatol": 1e-12})
    assert dis.asimov_statistic(t, a, b) == pytest.approx(best.fun, rel=1e-7)
    # background dilutes the shape difference
    assert dis.asimov_statistic(t, a, b) < dis.asimov_statistic(t, a)


@pytest.mark.parametrize("background", [None, 0.4])
def test_pseudo_experiments_agree_with_asimov(background):
    """Toy significance (tail count, ~2 sigma) equals sqrt(q_A) within its statistical error."""
    res = dis.toy_significance(35 * BOX, TILT, background=background, n_toys=20000, seed=3)
    assert 1.5 < res["z_asimov"] < 2.5
    assert math.isfinite(res["z"])
    assert abs(res["z"] - res["z_asimov"]) < 3 * res["z_error"]
    assert res["z"] == pytest.approx(res["z_asimov"], rel=0.04)
    # means of the statistic: +q_A under H_true and minus the reverse Asimov value under H_alt
    assert np.mean(res["t_true"]) == pytest.approx(res["z_asimov"] ** 2, rel=0.05)
    if background is None:
        reverse = dis.asimov_statistic(35 * TILT / TILT.sum(), BOX)
        assert np.mean(res["t_alt"]) == pytest.approx(-reverse, rel=0.05)


def test_reverse_direction_and_reproducibility():
    a = dis.toy_significance(20 * TRIANGLE / TRIANGLE.sum(), BOX, n_toys=5000, seed=9, n_bootstrap=20)
    b = dis.toy_significance(20 * TRIANGLE / TRIANGLE.sum(), BOX, n_toys=5000, seed=9, n_bootstrap=20)
    assert a["z"] == b["z"] and np.array_equal(a["t_alt"], b["t_alt"])
    # the two directions are not symmetric (KL is not symmetric)
    assert a["z_asimov"] != pytest.approx(dis.asimov_significance(20 * BOX, TRIANGLE), rel=1e-3)


def test_p_value_definition():
    res = dis.toy_significance(15 * BOX, TRIANGLE, n_toys=4000, seed=1, n_bootstrap=0)
    p = np.mean(res["t_alt"] >= np.median(res["t_true"]))
    assert res["p_value"] == pytest.approx(p)
    assert res["z"] == pytest.approx(stats.norm.isf(p))


def test_bad_input():
    with pytest.raises(ValueError, match="expected_true"):
        dis.asimov_significance([1.0, -1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="same number of bins"):
        dis.asimov_significance([1.0, 1.0], [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="normalisation"):
        dis.asimov_significance([1.0, 1.0], [1.0, 2.0], normalisation="fixed")
    with pytest.raises(ValueError, match="n_toys"):
        dis.toy_significance([1.0, 1.0], [1.0, 2.0], n_toys=1)
    with pytest.raises(ValueError, match="expected_alt"):
        dis.asimov_significance([1.0, 1.0], [0.0, 0.0])


# --------------------------------------------------------------------------------------------------
# physics: NUCLEUS photon spectra
# --------------------------------------------------------------------------------------------------
from radcevns import detector as detmod  # noqa: E402

D1K = detmod.nucleus_1kg()


def test_templates_majorana_twice_dirac_and_softer_dirac():
    """Ideal photon detection: a long-lived Majorana N gives exactly twice the photons (Gamma_M = 2 Gamma_D);
    the Dirac spectrum is the softer one (tilted towards low E_gamma, arXiv:2110.02233)."""
    ideal = D1K.replace(photon_window_MeV=(0.0, np.inf), photon_efficiency=1.0, photon_resolution_MeV=0.0)
    edges = np.linspace(0.0, 12.5, 126)
    tpl = dis.photon_templates(2.0, ideal, 1e-9, edges=edges)
    assert tpl["majorana"].sum() == pytest.approx(2.0 * tpl["dirac"].sum(), rel=1e-6)
    centres = 0.5 * (edges[1:] + edges[:-1])
    mean = {k: np.sum(centres * tpl[k]) / tpl[k].sum() for k in ("dirac", "majorana")}
    assert mean["dirac"] < 0.9 * mean["majorana"]


def test_templates_bad_input():
    with pytest.raises(ValueError, match="observable"):
        dis.photon_templates(1.0, D1K, 1e-8, observable="time")
    with pytest.raises(ValueError, match="detector"):
        dis.photon_templates(1.0, "CaWO4", 1e-8)
    with pytest.raises(ValueError, match="nature"):
        dis.photon_templates(1.0, D1K, 1e-8, natures=("dirac", "scalar"))


def test_significance_versus_events():
    tpl = dis.photon_templates(1.0, D1K, 1e-10)
    z = dis.significance_vs_events(np.array([10.0, 40.0]), tpl["majorana"], tpl["dirac"])
    assert z[1] / z[0] == pytest.approx(2.0, rel=1e-9)
    n3 = dis.events_for_significance(3.0, tpl["majorana"], tpl["dirac"])
    assert dis.significance_vs_events(n3, tpl["majorana"], tpl["dirac"]) == pytest.approx(3.0, rel=1e-9)
    # some tens of events separate the two natures at 3 sigma with the default detector
    assert 10 < n3 < 200


def test_reach_reproduces_three_sigma():
    """At the returned mu: templates at that mu, events from coincidences.radiative_rate, accidentals -> Z = 3."""
    m, exposure = 2.0, 1.0
    for true, alt in (("majorana", "dirac"), ("dirac", "majorana")):
        mu = dis.discrimination_reach(m, D1K, exposure, z=3.0, true_nature=true)
        days = backgrounds.live_days(D1K, exposure)
        tpl = dis.photon_templates(m, D1K, mu)
        n_sig = coincidences.radiative_rate(m, D1K, mu, nature=true) * days
        edges = tpl["edges"]
        b = backgrounds.accidental_rate(D1K) * days * dis.accidental_template(D1K, edges)
        shape = tpl[true] / tpl[true].sum()
        assert dis.asimov_significance(n_sig * shape, tpl[alt], b) == pytest.approx(3.0, rel=2e-3)


def test_reach_toys_on_physics_templates():
    """Pseudo-experiments on the NUCLEUS photon spectra agree with the Asimov significance."""
    tpl = dis.photon_templates(1.0, D1K, 1e-10)
    n = dis.events_for_significance(2.0, tpl["majorana"], tpl["dirac"])
    true = n * tpl["majorana"] / tpl["majorana"].sum()
    res = dis.toy_significance(true, tpl["dirac"], background=0.02, n_toys=10000, seed=5, n_bootstrap=50)
    assert abs(res["z"] - res["z_asimov"]) < 3 * res["z_error"] + 0.05
