"""Radiative upscattering: photon distributions and the event generator (chapter 03 of the book)."""

import warnings

import numpy as np
import pytest
from scipy.integrate import quad

import radcevns as rc
from radcevns import primakoff as pk
from radcevns import radiative as rad

E, M_N, T, MU = 5.0, 1.0, "W184", 3e-8


def _pl_reference(E, R, m, M):
    """P_L typed here from chapter 02 of the book, independent of the package's polarisation kernel."""
    K = (
        8 * E**2 * R * M
        - 8 * E * R**2 * M
        - 4 * E * R * m**2
        + 2 * R**3 * M
        + R**2 * m**2
        - 2 * R * M * m**2
        - m**4
    )
    NL = (
        8 * E**3 * R * M
        - 16 * E**2 * R**2 * M
        - 4 * E**2 * R * m**2
        + 10 * E * R**3 * M
        + 3 * E * R**2 * m**2
        - 6 * E * R * M * m**2
        - E * m**4
        - 2 * R**4 * M
        - R**3 * m**2
        + 2 * R**2 * M * m**2
        + R * m**4
    )
    pN = np.sqrt((E - R) ** 2 - m**2)
    return NL / (pN * K)


@pytest.fixture(scope="module")
def events():
    return {nat: rad.generate(400_000, E, M_N, T, MU, nature=nat, seed=11) for nat in ("dirac", "majorana")}


def test_four_momentum_conservation(events):
    M = rc.nucleus(T).mass
    for ev in events.values():
        pN, pg, pnu = ev["p_N"], ev["p_gamma"], ev["p_nu"]
        scale = np.abs(pN).max(axis=1, keepdims=True)
        assert np.max(np.abs(pN - pg - pnu) / scale) < 1e-9
        # recoiling nucleus p_A = k1 - p_N is on its mass shell: |p_A|^2 = 2 M E_R + E_R^2, E_A = M + E_R
        pA2 = pN[:, 1] ** 2 + pN[:, 2] ** 2 + (E - pN[:, 3]) ** 2
        R = ev["E_R"]
        np.testing.assert_allclose(pA2, 2 * M * R + R**2, rtol=1e-8)
        np.testing.assert_allclose(E - pN[:, 0], R, rtol=1e-8, atol=1e-14)
        # massless photon and neutrino, N on shell
        assert np.max(np.abs(pg[:, 0] ** 2 - np.sum(pg[:, 1:] ** 2, 1))) < 1e-9 * E**2
        assert np.max(np.abs(pnu[:, 0] ** 2 - np.sum(pnu[:, 1:] ** 2, 1))) < 1e-9 * E**2
        np.testing.assert_allclose(pN[:, 0] ** 2 - np.sum(pN[:, 1:] ** 2, 1), M_N**2, rtol=1e-9)


def test_weights_sum_to_cross_section(events):
    sig = pk.sigma(E, M_N, T, MU)
    for ev in events.values():
        w = ev["weight"]
        err = np.sqrt(np.sum(w**2)) / w.sum()
        assert w.sum() == pytest.approx(sig, rel=5 * err)


def test_fixed_recoil_spectrum_shapes_from_boosted_events(events):
    """At fixed (E_nu, E_R): Majorana box, Dirac tilted by P_L, checked on boosted four-vectors."""
    M = rc.nucleus(T).mass
    lo, hi = pk.recoil_range(E, M_N, T)
    R0 = np.sqrt(lo * hi) * 0.3
    for nat, ev in events.items():
        sel = np.abs(ev["E_R"] / R0 - 1) < 0.05
        EN = E - ev["E_R"][sel]
        pN = np.sqrt(EN**2 - M_N**2)
        x = (2 * ev["p_gamma"][sel, 0] - EN) / pN  # position inside the box, in [-1, 1]
        assert np.all(np.abs(x) <= 1 + 1e-9)
        h, edges = np.histogram(x, bins=10, range=(-1, 1), weights=ev["weight"][sel], density=True)
        counts, _ = np.histogram(x, bins=10, range=(-1, 1))
        centres = 0.5 * (edges[1:] + edges[:-1])
        pl = _pl_reference(E, R0, M_N, M) if nat == "dirac" else 0.0
        expected = 0.5 * (1 - pl * centres)
        np.testing.assert_allclose(h, expected, atol=5 / np.sqrt(counts.min()) * expected.max() + 1e-3)


def test_heavy_target_moments_match_closed_forms():
    """Chapter 03: <E_gamma> = E/2 - <P_L> p/6 and P(E_gamma > E/2) = 1/2 - <P_L>/4 (Dirac)."""
    for m in [1.0, 3.0]:
        p = np.sqrt(E**2 - m**2)
        Lg = np.log((E + p) / (E - p))
        mean_pl = E / p * ((2 * E**2 - 1.5 * m**2) * Lg - E * p) / ((2 * E**2 - 0.5 * m**2) * Lg - E * p)
        lo_e, hi_e = (E - p) / 2, (E + p) / 2
        for nat, pl in (("dirac", mean_pl), ("majorana", 0.0)):

            def f(x, nat=nat, m=m):
                return rad.photon_spectrum(x, E, m, T, 1.0, nature=nat, form_factor="none")

            pts = [lo_e, E / 2, hi_e]
            norm = quad(f, 0, E, points=pts, limit=400, epsrel=1e-9)[0]
            mean = quad(lambda x, f=f: x * f(x), 0, E, points=pts, limit=400, epsrel=1e-9)[0] / norm
            above = quad(f, E / 2, E, points=[hi_e], limit=400, epsrel=1e-9)[0] / norm
            assert mean == pytest.approx(E / 2 - pl * p / 6, rel=2e-4)
            assert above == pytest.approx(0.5 - pl / 4, abs=2e-4)


@pytest.mark.parametrize("nature", ["dirac", "majorana"])
def test_distributions_integrate_to_sigma(nature):
    sig = pk.sigma(E, M_N, T, MU)
    lo, hi = pk.recoil_range(E, M_N, T)
    eg_min = (E - hi - np.sqrt((E - hi) ** 2 - M_N**2)) / 2
    spec = quad(
        lambda x: rad.photon_spectrum(x, E, M_N, T, MU, nature=nature),
        0,
        E,
        points=[eg_min, E / 2],
        limit=400,
        epsrel=1e-10,
    )[0]
    assert spec == pytest.approx(sig, rel=1e-6)
    c = np.linspace(-1, 1, 4001)
    ang = np.trapezoid(rad.photon_angle(c, E, M_N, T, MU, nature=nature), c)
    assert ang == pytest.approx(sig, rel=5e-4)
    dd = rad.double_differential(np.linspace(0, E, 41), np.linspace(-1, 1, 21), E, M_N, T, MU, nature=nature)
    assert dd.sum() * (E / 40) * (2 / 20) == pytest.approx(sig, rel=1e-9)


def test_generated_histograms_agree_with_quadrature(events):
    for nat, ev in events.items():
        w = ev["weight"]
        eb = np.linspace(0, E, 11)
        h, _ = np.histogram(ev["p_gamma"][:, 0], bins=eb, weights=w)
        h2, _ = np.histogram(ev["p_gamma"][:, 0], bins=eb, weights=w**2)
        ref = np.array(
            [
                quad(lambda x, nat=nat: rad.photon_spectrum(x, E, M_N, T, MU, nature=nat), a, b, limit=200)[0]
                for a, b in zip(eb[:-1], eb[1:], strict=True)
            ]
        )
        assert np.all(np.abs(h - ref) < 5 * np.sqrt(h2) + 1e-3 * ref)
        cb = np.linspace(-1, 1, 11)
        h, _ = np.histogram(ev["cos_theta_gamma"], bins=cb, weights=w)
        h2, _ = np.histogram(ev["cos_theta_gamma"], bins=cb, weights=w**2)
        ref = np.array(
            [
                quad(lambda x, nat=nat: rad.photon_angle(x, E, M_N, T, MU, nature=nat), a, b, limit=200)[0]
                for a, b in zip(cb[:-1], cb[1:], strict=True)
            ]
        )
        assert np.all(np.abs(h - ref) < 5 * np.sqrt(h2) + 2e-3 * ref)
        # double differential on a coarse grid
        dd = rad.double_differential(eb, cb, E, M_N, T, MU, nature=nat) * (E / 10) * 0.2
        H, _, _ = np.histogram2d(ev["p_gamma"][:, 0], ev["cos_theta_gamma"], bins=[eb, cb], weights=w)
        H2, _, _ = np.histogram2d(ev["p_gamma"][:, 0], ev["cos_theta_gamma"], bins=[eb, cb], weights=w**2)
        big = dd > 0.01 * dd.max()
        assert np.all(np.abs(H - dd)[big] < 5 * np.sqrt(H2)[big] + 5e-3 * dd[big])


def test_dirac_photon_softer_and_backward_majorana_symmetric():
    eg = np.linspace(0.01, E, 500)
    d = rad.photon_spectrum(eg, E, M_N, T, MU, nature="dirac")
    mj = rad.photon_spectrum(eg, E, M_N, T, MU, nature="majorana")
    above = eg > E / 2
    assert np.trapezoid(d[above], eg[above]) < 0.6 * np.trapezoid(mj[above], eg[above])
    c = np.linspace(-1, 1, 201)
    assert np.trapezoid(rad.photon_angle(c, E, M_N, T, MU, nature="dirac") * c, c) < np.trapezoid(
        rad.photon_angle(c, E, M_N, T, MU, nature="majorana") * c, c
    )


def test_decay_region_majorana_twice_dirac_and_mu_to_the_fourth():
    L = 5.0
    eg = np.array([0.5, 1.5, 2.5])
    full = rad.photon_spectrum(eg, E, M_N, T, MU, nature="majorana")
    assert np.all(
        full == rad.photon_spectrum(eg, E, M_N, T, MU, nature="dirac") * 0 + full
    )  # same production
    c = np.array([-0.5, 0.0, 0.9])
    for fn, x in ((rad.photon_spectrum, eg), (rad.photon_angle, c)):
        d = fn(x, E, M_N, T, MU, nature="dirac", decay_length_cm=L)
        m = fn(x, E, M_N, T, MU, nature="majorana", decay_length_cm=L)
        tot_d = fn(x, E, M_N, T, MU, nature="dirac", decay_length_cm=None)
        tot_m = fn(x, E, M_N, T, MU, nature="majorana", decay_length_cm=None)
        # long-lived: P_dec ~ L/lambda, Majorana width twice Dirac
        np.testing.assert_allclose(m.sum() / tot_m.sum(), 2 * d.sum() / tot_d.sum(), rtol=1e-6)
        np.testing.assert_allclose(
            fn(x, E, M_N, T, 2 * MU, nature="dirac", decay_length_cm=L), 16 * d, rtol=1e-6
        )
    # decay probability: ratio equals <L m Gamma / p_N> for a single recoil-averaged value
    lam = rc.decay.mean_decay_length(E, M_N, MU, nature="dirac")
    ratio = rad.photon_angle(0.99, E, M_N, T, MU, nature="dirac", decay_length_cm=L) / rad.photon_angle(
        0.99, E, M_N, T, MU, nature="dirac"
    )
    assert ratio == pytest.approx(L / lam, rel=1e-3)


def test_exact_zeros_and_no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            below = pk.threshold(2.0, T) * 0.999
            assert np.all(rad.photon_spectrum([0.1, 1.0], below, 2.0, T, MU) == 0.0)
            assert np.all(rad.photon_angle([-1, 0, 1], below, 2.0, T, MU) == 0.0)
            assert rad.photon_spectrum(E * 1.01, E, M_N, T, MU) == 0.0
            assert rad.photon_spectrum(0.0, E, M_N, T, MU) == 0.0
            assert np.all(rad.double_differential([0, 1, 2], [-1, 0, 1], below, 2.0, T, MU) == 0.0)
            ev = rad.generate(1000, below, 2.0, T, MU)
            assert np.all(ev["weight"] == 0.0)
            vals = rad.photon_angle(np.linspace(-1, 1, 101), 3.0, 2.9, "O16", MU, nature="dirac")
            assert np.all(np.isfinite(vals)) and np.all(vals >= 0)


def test_reproducible_and_batched():
    a = rad.generate(5000, E, M_N, "CaWO4", MU, nature="dirac", seed=3, batch_size=2000)
    b = rad.generate(5000, E, M_N, "CaWO4", MU, nature="dirac", seed=3, batch_size=2000)
    c = rad.generate(5000, E, M_N, "CaWO4", MU, nature="dirac", seed=4, batch_size=2000)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    parts = np.concatenate(
        list(rad.iter_events(5000, E, M_N, "CaWO4", MU, nature="dirac", seed=3, batch_size=2000))
    )
    assert np.array_equal(parts, a)
    u = rad.generate(20000, E, M_N, T, MU, nature="dirac", seed=5, unweight=True)
    assert np.allclose(u["weight"], u["weight"][0])
    w = rad.generate(20000, E, M_N, T, MU, nature="dirac", seed=5)
    assert u["weight"].sum() == pytest.approx(w["weight"].sum())


def test_massive_daughter_kinematics():
    md = 0.6
    ev = rad.generate(
        20000, E, 2.0, T, MU, nature="majorana", decay_moments={"s": MU}, daughter_masses={"s": md}
    )
    pnu = ev["p_nu"]
    np.testing.assert_allclose(pnu[:, 0] ** 2 - np.sum(pnu[:, 1:] ** 2, 1), md**2, rtol=1e-8)
    lo_e, hi_e = rad.photon_energy_range(E - ev["E_R"], 0.0, 2.0, daughter_mass=md)
    assert np.all(ev["p_gamma"][:, 0] >= lo_e * (1 - 1e-9)) and np.all(
        ev["p_gamma"][:, 0] <= hi_e * (1 + 1e-9)
    )


def test_channel_sum_and_branching():
    two = rad.photon_spectrum(
        1.0, E, M_N, T, MU, nature="dirac", decay_length_cm=5.0, decay_moments={"e": MU, "mu": MU}
    )
    one = rad.photon_spectrum(1.0, E, M_N, T, MU, nature="dirac", decay_length_cm=5.0)
    assert two == pytest.approx(2 * one, rel=1e-6)  # long-lived: rate ~ total width


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: rad.photon_spectrum(1.0, E, -1.0, T, MU), "m_N"),
        (lambda: rad.photon_spectrum(1.0, E, M_N, T, MU, nature="dirk"), "nature"),
        (lambda: rad.photon_spectrum(-1.0, E, M_N, T, MU), "E_gamma"),
        (lambda: rad.photon_angle(1.5, E, M_N, T, MU), "cos_theta"),
        (lambda: rad.photon_spectrum(1.0, E, M_N, T, MU, decay_length_cm=-1.0), "decay_length_cm"),
        (lambda: rad.double_differential([1, 0], [-1, 1], E, M_N, T, MU), "E_gamma"),
        (lambda: rad.generate(-5, E, M_N, T, MU), "n"),
        (lambda: rad.photon_spectrum(1.0, E, M_N, "W999", MU), "isotope"),
        (lambda: rad.photon_spectrum(1.0, np.nan, M_N, T, MU), "E_nu"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    "nature,beam", [("dirac", "nu"), ("dirac", "nubar"), ("majorana", "nu"), ("majorana", "nubar")]
)
@pytest.mark.parametrize("target,E_nu,m_N", [("W184", 5.0, 1.0), ("O16", 8.0, 6.0), ("Al27", 3.0, 2.5)])
def test_full_matrix_element_over_factorised_form_is_constant(nature, beam, target, E_nu, m_N):
    """(1) explicit-spinor 2->3 |M|^2 (radcevns.amplitudes) / (2) the fast factorised form = one constant.

    Narrow-width algebra fixes the constant: with the Breit-Wigner evaluated at k2^2 = m^2 with a width
    Gamma_bw, dsigma/(dE_R dOmega*) = |M|^2 m Gamma_bw^2 / (Gamma 2048 pi^3 M E^2), Gamma the physical width.
    Gamma_bw = 1e-7 MeV keeps the propagator insensitive to the rounding of k2^2 (the physical width,
    ~1e-18 MeV, is far below the floating-point resolution of k2^2 - m^2).
    """
    from radcevns import amplitudes, constants

    nuc = rc.nucleus(target)
    ev = rad.generate(300, E_nu, m_N, nuc, MU, nature=nature, seed=2)
    ev = ev[ev["weight"] > 0]
    n = ev.size
    k1 = np.tile([E_nu, 0.0, 0.0, E_nu], (n, 1))
    p1 = np.tile([nuc.mass, 0.0, 0.0, 0.0], (n, 1))
    p2 = p1 + k1 - ev["p_N"]
    # generated events have a random N azimuth: rotate back so that phi* is measured from e_theta
    phi_n = np.arctan2(ev["p_N"][:, 2], ev["p_N"][:, 1])
    pN = ev["p_N"]
    # rest-frame photon azimuth about k_N from the lab vectors (the boost along k_N keeps it)
    kN = pN[:, 1:] / np.linalg.norm(pN[:, 1:], axis=1)[:, None]
    e_theta = np.column_stack(
        [kN[:, 2] * np.cos(phi_n), kN[:, 2] * np.sin(phi_n), -np.sqrt(kN[:, 0] ** 2 + kN[:, 1] ** 2)]
    )
    e_phi = np.cross(kN, e_theta)
    g = ev["p_gamma"][:, 1:]
    phi_star = np.arctan2(np.sum(g * e_phi, 1), np.sum(g * e_theta, 1))
    mu_nat = MU * constants.MU_B_PER_MEV
    gamma_tot = rc.decay.width(m_N, MU, nature=nature)
    F = rc.nuclear.form_factor(ev["E_R"], nuc)
    gamma_bw = 1e-7
    full = amplitudes.msq_radiative(
        k1,
        ev["p_nu"],
        ev["p_gamma"],
        p1,
        p2,
        m_N,
        gamma_bw,
        nuc.Z,
        mu_nat,
        mu_nat,
        nature=nature,
        beam=beam,
        form_factor=F,
    )
    fact = rad.factorised_dsigma(E_nu, ev["E_R"], ev["cos_theta_star"], phi_star, m_N, nuc, MU, nature=nature)
    ratio = fact / (full * constants.MEV2_TO_CM2)
    expected = m_N * gamma_bw**2 / (gamma_tot * 2048 * np.pi**3 * nuc.mass * E_nu**2)
    np.testing.assert_allclose(ratio, expected, rtol=1e-6)


def test_double_differential_converged_on_fine_grid():
    g = np.linspace(0, E, 101)
    c = np.linspace(-1, 1, 101)
    a = rad.double_differential(g, c, E, M_N, T, MU, nature="dirac")
    b = rad.double_differential(g, c, E, M_N, T, MU, nature="dirac", step=0.01)
    big = b > 1e-3 * b.max()
    assert np.max(np.abs(a[big] / b[big] - 1)) < 0.01


def test_recoil_threshold_for_coincidences():
    """A recoil threshold keeps exactly the production cross section above it (integrated over photons)."""
    thr = 20e-6  # 20 eV
    lo, hi = pk.recoil_range(E, M_N, T)
    above = quad(
        lambda u: np.exp(u) * pk.dsigma_dER(E, np.exp(u), M_N, T, MU),
        np.log(thr),
        np.log(hi),
        epsrel=1e-10,
        limit=200,
    )[0]
    c = np.linspace(-1, 1, 4001)
    ang = np.trapezoid(rad.photon_angle(c, E, M_N, T, MU, nature="dirac", recoil_threshold_MeV=thr), c)
    assert ang == pytest.approx(above, rel=1e-3)
    dd = rad.double_differential(
        np.linspace(0, E, 21),
        np.linspace(-1, 1, 11),
        E,
        M_N,
        T,
        MU,
        nature="majorana",
        recoil_threshold_MeV=thr,
    )
    assert dd.sum() * (E / 20) * 0.2 == pytest.approx(above, rel=1e-6)
    ev = rad.generate(100_000, E, M_N, T, MU, nature="dirac", recoil_threshold_MeV=thr, seed=4)
    assert np.all(ev["E_R"][ev["weight"] > 0] >= thr)
    assert ev["weight"].sum() == pytest.approx(above, rel=0.01)
    # a smeared threshold: efficiency erfc((thr - E_R)/(sqrt2 sigma))/2 integrated directly
    sig = 3e-6
    from scipy.special import erfc

    smeared = quad(
        lambda u: (
            np.exp(u)
            * pk.dsigma_dER(E, np.exp(u), M_N, T, MU)
            * 0.5
            * erfc((thr - np.exp(u)) / (np.sqrt(2) * sig))
        ),
        np.log(lo),
        np.log(hi),
        points=[np.log(thr)],
        epsrel=1e-10,
        limit=400,
    )[0]
    dd = rad.double_differential(
        np.linspace(0, E, 21),
        np.linspace(-1, 1, 11),
        E,
        M_N,
        T,
        MU,
        nature="majorana",
        recoil_threshold_MeV=thr,
        recoil_resolution_MeV=sig,
        n_recoil=48,
    )
    assert dd.sum() * (E / 20) * 0.2 == pytest.approx(smeared, rel=2e-3)


def test_photon_angle_light_n_backward_against_monte_carlo():
    """Light N (m/E small): the backward tail, ~1e-3 of sigma, against the generator's events."""
    E8, m = 8.0, 0.5
    ev = rad.generate(1_000_000, E8, m, T, MU, nature="dirac", seed=21)
    cb = np.array([-1.0, -0.9, -0.5, 0.0])
    h, _ = np.histogram(ev["cos_theta_gamma"], bins=cb, weights=ev["weight"])
    h2, _ = np.histogram(ev["cos_theta_gamma"], bins=cb, weights=ev["weight"] ** 2)
    ref = np.array(
        [
            quad(lambda x: rad.photon_angle(x, E8, m, T, MU, nature="dirac"), a, b, limit=100)[0]
            for a, b in zip(cb[:-1], cb[1:], strict=True)
        ]
    )
    assert np.all(np.abs(h - ref) < 4 * np.sqrt(h2))
    assert np.all(np.sqrt(h2) / h < 0.05)
    fine = rad.photon_angle(cb, E8, m, T, MU, nature="dirac", n_recoil=200, step=0.004, n_psi=96)
    np.testing.assert_allclose(rad.photon_angle(cb, E8, m, T, MU, nature="dirac"), fine, rtol=2e-3)


def test_folded_is_the_flux_quadrature_of_the_monochromatic_result():
    """photon_spectrum_folded = sum over the flux nodes of the flux weight times photon_spectrum (s^-1 MeV^-1)."""
    flux = rc.flux.chooz()
    m = 2.0
    eg = np.array([0.3, 1.0, 2.5])
    nodes, weights = flux.quadrature(n=24, e_min=max(pk.threshold(m, T), flux.e_min))
    by_hand = sum(
        w * rad.photon_spectrum(eg, e, m, T, MU, decay_length_cm=5.0)
        for e, w in zip(nodes, weights, strict=True)
    )
    folded = rad.photon_spectrum_folded(eg, m, T, MU, flux=flux, n_flux=24, decay_length_cm=5.0)
    np.testing.assert_allclose(folded, by_hand, rtol=1e-12)
    # flux=None means the Chooz site
    np.testing.assert_array_equal(
        rad.photon_spectrum_folded(eg, m, T, MU, n_flux=24, decay_length_cm=5.0), folded
    )
    c = np.array([-0.5, 0.5])
    by_hand = sum(w * rad.photon_angle(c, e, m, T, MU) for e, w in zip(nodes, weights, strict=True))
    np.testing.assert_allclose(
        rad.photon_angle_folded(c, m, T, MU, flux=flux, n_flux=24), by_hand, rtol=1e-12
    )
    ge, ce = np.linspace(0, 6, 4), np.linspace(-1, 1, 3)
    by_hand = sum(
        w * rad.double_differential(ge, ce, e, m, T, MU, step=0.1)
        for e, w in zip(nodes, weights, strict=True)
    )
    got = rad.double_differential_folded(ge, ce, m, T, MU, flux=flux, n_flux=24, step=0.1)
    np.testing.assert_allclose(got, by_hand, rtol=1e-12)


def test_generate_folded_estimates_the_rate():
    flux = rc.flux.chooz()
    m = 2.0
    ev = rad.generate_folded(200_000, m, T, MU, flux=flux, seed=9)
    assert np.all(ev["E_nu"][ev["weight"] > 0] >= pk.threshold(m, T))
    eg = np.linspace(0.0, 10.0, 2001)
    rate = np.trapezoid(rad.photon_spectrum_folded(eg, m, T, MU, flux=flux), eg)
    assert ev["weight"].sum() == pytest.approx(rate, rel=0.02)
    parts = np.concatenate(list(rad.iter_events_folded(5000, m, T, MU, flux=flux, seed=3, batch_size=2000)))
    assert np.array_equal(parts, rad.generate_folded(5000, m, T, MU, flux=flux, seed=3, batch_size=2000))


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: rad.photon_spectrum(1.0, rc.flux.chooz(), M_N, T, MU), "photon_spectrum_folded"),
        (lambda: rad.photon_angle(0.0, rc.flux.chooz(), M_N, T, MU), "photon_angle_folded"),
        (
            lambda: rad.double_differential([0, 1], [-1, 1], rc.flux.chooz(), M_N, T, MU),
            "double_differential_folded",
        ),
        (lambda: rad.generate(10, rc.flux.chooz(), M_N, T, MU), "iter_events_folded"),
        (lambda: rad.photon_spectrum_folded(1.0, M_N, T, MU, flux=5.0), "Flux"),
        (lambda: rad.generate_folded(10, M_N, T, MU, flux=lambda e: e), "Flux"),
    ],
)
def test_units_never_depend_on_the_argument_type(call, match):
    with pytest.raises(TypeError, match=match):
        call()


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        rad.photon_spectrum(1.0, E, M_N, T, MU, "dirac")  # the nature must be named
    with pytest.raises(TypeError):
        rad.generate(10, E, M_N, T, MU, "dirac")
