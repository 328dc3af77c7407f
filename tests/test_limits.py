"""Tests of radcevns.limits: existing limits in the (m_N, mu_{nu_e N}) plane.

Expected values come from outside the module: numbers converted by hand from the raw HNLimits files,
the strongest point of each curve typed by hand (dipole d in GeV^-1 as in the source papers), an
explicit Dirac-matrix computation of the nu e -> N e cross section, and the diagonal magnetic-moment
formula of Vogel and Engel (Phys. Rev. D 39 (1989) 3378). The catalogue itself is data
(radcevns/data/existing_limits.toml): its structure and provenance fields are checked here too.
"""

import importlib.resources
import math
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("HNLimits")

from radcevns import limits as L  # noqa: E402

HNL_DIR = Path(str(importlib.resources.files("HNLimits").joinpath("include", "data", "dipole")))
DATA_DIR = Path(L.__file__).resolve().parent / "data"
D_PER_MUB = 296.3 / 2.0  # GeV^-1 per mu_B for mu = 2 d, typed by hand (mu_B = e/2m_e = 296.3 GeV^-1)
ALPHA = 1 / 137.035999
ME = 0.51099895  # MeV
HBARC_CM = 1.973269804e-11  # MeV cm


def _raw_rows(path):
    """Data rows of a raw HNLimits file, parsed by hand (comments after '#' dropped)."""
    rows = []
    for line in Path(path).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            x, y = line.split()[:2]
            rows.append((float(x), float(y)))
    return rows


def _curve(name, flavour="e"):
    (lim,) = L.existing_limits(flavour, names=[name])
    return lim


def _at(lim, m):
    return float(np.exp(np.interp(np.log(m), np.log(lim.m_N_MeV), np.log(lim.mu_bohr))))


# ---------------------------------------------------------------------------------------------
# conversion of the HNLimits files, checked by hand
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("row", [0, 5, 12])
def test_borexino_conversion_by_hand(row):
    m_gev, d = _raw_rows(HNL_DIR / "Borexino_d.dat")[row]
    mu_hand = d / D_PER_MUB  # 90 % CL already, mu = 2 d
    lim = _curve("Borexino")
    assert _at(lim, m_gev * 1e3) == pytest.approx(mu_hand, rel=1e-3)


def test_lep_conversion_by_hand_mass_in_mev_and_95_percent():
    m_mev, d = _raw_rows(HNL_DIR / "LEPgz_d.dat")[0]  # this file has the mass in MeV
    mu_hand = d / D_PER_MUB * math.sqrt(2.71 / 3.84)
    lim = _curve("LEP")
    assert _at(lim, m_mev) == pytest.approx(mu_hand, rel=1e-3)
    assert lim.cl_original == 95 and lim.cl == 90
    assert lim.cl_factor == pytest.approx(0.8401, abs=1e-4)


def test_bbn_file_in_bohr_magnetons_is_unchanged():
    rows = np.array(_raw_rows(HNL_DIR / "BBN_muB.dat"))
    lim = _curve("BBN")
    np.testing.assert_allclose(lim.m_N_MeV, rows[:, 0])
    np.testing.assert_allclose(lim.mu_bohr, rows[:, 1])


def test_cl_factors():
    assert L.CL95_TO_CL90 == pytest.approx(0.8401, abs=1e-4)
    assert L.POISSON_CL95_TO_CL90 == pytest.approx(0.8756, abs=1e-4)


# ---------------------------------------------------------------------------------------------
# strongest point of each curve, typed by hand
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, flavour, d_min, cl, m_at_min_mev",
    [
        ("Borexino", "e", 2.4e-7, 90, 1.0),  # 1.6e-9 mu_B at 1 MeV
        ("Borexino+SK", "e", 3.5e-8, 90, 6.3),  # 2.4e-10 mu_B at 6.3 MeV
        ("XENON1T", "e", 1.66e-6, 90, None),
        ("LEP", "e", 2.1e-5, 95, None),
        ("LSND", "e", 7.7e-7, 95, 63.0),
        ("SK atmospheric (e)", "e", 4.8e-7, 90, None),
        ("CHARM-II", "mu", 4.2e-7, 90, None),
        ("MiniBooNE", "mu", 1.9e-7, 95, None),
    ],
)
def test_strongest_points_typed_by_hand(name, flavour, d_min, cl, m_at_min_mev):
    lim = _curve(name, flavour)
    expected = d_min / D_PER_MUB * (math.sqrt(2.71 / 3.84) if cl == 95 else 1.0)
    i = int(np.argmin(lim.mu_bohr))
    assert lim.mu_bohr[i] == pytest.approx(expected, rel=0.04)
    if m_at_min_mev is not None:
        assert lim.m_N_MeV[i] == pytest.approx(m_at_min_mev, rel=0.1)


def test_borexino_value_at_one_mev():
    lim = _curve("Borexino")
    assert _at(lim, 1.01) == pytest.approx(1.6e-9, rel=0.05)


def test_sn1987a_band_and_bbn_region_ranges():
    sn = _curve("SN1987A")
    assert sn.kind == "region"
    low = sn.mu_bohr[sn.m_N_MeV < 1].min()
    high = sn.mu_bohr[sn.m_N_MeV < 1].max()
    assert 1e-13 < low < 1e-12 and 1e-10 < high < 1e-9  # the paper-plot band, ~1e-13 .. 1e-10
    assert L.excluding_limits(1.0, 1e-11, limits=[sn]) == ["SN1987A"]
    assert L.excluding_limits(1.0, 1e-9, limits=[sn]) == []
    assert L.excluding_limits(1.0, 1e-13, limits=[sn]) == []
    bbn = _curve("BBN")
    # BBN excludes small masses at any moment, and leaves the wedge between its branches open
    assert L.excluding_limits(0.02, 1e-11, limits=[bbn]) == ["BBN"]
    assert L.excluding_limits(0.5, 1e-11, limits=[bbn]) == []
    assert L.excluding_limits(10.0, 1e-9, limits=[bbn]) == []


def test_borexino_low_mass_piece_joins_hnlimits_piece():
    low, high = _curve("Borexino (low mass)"), _curve("Borexino")
    overlap = np.geomspace(high.m_N_MeV[0], low.m_N_MeV[-1], 5)
    for m in overlap:
        assert _at(low, m) == pytest.approx(_at(high, m), rel=0.02)
    # below 0.4 MeV the nu_mu-panel curve is flat at ~7e-11 mu_B (7Be and pp neutrinos produce N)
    assert _at(low, 0.1) == pytest.approx(6.9e-11, rel=0.03)


# ---------------------------------------------------------------------------------------------
# metadata
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("flavour", L.FLAVOURS)
def test_every_limit_is_documented_and_well_formed(flavour):
    limits = L.existing_limits(flavour)
    assert limits
    for lim in limits:
        assert lim.source and ("arXiv:" in lim.source or "hep-ex/" in lim.source)
        assert lim.bibkey and lim.process and lim.data_origin and lim.conversion and lim.units_original
        assert lim.cl == 90.0 and lim.cl_original in (90.0, 95.0)
        assert lim.cl_factor == (1.0 if lim.cl_original == 90 else pytest.approx(math.sqrt(2.71 / 3.84)))
        assert lim.m_N_MeV.size >= 2 and lim.m_N_MeV.shape == lim.mu_bohr.shape
        assert np.all(lim.m_N_MeV > 0) and np.all(lim.mu_bohr > 0)
        assert not lim.m_N_MeV.flags.writeable
        assert flavour in lim.flavours
        assert lim.category in L.CATEGORIES
        if lim.kind == "upper":
            assert np.all(np.diff(lim.m_N_MeV) >= 0) and lim.m_N_MeV[-1] > lim.m_N_MeV[0]
        if "d [GeV^-1]" in lim.units_original:
            assert lim.moment_factor == pytest.approx(lim.cl_factor / D_PER_MUB, rel=1e-4)
        else:
            assert lim.moment_factor == lim.cl_factor


def test_electron_flavour_list_contains_the_requested_limits():
    names = set(L.available_limits("e"))
    for required in (
        "Borexino",
        "Borexino+SK",
        "XENON1T",
        "BBN",
        "SN1987A",
        "LEP",
        "LSND",
        "SK atmospheric (e)",
    ):
        assert required in names
    for added in ("GEMMA", "TEXONO", "Borexino effective", "Stellar cooling"):
        assert added in names
    assert "CHARM-II" not in names and "DONUT" not in names


def test_radcevns_data_files_have_headers():
    files = sorted(DATA_DIR.glob("limits_*.dat"))
    assert len(files) >= 5
    for path in files:
        text = path.read_text()
        assert text.startswith("#")
        header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
        for key in ("source:", "CL:", "units:", "origin:", "bibkey:"):
            assert key in header, (path.name, key)
        assert "90 %" in header
        rows = np.loadtxt(path, comments="#")
        assert rows.ndim == 2 and rows.shape[1] == 2 and np.all(rows > 0)


def test_selection_and_bad_input():
    assert [lim.name for lim in L.existing_limits("e", names=["LEP", "BBN"])] == ["BBN", "LEP"]
    lab = L.existing_limits("e", categories=["laboratory"])
    assert all(lim.category == "laboratory" for lim in lab) and "BBN" not in [lim.name for lim in lab]
    with pytest.raises(ValueError, match="flavour"):
        L.existing_limits("x")
    with pytest.raises(ValueError, match="names"):
        L.existing_limits("e", names=["CHARM-II"])
    with pytest.raises(ValueError, match="categories"):
        L.existing_limits("e", categories=["astrology"])
    with pytest.raises(ValueError, match="m_N_MeV"):
        L.strongest_limit(-1.0)
    with pytest.raises(ValueError, match="m_N_MeV"):
        L.strongest_limit(np.nan)


# ---------------------------------------------------------------------------------------------
# strongest_limit
# ---------------------------------------------------------------------------------------------


def _toy(name, m, mu):
    return L.ExistingLimit(
        name=name,
        kind="upper",
        m_N_MeV=m,
        mu_bohr=mu,
        flavours=("e",),
        process="toy",
        source="arXiv:0000.00000",
        bibkey="toy",
        cl=90.0,
        cl_original=90.0,
        units_original="MeV; mu_B",
        conversion="none",
        cl_factor=1.0,
        moment_factor=1.0,
        mass_factor=1.0,
        data_origin="test",
    )


def test_strongest_limit_toy_curves_min_and_inf():
    a = _toy("a", [1.0, 10.0], [1e-9, 1e-7])  # log-linear: 1e-8 at 3.162 MeV
    b = _toy("b", [2.0, 4.0], [5e-9, 5e-9])
    c = _toy("c", [20.0, 30.0], [1e-6, 1e-6])
    m = np.array([0.5, 1.0, 1.5, math.sqrt(10.0), 5.0, 15.0, 25.0, 40.0])
    got = L.strongest_limit(m, limits=[a, b, c])
    expected = [np.inf, 1e-9, 1e-9 * 1.5**2, 5e-9, 2.5e-8, np.inf, 1e-6, np.inf]
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert isinstance(L.strongest_limit(3.0, limits=[a, b]), float)


def test_strongest_limit_real_curves():
    # below every curve and above every curve: no upper limit
    assert L.strongest_limit(1e-7) == np.inf
    assert L.strongest_limit(1e7) == np.inf
    # 0.05 MeV: Borexino effective (2.8e-11) is the lowest of GEMMA 3.2e-11, TEXONO 7.4e-11, ...
    assert L.strongest_limit(0.05) == pytest.approx(2.8e-11)
    # 0.1 MeV: Borexino effective has ended (0.06 MeV) -> GEMMA
    assert L.strongest_limit(0.1) == pytest.approx(3.2e-11)
    # brute-force minimum over all upper curves at a few masses
    uppers = [lim for lim in L.existing_limits("e") if lim.kind == "upper"]
    for m in (0.3, 2.0, 7.0, 50.0):
        values = [_at(lim, m) for lim in uppers if lim.m_N_MeV[0] <= m <= lim.m_N_MeV[-1]]
        assert L.strongest_limit(m) == pytest.approx(min(values))
    # laboratory limits only: stellar cooling no longer counts at 0.012 MeV
    lab = L.existing_limits("e", categories=["laboratory"])
    assert L.strongest_limit(0.012) < L.strongest_limit(0.012, limits=lab) == pytest.approx(2.8e-11)


def test_excluding_limits_points():
    # just below 1 MeV: above the SN1987A band, below Borexino (7Be no longer makes N): only BBN
    assert L.excluding_limits(0.95, 8e-10) == ["BBN"]
    assert L.excluding_limits(0.95, 8e-10, limits=L.existing_limits("e", categories=["laboratory"])) == []
    assert set(L.excluding_limits(1.0, 3e-8)) == {"BBN", "Borexino (low mass)"}
    assert "Stellar cooling" in L.excluding_limits(0.05, 1e-7)
    assert "Borexino+SK" in L.excluding_limits(5.0, 1e-9)


# ---------------------------------------------------------------------------------------------
# nu e -> N e cross section (validity of the m_N -> 0 lines)
# ---------------------------------------------------------------------------------------------


def _dirac_matrices():
    i2, z = np.eye(2), np.zeros((2, 2))
    sx = np.array([[0, 1], [1, 0]], complex)
    sy = np.array([[0, -1j], [1j, 0]])
    sz = np.array([[1, 0], [0, -1]], complex)
    g = [np.block([[i2, z], [z, -i2]]).astype(complex)] + [np.block([[z, s], [-s, z]]) for s in (sx, sy, sz)]
    g5 = 1j * g[0] @ g[1] @ g[2] @ g[3]
    return g, g5


def _trace_dsigma_dT(E, m, T, mu_nat):
    """|M|^2 from explicit traces with the convention-A vertex mu sigma^{ab} q_b P_L, electron at rest.

    Returns (dsigma/dT in MeV^-3, cos of the electron angle) or (nan, c) if no real configuration.
    """
    g, g5 = _dirac_matrices()
    eta = np.diag([1.0, -1.0, -1.0, -1.0])
    pl, pr = (np.eye(4) - g5) / 2, (np.eye(4) + g5) / 2

    def slash(p):
        return sum(eta[k, k] * p[k] * g[k] for k in range(4))

    def sigma(a, b):
        return 0.5j * (g[a] @ g[b] - g[b] @ g[a])

    e_e = ME + T
    p_e = math.sqrt(e_e**2 - ME**2)
    p_n2 = (E - T) ** 2 - m**2
    c = (E**2 + p_e**2 - p_n2) / (2 * E * p_e)
    if p_n2 < 0 or abs(c) > 1 + 1e-12:
        return math.nan, c
    c = min(c, 1.0)
    s = math.sqrt(max(0.0, 1 - c * c))
    k1 = np.array([E, 0, 0, E])
    p1 = np.array([ME, 0, 0, 0.0])
    p2 = np.array([e_e, p_e * s, 0, p_e * c])
    k2 = k1 + p1 - p2
    q_low = eta @ (k1 - k2)
    vertex = [sum(sigma(a, b) * q_low[b] for b in range(4)) for a in range(4)]
    lep = np.zeros((4, 4), complex)
    ele = np.zeros((4, 4), complex)
    for a in range(4):
        for b in range(4):
            lep[a, b] = np.trace((slash(k2) + m * np.eye(4)) @ vertex[a] @ pl @ slash(k1) @ pr @ vertex[b])
            ele[a, b] = np.trace((slash(p2) + ME * np.eye(4)) @ g[a] @ (slash(p1) + ME * np.eye(4)) @ g[b])
    q2 = (k1 - k2) @ eta @ (k1 - k2)
    m2 = mu_nat**2 * 4 * math.pi * ALPHA * np.einsum("ij,kl,ik,jl->", lep, ele, eta, eta).real / q2**2 / 2
    return m2 / (32 * math.pi * ME * E**2), c


@pytest.mark.parametrize(
    "E, m, T", [(2.0, 0.0, 0.1), (2.0, 0.5, 0.1), (3.0, 1.0, 0.3), (1.0, 0.3, 0.02), (0.862, 0.2, 0.3)]
)
def test_nu_e_cross_section_against_dirac_traces(E, m, T):
    mu_hat = 2e-9
    mu_nat = mu_hat * 0.2963036  # MeV^-1, mu_B = e / (2 m_e)
    trace, _ = _trace_dsigma_dT(E, m, T, mu_nat)
    expected_cm2 = trace * HBARC_CM**2
    assert L.nu_e_upscattering_dsigma_dT(E, T, m, mu_hat) == pytest.approx(expected_cm2, rel=1e-6)


def test_nu_e_cross_section_massless_limit_is_the_diagonal_formula():
    mu_hat = 3e-11
    E, T = np.array([1.0, 2.0, 4.0]), np.array([0.003, 0.05, 1.0])
    diag = math.pi * ALPHA**2 * mu_hat**2 / ME**2 * (1 / T - 1 / E) * HBARC_CM**2  # Vogel & Engel 1989
    np.testing.assert_allclose(L.nu_e_upscattering_dsigma_dT(E, T, 0.0, mu_hat), diag, rtol=1e-6)
    np.testing.assert_allclose(L.nu_e_upscattering_dsigma_dT(E, T, 1e-4, mu_hat), diag, rtol=1e-4)


@pytest.mark.parametrize("E, m", [(2.0, 0.5), (3.0, 1.0), (0.862, 0.2), (5.0, 0.05)])
def test_kinematic_range_endpoints_are_forward_electrons(E, m):
    lo, hi = L.nu_e_upscattering_T_range(E, m)
    assert 0 <= lo < hi
    for t in (hi, lo) if lo > 1e-6 else (hi,):
        _, c = _trace_dsigma_dT(E, m, t, 1.0)
        assert c == pytest.approx(1.0, abs=1e-6)
    # outside the range: exact zero, no NaN
    assert L.nu_e_upscattering_dsigma_dT(E, hi * 1.01, m) == 0.0
    if lo > 1e-6:
        assert L.nu_e_upscattering_dsigma_dT(E, lo * 0.99, m) == 0.0


def test_below_threshold_is_zero():
    m = 1.0
    e_th = m + m * m / (2 * ME)
    assert L.nu_e_upscattering_T_range(0.99 * e_th, m) == (0.0, 0.0)
    assert L.nu_e_upscattering_dsigma_dT(0.99 * e_th, 0.1, m) == 0.0
    assert L.nu_e_upscattering_rate_ratio(5.0, [1.0, 2.0], 1e-3) == 0.0


def _vogel_engel_u235(E):
    """U-235 spectrum shape exp(0.870 - 0.160 E - 0.0910 E^2) (Vogel & Engel 1989)."""
    return np.exp(0.870 - 0.160 * E - 0.0910 * E**2)


@pytest.mark.parametrize(
    "name, window_kev, m_max", [("GEMMA", (2.8, 50.0), 0.13), ("TEXONO", (12.0, 60.0), 0.16)]
)
def test_validity_mass_of_reactor_lines(name, window_kev, m_max):
    lim = _curve(name)
    assert lim.m_N_MeV[-1] == pytest.approx(m_max)
    assert np.all(lim.mu_bohr == lim.mu_bohr[0])
    E = np.linspace(0.02, 10.0, 1500)
    w = _vogel_engel_u235(E)
    lo, hi = window_kev[0] * 1e-3, window_kev[1] * 1e-3
    r = L.nu_e_upscattering_rate_ratio([0.0, m_max, 1.15 * m_max], E, lo, hi, weights=w)
    assert r[0] == pytest.approx(1.0)
    assert r[1] >= 0.9 > r[2]  # line ends close to where the rate has dropped by 10 %


def test_validity_mass_of_borexino_line():
    lim = _curve("Borexino effective")
    m_max = lim.m_N_MeV[-1]
    assert m_max == pytest.approx(0.06)
    for E in (0.40, 0.42):  # pp neutrinos near their end point give the recoils above 0.19 MeV
        assert L.nu_e_upscattering_rate_ratio(m_max, E, 0.19) >= 0.9
    assert L.nu_e_upscattering_rate_ratio(1.2 * m_max, 0.40, 0.19) < 0.9
    assert L.nu_e_upscattering_rate_ratio(0.18, 0.862, 0.19) >= 0.9  # 7Be alone would allow more


# ---------------------------------------------------------------------------------------------
# the catalogue file radcevns/data/existing_limits.toml
# ---------------------------------------------------------------------------------------------

# (name, kind, number of points, smallest mu [mu_B], largest m_N [MeV]) of every curve, recorded from
# the catalogue as it was written in Python before it moved to existing_limits.toml.
CATALOGUE_SNAPSHOT = [
    ("BBN", "region", 135, 1e-18, 248.07),
    ("SN1987A", "region", 68, 2.1831567043270513e-13, 310.15803011629004),
    ("Stellar cooling", "upper", 49, 2.5037e-12, 0.15635),
    ("GEMMA", "upper", 2, 3.2e-11, 0.13),
    ("TEXONO", "upper", 2, 7.4e-11, 0.16),
    ("Borexino effective", "upper", 2, 2.8e-11, 0.06),
    ("Borexino (low mass)", "upper", 41, 6.4441e-11, 1.0811),
    ("Borexino", "upper", 23, 1.6384102529543796e-09, 3.3507550237192416),
    ("Borexino+SK", "upper", 49, 2.3640241854516214e-10, 17.99),
    ("XENON1T", "upper", 31, 1.1205097026879465e-08, 10.983404824565223),
    ("LEP", "upper", 120, 1.1673676132521159e-07, 90863.88597460379),
    ("LHC", "upper", 86, 6.942194340405636e-07, 1962042.4000000001),
    ("LSND", "upper", 56, 4.3530195102315415e-09, 98.41),
    ("SK atmospheric (e)", "upper", 30, 3.221549010277511e-09, 85.93831309227564),
    ("CHARM-II", "upper", 63, 2.862584307428052e-09, 140.25199999999998),
    ("MiniBooNE", "upper", 83, 1.1020990501673046e-09, 981.1718282816581),
    ("NOMAD", "region", 33, 4.095219695235508e-09, 6128.126614187593),
    ("SK atmospheric (mu)", "upper", 28, 2.9969115897920327e-09, 99.66179943627408),
    ("MINERvA", "upper", 204, 9.36159086723762e-10, 847.3234252849493),
    ("DONUT", "upper", 54, 3.9001086439799187e-07, 300.0),
    ("SK atmospheric (tau)", "upper", 25, 3.79614052109206e-09, 73.00492388863145),
]


def test_catalogue_matches_the_recorded_snapshot():
    limits = L.load_catalogue()
    assert [lim.name for lim in limits] == [row[0] for row in CATALOGUE_SNAPSHOT] == L.available_limits()
    for lim, (name, kind, n, mu_min, m_max) in zip(limits, CATALOGUE_SNAPSHOT, strict=True):
        assert (lim.name, lim.kind, lim.m_N_MeV.size) == (name, kind, n)
        assert lim.mu_bohr.min() == pytest.approx(mu_min, rel=1e-12)
        assert lim.m_N_MeV.max() == pytest.approx(m_max, rel=1e-12)
    assert L.existing_limits("e")[0] is limits[0]  # one cached catalogue


def test_catalogue_file_structure_and_provenance():
    import tomllib

    data = tomllib.loads(L.CATALOGUE_FILE.read_text())
    assert data["hnlimits"]["version"] == "1.2.0"
    tables = data["limit"]
    assert len({t["name"] for t in tables}) == len(tables) == len(CATALOGUE_SNAPSHOT)
    for t in tables:
        assert t["source"].startswith(("arXiv:", "hep-ex/")), t["name"]
        assert t["cl"] in (90.0, 95.0) and t["mass_unit"] in ("MeV", "GeV")
        assert t["moment"] in ("d_per_GeV", "mu_bohr") and t["origin"] in ("hnlimits", "radcevns")
        folder = HNL_DIR if t["origin"] == "hnlimits" else DATA_DIR
        for f in t["files"]:
            assert (folder / f).is_file(), (t["name"], f)
        if t["origin"] == "radcevns":
            assert t["digitised"]
        if "label_xy" in t:
            assert len(t["label_xy"]) == 2
    # published numbers written in the catalogue and data files
    assert {t["name"]: t["cl"] for t in tables}["LEP"] == 95.0
    for name, mu in (("GEMMA", 3.2e-11), ("TEXONO", 7.4e-11), ("Borexino effective", 2.8e-11)):
        assert np.all(_curve(name).mu_bohr == mu)


def test_every_data_file_is_described_in_the_readme():
    readme = (DATA_DIR / "README.md").read_text()
    for path in DATA_DIR.iterdir():
        if path.is_dir():  # a folder is described as a whole, e.g. `experiments/*.toml`
            assert f"`{path.name}/" in readme, path.name
        elif path.name != "README.md" and not path.name.startswith("."):
            assert f"`{path.name}`" in readme, path.name


def test_load_catalogue_from_another_file_and_bad_tables(tmp_path):
    import shutil

    shutil.copy(DATA_DIR / "limits_gemma_2010.dat", tmp_path)
    table = """[[limit]]
name = "toy GEMMA"
kind = "upper"
flavours = ["e"]
process = "toy"
source = "arXiv:1005.2736"
bibkey = "Beda:2010hk"
cl = 95.0
origin = "radcevns"
files = ["limits_gemma_2010.dat"]
mass_unit = "GeV"
moment = "mu_bohr"
shape = "curve"
digitised = "copied for a test"
label = ""
"""
    path = tmp_path / "toy.toml"
    path.write_text(table)
    (lim,) = L.load_catalogue(path)
    gemma = _curve("GEMMA")
    np.testing.assert_allclose(lim.m_N_MeV, gemma.m_N_MeV * 1e3)
    np.testing.assert_allclose(lim.mu_bohr, gemma.mu_bohr * L.CL95_TO_CL90)
    assert lim.category == "laboratory" and lim.label_xy is None
    bad = tmp_path / "bad.toml"
    bad.write_text(table.replace('moment = "mu_bohr"', 'moment = "mu_nuclear"'))
    with pytest.raises(ValueError, match="moment"):
        L.load_catalogue(bad)
    bad.write_text(table.replace("cl = 95.0", "cl = 68.0").replace("toy GEMMA", "toy 2"))
    with pytest.raises(ValueError, match="cl"):
        L.load_catalogue(bad)


def _module_level_imports(path):
    import ast

    names = set()
    for node in ast.parse(Path(path).read_text()).body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", ["limits.py", "plotting.py"])
def test_heavy_imports_are_lazy(module):
    top = _module_level_imports(Path(L.__file__).parent / module)
    for heavy in ("HNLimits", "pandas", "matplotlib", "scipy.stats", "myst_nb"):
        assert not any(name == heavy or name.startswith(heavy + ".") for name in top), (module, heavy)


def test_import_and_names_do_not_need_hnlimits():
    import subprocess
    import sys

    code = (
        "import sys, radcevns.limits as L, radcevns.plotting; "
        "assert L.available_limits('e'); assert 'HNLimits' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _module_level_public_names(path):
    import ast

    names = set()
    for node in ast.parse(Path(path).read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_")}


@pytest.mark.parametrize("module", ["limits", "plotting"])
def test_all_lists_exactly_the_public_names(module):
    import importlib

    mod = importlib.import_module(f"radcevns.{module}")
    assert sorted(mod.__all__) == sorted(_module_level_public_names(mod.__file__))
