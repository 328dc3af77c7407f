"""Tests of radcevns.implications (neutrino-mass implications, chapter 07 of the book).

Expected values come from outside the code under test: explicit 4x4 Dirac matrices, a numerical
loop integral (scipy quad), published numbers (SM Dirac moment 3.2e-19 mu_B/eV; sterile-neutrino
X-ray line 1.38e-29 s^-1), the Bohr magneton rebuilt from SI units, and limits/scalings.
"""

import inspect
import math

import numpy as np
import pytest
from scipy import constants as sc
from scipy.integrate import quad

from radcevns import implications as imp
from radcevns.constants import ALPHA, E_CHARGE, G_FERMI, HBAR_MEV_S, M_ELECTRON, MU_B_PER_MEV, SIN2_THETA_W

TEV = 1e6  # MeV
GEV = 1e3  # MeV

# --------------------------------------------------------------------------------------------
# Explicit Dirac matrices (Dirac representation), metric (+,-,-,-)
# --------------------------------------------------------------------------------------------
_I2 = np.eye(2)
_Z2 = np.zeros((2, 2))
_PAULI = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]])]
GAMMA = [np.block([[_I2, _Z2], [_Z2, -_I2]]).astype(complex)] + [
    np.block([[_Z2, s], [-s, _Z2]]).astype(complex) for s in _PAULI
]
GAMMA5 = 1j * GAMMA[0] @ GAMMA[1] @ GAMMA[2] @ GAMMA[3]
METRIC = np.diag([1.0, -1.0, -1.0, -1.0])
ONE4 = np.eye(4)
P_L = (ONE4 - GAMMA5) / 2
P_R = (ONE4 + GAMMA5) / 2
SIGMA_UP = [[0.5j * (GAMMA[a] @ GAMMA[b] - GAMMA[b] @ GAMMA[a]) for b in range(4)] for a in range(4)]


def _slash(k_up):
    k_low = METRIC @ k_up
    return sum(GAMMA[a] * k_low[a] for a in range(4))


def _sigma_k(k_up):
    """Matrix-valued vector V^b = sigma^{ab} k_a (upper index b)."""
    k_low = METRIC @ k_up
    return [sum(SIGMA_UP[a][b] * k_low[a] for a in range(4)) for b in range(4)]


def _contract(left, right):
    """sum_b left^b right_b for two matrix-valued upper-index vectors (lowering with the metric)."""
    return sum(METRIC[b, b] * left[b] @ right[b] for b in range(4))


def _random_momenta(n=6, seed=1):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=4) * rng.uniform(0.1, 10.0) for _ in range(n)]


def test_gamma_matrices_are_a_clifford_algebra():
    for a in range(4):
        for b in range(4):
            anti = GAMMA[a] @ GAMMA[b] + GAMMA[b] @ GAMMA[a]
            np.testing.assert_allclose(anti, 2 * METRIC[a, b] * ONE4, atol=1e-14)
    np.testing.assert_allclose(GAMMA5 @ GAMMA5, ONE4, atol=1e-14)


def test_sigma_sigma_identity_gives_three_k_squared():
    """sigma^{ab} k_a sigma_{cb} k^c = 3 k^2 (the factor 3 of the one-loop Majorana mass)."""
    for k in _random_momenta():
        k2 = k @ METRIC @ k
        v = _sigma_k(k)  # v^b = sigma^{ab} k_a, and sigma_{cb} k^c = v_b
        result = _contract(v, v)
        np.testing.assert_allclose(result, 3 * k2 * ONE4, atol=1e-10 * max(1, abs(k2)))


def test_dirac_n_loop_has_no_chirality_flip_and_majorana_n_has_one():
    """Dirac N: nubar sigma P_R (kslash + m) sigma P_L nu keeps chirality (no mass);
    Majorana N (vertex sigma gamma5): the m_N part is 3 k^2 m_N times the unit matrix (a mass)."""
    m = 1.7
    for k in _random_momenta(seed=7):
        k2 = k @ METRIC @ k
        v = _sigma_k(k)
        prop = _slash(k) + m * ONE4
        dirac = _contract([x @ P_R @ prop for x in v], [x @ P_L for x in v])
        np.testing.assert_allclose(P_L @ dirac @ P_L, 0, atol=1e-10)  # no nu_L -> nu_L^c mass
        np.testing.assert_allclose(P_R @ dirac @ P_R, 0, atol=1e-10)
        assert np.max(np.abs(P_R @ dirac @ P_L)) > 1e-3 * abs(k2) * np.max(np.abs(k))  # wave function
        mass_part = _contract([x @ GAMMA5 @ (m * ONE4) for x in v], [x @ GAMMA5 for x in v])
        np.testing.assert_allclose(mass_part, 3 * k2 * m * ONE4, atol=1e-9 * max(1, abs(k2)))


def test_gauge_loop_dirac_identity_for_the_dirac_mass():
    """gamma_b kslash sigma^{ab} k_a = 3 i k^2 (used in dirac_mass_from_wilson)."""
    for k in _random_momenta(seed=3):
        k2 = k @ METRIC @ k
        v = _sigma_k(k)
        gamma_low = [METRIC[b, b] * GAMMA[b] for b in range(4)]
        result = sum(gamma_low[b] @ _slash(k) @ v[b] for b in range(4))
        np.testing.assert_allclose(result, 3j * k2 * ONE4, atol=1e-10 * max(1, abs(k2)))
    pauli_casimir = sum(s @ s / 2 for s in _PAULI)  # sum_I (tau^I/2) tau^I
    np.testing.assert_allclose(pauli_casimir, 1.5 * _I2)


# --------------------------------------------------------------------------------------------
# 1. Majorana mass loop
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("m_N", "Lambda"), [(1.0, 3.0), (1.0, 50.0), (2.0, 1e4), (0.3, 1e3)])
def test_cutoff_form_matches_numerical_loop_integral(m_N, Lambda):
    """int d^4k_E/(2pi)^4 k_E^2/(k_E^2 (k_E^2+m^2)) over |k_E| < Lambda, done with quad."""

    def integrand(log_k):  # d^4k_E = 2 pi^2 k^3 dk, k = exp(log_k)
        k = math.exp(log_k)
        return 2 * math.pi**2 * k**4 * k**2 / (k**2 * (k**2 + m_N**2))

    integral, _ = quad(integrand, math.log(Lambda) - 40, math.log(Lambda), limit=200, epsabs=0, epsrel=1e-11)
    mu_hat = 1e-8
    mu = mu_hat * MU_B_PER_MEV
    expected_ev = 3 * mu**2 * m_N * integral / (2 * math.pi) ** 4 * 1e6
    got = imp.majorana_mass_loop(m_N, mu_hat, Lambda_MeV=Lambda)
    assert got == pytest.approx(expected_ev, rel=1e-8)
    closed = math.pi**2 * (Lambda**2 - m_N**2 * math.log1p(Lambda**2 / m_N**2))
    assert integral == pytest.approx(closed, rel=1e-9)


def test_reference_numbers_majorana_loop():
    # mu = 3e-8 mu_B, m_N = 1 MeV, Lambda = 1 TeV -> 1.5 eV (chapter 07 of the book)
    assert imp.majorana_mass_loop(1.0, 3e-8, Lambda_MeV=TEV) == pytest.approx(1.5, rel=0.01)
    # 0.1 eV band: 7.7e-9 (m_N/MeV)^-1/2 (1 TeV/Lambda)
    assert imp.mu_for_majorana_mass(0.1, 1.0, Lambda_MeV=TEV) == pytest.approx(7.7e-9, rel=0.01)
    assert imp.mu_for_majorana_mass(0.1, 1.0, Lambda_MeV=0.1 * TEV) == pytest.approx(7.7e-8, rel=0.01)
    band = imp.mass_band(np.array([0.25, 1.0, 4.0]), Lambda_MeV=TEV)
    np.testing.assert_allclose(band, 7.7e-9 * np.array([2.0, 1.0, 0.5]), rtol=0.01)


def test_majorana_loop_scalings():
    mu, m, lam = 2e-8, 1.0, TEV
    base = imp.majorana_mass_loop(m, mu, Lambda_MeV=lam)
    assert imp.majorana_mass_loop(m, 3 * mu, Lambda_MeV=lam) == pytest.approx(9 * base, rel=1e-14)
    assert imp.majorana_mass_loop(2 * m, mu, Lambda_MeV=lam) == pytest.approx(2 * base, rel=1e-9)
    assert imp.majorana_mass_loop(m, mu, Lambda_MeV=2 * lam) == pytest.approx(4 * base, rel=1e-9)
    # dimreg form: cubic in m_N (times the log), no Lambda^2
    d1 = imp.majorana_mass_loop(m, mu, Lambda_MeV=lam, scheme="dimreg")
    d2 = imp.majorana_mass_loop(2 * m, mu, Lambda_MeV=lam, scheme="dimreg")
    assert d2 / d1 == pytest.approx(8 * math.log(lam**2 / 4) / math.log(lam**2), rel=1e-12)
    # the proceedings' estimate is the cut-off form without the factor 3 (Lambda >> m_N)
    assert base / imp.majorana_mass_loop(m, mu, Lambda_MeV=lam, scheme="proceedings") == pytest.approx(
        3.0, rel=1e-9
    )


@pytest.mark.parametrize(("m_N", "Lambda"), [(1.0, 10.0), (3.0, 4.0), (0.5, 1e5)])
def test_cutoff_plus_dimreg_identity(m_N, Lambda):
    """cutoff + dimreg = 3 mu^2 m_N/(16 pi^2) [Lambda^2 - m_N^2 ln(1 + m_N^2/Lambda^2)] exactly."""
    mu_hat = 1e-7
    total = imp.majorana_mass_loop(m_N, mu_hat, Lambda_MeV=Lambda) + imp.majorana_mass_loop(
        m_N, mu_hat, Lambda_MeV=Lambda, scheme="dimreg"
    )
    mu = mu_hat * MU_B_PER_MEV
    expected = 3 * mu**2 * m_N / (16 * math.pi**2) * (Lambda**2 - m_N**2 * math.log1p(m_N**2 / Lambda**2))
    assert total == pytest.approx(expected * 1e6, rel=1e-10)


def test_dirac_gives_exact_zero_with_broadcast_shape():
    out = imp.majorana_mass_loop(
        np.array([[1.0], [2.0], [3.0]]), np.array([1e-8, 3e-8]), Lambda_MeV=TEV, nature="dirac"
    )
    assert out.shape == (3, 2)
    assert np.all(out == 0.0)
    assert imp.majorana_mass_loop(1.0, 3e-8, Lambda_MeV=TEV, nature="Dirac") == 0.0


@pytest.mark.parametrize("scheme", imp.MAJORANA_SCHEMES)
def test_majorana_inverse_round_trip(scheme):
    mu = np.array([1e-10, 3e-8, 2e-6])
    m_N = np.array([0.1, 1.0, 8.0])
    lam = np.array([10.0, TEV, 1e3])
    dm = imp.majorana_mass_loop(m_N, mu, Lambda_MeV=lam, scheme=scheme)
    np.testing.assert_allclose(
        imp.mu_for_majorana_mass(dm, m_N, Lambda_MeV=lam, scheme=scheme), mu, rtol=1e-12
    )
    assert imp.mu_for_majorana_mass(0.0, 1.0, Lambda_MeV=TEV, scheme=scheme) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"mu_bohr": -1e-8}, "mu_bohr"),
        ({"m_N": -1.0}, "m_N"),
        ({"m_N": 0.0}, "m_N"),
        ({"Lambda_MeV": -5.0}, "Lambda_MeV"),
        ({"Lambda_MeV": 0.5}, "Lambda_MeV"),  # Lambda below m_N = 1 MeV
        ({"Lambda_MeV": 1.0}, "Lambda_MeV"),  # Lambda = m_N
        ({"scheme": "pauli-villars"}, "scheme"),
        ({"nature": "weyl"}, "nature"),
        ({"mu_bohr": float("nan")}, "mu_bohr"),
    ],
)
def test_majorana_loop_bad_input(kwargs, name):
    args = {"mu_bohr": 1e-8, "m_N": 1.0, "Lambda_MeV": TEV} | kwargs
    with pytest.raises(ValueError, match=name):
        imp.majorana_mass_loop(**args)


def test_inverse_bad_input():
    with pytest.raises(ValueError, match="delta_m_eV"):
        imp.mu_for_majorana_mass(-0.1, 1.0, Lambda_MeV=TEV)
    with pytest.raises(ValueError, match="Lambda_MeV"):
        imp.mass_band(np.array([1.0, 20.0]), Lambda_MeV=10.0)


# --------------------------------------------------------------------------------------------
# 2. Mixing-induced moments
# --------------------------------------------------------------------------------------------


def test_sm_dirac_moment_published_value():
    """Fujikawa & Shrock (1980): mu_nu = 3.2e-19 (m_nu/eV) mu_B."""
    assert imp.sm_dirac_magnetic_moment(1.0) == pytest.approx(3.2e-19, rel=0.01)
    np.testing.assert_allclose(imp.sm_dirac_magnetic_moment([0.0, 2.0]), [0.0, 6.4e-19], rtol=0.01)


def test_mixing_moment_reproduces_published_sterile_neutrino_xray_width():
    """Pal & Wolfenstein / Abazajian et al.: Gamma(N -> nu gamma) = 1.38e-29 s^-1 (sin^2 2theta/1e-7)
    (m/keV)^5 for a Majorana N.  Convention A: Gamma_M = mu^2 m^3 / (8 pi)."""
    m_kev_in_mev = 1e-3
    sin2_2theta = 1e-7
    theta = 0.5 * math.asin(math.sqrt(sin2_2theta))
    mu = imp.mu_from_mixing(m_kev_in_mev, theta) * MU_B_PER_MEV
    gamma_per_s = mu**2 * m_kev_in_mev**3 / (8 * math.pi) / HBAR_MEV_S
    assert gamma_per_s == pytest.approx(1.38e-29, rel=0.03)


def test_mixing_moment_conventions_and_proceedings_formula():
    m_N, theta = 4.0, 1e-3
    mu_a = imp.mu_from_mixing(m_N, theta)
    # Giunti-Studenikin mu_kj with f = 3/2 and sum U*U = theta, in Bohr magnetons (mu_B = e/2m_e)
    mu_gs = E_CHARGE * G_FERMI / (8 * math.sqrt(2) * math.pi**2) * m_N * 1.5 * theta / MU_B_PER_MEV
    assert imp.mu_from_mixing(m_N, theta, convention="giunti_studenikin") == pytest.approx(mu_gs, rel=1e-12)
    assert mu_a == pytest.approx(2 * mu_gs, rel=1e-12)
    # the often-quoted 1.6e-13 per MeV is the Giunti-Studenikin normalisation
    assert imp.mu_from_mixing(1.0, 1.0, convention="giunti_studenikin") == pytest.approx(1.6e-13, rel=0.01)
    assert imp.mu_from_mixing(1.0, -1.0) == pytest.approx(3.2e-13, rel=0.01)
    # the proceedings: ~1e-13 (m_nuN / MeV), a quarter of mu_A at m_nuN = m_N theta
    assert imp.mu_from_mass_mixing_proceedings(1.0) == pytest.approx(8.0e-14, rel=0.01)
    assert imp.mu_from_mass_mixing_proceedings(m_N * theta) == pytest.approx(mu_a / 4, rel=1e-12)
    # diagonal limit of the same loop formula = SM Dirac moment (m_k = m_j = m, sum U*U = 1)
    m_nu_mev = 1e-6
    diag = E_CHARGE * G_FERMI / (8 * math.sqrt(2) * math.pi**2) * 2 * m_nu_mev * 1.5 / MU_B_PER_MEV
    assert imp.sm_dirac_magnetic_moment(1.0) == pytest.approx(diag, rel=1e-12)
    with pytest.raises(ValueError, match="theta"):
        imp.mu_from_mixing(1.0, 1.5)
    with pytest.raises(ValueError, match="convention"):
        imp.mu_from_mixing(1.0, 0.1, convention="B")
    with pytest.raises(ValueError, match="m_N"):
        imp.mu_from_mixing(-1.0, 0.1)


# --------------------------------------------------------------------------------------------
# 3. Dimension-6 operators
# --------------------------------------------------------------------------------------------


def _bohr_magneton_per_gev_from_si():
    """mu_B in GeV^-1 rebuilt from SI (CODATA): mu_B [eV/T] / (1 T in Heaviside-Lorentz eV^2)."""
    # B_HL = B / sqrt(mu0) has units sqrt(J/m^3); 1 J/m^3 = (hbar c)^3 / (J per eV) eV^4
    hbarc_ev_m = sc.hbar * sc.c / sc.e
    tesla_in_ev2 = 1.0 / math.sqrt(sc.mu_0) * math.sqrt(hbarc_ev_m**3 / sc.e)
    mu_b_ev_per_tesla = sc.physical_constants["Bohr magneton in eV/T"][0]
    return mu_b_ev_per_tesla / tesla_in_ev2 * 1e9


def test_bohr_magneton_cross_check():
    assert MU_B_PER_MEV * 1e3 == pytest.approx(_bohr_magneton_per_gev_from_si(), rel=1e-6)


def test_lambda_MeV_for_mu_numbers():
    v_gev = 1 / math.sqrt(math.sqrt(2) * 1.1663787e-5)  # from the PDG G_F in GeV^-2
    mu_per_gev = 3e-8 * _bohr_magneton_per_gev_from_si()
    expected_gev = math.sqrt(math.sqrt(2) * v_gev / mu_per_gev)
    # the function returns MeV; the reference is worked out in GeV
    assert imp.lambda_MeV_for_mu(3e-8) == pytest.approx(expected_gev * GEV, rel=1e-6)
    assert imp.lambda_MeV_for_mu(3e-8) == pytest.approx(6.26 * TEV, rel=0.01)
    loop_c = E_CHARGE / (16 * math.pi**2)
    assert imp.lambda_MeV_for_mu(3e-8, C=loop_c) == pytest.approx(274.0 * GEV, rel=0.01)
    # an estimate of 2.0e5 GeV is what one gets reading mu in MeV^-1 as GeV^-1
    assert math.sqrt(math.sqrt(2) * v_gev / (mu_per_gev / 1e3)) == pytest.approx(2.0e5, rel=0.02)


def test_mu_from_wilson_matching_and_round_trip():
    cw, sw = math.sqrt(1 - SIN2_THETA_W), math.sqrt(SIN2_THETA_W)
    lam = np.array([1.0, 5.0, 20.0]) * TEV
    for c_nb, c_nw in [(1.0, 0.0), (0.0, 1.0), (0.3, -2.0)]:
        mu = imp.mu_from_wilson(c_nb, c_nw, Lambda_MeV=lam)
        c_eff = cw * c_nb + sw * c_nw
        np.testing.assert_allclose(imp.lambda_MeV_for_mu(np.abs(mu), C=c_eff), lam, rtol=1e-12)
    # Bell et al. normalisation: C_NB = g' C_1, C_NW = g C_2  ->  e (C_1 + C_2)
    g_prime, g = E_CHARGE / cw, E_CHARGE / sw
    c1, c2 = 0.7, -0.2
    same_e = imp.mu_from_wilson(g_prime * c1, g * c2, Lambda_MeV=3 * TEV)
    assert same_e == pytest.approx(
        imp.mu_from_wilson(E_CHARGE * (c1 + c2) / cw, 0.0, Lambda_MeV=3 * TEV), rel=1e-12
    )
    assert imp.mu_from_wilson(1.0, 0.0, Lambda_MeV=TEV) * 4 == pytest.approx(
        imp.mu_from_wilson(1.0, 0.0, Lambda_MeV=500 * GEV), rel=1e-12
    )
    with pytest.raises(ValueError, match="Lambda_MeV"):
        imp.mu_from_wilson(1.0, 0.0, Lambda_MeV=0.0)
    with pytest.raises(ValueError, match="C"):
        imp.lambda_MeV_for_mu(1e-8, C=0.0)
    with pytest.raises(ValueError, match="mu_bohr"):
        imp.lambda_MeV_for_mu(-1e-8)


def test_dirac_mass_forms_and_proceedings_number():
    lam = TEV
    # independent evaluation of each K mu Lambda^2/m_e at mu = 1e-15 mu_B, Lambda = 1 TeV
    lam_ev, me_ev = lam * 1e6, M_ELECTRON * 1e6
    bell = ALPHA / (16 * math.pi) * lam_ev**2 / me_ev * 1e-15
    assert imp.dirac_mass_from_moment(1e-15, Lambda_MeV=lam, form="bell") == pytest.approx(bell, rel=1e-12)
    assert imp.dirac_mass_from_moment(1e-15, Lambda_MeV=lam, form="naive") == pytest.approx(
        lam_ev**2 / (2 * me_ev) * 1e-15, rel=1e-12
    )
    # in natural units the Bell-type estimate is e mu Lambda^2 / (32 pi^2)
    mu_ev = 1e-15 * MU_B_PER_MEV * 1e-6
    assert bell == pytest.approx(E_CHARGE * mu_ev * lam_ev**2 / (32 * math.pi**2), rel=1e-12)
    assert imp.dirac_mass_from_moment(1e-15, Lambda_MeV=lam, form="proceedings") == pytest.approx(
        1.0, rel=1e-12
    )
    # the proceedings / talk: |mu|/mu_B ~ 1e-15 (delta m/eV) at 1 TeV; the hypercharge loop gives 0.89e-15
    hyper = imp.mu_for_dirac_mass(1.0, Lambda_MeV=lam, form="hypercharge")
    assert hyper == pytest.approx(8.9e-16, rel=0.01)
    assert 0.5 < hyper / 1e-15 < 2.0
    assert imp.mu_for_dirac_mass(1.0, Lambda_MeV=lam, form="bell") == pytest.approx(3.5e-15, rel=0.01)
    assert imp.mu_for_dirac_mass(1.0, Lambda_MeV=lam, form="naive") == pytest.approx(1.0e-18, rel=0.03)
    ratio = imp.mu_for_dirac_mass(1.0, Lambda_MeV=lam, form="hypercharge") / imp.mu_for_dirac_mass(
        1.0, Lambda_MeV=lam, form="weak"
    )
    assert ratio == pytest.approx(3 * (1 - SIN2_THETA_W) / SIN2_THETA_W, rel=1e-12)


def test_dirac_mass_from_wilson_consistent_with_moment_forms():
    for lam in [300.0 * GEV, TEV, 100 * TEV]:
        for c, form in [((1.0, 0.0), "hypercharge"), ((0.0, -2.0), "weak")]:
            mu = abs(imp.mu_from_wilson(*c, Lambda_MeV=lam))
            assert imp.dirac_mass_from_wilson(*c) == pytest.approx(
                imp.dirac_mass_from_moment(mu, Lambda_MeV=lam, form=form), rel=1e-12
            )
    # the hard-cut-off Yukawa cancels for C_NB / C_NW = 3 g / g' (while mu does not vanish)
    cw, sw = math.sqrt(1 - SIN2_THETA_W), math.sqrt(SIN2_THETA_W)
    c_nb = 3 * (E_CHARGE / sw) / (E_CHARGE / cw)
    assert imp.dirac_mass_from_wilson(c_nb, 1.0) == pytest.approx(0.0, abs=1e-6)
    assert abs(imp.mu_from_wilson(c_nb, 1.0, Lambda_MeV=TEV)) > 0


def test_dirac_mass_scalings_round_trip_and_bad_input():
    mu = np.array([1e-16, 1e-12, 3e-8])
    lam = np.array([[300.0], [1e4]]) * GEV
    for form in imp.DIRAC_MASS_FORMS:
        dm = imp.dirac_mass_from_moment(mu, Lambda_MeV=lam, form=form)
        assert dm.shape == (2, 3)
        np.testing.assert_allclose(dm[1] / dm[0], (1e4 / 300.0) ** 2, rtol=1e-12)
        np.testing.assert_allclose(dm[:, 2] / dm[:, 1], 3e4, rtol=1e-12)
        np.testing.assert_allclose(
            imp.mu_for_dirac_mass(dm, Lambda_MeV=lam, form=form), np.broadcast_to(mu, dm.shape), rtol=1e-12
        )
    with pytest.raises(ValueError, match="form"):
        imp.dirac_mass_from_moment(1e-15, Lambda_MeV=TEV, form="magic")
    with pytest.raises(ValueError, match="mu_bohr"):
        imp.dirac_mass_from_moment(-1e-15, Lambda_MeV=TEV)
    with pytest.raises(ValueError, match="Lambda_MeV"):
        imp.mu_for_dirac_mass(1.0, Lambda_MeV=-TEV)
    with pytest.raises(ValueError, match="delta_m_eV"):
        imp.mu_for_dirac_mass(-1.0, Lambda_MeV=TEV)


def test_scalars_come_back_as_floats():
    assert isinstance(imp.majorana_mass_loop(1.0, 3e-8, Lambda_MeV=TEV), float)
    assert isinstance(imp.mu_from_wilson(1.0, 0.0, Lambda_MeV=TEV), float)
    assert isinstance(imp.dirac_mass_from_wilson(1.0, 0.0), float)


def test_one_name_and_one_unit_for_the_scale():
    """Every public function that takes the new-physics scale calls it ``Lambda_MeV`` (keyword-only, MeV)."""
    takes_scale = {
        name
        for name in imp.__all__
        if callable(getattr(imp, name))
        and any(p.lower().startswith("lambda") for p in inspect.signature(getattr(imp, name)).parameters)
    }
    assert takes_scale == {
        "majorana_mass_loop",
        "mu_for_majorana_mass",
        "mass_band",
        "mu_from_wilson",
        "dirac_mass_from_moment",
        "mu_for_dirac_mass",
    }
    for name in takes_scale:
        params = inspect.signature(getattr(imp, name)).parameters
        assert [p for p in params if p.lower().startswith("lambda")] == ["Lambda_MeV"], name
        assert params["Lambda_MeV"].kind is inspect.Parameter.KEYWORD_ONLY, name
    # the former names fail loudly instead of silently meaning another unit
    with pytest.raises(TypeError, match="Lambda_GeV"):
        imp.mu_from_wilson(1.0, 0.0, Lambda_GeV=1e3)
    with pytest.raises(TypeError, match="Lambda"):
        imp.majorana_mass_loop(1.0, 3e-8, Lambda=TEV)
    assert not hasattr(imp, "lambda_for_mu")
