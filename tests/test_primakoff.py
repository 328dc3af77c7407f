"""Primakoff upscattering cross section and N polarisation: limits, closed forms, quadrature, zeros."""

import warnings

import numpy as np
import pytest
from scipy import constants as sc
from scipy.integrate import quad

import radcevns as rc
from radcevns import primakoff as pk

# constants typed from CODATA via scipy, independent of radcevns.constants
ALPHA = sc.fine_structure
ME = sc.physical_constants["electron mass energy equivalent in MeV"][0]
HBARC_CM = sc.physical_constants["reduced Planck constant times c in MeV fm"][0] * 1e-13
MU_B = np.sqrt(4 * np.pi * ALPHA) / (2 * ME)


def az2mu2(Z, mu_hat=1.0):
    """alpha Z^2 mu^2 in cm^2 (Z^2 mu_hat^2 x 2.4947e-25 cm^2)."""
    return ALPHA * Z**2 * (mu_hat * MU_B) ** 2 * HBARC_CM**2


def test_prefactor_number_from_reference():
    assert az2mu2(1.0) == pytest.approx(2.4947e-25, rel=1e-4)


def test_expanded_form_equals_compact_form():
    """K expanded term by term equals the package's exact dsigma/dE_R at random points (F = 1)."""
    rng = np.random.default_rng(3)
    for t in ["W184", "Ca40", "O16", "Al27"]:
        nuc = rc.nucleus(t)
        M, Z = nuc.mass, nuc.Z
        for _ in range(30):
            m = 10 ** rng.uniform(-2, 0.8)
            E = pk.threshold(m, t) + 10 ** rng.uniform(-2, 1)
            lo, hi = pk.recoil_range(E, m, t)
            R = np.exp(rng.uniform(np.log(lo), np.log(hi)))
            ref = az2mu2(Z) * (
                1 / R
                - 1 / E
                + R / (4 * E**2)
                - m**2 / (2 * E * R * M)
                - m**2 / (4 * E**2 * R)
                + m**2 / (8 * E**2 * M)
                - m**4 / (8 * E**2 * R**2 * M)
            )
            got = pk.dsigma_dER(E, R, m, t, 1.0, form_factor="none")
            assert got == pytest.approx(ref, rel=1e-7, abs=1e-12 * az2mu2(Z) / R)


def test_massless_limit_is_magnetic_moment_cevns():
    """m_N -> 0: (pi alpha^2 Z^2 mu_hat^2 / m_e^2)(1/E_R - 1/E + E_R/(4E^2)) F^2 (textbook + spin-0 term)."""
    E, mu_hat = 5.0, 3e-8
    t = rc.nucleus("W184")
    R = np.geomspace(1e-6, 2.5e-4, 25)
    pref = np.pi * ALPHA**2 * t.Z**2 * mu_hat**2 / ME**2 * HBARC_CM**2
    F2 = rc.nuclear.form_factor(R, t) ** 2
    ref = pref * (1 / R - 1 / E + R / (4 * E**2)) * F2
    got = pk.dsigma_dER(E, R, 1e-5, t, mu_hat)
    np.testing.assert_allclose(got, ref, rtol=1e-6)
    # and the cevns module's diagonal term agrees up to the dropped E_R/(4E^2)
    mm = rc.cevns.magnetic_moment_dsigma_dER(E, R, t, mu_hat)
    np.testing.assert_allclose(got, mm, rtol=1e-3)


def _exact_F1(E, m, M):
    """Exact F = 1 integral of dsigma/dE_R between E_-, E_+ (in units of alpha Z^2 mu^2)."""
    lo, hi = pk.recoil_range_kernel(E, m, M)
    a = 1 - m**2 / (2 * E * M) - m**2 / (4 * E**2)
    b = -1 / E + m**2 / (8 * E**2 * M)
    return (
        a * np.log(hi / lo)
        + b * (hi - lo)
        + (hi**2 - lo**2) / (8 * E**2)
        - m**4 / (8 * E**2 * M) * (1 / lo - 1 / hi)
    )


@pytest.mark.parametrize("t", ["W184", "Ca40", "O16", "Al27"])
@pytest.mark.parametrize("E,m", [(5.0, 1.0), (5.0, 3.0), (8.0, 6.0), (3.0, 0.01), (10.0, 9.5)])
def test_total_cross_section_closed_form_F1(t, E, m):
    nuc = rc.nucleus(t)
    got = pk.sigma(E, m, nuc, 1.0, form_factor="none")
    assert got == pytest.approx(az2mu2(nuc.Z) * _exact_F1(E, m, nuc.mass), rel=1e-9)


def test_heavy_target_closed_form_and_reference_numbers():
    # check values of the heavy-target closed form: E=5, m=1: 8.09823; m=3: 3.19895; exact integral on W: 8.098113, 3.198819
    t = rc.nucleus("W184")
    heavy = pk.sigma_heavy_target_closed_form(5.0, np.array([1.0, 3.0]), t, 1.0) / az2mu2(74)
    np.testing.assert_allclose(heavy, [8.09823, 3.19895], rtol=2e-6)
    exact = pk.sigma(5.0, np.array([1.0, 3.0]), t, 1.0, form_factor="none") / az2mu2(74)
    np.testing.assert_allclose(exact, [8.098113, 3.198819], rtol=2e-6)


def test_sigma_equals_quadrature_of_dsigma_with_form_factor():
    for t, E, m in [("W184", 6.0, 2.0), ("O16", 8.0, 0.5), ("Al27", 4.0, 3.0)]:
        lo, hi = pk.recoil_range(E, m, t)
        val, _ = quad(
            lambda u, E=E, m=m, t=t: np.exp(u) * pk.dsigma_dER(E, np.exp(u), m, t, 3e-8),
            np.log(lo),
            np.log(hi),
            epsrel=1e-11,
            limit=200,
        )
        assert pk.sigma(E, m, t, 3e-8) == pytest.approx(val, rel=1e-8)


def test_composite_targets_are_weighted_sums():
    E, R, m = 5.0, 2e-5, 1.0
    w = rc.element("W")
    parts = sum(a * pk.dsigma_dER(E, R, m, n, 1e-8) for n, a in zip(w.isotopes, w.abundances, strict=True))
    assert pk.dsigma_dER(E, R, m, "W", 1e-8) == pytest.approx(parts, rel=1e-12)
    cawo4 = pk.sigma(E, m, "CaWO4", 1e-8)
    assert cawo4 == pytest.approx(
        pk.sigma(E, m, "Ca", 1e-8) + pk.sigma(E, m, "W", 1e-8) + 4 * pk.sigma(E, m, "O", 1e-8), rel=1e-12
    )


def test_mu_squared_scaling_and_broadcasting():
    E = np.linspace(2, 10, 5)[:, None]
    mu = np.array([1e-9, 3e-8])[None, :]
    s = pk.sigma(E, 1.0, "Ca40", mu)
    assert s.shape == (5, 2)
    np.testing.assert_allclose(s[:, 1] / s[:, 0], (3e-8 / 1e-9) ** 2, rtol=1e-12)


def test_exact_zeros_outside_range_on_dense_grid():
    m = np.geomspace(1e-3, 10.0, 40)[:, None, None]
    E = np.linspace(0.0, 12.0, 49)[None, :, None]
    for t in ["W184", "Al27"]:
        lo, hi = pk.recoil_range(E, m, t)
        frac = np.array([-0.5, 0.0, 0.999999, 1.0, 1.000001, 1.5])[None, None, :]
        # points below E_R_min, at and just above it, and beyond E_R_max
        R = np.concatenate([lo * 0.999, lo * (1 + 1e-9), hi * 1.001, lo + (hi - lo) * np.abs(frac)], axis=-1)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with np.errstate(all="raise"):
                ds = pk.dsigma_dER(E, R, m, t, 3e-8)
                s = pk.sigma(E, m, t, 3e-8)
                pl, pt = pk.polarisation(E, R, m, t)
        assert np.all(np.isfinite(ds)) and np.all(ds >= 0)
        outside = (R < lo) | (R > hi) | (hi == 0)
        assert np.all(ds[outside] == 0.0)
        assert np.all(s[(E <= pk.threshold(m, t))[..., 0]] == 0.0)
        assert np.all(np.isfinite(pl)) and np.all(np.isfinite(pt))


def test_near_cancellation_region_heavy_target():
    """m_N = 1 keV on W at 12 MeV: dsigma stays positive and smooth at E_R_min (K ~ m^6 / E^2 there)."""
    t = rc.nucleus("W184")
    lo, hi = pk.recoil_range(12.0, 1e-3, t)
    R = lo * np.array([1.0, 1.0 + 1e-12, 1.001, 1.01, 2.0, 10.0])
    ds = pk.dsigma_dER(12.0, R, 1e-3, t, 1e-8, form_factor="none")
    assert np.all(ds > 0)
    # heavy-target limit in Q^2: dsigma/dE_R = 2M alpha Z^2 mu^2 (4E^2Q^2 - m^2Q^2 - m^4)/(4E^2Q^4)
    E, m, Q2 = 12.0, 1e-3, 2 * t.mass * R
    ref = 2 * t.mass * az2mu2(74, 1e-8) * (4 * E**2 * Q2 - m**2 * Q2 - m**4) / (4 * E**2 * Q2**2)
    np.testing.assert_allclose(ds[2:], ref[2:], rtol=1e-4)


@pytest.mark.parametrize("t", ["W184", "Ca40", "O16", "Al27"])
def test_polarisation_is_pure_and_left_handed_at_threshold_of_recoil(t):
    rng = np.random.default_rng(7)
    for _ in range(40):
        m = 10 ** rng.uniform(-2, 0.9)
        E = pk.threshold(m, t) + 10 ** rng.uniform(-2, 1)
        lo, hi = pk.recoil_range(E, m, t)
        R = np.exp(rng.uniform(np.log(lo), np.log(hi)))
        pl, pt = pk.polarisation(E, R, m, t)
        assert pl**2 + pt**2 == pytest.approx(1.0, abs=1e-7)
        assert pt >= 0
        pl0, _ = pk.polarisation(E, lo, m, t)
        assert pl0 == pytest.approx(-1.0, abs=1e-6)


@pytest.mark.parametrize(
    "E,m,t,ref",
    [
        (5.0, 1.0, "W184", 0.9975),
        (5.0, 3.0, "W184", 0.9409),
        (3.0, 2.5, "W184", 0.7697),
        (8.0, 6.0, "O16", 0.8589),
    ],
)
def test_mean_helicity_numbers_from_reference(E, m, t, ref):
    lo, hi = pk.recoil_range(E, m, t)
    num = quad(
        lambda u: (
            np.exp(u)
            * pk.dsigma_dER(E, np.exp(u), m, t, 1.0, form_factor="none")
            * pk.polarisation(E, np.exp(u), m, t)[0]
        ),
        np.log(lo),
        np.log(hi),
        limit=200,
    )[0]
    den = pk.sigma(E, m, t, 1.0, form_factor="none")
    assert num / den == pytest.approx(ref, abs=2e-4)


def test_mean_helicity_heavy_limit_closed_form():
    # mean helicity for F = 1 on a heavy target
    E, m = 5.0, 3.0
    p = np.sqrt(E**2 - m**2)
    L = np.log((E + p) / (E - p))
    closed = E / p * ((2 * E**2 - 1.5 * m**2) * L - E * p) / ((2 * E**2 - 0.5 * m**2) * L - E * p)
    lo, hi = pk.recoil_range(E, m, "W184")
    num = quad(
        lambda u: (
            np.exp(u)
            * pk.dsigma_dER(E, np.exp(u), m, "W184", 1.0, form_factor="none")
            * pk.polarisation(E, np.exp(u), m, "W184")[0]
        ),
        np.log(lo),
        np.log(hi),
        limit=200,
    )[0]
    assert num / pk.sigma(E, m, "W184", 1.0, form_factor="none") == pytest.approx(closed, rel=1e-4)


@pytest.mark.parametrize(
    "kw,match",
    [
        (dict(E_nu=-1.0), "E_nu"),
        (dict(E_nu=np.nan), "E_nu"),
        (dict(E_nu=np.inf), "E_nu"),
        (dict(m_N=-0.1), "m_N"),
        (dict(mu=-1e-8), "mu"),
        (dict(E_R=-1e-6), "E_R"),
        (dict(target="W999"), "isotope"),
        (dict(target="Xx"), "element"),
    ],
)
def test_bad_input_raises(kw, match):
    args = dict(E_nu=5.0, E_R=1e-5, m_N=1.0, target="W184", mu=1e-8)
    args.update(kw)
    with pytest.raises(ValueError, match=match):
        pk.dsigma_dER(**args)


def test_form_factor_option_and_polarisation_needs_isotope():
    with pytest.raises(ValueError, match="form_factor"):
        pk.sigma(5.0, 1.0, "W184", 1e-8, form_factor="bogus")
    with pytest.raises(ValueError, match="single isotope"):
        pk.polarisation(5.0, 1e-5, 1.0, "W")


def test_dsigma_coefficients_are_the_cross_section_as_a_polynomial_in_one_over_E():
    """c0 + c1/E + c2/E^2 against the cancellation-free dsigma_kernel at energies above E_nu^min."""
    from radcevns import cevns
    from radcevns.nuclear import form_factor_code, form_factor_radius_kernel

    rng = np.random.default_rng(7)
    ff = form_factor_code("helm")
    for iso in ("W184", "Ca40", "O16", "Al27"):
        nuc = rc.nucleus(iso)
        Z, A, M = nuc.Z, nuc.A, nuc.mass
        radius = form_factor_radius_kernel(A, ff)
        for _ in range(200):
            m = 10 ** rng.uniform(-3, 0.9)
            R = 10 ** rng.uniform(-7, -3)
            e_lo = pk.emin_kernel(R, m, M)
            E = e_lo * (1 + 10 ** rng.uniform(-6, 1))
            c0, c1, c2 = pk.dsigma_coefficients_kernel(R, m, Z, M, radius, ff)
            want = pk.dsigma_kernel(E, R, m, Z, A, M, ff)
            assert c0 + c1 / E + c2 / E**2 == pytest.approx(want, rel=1e-9, abs=1e-12 * abs(c0))
            e_cevns = cevns.min_neutrino_energy(R, nuc) * (1 + 10 ** rng.uniform(-6, 1))
            d0, d1, d2 = cevns.dsigma_coefficients_kernel(R, Z, A - Z, A, M, 0.2387, ff)
            want = cevns.dsigma_kernel(e_cevns, R, Z, A - Z, A, M, 0.2387, ff)
            assert d0 + d1 / e_cevns + d2 / e_cevns**2 == pytest.approx(want, rel=1e-9, abs=1e-12 * d0)
