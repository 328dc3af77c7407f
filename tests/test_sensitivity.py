"""Expected exclusion limits: statistics checked against closed forms, physics limits against scalings."""

import math

import numpy as np
import pytest
from scipy import stats
from scipy.special import lambertw

from radcevns import backgrounds, coincidences, statistics
from radcevns import sensitivity as sens

Q90 = stats.norm.ppf(0.9) ** 2


# --------------------------------------------------------------------------------------------------
# statistics only
# --------------------------------------------------------------------------------------------------
def test_critical_values():
    assert statistics.critical_q(0.9) == pytest.approx(1.2815515655446004**2)
    assert statistics.critical_q(0.9, rule="chi2") == pytest.approx(2.705543454095404)
    assert statistics.critical_q(0.95) == pytest.approx(statistics.critical_q(0.9, rule="chi2"), rel=1e-12)


def test_background_free_counting_limit_is_2_3_events():
    """Closed form: P(0 | s) = exp(-s) = 0.1  ->  s = ln 10."""
    assert statistics.poisson_upper_limit(0.0) == pytest.approx(math.log(10.0), rel=1e-12)
    assert statistics.poisson_upper_limit(0.0, cl=0.95) == pytest.approx(math.log(20.0), rel=1e-12)


@pytest.mark.parametrize("b", [1, 3, 10, 40])
def test_counting_limit_against_poisson_cdf(b):
    """For an integer Asimov count n = b the limit satisfies the Neyman condition P(N <= b | s + b) = 0.1."""
    s = statistics.poisson_upper_limit(b)
    assert stats.poisson.cdf(b, s + b) == pytest.approx(0.1, rel=1e-10)


def test_counting_limit_large_background_is_gaussian():
    b = 1e6
    assert statistics.poisson_upper_limit(b) / math.sqrt(b) == pytest.approx(stats.norm.ppf(0.9), rel=2e-3)


@pytest.mark.parametrize("b", [0.05, 1.0, 10.0, 1e3, 1e6])
def test_one_bin_known_background_asimov_closed_form(b):
    """One bin, known background: 2 [s - b ln(1 + s/b)] = q solved with the Lambert W function."""
    c = 1.0 + Q90 / (2.0 * b)
    s_closed = b * (-lambertw(-math.exp(-c), -1).real - 1.0)
    assert statistics.binned_upper_limit([1.0], [b], background_uncertainty=0) == pytest.approx(
        s_closed, rel=1e-9
    )
    # and the large-background (sqrt) form
    if b >= 1e3:
        assert s_closed == pytest.approx(math.sqrt(Q90 * b), rel=0.02)


def test_one_bin_signal_scaling():
    """x_up scales as 1/template: the limit is on the signal strength."""
    a = statistics.binned_upper_limit([2.0], [50.0], background_uncertainty=0)
    b = statistics.binned_upper_limit([1.0], [50.0], background_uncertainty=0)
    assert a == pytest.approx(b / 2, rel=1e-10)


def test_on_off_profile_against_analytic_profile():
    """Free background seen in a signal-free control bin (on/off problem): analytic conditional fit."""
    b, tau = 40.0, 3.0
    sig, fix, flo = [1.0, 0.0], [0.0, 0.0], [b, tau * b]
    n_on, n_off = b, tau * b
    for x in (0.5, 5.0, 30.0):
        lin = n_on + n_off - (1 + tau) * x
        B = (lin + math.sqrt(lin**2 + 4 * (1 + tau) * n_off * x)) / (2 * (1 + tau))
        nu_on, nu_off = x + B, tau * B
        q = 2 * (
            nu_on - n_on + n_on * math.log(n_on / nu_on) + nu_off - n_off + n_off * math.log(n_off / nu_off)
        )
        assert statistics.asimov_statistic(x, sig, fix, flo) == pytest.approx(q, rel=1e-10)
    # large background: Gaussian on/off, var = b (1 + 1/tau)
    big = 1e7
    x_up = statistics.binned_upper_limit([1.0, 0.0], [0.0, 0.0], [big, tau * big])
    assert x_up == pytest.approx(math.sqrt(Q90 * big * (1 + 1 / tau)), rel=2e-3)


def test_gaussian_constraint_on_background():
    """One bin, background known to 1 %: var = b + (0.01 b)^2 in the Gaussian regime."""
    b, rel = 1e6, 0.01
    x_up = statistics.binned_upper_limit([1.0], [0.0], [b], background_uncertainty=rel)
    assert x_up == pytest.approx(math.sqrt(Q90 * (b + (rel * b) ** 2)), rel=2e-3)
    # free > constrained > fixed (in a two-bin case where the free fit is possible)
    sig, flo = [1.0, 0.2], [100.0, 100.0]
    free = statistics.binned_upper_limit(sig, [0, 0], flo)
    constrained = statistics.binned_upper_limit(sig, [0, 0], flo, background_uncertainty=0.05)
    fixed = statistics.binned_upper_limit(sig, [0, 0], flo, background_uncertainty=0)
    assert free > constrained > fixed


def test_many_bins_gaussian_fisher_limit():
    """Many bins, fixed large backgrounds: x_up^2 sum s_i^2 / b_i = q (Fisher information)."""
    rng = np.random.default_rng(0)
    s = rng.uniform(0.5, 2, 30)
    b = rng.uniform(1e6, 1e7, 30)
    x_up = statistics.binned_upper_limit(s, b, background_uncertainty=0)
    assert x_up == pytest.approx(math.sqrt(Q90 / np.sum(s**2 / b)), rel=2e-3)


def test_signal_shaped_like_free_background():
    """Only the positivity of the background normalisation limits the signal: for x >= 10 the profiled
    background vanishes and q = 2 N (r - 1 - ln r), r = x / 10, N = 30 events."""
    from scipy.optimize import brentq

    assert statistics.asimov_statistic(9.0, [1.0, 2.0], [0.0, 0.0], [10.0, 20.0]) == pytest.approx(
        0.0, abs=1e-12
    )
    r = brentq(lambda r: 60.0 * (r - 1.0 - math.log(r)) - Q90, 1.0 + 1e-12, 10.0)
    assert statistics.binned_upper_limit([1.0, 2.0], [0.0, 0.0], [10.0, 20.0]) == pytest.approx(
        10.0 * r, rel=1e-9
    )


def test_statistics_bad_input():
    with pytest.raises(ValueError, match="cl"):
        statistics.critical_q(1.2)
    with pytest.raises(ValueError, match="rule"):
        statistics.critical_q(0.9, rule="two-sided")
    with pytest.raises(ValueError, match="background"):
        statistics.poisson_upper_limit(-1.0)
    with pytest.raises(ValueError, match="same length"):
        statistics.binned_upper_limit([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="signal"):
        statistics.binned_upper_limit([-1.0], [1.0])


# --------------------------------------------------------------------------------------------------
# physics limits
# --------------------------------------------------------------------------------------------------
from radcevns import detector as detmod  # noqa: E402
from radcevns import rates  # noqa: E402
from radcevns.constants import SECONDS_PER_DAY  # noqa: E402

D10 = detmod.nucleus_10g()
D1K = detmod.nucleus_1kg()
EXP10 = D10.mass_kg  # 10 g x 1 yr


@pytest.mark.parametrize(
    ("m", "mu", "nature", "extra"),
    [
        (0.05, 1e-7, "dirac", {}),
        (1.0, 3e-8, "majorana", {}),
        (4.0, 1e-4, "dirac", {}),  # prompt decays: P_dec saturated
        (4.0, 1e-4, "majorana", {}),
        (2.0, 1e-8, "dirac", {"decay_moment": 1e-6, "daughter_mass": 0.8}),
    ],
)
def test_semi_analytic_rate_matches_rates_module(m, mu, nature, extra):
    """The per-node decay sum reproduces radcevns.coincidences.radiative_rate at any mu."""
    y = coincidences.RadiativeYield(
        m,
        D10,
        (nature,),
        extra_decay_moment=extra.get("decay_moment"),
        extra_daughter_mass=extra.get("daughter_mass", 0.0),
    )
    kw = {}
    if extra:
        kw = dict(
            decay_moments={"e": mu, "x": extra["decay_moment"]}, daughter_masses={"x": extra["daughter_mass"]}
        )
    ref = coincidences.radiative_rate(m, D10, mu, nature=nature, **kw)
    assert y(mu, nature) == pytest.approx(ref, rel=1e-6)


def test_background_free_radiative_limit_gives_2_3_events():
    """At the returned mu, the rate of radcevns.rates (called independently) gives ln 10 events."""
    for nature in ("dirac", "majorana"):
        mu = sens.limit(1.0, D10, EXP10, mode="radiative", nature=nature, accidentals=False)
        days = 365.25 * EXP10 / D10.mass_kg
        events = coincidences.radiative_rate(1.0, D10, mu, nature=nature) * days
        assert events == pytest.approx(math.log(10.0), rel=1e-5)


def test_radiative_limit_scales_as_exposure_to_minus_quarter():
    """Long-lived N, no background: events ~ exposure mu^4, so mu_up ~ exposure^(-1/4)."""
    a = sens.limit(1.0, D10, 0.01, mode="radiative", nature="dirac", accidentals=False)
    b = sens.limit(1.0, D10, 0.16, mode="radiative", nature="dirac", accidentals=False)
    assert a / b == pytest.approx(2.0, rel=1e-5)
    # and Majorana (twice the width, twice the decays in the region) is lower by 2^(1/4)
    c = sens.limit(1.0, D10, 0.01, mode="radiative", nature="majorana", accidentals=False)
    assert a / c == pytest.approx(2.0**0.25, rel=1e-5)


def test_prompt_regime_scales_as_exposure_to_minus_half():
    """With every N decaying inside the region (huge decay moment) the events go as mu_eN^2 only."""
    a = sens.limit(
        2.0, D10, 0.01, mode="radiative", nature="dirac", accidentals=False, extra_decay_moment=1.0
    )
    b = sens.limit(
        2.0, D10, 0.04, mode="radiative", nature="dirac", accidentals=False, extra_decay_moment=1.0
    )
    assert a / b == pytest.approx(2.0, rel=1e-4)


def test_accidental_background_by_hand():
    """R_acc = (CEvNS + flat) recoil rate x veto rate x window, over reactor-on live time."""
    veto, window, flat, rmax = 80.0, 2e-5, 150.0, 0.8e-3
    thr = D10.recoil_threshold_MeV
    per_day = sum(
        c.mass_kg
        * (
            rates.cevns_rate(
                c.target,
                flux=None,
                E_R_min=thr,
                E_R_max=rmax,
                recoil_resolution_MeV=D10.recoil_resolution_MeV,
            )
            + flat * (rmax - thr) * 1e3
        )
        for c in D10.crystals
    )
    expected = (
        per_day / SECONDS_PER_DAY * veto * window * SECONDS_PER_DAY * D10.reactor_duty * D10.live_fraction
    )
    got = backgrounds.accidental_rate(
        D10,
        veto_rate_Hz=veto,
        coincidence_window_s=window,
        flat_background=flat,
        recoil_max_MeV=rmax,
    )
    assert got == pytest.approx(expected, rel=1e-12)
    assert backgrounds.accidental_rate(D10, accidentals=False) == 0.0
    # the limit uses the Poisson limit with that background
    b = got * 365.25
    mu = sens.limit(
        1.0,
        D10,
        EXP10,
        mode="radiative",
        nature="dirac",
        veto_rate_Hz=veto,
        coincidence_window_s=window,
        flat_background=flat,
        recoil_max_MeV=rmax,
    )
    events = coincidences.radiative_rate(1.0, D10, mu, nature="dirac") * 365.25
    assert events == pytest.approx(statistics.poisson_upper_limit(b), rel=1e-5)


def test_primakoff_limit_against_window_rates():
    """One bin per crystal, fixed backgrounds: compare with rates.primakoff_rate / cevns_rate in the window
    (the module's own binning and resolution response are not used) and the one-bin Poisson formula."""
    from scipy.optimize import brentq

    m, rmax = 0.5, 0.5e-3
    thr, sig = D10.recoil_threshold_MeV, D10.recoil_resolution_MeV
    on_days = 365.25 * D10.reactor_duty * D10.live_fraction
    s, n = [], []
    for c in D10.crystals:
        s.append(
            c.mass_kg
            * on_days
            * rates.primakoff_rate(
                m, c.target, 1e-10, flux=None, E_R_min=thr, E_R_max=rmax, recoil_resolution_MeV=sig
            )
        )
        cev = rates.cevns_rate(c.target, flux=None, E_R_min=thr, E_R_max=rmax, recoil_resolution_MeV=sig)
        n.append(c.mass_kg * on_days * (cev + 100.0 * (rmax - thr) * 1e3))
    s, n = np.array(s), np.array(n)

    def q(x):
        return 2 * np.sum(x * s - n * np.log1p(x * s / n)) - Q90

    x_up = brentq(q, 1e-6, 1e6)
    expected = 1e-10 * math.sqrt(x_up)
    got = sens.limit(m, D10, EXP10, mode="primakoff", n_bins=1, background_uncertainty=0, recoil_max_MeV=rmax)
    assert got == pytest.approx(expected, rel=2e-3)


def test_primakoff_limit_properties():
    m = 1.0
    d = sens.limit(m, D10, EXP10, mode="primakoff", nature="dirac")
    assert (
        sens.limit(m, D10, EXP10, mode="primakoff", nature="majorana") == d
    )  # production does not see the nature
    more = sens.limit(m, D10, 10 * EXP10, mode="primakoff")
    assert more < d
    fixed = sens.limit(m, D10, EXP10, mode="primakoff", background_uncertainty=0)
    assert fixed < d  # a known background helps
    assert sens.limit(m, D10, EXP10, mode="primakoff", rule="chi2") > d
    # the expected signal at the limit reaches q_crit in the module's own fit
    setup = sens._PrimakoffSetup(D10, EXP10, None, backgrounds.BackgroundModel())
    x = (d / sens._MU_REF) ** 2
    q = statistics.asimov_statistic(x, setup.signal(m), setup.cevns, setup.flat, groups=setup.groups)
    assert q == pytest.approx(Q90, rel=1e-6)


def test_limits_decrease_with_exposure_and_rise_with_background():
    for mode in ("primakoff", "radiative"):
        vals = [sens.limit(2.0, D1K, e, mode=mode, nature="dirac") for e in (0.1, 1.0, 10.0)]
        assert vals[0] > vals[1] > vals[2]
    low = sens.limit(2.0, D1K, 1.0, mode="radiative", veto_rate_Hz=5.0)
    high = sens.limit(2.0, D1K, 1.0, mode="radiative", veto_rate_Hz=500.0)
    free = sens.limit(2.0, D1K, 1.0, mode="radiative", accidentals=False)
    assert free < low < high
    assert sens.limit(0.5, D10, EXP10, mode="primakoff", flat_background=10.0) < sens.limit(
        0.5,
        D10,
        EXP10,
        mode="primakoff",
        flat_background=1000.0,
    )


def test_limit_curve_shapes_and_closed_kinematics():
    m = np.array([0.1, 1.0, 20.0])  # 20 MeV: above every reactor antineutrino
    for mode in ("primakoff", "radiative"):
        both = sens.limit_curve(m, D10, EXP10, mode=mode, nature=("dirac", "majorana"))
        assert both.shape == (2, 3)
        assert np.all(np.isfinite(both[:, :2])) and np.all(both[:, 2] == np.inf)
        one = sens.limit_curve(m, D10, EXP10, mode=mode, nature="majorana")
        np.testing.assert_array_equal(one, both[1])


def test_product_limit_matches_exact_limit_when_valid():
    """mu_xN >> mu_eN and long-lived: the exact mu_eN limit is the product limit divided by mu_xN."""
    prod = sens.product_limit(1.0, D1K, 1.0, nature="dirac")
    exact = sens.limit(1.0, D1K, 1.0, mode="radiative", nature="dirac", extra_decay_moment=1e-6)
    assert exact == pytest.approx(prod / 1e-6, rel=2e-3)
    # a lighter sterile daughter softens the photon and closes phase space: a weaker product limit
    assert sens.product_limit(1.0, D1K, 1.0, nature="dirac", extra_daughter_mass=0.5) > prod
    assert sens.product_limit(1.0, D1K, 1.0, nature="dirac", extra_daughter_mass=1.5) == math.inf


def test_physics_bad_input():
    with pytest.raises(ValueError, match="exposure_kg_yr"):
        sens.limit(1.0, D10, -1.0, mode="radiative")
    with pytest.raises(ValueError, match="mode"):
        sens.limit(1.0, D10, 1.0, mode="photon-only")
    with pytest.raises(ValueError, match="nature"):
        sens.limit(1.0, D10, 1.0, mode="radiative", nature="pseudo-dirac")
    with pytest.raises(ValueError, match="m_N"):
        sens.limit(-1.0, D10, 1.0, mode="radiative")
    with pytest.raises(ValueError, match="unknown background"):
        sens.limit(1.0, D10, 1.0, mode="radiative", veto_rate=10.0)
    with pytest.raises(ValueError, match="recoil_max_MeV"):
        sens.limit(1.0, D10, 1.0, mode="primakoff", recoil_max_MeV=1e-6)
    with pytest.raises(ValueError, match="decay_moment"):
        sens.limit(1.0, D10, 1.0, mode="primakoff", extra_decay_moment=1e-6)
    with pytest.raises(ValueError, match="detector"):
        sens.limit(1.0, "CaWO4", 1.0, mode="radiative")
    with pytest.raises(ValueError, match="veto_rate_Hz"):
        backgrounds.accidental_rate(D10, veto_rate_Hz=-1.0)
