"""Tests of radcevns.amplitudes (explicit-spinor matrix elements).

Expected values never come from the module under test: the analytic formulas (dsigma/dE_R, P_L, P_T, the
width, the decay distribution and the narrow-width factorisation; chapters 02-03 of the book) are typed in here, the kinematics is built here, and a second numerical method
(numpy traces with Dirac-representation gamma matrices and the -g photon polarisation sum) is written here.
"""

import math

import numpy as np
import pytest
from scipy import integrate

from radcevns import amplitudes as am
from radcevns.constants import ALPHA

E_CH = math.sqrt(4.0 * math.pi * ALPHA)

# (E_nu, m_N, M) in MeV: the check points of chapter 02 plus nuclear targets
REFERENCE_POINTS = [(10.0, 6.0, 30.0), (10.0, 1.0, 5.0), (3.0, 2.0, 2.5e4), (5.0, 1.0, 1.71e5)]
NUCLEAR_POINTS = [(8.0, 0.5, 15000.0), (5.0, 3.0, 37000.0), (4.0, 0.05, 171000.0), (9.5, 9.0, 25000.0)]


# --------------------------------------------------------------------------------------------------
# formulas typed from chapters 02-03 of the book
# --------------------------------------------------------------------------------------------------
def k_factor(E, ER, m, M):
    """K of the exact dsigma/dE_R."""
    return (
        8 * E**2 * ER * M
        - 8 * E * ER**2 * M
        - 4 * E * ER * m**2
        + 2 * ER**3 * M
        + ER**2 * m**2
        - 2 * ER * M * m**2
        - m**4
    )


def dsigma_dER_S23(E, ER, m, M, Z, mu, F=1.0):
    """Exact dsigma/dE_R in MeV^-3 (mu in MeV^-1)."""
    return ALPHA * Z**2 * mu**2 * F**2 * k_factor(E, ER, m, M) / (8 * E**2 * ER**2 * M)


def polarisation_S28_S29(E, ER, m, M):
    """(P_L, P_T) of (P_L, P_T)."""
    EN = E - ER
    pN = math.sqrt(EN**2 - m**2)
    K = k_factor(E, ER, m, M)
    NL = (
        8 * E**3 * ER * M
        - 16 * E**2 * ER**2 * M
        - 4 * E**2 * ER * m**2
        + 10 * E * ER**3 * M
        + 3 * E * ER**2 * m**2
        - 6 * E * ER * M * m**2
        - E * m**4
        - 2 * ER**4 * M
        - ER**3 * m**2
        + 2 * ER**2 * M * m**2
        + ER * m**4
    )
    W = (
        8 * E**2 * ER * M
        - 8 * E * ER**2 * M
        - 4 * E * ER * m**2
        - 4 * ER**2 * M**2
        - 4 * ER * M * m**2
        - m**4
    )
    return NL / (pN * K), m * (2 * E * ER - ER**2 + m**2) * math.sqrt(W) / (pN * K)


def recoil_range_S26(E, m, M):
    """Exact recoil range (E_R^min, E_R^max) in MeV."""
    root = E * math.sqrt((2 * M * E - m**2) ** 2 - 4 * m**2 * M**2)
    base = 2 * M * E**2 - m**2 * (E + M)
    den = 2 * M * (2 * E + M)
    return (base - root) / den, (base + root) / den


def width_dirac(mu, m):
    """Width: Gamma_D(N -> nu gamma) = mu^2 m^3 / (16 pi), natural units."""
    return mu**2 * m**3 / (16 * math.pi)


# --------------------------------------------------------------------------------------------------
# kinematics built in the test
# --------------------------------------------------------------------------------------------------
def lab_kinematics(E, ER, mass_k2, M, phi=0.0):
    """k1, k2, p1, p2 (lab, beam along +z) for nu A -> X A with X of mass mass_k2 (chapter 02)."""
    EN = E - ER
    pN = math.sqrt(EN**2 - mass_k2**2)
    # cos(theta_N) = (E^2 + pN^2 - ER^2 - 2 M ER) / (2 E pN), written as 1 - c without cancellation
    e_minus_p = (2 * E * ER - ER**2 + mass_k2**2) / (E + pN)
    one_minus_c = (2 * M * ER + ER**2 - e_minus_p**2) / (2 * E * pN)
    cos_n = 1.0 - one_minus_c
    sin_n = math.sqrt(max(0.0, one_minus_c * (2.0 - one_minus_c)))
    k1 = np.array([E, 0.0, 0.0, E])
    k2 = np.array([EN, pN * sin_n * math.cos(phi), pN * sin_n * math.sin(phi), pN * cos_n])
    p1 = np.array([M, 0.0, 0.0, 0.0])
    p2 = p1 + k1 - k2
    return k1, k2, p1, p2


def pure_boost(vectors, velocity):
    """Boost four-vectors (n, 4) by the velocity three-vector (pure boost, passive convention inverse)."""
    beta = np.linalg.norm(velocity)
    if beta == 0:
        return vectors.copy()
    bhat = velocity / beta
    gam = 1.0 / math.sqrt(1 - beta**2)
    e0 = vectors[:, 0]
    p = vectors[:, 1:]
    pl = p @ bhat
    e1 = gam * (e0 + beta * pl)
    p1 = p + ((gam - 1) * pl + gam * beta * e0)[:, None] * bhat
    return np.column_stack([e1, p1])


def decay_products(k2, directions):
    """Photon and neutrino four-momenta for k2 -> nu gamma with photon along `directions` (unit, k2 rest frame
    reached by a pure boost along k2)."""
    mass = math.sqrt(k2[0] ** 2 - k2[1:] @ k2[1:])
    n = len(directions)
    rest_g = np.column_stack([np.full(n, mass / 2), mass / 2 * directions])
    rest_nu = np.column_stack([np.full(n, mass / 2), -mass / 2 * directions])
    velocity = k2[1:] / k2[0]
    return pure_boost(rest_nu, velocity), pure_boost(rest_g, velocity)


def random_directions(rng, n):
    v = rng.normal(size=(n, 3))
    return v / np.linalg.norm(v, axis=1)[:, None]


def inside_range(rng, E, m, M, n, margin=1e-3):
    """n recoil energies log-uniform strictly inside the kinematic range."""
    lo, hi = recoil_range_S26(E, m, M)
    u = rng.uniform(margin, 1 - margin, n)
    return lo * (hi / lo) ** u


# --------------------------------------------------------------------------------------------------
# 2 -> 2
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("E", "m", "M"), REFERENCE_POINTS + NUCLEAR_POINTS)
@pytest.mark.parametrize("beam", ["nu", "nubar"])
def test_upscattering_cross_section_matches_S23(E, m, M, beam):
    rng = np.random.default_rng(11)
    Z, mu, F = 7.0, 0.37, 0.83
    for ER in inside_range(rng, E, m, M, 6):
        k1, k2, p1, p2 = lab_kinematics(E, ER, m, M, phi=rng.uniform(0, 2 * np.pi))
        msq = am.msq_upscattering(k1, k2, p1, p2, m, Z, mu, form_factor=F, beam=beam)
        # dsigma/dt = |M|^2 / (16 pi (s - M^2)^2), s - M^2 = 2 M E, dE_R = -dt / (2M)
        dsig = msq[0] / (32 * math.pi * M * E**2)
        assert dsig == pytest.approx(dsigma_dER_S23(E, ER, m, M, Z, mu, F), rel=1e-9)


def test_upscattering_vectorised_and_broadcast():
    rng = np.random.default_rng(3)
    E, m, M = 6.0, 2.0, 37000.0
    ers = inside_range(rng, E, m, M, 5)
    kins = [lab_kinematics(E, er, m, M, phi=0.4) for er in ers]
    k1 = kins[0][0]  # same beam vector for every event: broadcast (4,) against (n, 4)
    k2 = np.array([k[1] for k in kins])
    p1 = kins[0][2]
    p2 = np.array([k[3] for k in kins])
    msq = am.msq_upscattering(k1, k2, p1, p2, m, 20.0, 0.1, form_factor=np.linspace(0.9, 1.0, 5))
    expected = [
        dsigma_dER_S23(E, er, m, M, 20.0, 0.1, f) for er, f in zip(ers, np.linspace(0.9, 1.0, 5), strict=True)
    ]
    np.testing.assert_allclose(msq / (32 * math.pi * M * E**2), expected, rtol=1e-9)
    assert msq.shape == (5,)


@pytest.mark.parametrize(("E", "m", "M"), REFERENCE_POINTS + NUCLEAR_POINTS)
def test_polarisation_matches_S28_S29(E, m, M):
    rng = np.random.default_rng(5)
    for ER in inside_range(rng, E, m, M, 5):
        phi = rng.uniform(0, 2 * np.pi)
        k1, k2, p1, p2 = lab_kinematics(E, ER, m, M, phi=phi)
        pol = am.upscattering_polarisation(k1, k2, p1, p2, m)
        p_l, p_t, p_n = am.polarisation_components(pol, k1, k2)
        exp_l, exp_t = polarisation_S28_S29(E, ER, m, M)
        assert p_l[0] == pytest.approx(exp_l, rel=1e-8, abs=1e-9)
        assert p_t[0] == pytest.approx(exp_t, rel=1e-8, abs=1e-9)
        assert abs(p_n[0]) < 1e-9
        assert exp_l**2 + exp_t**2 == pytest.approx(1.0, rel=1e-9)  # pure state, formulas alone
        assert np.linalg.norm(pol[0]) == pytest.approx(1.0, rel=1e-10)
        # antineutrino beam: Nbar carries the opposite polarisation (chapter 03)
        pol_bar = am.upscattering_polarisation(k1, k2, p1, p2, m, beam="nubar")
        np.testing.assert_allclose(pol_bar, -pol, atol=1e-9)
        # helicity-basis density matrix: rho_{++} = (1 + P_L)/2, pure state (det = 0)
        rho = am.upscattering_spin_density(k1, k2, p1, p2, m)[0]
        assert rho[0, 0].real == pytest.approx((1 + exp_l) / 2, abs=1e-9)
        assert abs(np.linalg.det(rho)) < 1e-9
        assert abs(rho[0, 1]) == pytest.approx(abs(exp_t) / 2, abs=1e-9)


def test_spin_projected_upscattering_sums_to_total():
    rng = np.random.default_rng(8)
    E, m, M = 5.0, 3.0, 37000.0
    ER = inside_range(rng, E, m, M, 1)[0]
    k1, k2, p1, p2 = lab_kinematics(E, ER, m, M, phi=1.0)
    total = am.msq_upscattering(k1, k2, p1, p2, m, 20, 0.2)[0]
    pol = am.upscattering_polarisation(k1, k2, p1, p2, m)[0]
    dirs = random_directions(rng, 7)
    up = am.msq_upscattering(np.tile(k1, (7, 1)), k2, p1, p2, m, 20, 0.2, n_spin=dirs)
    down = am.msq_upscattering(np.tile(k1, (7, 1)), k2, p1, p2, m, 20, 0.2, n_spin=-dirs)
    np.testing.assert_allclose(up + down, total, rtol=1e-12)
    np.testing.assert_allclose(up, total * (1 + dirs @ pol) / 2, rtol=1e-9, atol=1e-12 * total)
    # along the polarisation itself the whole rate is in one state
    assert am.msq_upscattering(k1, k2, p1, p2, m, 20, 0.2, n_spin=pol)[0] == pytest.approx(total, rel=1e-10)


def test_polarisation_limits_at_recoil_edges():
    """P_L = -1 at E_R^min (collinear N keeps J_z = -1/2), chapter 02."""
    E, m, M = 5.0, 1.0, 171000.0
    lo, hi = recoil_range_S26(E, m, M)
    k1, k2, p1, p2 = lab_kinematics(E, lo * (1 + 1e-9), m, M)
    p_l, _, _ = am.polarisation_components(am.upscattering_polarisation(k1, k2, p1, p2, m), k1, k2)
    assert p_l[0] == pytest.approx(-1.0, abs=1e-3)


# --------------------------------------------------------------------------------------------------
# N -> nu gamma alone
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("parent", "final", "alpha"),
    [("N", "nu", -1.0), ("N", "nubar", +1.0), ("Nbar", "nubar", +1.0), ("Nbar", "nu", -1.0)],
)
def test_decay_angular_distribution_S32(parent, final, alpha):
    m, mu = 1.3, 0.7
    k_n = np.array([m, 0, 0, 0.0])
    cosines = np.array([1.0, 0.0, -1.0])
    sines = np.sqrt(1 - cosines**2)
    kg = m / 2 * np.column_stack([np.ones(3), sines, np.zeros(3), cosines])
    knu = m / 2 * np.column_stack([np.ones(3), -sines, np.zeros(3), -cosines])
    msq = am.msq_decay(k_n, knu, kg, m, mu, n_spin=[0, 0, 1], parent=parent, final=final)
    expected = 1 + alpha * cosines  # nu_L gamma: (0, 1, 2); the others reversed
    np.testing.assert_allclose(msq / msq[1], expected, atol=1e-13)


@pytest.mark.parametrize(("parent", "final"), [("N", "nu"), ("N", "nubar"), ("Nbar", "nubar")])
@pytest.mark.parametrize("polarised", [True, False])
def test_decay_width_S31(parent, final, polarised):
    """Gamma = (1/2m) int |M|^2 dOmega / (32 pi^2) equals mu^2 m^3 / (16 pi) per channel, also for a moving N."""
    m, mu = 2.2, 0.31
    xg, wg = np.polynomial.legendre.leggauss(8)
    nphi = 6
    phis = 2 * np.pi * (np.arange(nphi) + 0.5) / nphi
    cos_t, phi = np.meshgrid(xg, phis, indexing="ij")
    weights = np.repeat(wg, nphi) * (2 * np.pi / nphi)
    sin_t = np.sqrt(1 - cos_t.ravel() ** 2)
    dirs = np.column_stack([sin_t * np.cos(phi.ravel()), sin_t * np.sin(phi.ravel()), cos_t.ravel()])
    k_n = np.array([m, 0, 0, 0.0])
    k_nu, k_g = decay_products(k_n, dirs)
    spin = [0.6, 0.0, 0.8] if polarised else None
    msq = am.msq_decay(k_n, k_nu, k_g, m, mu, n_spin=spin, parent=parent, final=final)
    width = (weights @ msq) / (32 * np.pi**2) / (2 * m)
    assert width == pytest.approx(width_dirac(mu, m), rel=1e-12)
    # |M|^2 is Lorentz invariant: a moving N (pure boost) gives the same values at the same rest-frame angles
    k_moving = pure_boost(k_n[None, :], np.array([0.3, -0.5, 0.2]))[0]
    k_nu2, k_g2 = decay_products(k_moving, dirs)
    msq2 = am.msq_decay(k_moving, k_nu2, k_g2, m, mu, n_spin=spin, parent=parent, final=final)
    np.testing.assert_allclose(msq2, msq, rtol=1e-10, atol=1e-12 * msq.max())


# --------------------------------------------------------------------------------------------------
# 2 -> 3 at fixed (E_nu, E_R): factorisation (narrow-width factorisation)
# --------------------------------------------------------------------------------------------------
# (nature, beam, alpha relative to the nu-beam polarisation P): Nbar carries -P and decays with alpha = +1
FACTORISATION_CASES = [
    ("dirac", "nu", -1.0),
    ("dirac", "nubar", -1.0),
    ("majorana", "nu", 0.0),
    ("majorana", "nubar", 0.0),
    ("majorana-lnv", "nu", +1.0),
    ("majorana-lnc", "nu", -1.0),
    ("majorana-lnv", "nubar", +1.0),
]


@pytest.mark.parametrize(("nature", "beam", "alpha"), FACTORISATION_CASES)
@pytest.mark.parametrize(("E", "m", "M"), [(10.0, 6.0, 30.0), (5.0, 1.0, 37000.0), (3.0, 2.0, 2.5e4)])
def test_radiative_factorises_on_shell(nature, beam, alpha, E, m, M):
    rng = np.random.default_rng(21)
    Z, F, mu_p, mu_d, width = 20.0, 0.9, 0.5, 0.2, 1e-3 * m
    for ER in inside_range(rng, E, m, M, 2, margin=0.05):
        k1, k2, p1, p2 = lab_kinematics(E, ER, m, M, phi=rng.uniform(0, 2 * np.pi))
        p_l, p_t = polarisation_S28_S29(E, ER, m, M)
        khat = k2[1:] / np.linalg.norm(k2[1:])
        e_theta = (khat * khat[2] - np.array([0, 0, 1.0])) / math.sqrt(1 - khat[2] ** 2)
        pol = p_l * khat + p_t * e_theta
        dirs = random_directions(rng, 40)
        k3, kg = decay_products(k2, dirs)
        msq = am.msq_radiative(
            k1, k3, kg, p1, p2, m, width, Z, mu_p, mu_d, nature=nature, beam=beam, form_factor=F
        )
        ratio = msq / (1 + alpha * dirs @ pol)
        # the constant: spin-summed |M_2to2|^2 x spin-averaged |M_decay|^2 (mu^2 m^4, from the width) / (m Gamma)^2
        t = -2 * M * ER
        msq_22 = mu_p**2 * Z**2 * E_CH**2 * F**2 * 4 * M**2 * k_factor(E, ER, m, M) / t**2
        n_channels = 2 if nature == "majorana" else 1
        constant = n_channels * msq_22 * mu_d**2 * m**4 / (m * width) ** 2
        np.testing.assert_allclose(ratio, constant, rtol=1e-6)


def test_majorana_channels_equal_after_angular_integration():
    """LNV and LNC parts, integrated over photon directions, are equal (ratio exactly 1)."""
    E, m, M = 6.0, 2.5, 30000.0
    xg, wg = np.polynomial.legendre.leggauss(4)
    phis = 2 * np.pi * (np.arange(5) + 0.5) / 5
    cos_t, phi = np.meshgrid(xg, phis, indexing="ij")
    w = np.repeat(wg, 5)
    sin_t = np.sqrt(1 - cos_t.ravel() ** 2)
    dirs = np.column_stack([sin_t * np.cos(phi.ravel()), sin_t * np.sin(phi.ravel()), cos_t.ravel()])
    rng = np.random.default_rng(4)
    for beam in ("nu", "nubar"):
        for ER in inside_range(rng, E, m, M, 3):
            k1, k2, p1, p2 = lab_kinematics(E, ER, m, M, phi=0.7)
            # include a slightly off-shell N: the statement holds on shell, check near it
            k3, kg = decay_products(k2, dirs)
            args = (k1, k3, kg, p1, p2, m, 1e-3, 74, 0.3, 0.3)
            lnc = w @ am.msq_radiative(*args, nature="majorana-lnc", beam=beam)
            lnv = w @ am.msq_radiative(*args, nature="majorana-lnv", beam=beam)
            both = w @ am.msq_radiative(*args, nature="majorana", beam=beam)
            dirac = w @ am.msq_radiative(*args, nature="dirac", beam=beam)
            assert lnv / lnc == pytest.approx(1.0, rel=1e-12)
            assert both == pytest.approx(lnc + lnv, rel=1e-13)
            assert dirac == pytest.approx(lnc, rel=1e-13)


# --------------------------------------------------------------------------------------------------
# 2 -> 3 integrated over the 3-body phase space vs sigma(nu A -> N A) x BR
# --------------------------------------------------------------------------------------------------
def sigma_22_S23(E, m, M, Z, mu):
    """Integral of the exact dsigma/dE_R over E_R (F = 1), MeV^-2; checked against the closed form."""
    lo, hi = recoil_range_S26(E, m, M)
    val, _ = integrate.quad(
        lambda x: math.exp(x) * dsigma_dER_S23(E, math.exp(x), m, M, Z, mu),
        math.log(lo),
        math.log(hi),
        epsabs=0,
        epsrel=1e-12,
        limit=200,
    )
    a = 1 - m**2 / (2 * E * M) - m**2 / (4 * E**2)
    b = -1 / E + m**2 / (8 * E**2 * M)
    closed = (
        a * math.log(hi / lo)
        + b * (hi - lo)
        + (hi**2 - lo**2) / (8 * E**2)
        - m**4 / (8 * E**2 * M) * (1 / lo - 1 / hi)
    ) * (ALPHA * Z**2 * mu**2)
    assert val == pytest.approx(closed, rel=1e-9)
    return val


def boost_rows(vectors, velocities):
    """Pure boost of each row of `vectors` (n, 4) by its own velocity (n, 3)."""
    beta = np.linalg.norm(velocities, axis=1)
    bhat = velocities / beta[:, None]
    gam = 1.0 / np.sqrt(1 - beta**2)
    e0 = vectors[:, 0]
    pl = np.sum(vectors[:, 1:] * bhat, axis=1)
    e1 = gam * (e0 + beta * pl)
    p1 = vectors[:, 1:] + ((gam - 1) * pl + gam * beta * e0)[:, None] * bhat
    return np.column_stack([e1, p1])


def sigma_23_numerical(E, m, M, Z, mu_p, mu_d, width, nature, beam, n_bw=48, n_er=48):
    """sigma(nu A -> nu A gamma) = 1/(4 M E) int dE_R/(8 pi E) ds2/(2 pi) dOmega*/(32 pi^2) |M|^2.

    s2 = k2^2 is sampled with the Breit-Wigner map s2 = m^2 + m Gamma tan(theta) (Gauss-Legendre in theta over
    s2 in [m^2/2, 3 m^2/2]), E_R with Gauss-Legendre in ln E_R over the range for a k2 of mass sqrt(s2), the
    photon direction in the k2 rest frame (pure boost) with a 4 x 4 product rule.
    """
    xg, wg = np.polynomial.legendre.leggauss(4)
    phis = 2 * np.pi * (np.arange(4) + 0.5) / 4
    cos_t, phi = np.meshgrid(xg, phis, indexing="ij")
    w_dir = np.repeat(wg, 4) * (2 * np.pi / 4)
    sin_t = np.sqrt(1 - cos_t.ravel() ** 2)
    dirs = np.column_stack([sin_t * np.cos(phi.ravel()), sin_t * np.sin(phi.ravel()), cos_t.ravel()])
    th_lo = math.atan((0.5 * m**2 - m**2) / (m * width))
    th_hi = math.atan((1.5 * m**2 - m**2) / (m * width))
    xt, wt = np.polynomial.legendre.leggauss(n_bw)
    xe, we = np.polynomial.legendre.leggauss(n_er)
    rows, weights = [], []
    for x_th, w_th in zip(xt, wt, strict=True):
        theta = 0.5 * (th_hi + th_lo) + 0.5 * (th_hi - th_lo) * x_th
        s2 = m**2 + m * width * math.tan(theta)
        # ds2 / |D|^2 = dtheta / (m Gamma): multiply |M|^2 by |D|^2 / (m Gamma)
        d2 = (s2 - m**2) ** 2 + (m * width) ** 2
        jac_th = 0.5 * (th_hi - th_lo) * w_th * d2 / (m * width)
        mass = math.sqrt(s2)
        lo, hi = recoil_range_S26(E, mass, M)
        for x_e, w_e in zip(xe, we, strict=True):
            ER = lo * (hi / lo) ** (0.5 * (1 + x_e))
            jac_e = 0.5 * math.log(hi / lo) * w_e * ER
            rows.append(lab_kinematics(E, ER, mass, M, phi=0.3))
            weights.append(jac_th * jac_e)
    k1, k2, p1, p2 = (np.repeat(np.array(col), len(dirs), axis=0) for col in zip(*rows, strict=True))
    mass = np.sqrt(k2[:, 0] ** 2 - np.sum(k2[:, 1:] ** 2, axis=1))
    all_dirs = np.tile(dirs, (len(rows), 1))
    velocity = k2[:, 1:] / k2[:, :1]
    kg = boost_rows(np.column_stack([mass / 2, mass[:, None] / 2 * all_dirs]), velocity)
    k3 = boost_rows(np.column_stack([mass / 2, -mass[:, None] / 2 * all_dirs]), velocity)
    msq = am.msq_radiative(k1, k3, kg, p1, p2, m, width, Z, mu_p, mu_d, nature=nature, beam=beam)
    total = np.asarray(weights) @ (msq.reshape(len(rows), len(dirs)) @ w_dir)
    return total / (4 * M * E) / (8 * math.pi * E) / (2 * math.pi) / (32 * math.pi**2)


@pytest.mark.parametrize(
    ("nature", "beam", "E", "m", "M", "gamma_over_m"),
    [
        ("dirac", "nu", 5.0, 1.0, 37000.0, 1e-4),
        ("dirac", "nubar", 8.0, 4.0, 15000.0, 1e-5),
        ("majorana", "nu", 10.0, 6.0, 30.0, 1e-4),
        ("majorana-lnv", "nubar", 5.0, 1.0, 37000.0, 1e-4),
    ],
)
def test_radiative_integrates_to_sigma_times_br(nature, beam, E, m, M, gamma_over_m):
    Z, mu_p = 20.0, 0.05
    # choose mu_decay so that the Dirac width is gamma_over_m * m; Majorana total width is twice that
    mu_d = math.sqrt(16 * math.pi * gamma_over_m * m / m**3)
    gamma_d = width_dirac(mu_d, m)
    assert gamma_d == pytest.approx(gamma_over_m * m, rel=1e-12)
    total_width = gamma_d if nature == "dirac" else 2 * gamma_d
    branching = 1.0 if nature in ("dirac", "majorana") else 0.5
    expected = sigma_22_S23(E, m, M, Z, mu_p) * branching
    got = sigma_23_numerical(E, m, M, Z, mu_p, mu_d, total_width, nature, beam)
    print(f"sigma_3 / (sigma_2 BR) - 1 = {got / expected - 1:.2e}")
    # the remaining difference is O(Gamma/m): mostly the Breit-Wigner tails cut at |s2 - m^2| = m^2/2
    assert got == pytest.approx(expected, rel=5 * gamma_over_m)


# --------------------------------------------------------------------------------------------------
# Lorentz invariance and an independent trace evaluation
# --------------------------------------------------------------------------------------------------
def random_three_body(rng, E, m, M, n):
    """Generic (off-shell N) 2 -> 3 kinematics in the lab: k1, k3, kg, p1, p2 arrays of shape (n, 4)."""
    rows = []
    for _ in range(n):
        mass = m * rng.uniform(0.9, 1.1)
        ER = inside_range(rng, E, mass, M, 1)[0]
        k1, k2, p1, p2 = lab_kinematics(E, ER, mass, M, phi=rng.uniform(0, 2 * np.pi))
        k3, kg = decay_products(k2, random_directions(rng, 1))
        rows.append((k1, k3[0], kg[0], p1, p2))
    return [np.array(col) for col in zip(*rows, strict=True)]


def random_lorentz_transformation(rng, beta_max=0.8):
    """A boost of random velocity (|beta| <= beta_max) followed by a random rotation, as a function on (n, 4)."""
    velocity = random_directions(rng, 1)[0] * rng.uniform(0.1, beta_max)
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    if np.linalg.det(q) < 0:
        q[:, 0] *= -1

    def apply(v):
        b = pure_boost(v, velocity)
        return np.column_stack([b[:, 0], b[:, 1:] @ q.T])

    return apply


@pytest.mark.parametrize(("E", "m", "M"), [(10.0, 6.0, 30.0), (5.0, 1.0, 37000.0), (3.0, 2.0, 2.5e4)])
def test_lorentz_invariance(E, m, M):
    rng = np.random.default_rng(99)
    k1, k3, kg, p1, p2 = random_three_body(rng, E, m, M, 8)
    for _ in range(3):
        lt = random_lorentz_transformation(rng)
        for nature in am.RADIATIVE_NATURES:
            for beam in ("nu", "nubar"):
                args = (m, 0.01 * m, 20, 0.3, 0.2)
                lab = am.msq_radiative(k1, k3, kg, p1, p2, *args, nature=nature, beam=beam)
                boosted = am.msq_radiative(
                    lt(k1), lt(k3), lt(kg), lt(p1), lt(p2), *args, nature=nature, beam=beam
                )
                np.testing.assert_allclose(boosted, lab, rtol=1e-10)
        # 2 -> 2 in the CM frame and a random frame
        k2 = k3 + kg
        mass = np.sqrt(k2[:, 0] ** 2 - np.sum(k2[:, 1:] ** 2, axis=1))
        lab22 = am.msq_upscattering(k1, k2, p1, p2, mass, 20, 0.3)
        moved = am.msq_upscattering(lt(k1), lt(k2), lt(p1), lt(p2), mass, 20, 0.3)
        np.testing.assert_allclose(moved, lab22, rtol=1e-10)
    total = k1 + p1
    to_cm = lambda v: pure_boost(v, -total[0, 1:] / total[0, 0])  # noqa: E731
    cm = am.msq_radiative(to_cm(k1), to_cm(k3), to_cm(kg), to_cm(p1), to_cm(p2), m, 0.01 * m, 20, 0.3, 0.2)
    np.testing.assert_allclose(
        cm, am.msq_radiative(k1, k3, kg, p1, p2, m, 0.01 * m, 20, 0.3, 0.2), rtol=1e-10
    )


def _dirac_rep_gammas():
    pauli = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]])]
    z, one = np.zeros((2, 2)), np.eye(2)
    g = [np.block([[one, z], [z, -one]]).astype(complex)]
    g += [np.block([[z, s], [-s, z]]).astype(complex) for s in pauli]
    g5 = 1j * g[0] @ g[1] @ g[2] @ g[3]
    return np.array(g), g5


def msq_radiative_by_traces(k1, k3, kg, p1, p2, m, width, coupling, beam, channel):
    """Spin sums as traces (Sum u ubar = kslash for massless legs) and Sum eps eps* = -g (gauge-invariant vertex)."""
    g, g5 = _dirac_rep_gammas()
    metric = np.diag([1.0, -1, -1, -1])
    pl, pr = (np.eye(4) - g5) / 2, (np.eye(4) + g5) / 2
    sl = lambda v: np.einsum("mij,m->ij", g, metric @ v)  # noqa: E731
    sig = lambda a, b: 0.5j * (sl(a) @ sl(b) - sl(b) @ sl(a))  # noqa: E731
    bar = lambda mat: g[0] @ mat.conj().T @ g[0]  # noqa: E731
    out = []
    for a1, a3, ag, b1, b2 in zip(k1, k3, kg, p1, p2, strict=True):
        k2 = a3 + ag
        q = k2 - a1
        t = q @ metric @ q
        s2 = k2 @ metric @ k2
        amat = sig(q, b1 + b2)
        total = 0.0
        for lam in range(4):
            eps = np.zeros(4)
            eps[lam] = 1.0
            bmat = sig(-ag, eps)
            if beam == "nu":
                proj = pr if channel == "lnc" else pl
                gam = bmat @ proj @ (sl(k2) + m * np.eye(4)) @ amat @ pl
                tr = np.trace(gam @ sl(a1) @ bar(gam) @ sl(a3))
            else:
                proj = pl if channel == "lnc" else pr
                gam = amat @ pr @ (-sl(k2) + m * np.eye(4)) @ bmat @ proj
                tr = np.trace(gam @ sl(a3) @ bar(gam) @ sl(a1))
            total += -metric[lam, lam] * tr.real
        out.append(total * coupling**2 / (t**2 * ((s2 - m**2) ** 2 + (m * width) ** 2)))
    return np.array(out)


@pytest.mark.parametrize("beam", ["nu", "nubar"])
@pytest.mark.parametrize("channel", ["lnc", "lnv"])
def test_radiative_equals_trace_evaluation(beam, channel):
    rng = np.random.default_rng(7)
    E, m, M, width = 7.0, 3.0, 25000.0, 0.02
    k1, k3, kg, p1, p2 = random_three_body(rng, E, m, M, 10)
    Z, mu_p, mu_d, F = 74, 0.4, 0.25, 0.95
    nature = "majorana-" + channel
    got = am.msq_radiative(
        k1, k3, kg, p1, p2, m, width, Z, mu_p, mu_d, nature=nature, beam=beam, form_factor=F
    )
    expected = msq_radiative_by_traces(
        k1, k3, kg, p1, p2, m, width, mu_p * mu_d * Z * E_CH * F, beam, channel
    )
    np.testing.assert_allclose(got, expected, rtol=1e-10)


# --------------------------------------------------------------------------------------------------
# input handling
# --------------------------------------------------------------------------------------------------
def _one_event():
    k1, k2, p1, p2 = lab_kinematics(5.0, 1e-4, 1.0, 37000.0)
    k3, kg = decay_products(k2, np.array([[0.0, 0.6, 0.8]]))
    return k1, k2, p1, p2, k3[0], kg[0]


def test_bad_input_raises_value_error_naming_parameter():
    k1, k2, p1, p2, k3, kg = _one_event()
    base = dict(m_N=1.0, width=1e-3, Z=20, mu_prod_per_mev=0.1, mu_decay_per_mev=0.1)
    with pytest.raises(ValueError, match="nature"):
        am.msq_radiative(k1, k3, kg, p1, p2, **base, nature="weyl")
    with pytest.raises(ValueError, match="beam"):
        am.msq_radiative(k1, k3, kg, p1, p2, **base, beam="muon")
    with pytest.raises(ValueError, match="width"):
        am.msq_radiative(k1, k3, kg, p1, p2, **{**base, "width": 0.0})
    with pytest.raises(ValueError, match="k1"):
        am.msq_radiative(k1[:3], k3, kg, p1, p2, **base)
    with pytest.raises(ValueError, match="kg"):
        am.msq_radiative(k1, k3, kg * np.array([1.0, 1.1, 1, 1]), p1, p2, **base)
    with pytest.raises(ValueError, match="mu_prod_per_mev"):
        am.msq_radiative(k1, k3, kg, p1, p2, **{**base, "mu_prod_per_mev": np.nan})
    with pytest.raises(ValueError, match="k2"):
        am.msq_upscattering(k1, k2, p1, p2, 1.5, 20, 0.1)
    with pytest.raises(ValueError, match="n_spin"):
        am.msq_upscattering(k1, k2, p1, p2, 1.0, 20, 0.1, n_spin=[0, 0, 2.0])
    with pytest.raises(ValueError, match="conserved"):
        am.msq_radiative(k1, k3, kg, p2, p1, **base)  # nucleus momenta swapped
    with pytest.raises(ValueError, match="conserved"):
        am.msq_decay(k2, k3, 2 * kg, 1.0, 0.1)
    with pytest.raises(ValueError, match="events"):
        am.msq_upscattering(np.tile(k1, (3, 1)), np.tile(k2, (2, 1)), p1, p2, 1.0, 20, 0.1)
    with pytest.raises(ValueError, match="parent"):
        am.msq_decay(k2, k3, kg, 1.0, 0.1, parent="X")
    with pytest.raises(ValueError, match="final"):
        am.msq_decay(k2, k3, kg, 1.0, 0.1, final="e")


def test_forward_massless_point_gives_exact_zero():
    k1 = np.array([5.0, 0, 0, 5.0])
    p1 = np.array([100.0, 0, 0, 0])
    out = am.msq_upscattering(k1, k1, p1, p1, 0.0, 20, 0.1)
    assert out[0] == 0.0
    assert np.all(np.isfinite(out))


def test_deterministic():
    rng = np.random.default_rng(1)
    k1, k3, kg, p1, p2 = random_three_body(rng, 6.0, 2.0, 30000.0, 20)
    a = am.msq_radiative(k1, k3, kg, p1, p2, 2.0, 1e-3, 20, 0.1, 0.1, nature="majorana")
    b = am.msq_radiative(k1, k3, kg, p1, p2, 2.0, 1e-3, 20, 0.1, 0.1, nature="majorana")
    np.testing.assert_array_equal(a, b)
