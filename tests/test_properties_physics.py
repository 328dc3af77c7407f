"""Property-based tests (Hypothesis): random valid inputs across the physical domain give finite,
non-negative results with the documented symmetries and limits, and exact zeros where the process is
kinematically closed.  Numpy warnings are errors here.

Each property is checked against something outside the function under test: a scaling law of the
Lagrangian (rates ~ mu^2, or mu^4 for long-lived N), the Majorana/Dirac width ratio 2, the CP
relation sigma(nu) = sigma(nubar) from the explicit spinors of radcevns.amplitudes, energy-momentum
conservation of the generated events, the pure-state normalisation of the N polarisation.

Profiles: tests/conftest.py ("ci" by default, HYPOTHESIS_PROFILE=long for hand runs).
"""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from radcevns import (
    amplitudes,
    cevns,
    coincidences,
    constants,
    conventions,
    decay,
    detector,
    implications,
    nuclear,
    primakoff,
    radiative,
    rates,
    statistics,
)

pytestmark = pytest.mark.filterwarnings("error")

TARGETS = ("W184", "Ca40", "O16", "Ge74", "H1", "W", "CaWO4", "Al2O3")
ISOTOPES = ("W184", "Ca40", "O16", "Ge74", "Al27", "Cs133", "Xe132")

targets = st.sampled_from(TARGETS)
isotopes = st.sampled_from(ISOTOPES)
E_nu = st.floats(min_value=0.0, max_value=50.0)
E_nu_pos = st.floats(min_value=0.05, max_value=50.0)
m_N = st.floats(min_value=0.0, max_value=20.0)
m_N_pos = st.floats(min_value=1e-4, max_value=20.0)
mu = st.floats(min_value=0.0, max_value=1e-6)
mu_pos = st.floats(min_value=1e-12, max_value=1e-6)
frac = st.floats(min_value=0.0, max_value=1.0)


def finite_nonneg(x):
    x = np.asarray(x, dtype=float)
    return bool(np.all(np.isfinite(x)) and np.all(x >= 0))


def close(a, b, rtol):
    return abs(a - b) <= rtol * max(abs(a), abs(b)) or (a == 0 and b == 0)


# ------------------------------------------------------------------------------------------------
# nuclear
# ------------------------------------------------------------------------------------------------
@given(isotopes, st.sampled_from(["{s}{A}", "{s}-{A}", "{A}{s}"]))
def test_isotope_spellings(name, pattern):
    nuc = nuclear.as_target(name)
    spelled = pattern.format(s=nuc.symbol, A=nuc.A)
    assert nuclear.as_target(spelled) == nuc
    assert nuc.Z + nuc.N == nuc.A and nuc.mass > 0


@given(st.sampled_from(["W", "Ca", "O", "Ge", "Cs", "I", "Al", "Xe", "Na"]))
def test_element_abundances(symbol):
    el = nuclear.element(symbol)
    _, w = el.components()
    assert math.isclose(float(np.sum(w)), 1.0, rel_tol=1e-12) and np.all(w > 0)


@given(
    st.lists(st.sampled_from(["Ca", "W", "O", "Al", "Ge", "Cs", "I"]), min_size=1, max_size=3, unique=True),
    st.lists(st.integers(min_value=1, max_value=9), min_size=3, max_size=3),
)
def test_compound_counts(symbols, counts):
    formula = "".join(s + (str(c) if c > 1 else "") for s, c in zip(symbols, counts, strict=False))
    comp = nuclear.compound(formula)
    _, w = comp.components()
    assert math.isclose(float(np.sum(w)), sum(counts[: len(symbols)]), rel_tol=1e-12)


@given(isotopes, st.floats(min_value=0.0, max_value=1.0))
def test_form_factor_range(target, E_R):
    F = nuclear.form_factor(E_R, target)
    assert math.isfinite(F) and abs(F) <= 1.0
    assert nuclear.form_factor(0.0, target) == 1.0


# ------------------------------------------------------------------------------------------------
# primakoff
# ------------------------------------------------------------------------------------------------
@given(E_nu, m_N, st.floats(min_value=0.0, max_value=2.0), mu, targets)
def test_primakoff_dsigma(E, m, R, mu_, target):
    ds = primakoff.dsigma_dER(E, R, m, target, mu_)
    if m < 1e-150 and 0.0 < R < 1e-290 and mu_ > 0.0:  # documented: 1/E_R overflows to inf
        assert ds >= 0.0
        return
    assert finite_nonneg(ds)
    lo, hi = primakoff.recoil_range(E, m, target)
    assert 0.0 <= lo <= hi
    if E <= primakoff.threshold(m, target) or R > hi or R <= 0:
        assert ds == 0.0
    # exactly mu^2
    assert close(primakoff.dsigma_dER(E, R, m, target, 2 * mu_), 4 * ds, 1e-12)


@given(E_nu, m_N, mu_pos, targets)
def test_primakoff_sigma(E, m, mu_, target):
    s = primakoff.sigma(E, m, target, mu_)
    if E <= primakoff.threshold(m, target):
        assert s == 0.0
    elif primakoff.recoil_range(E, m, target)[0] == 0.0:
        # documented: for m_N = 0 (or an E_R^min ~ m_N^4 below the smallest float) the integral of
        # dsigma/dE_R ~ 1/E_R diverges (it grows as ln 1/m_N)
        assert s == math.inf
        return
    assert finite_nonneg(s)
    assert close(primakoff.sigma(E, m, target, 3 * mu_), 9 * s, 1e-12)


@given(E_nu_pos, m_N_pos, frac, isotopes)
def test_polarisation_pure_state(E, m, x, target):
    lo, hi = primakoff.recoil_range(E, m, target)
    assume(hi > 0)
    R = lo + x * (hi - lo)
    pl, pt = primakoff.polarisation(E, R, m, target)
    assert abs(pl) <= 1.0 and math.isfinite(pt)
    if (pl, pt) != (0.0, 0.0):
        assert math.isclose(pl * pl + pt * pt, 1.0, rel_tol=1e-9)
    c = primakoff.n_angle(E, R, m, target)
    assert -1.0 <= c <= 1.0
    assert 0.0 <= primakoff.n_momentum(E, R, m) <= E


@given(E_nu_pos, m_N_pos, frac, isotopes)
def test_upscattering_nu_equals_nubar(E, m, x, target):
    """|M|^2 of nu A -> N A equals that of nubar A -> Nbar A (explicit spinors, CP)."""
    lo, hi = primakoff.recoil_range(E, m, target)
    assume(hi > 0 and hi - lo > 1e-12 * hi)
    R = lo + (0.05 + 0.9 * x) * (hi - lo)
    M = nuclear.as_target(target).mass
    c = primakoff.n_angle(E, R, m, target)
    p = primakoff.n_momentum(E, R, m)
    assume(p > 0)
    s = math.sqrt(max(1 - c * c, 0.0))
    k1 = np.array([E, 0.0, 0.0, E])
    k2 = np.array([E - R, p * s, 0.0, p * c])
    p1 = np.array([M, 0.0, 0.0, 0.0])
    p2 = k1 + p1 - k2
    mu_mev = conventions.mu_bohr_to_per_mev(1e-8)
    Z = nuclear.as_target(target).Z
    a = amplitudes.msq_upscattering(k1, k2, p1, p2, m, Z, mu_mev, beam="nu")
    b = amplitudes.msq_upscattering(k1, k2, p1, p2, m, Z, mu_mev, beam="nubar")
    assert finite_nonneg(a) and finite_nonneg(b)
    assert close(float(a[0]), float(b[0]), 1e-8)


def test_polarisation_endpoints():
    for target in ISOTOPES:
        for m in (1e-5, 1e-3, 0.3, 3.0):
            lo, hi = primakoff.recoil_range(8.0, m, target)
            assert primakoff.polarisation(8.0, lo, m, target) == (-1.0, 0.0)


# ------------------------------------------------------------------------------------------------
# cevns
# ------------------------------------------------------------------------------------------------
@given(E_nu, st.floats(min_value=0.0, max_value=0.1), targets)
def test_cevns_dsigma(E, R, target):
    ds = cevns.dsigma_dER(E, R, target)
    assert finite_nonneg(ds)
    if R > cevns.max_recoil(E, target):
        assert ds == 0.0


@given(E_nu, targets)
def test_cevns_sigma(E, target):
    s = cevns.sigma(E, target)
    assert finite_nonneg(s)
    assert cevns.min_neutrino_energy(cevns.max_recoil(E, "W184"), "W184") == pytest.approx(
        E, rel=1e-9, abs=1e-12
    )


@given(E_nu_pos, st.floats(min_value=1e-9, max_value=0.01), mu_pos, targets)
def test_magnetic_moment_cross_section(E, R, mu_, target):
    ds = cevns.magnetic_moment_dsigma_dER(E, R, target, mu_)
    assert finite_nonneg(ds)
    assert close(cevns.magnetic_moment_dsigma_dER(E, R, target, 2 * mu_), 4 * ds, 1e-12)


# ------------------------------------------------------------------------------------------------
# decay
# ------------------------------------------------------------------------------------------------
@given(m_N, mu, st.floats(min_value=0.0, max_value=1.0))
def test_widths(m, mu_, r):
    gd = decay.width(m, mu_)
    gm = decay.width(m, mu_, nature="majorana")
    assert finite_nonneg(gd)
    assert gm == 2.0 * gd  # Majorana width = 2 x Dirac (exact)
    if gd > 1e-290:  # subnormal widths carry fewer digits
        assert close(gd, mu_**2 * (m * constants.MU_B_PER_MEV) ** 2 * m / (16 * math.pi), 1e-12)
    # a massive daughter closes the channel at r = 1
    md = r * m
    g = decay.width(m, mu_, daughter_mass=md)
    assert finite_nonneg(g) and g <= gd * (1 + 1e-12)
    if r >= 1.0:
        assert g == 0.0


@given(m_N_pos, mu_pos, st.floats(min_value=1.0, max_value=100.0), st.floats(min_value=0.0, max_value=1e6))
def test_decay_probability(m, mu_, gamma, L):
    E = m * gamma
    p = decay.decay_probability(E, m, mu_, decay_length_cm=L)
    assert 0.0 <= p <= 1.0
    assert decay.decay_probability(E, m, mu_, decay_length_cm=2 * L + 1.0) >= p
    tau = decay.lifetime(m, mu_)
    assert math.isclose(tau * decay.width(m, mu_), constants.HBAR_MEV_S, rel_tol=1e-12)
    if L == 0.0:
        assert p == 0.0


# ------------------------------------------------------------------------------------------------
# radiative
# ------------------------------------------------------------------------------------------------
@given(
    st.floats(min_value=0.0, max_value=12.0),
    E_nu_pos,
    m_N_pos,
    mu_pos,
    st.sampled_from(["W184", "O16", "CaWO4"]),
)
def test_photon_spectrum(Eg, E, m, mu_, target):
    s = radiative.photon_spectrum(Eg, E, m, target, mu_)
    assert finite_nonneg(s)
    if Eg > E or E <= primakoff.threshold(m, target):
        assert s == 0.0
    # every N decays (no decay region): exactly mu^2
    assert close(radiative.photon_spectrum(Eg, E, m, target, 2 * mu_), 4 * s, 1e-12)


@given(st.floats(min_value=0.5, max_value=10.0), st.floats(min_value=0.01, max_value=3.0), mu_pos)
def test_photon_rate_long_lived_scales_as_mu4(E, m, mu_):
    """A decay region much shorter than the decay length: the photon yield scales as mu^4."""
    kw = dict(decay_length_cm=1e-3, nature="majorana")
    s1 = radiative.photon_spectrum(0.3 * E, E, m, "W184", mu_ * 1e-3, **kw)
    s2 = radiative.photon_spectrum(0.3 * E, E, m, "W184", 2e-3 * mu_, **kw)
    assert finite_nonneg(s1) and finite_nonneg(s2)
    if s1 > 0:
        assert close(s2, 16 * s1, 1e-6)


@given(st.floats(min_value=-1.0, max_value=1.0), E_nu_pos, m_N_pos, st.sampled_from(["W184", "O16"]))
def test_photon_angle(c, E, m, target):
    val = radiative.photon_angle(c, E, m, target, 3e-8, n_psi=8, n_recoil=2, step=0.2)
    assert finite_nonneg(val)
    if E <= primakoff.threshold(m, target):
        assert val == 0.0


@given(E_nu_pos, m_N_pos, st.sampled_from(["dirac", "majorana"]), st.integers(min_value=0, max_value=2**31))
def test_generated_events(E, m, nature, seed):
    ev = radiative.generate(200, E, m, "W184", 3e-8, nature=nature, seed=seed)
    assert ev.size == 200
    assert finite_nonneg(ev["weight"])
    assert np.all(np.abs(ev["cos_theta_gamma"]) <= 1.0)
    live = ev["weight"] > 0
    if E <= primakoff.threshold(m, "W184"):
        assert not live.any()
    # energy-momentum conservation N -> nu gamma, photon energy at most E_nu
    pN, pg, pn = ev["p_N"][live], ev["p_gamma"][live], ev["p_nu"][live]
    assert np.allclose(pg + pn, pN, rtol=1e-9, atol=1e-9 * E)
    assert np.all(pg[:, 0] <= ev["E_nu"][live] * (1 + 1e-12))
    assert np.all(np.isfinite(np.arccos(ev["cos_theta_gamma"])))


# ------------------------------------------------------------------------------------------------
# rates, coincidences, statistics
# ------------------------------------------------------------------------------------------------
@given(st.floats(min_value=1e-3, max_value=8.0), mu_pos, st.sampled_from(["CaWO4", "Al2O3"]))
def test_primakoff_rate_scales_as_mu2(m, mu_, target):
    r = rates.primakoff_rate(m, target, mu_, E_R_min=20e-6)
    assert finite_nonneg(r)
    assert close(rates.primakoff_rate(m, target, 2 * mu_, E_R_min=20e-6), 4 * r, 1e-12)


def test_primakoff_rate_zero_above_the_flux():
    from radcevns import flux

    m = flux.chooz().e_max * 1.01
    assert rates.primakoff_rate(m, "CaWO4", 1e-8, E_R_min=20e-6) == 0.0


@given(st.floats(min_value=1e-6, max_value=1e-3), st.floats(min_value=2.0, max_value=50.0))
def test_cevns_rate_window(lo, ratio):
    r = rates.cevns_rate("CaWO4", E_R_min=lo, E_R_max=lo * ratio)
    assert finite_nonneg(r)


@given(st.floats(min_value=0.05, max_value=8.0), st.floats(min_value=1e-9, max_value=1e-6))
def test_radiative_yield_majorana_dirac_and_monotone(m, mu_):
    det = detector.nucleus_10g()
    y = coincidences.RadiativeYield(m, det)
    for nat in ("dirac", "majorana"):
        a, b = y(mu_, nat), y(2 * mu_, nat)
        assert finite_nonneg(a) and finite_nonneg(b) and b >= a
        # at least mu^2 (every N decays) and at most mu^4 (long-lived)
        if a > 0:
            assert 4 * a * (1 - 1e-9) <= b <= 16 * a * (1 + 1e-9)


@given(st.floats(min_value=0.0, max_value=1e6), st.floats(min_value=0.5, max_value=0.99))
def test_poisson_upper_limit(b, cl):
    s = statistics.poisson_upper_limit(b, cl=cl)
    assert finite_nonneg(s)
    assert statistics.poisson_upper_limit(b, cl=min(cl + 0.005, 0.995)) >= s
    assert statistics.critical_q(cl) >= 0 and statistics.critical_q(cl, "chi2") > 0


# ------------------------------------------------------------------------------------------------
# implications
# ------------------------------------------------------------------------------------------------
@given(
    st.floats(min_value=1e-6, max_value=1e3),
    mu_pos,
    st.floats(min_value=2.0, max_value=1e12),
    st.sampled_from(["cutoff", "dimreg", "proceedings"]),
)
def test_majorana_mass_loop(m, mu_, ratio, scheme):
    dm = implications.majorana_mass_loop(m, mu_, Lambda_MeV=m * ratio, scheme=scheme)
    assert finite_nonneg(dm)
    assert implications.majorana_mass_loop(m, mu_, Lambda_MeV=m * ratio, nature="dirac") == 0.0
    assert close(
        implications.majorana_mass_loop(m, 2 * mu_, Lambda_MeV=m * ratio, scheme=scheme), 4 * dm, 1e-12
    )
    if dm > 0:  # the closed-form inverse
        back = implications.mu_for_majorana_mass(dm, m, Lambda_MeV=m * ratio, scheme=scheme)
        assert close(back, mu_, 1e-9)


@given(
    st.sampled_from(["W184", "Ca40", "O16", "CaWO4"]),
    st.floats(min_value=1e-4, max_value=8.0),
    st.integers(min_value=1, max_value=10**6),
)
def test_just_above_threshold(target, m, ulps):
    """Up to 1e6 ulp above the production threshold (where the kernels used to loop forever)."""
    E = float(primakoff.threshold(m, target))
    for _ in range(3):
        E = float(np.nextafter(E, np.inf))
    E = E * (1.0 + ulps * 2.2e-16)
    a = radiative.photon_angle([-0.5, 0.5], E, m, target, 3e-8, n_psi=8)
    d = radiative.double_differential([0.0, 0.5 * m, 2.0 * m], [-1.0, 0.0, 1.0], E, m, target, 3e-8)
    assert finite_nonneg(a) and finite_nonneg(d)
