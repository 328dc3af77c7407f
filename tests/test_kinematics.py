"""Two-body kinematics of nu A -> N A, checked against an independent high-precision evaluation."""

import warnings
from decimal import Decimal, getcontext

import numpy as np
import pytest

import radcevns as rc
from radcevns import primakoff as pk

getcontext().prec = 50
TARGETS = ["W184", "W182", "Ca40", "O16", "Al27"]


def _range_closed_form(E, m, M):
    """Second form of the exact recoil range, with the square-root discriminant, in 50-digit decimals."""
    E, m, M = Decimal(E), Decimal(m), Decimal(M)
    disc = ((2 * M * E - m * m) ** 2 - 4 * m * m * M * M).sqrt()
    den = 2 * M * (2 * E + M)
    base = 2 * M * E * E - m * m * (E + M)
    return float((base - E * disc) / den), float((base + E * disc) / den)


@pytest.mark.parametrize("target", TARGETS)
def test_recoil_range_matches_high_precision_closed_form(target):
    M = rc.nucleus(target).mass
    rng = np.random.default_rng(1)
    for _ in range(50):
        m = 10 ** rng.uniform(-3, 1)
        E = pk.threshold(m, target) * (1 + 10 ** rng.uniform(-6, 0.5))
        lo, hi = pk.recoil_range(E, m, target)
        lo_ref, hi_ref = _range_closed_form(E, m, M)
        assert lo == pytest.approx(lo_ref, rel=1e-9)
        assert hi == pytest.approx(hi_ref, rel=1e-9)


def test_threshold_value_and_exact_zero_below():
    M = rc.nucleus("W184").mass
    m = 2.0
    thr = pk.threshold(m, "W184")
    assert thr == pytest.approx(m + m**2 / (2 * M), rel=1e-15)
    assert pk.recoil_range(thr * (1 - 1e-12), m, "W184") == (0.0, 0.0)
    lo, hi = pk.recoil_range(thr * (1 + 1e-6), m, "W184")
    assert 0 < lo < hi


def test_massless_limit_is_elastic_endpoint():
    # NUCLEUS EPJC 79 (2019) 1018 eq. (1): E_R^max = 2 E^2 / (M + 2E)
    for t in TARGETS:
        M = rc.nucleus(t).mass
        _, hi = pk.recoil_range(5.0, 0.0, t)
        assert hi == pytest.approx(2 * 25 / (M + 10), rel=1e-12)


def test_minimum_recoil_grows_like_m4():
    # heavy-target approximation E_R^min ~ m^4 / (8 M E^2) for m << E  (q_min ~ m^2 / 2E)
    M = rc.nucleus("W184").mass
    for m in [0.01, 0.05, 0.1]:
        lo, _ = pk.recoil_range(8.0, m, "W184")
        assert lo == pytest.approx(m**4 / (8 * M * 64), rel=5e-3)


def test_n_angle_conserves_momentum():
    t = rc.nucleus("Ca40")
    E, m = 6.0, 2.0
    lo, hi = pk.recoil_range(E, m, t)
    E_R = np.geomspace(lo * 1.0001, hi * 0.9999, 30)
    cos_n = pk.n_angle(E, E_R, m, t)
    p_N = pk.n_momentum(E, E_R, m)
    # nucleus recoil momentum from the N vector, compared with sqrt(2 M E_R + E_R^2)
    p_Ax = -p_N * np.sqrt(1 - cos_n**2)
    p_Az = E - p_N * cos_n
    np.testing.assert_allclose(np.hypot(p_Ax, p_Az), np.sqrt(2 * t.mass * E_R + E_R**2), rtol=1e-9)
    assert pk.n_angle(E, lo, m, t) == pytest.approx(1.0, abs=1e-6)


def test_range_union_for_composite_targets():
    lo_w, hi_w = pk.recoil_range(5.0, 1.0, "W")
    lo_o, hi_o = pk.recoil_range(5.0, 1.0, "O16")
    lo_c, hi_c = pk.recoil_range(5.0, 1.0, "CaWO4")
    assert hi_c == pytest.approx(max(hi_w, hi_o))
    assert lo_c == pytest.approx(min(lo_w, lo_o))


def test_dense_grid_is_finite_and_silent():
    """No NaN or warning anywhere on a dense grid from m_N = 1 keV to 10 MeV, E_nu up to 12 MeV."""
    m = np.geomspace(1e-3, 10.0, 60)[:, None]
    E = np.linspace(0.0, 12.0, 121)[None, :]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            for t in ["W184", "O16"]:
                lo, hi = pk.recoil_range(E, m, t)
                assert np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))
                below = E <= pk.threshold(m, t)
                assert np.all(lo[below] == 0.0) and np.all(hi[below] == 0.0)
                assert np.all(hi[~below] > lo[~below])


@pytest.mark.parametrize("bad", [-1.0, np.nan, np.inf])
def test_bad_kinematic_input(bad):
    with pytest.raises(ValueError, match="E_nu"):
        pk.recoil_range(bad, 1.0, "W184")
    with pytest.raises(ValueError, match="m_N"):
        pk.threshold(bad, "W184")
