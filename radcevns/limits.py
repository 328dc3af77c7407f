"""Existing limits on the active-sterile transition magnetic moment in the (m_N, mu) plane.

Every curve is returned in the plane (m_N [MeV], mu_{nu_alpha N} [mu_B]) in **convention A**
(reference.md section 1.1)::

    L  >  (mu / 2) * nubar_L sigma^{ab} N_R F_ab + h.c.,    Gamma_Dirac(N -> nu gamma) = mu^2 m_N^3 / (16 pi),

(Majorana N: twice that width) and at **90 % CL**.

Where the curves come from
--------------------------
* Most curves are read at run time from the digitised dipole-portal limits shipped with the PyPI package
  ``HNLimits`` (1.2.0, folder ``HNLimits/include/data/dipole/``); nothing is copied. Their files give
  either the dipole ``d`` of Magill et al. (``L > d nubar sigma N F``) in GeV^-1, converted with
  ``mu = 2 d``, i.e. ``mu/mu_B = d / 148.15 GeV^-1``
  (:func:`radcevns.conventions.dipole_d_per_gev_to_mu_bohr`), or ``mu`` directly in mu_B (taken as
  convention A, as HNLimits does). Masses are in GeV or MeV depending on the file. The metadata
  spreadsheet of the HNLimits repository is not part of the wheel, so units, CL and sources are taken
  from the file headers (checked against ingredients.md 4.1 and the source figures shipped next to the
  files).
* Curves HNLimits lacks and that matter below a few MeV live in ``radcevns/data/limits_*.dat`` (headers
  give source, units, CL, conversion and how they were obtained): the m_N -> 0 effective-moment limits of
  GEMMA, TEXONO and Borexino drawn as horizontal lines up to a computed validity mass, and the stellar
  cooling region and the low-mass (m_N < 1.1 MeV) part of the Borexino curve, digitised here from the
  vector graphics of Fig. 1 of arXiv:2007.15563 (the copy shipped with HNLimits).

Confidence level
----------------
Curves published at 95 % CL are rescaled with the rule HNLimits uses, the one-parameter Gaussian
(chi^2 with one degree of freedom) ratio ``mu_90 = mu_95 * sqrt(2.71 / 3.84) = 0.840 mu_95``, so that the
curves coincide with that collection. This rule treats Delta chi^2 as quadratic in mu. For a counting
experiment with no events and a rate proportional to mu^2 the Poisson upper limits 2.30 and 3.00 give
``sqrt(2.30 / 3.00) = 0.876`` instead, and a Gaussian rate gives ``(2.71/3.84)^(1/4) = 0.917``: the rules
differ by at most 9 % in mu, invisible on the log-log plots. One rule is applied to every curve; the factor
used is stored per curve (:attr:`ExistingLimit.cl_factor`).

Validity of the m_N -> 0 lines
------------------------------
For m_N far below the neutrino energy the transition-moment nu e -> N e cross section tends to the
diagonal magnetic-moment one, so an effective-moment bound mu_eff (mu_eff^2 = sum_j |mu_ej|^2) also bounds
mu_eN. Each line stops where the rate in the analysis window, computed with the exact massive-N cross
section :func:`nu_e_upscattering_dsigma_dT`, has dropped by 10 % (mu limit weaker by 5 %); the numbers are in
the data-file headers and re-derived in the tests.

Caveats found while assembling the curves
-----------------------------------------
* HNLimits' Borexino and XENON1T curves (and the figure they come from) are for a nu_mu coupling only.
  For a nu_e-only coupling the solar-neutrino bounds scale roughly with sqrt(f_mu / f_e), f the flavour
  fractions of the solar flux at Earth: f_e ~ 0.55 and f_mu ~ 0.2 for pp, 7Be and pep neutrinos (nu_e bound
  ~0.6 times the nu_mu one, so the curve is conservative at m_N < 1 MeV), f_e ~ 0.3 and f_mu ~ 0.35 for
  8B (nu_e bound ~1.1 times weaker). HNLimits applies the curves to all flavours unchanged; so does this
  module.
* The header of ``BBN_muB.dat`` says "from Borexino data"; the curve is the BBN (helium) region of
  arXiv:2007.15563. Its closure at 1e-18 mu_B is a digitisation artefact (the figure stops at 2e-13 mu_B).
* ``SN1987A_muB_*.dat`` cite arXiv:1803.03262 but coincide with the SN1987A curve drawn in Fig. 1 of
  arXiv:2007.15563; Magill et al.'s own band (their figure, also shipped) has a lower edge a factor ~2.5
  lower (d ~ 3.3e-11 GeV^-1, i.e. ~2.2e-13 mu_B). The upper edges agree.
* The TEXONO value 7.4e-11 mu_B could not be checked against its abstract here (flagged in the notes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from ._validate import as_array, scalar_or_array
from .constants import ALPHA, M_ELECTRON, MEV2_TO_CM2, MU_B_PER_MEV
from .conventions import dipole_d_per_gev_to_mu_bohr

__all__ = [
    "CL95_TO_CL90",
    "POISSON_CL95_TO_CL90",
    "FLAVOURS",
    "CATEGORIES",
    "ExistingLimit",
    "available_limits",
    "existing_limits",
    "strongest_limit",
    "excluding_limits",
    "plot_existing_limits",
    "plot_projection",
    "nu_e_upscattering_T_range",
    "nu_e_upscattering_dsigma_dT",
    "nu_e_upscattering_rate_ratio",
]

#: Factor applied to a 95 % CL upper limit on mu to quote it at 90 % CL (1-dof chi^2 rule of HNLimits).
CL95_TO_CL90 = math.sqrt(2.71 / 3.84)
#: The Poisson-counting alternative for a rate proportional to mu^2 (documented, not applied).
POISSON_CL95_TO_CL90 = math.sqrt(2.30 / 3.00)
#: Flavours alpha of mu_{nu_alpha N} understood by :func:`existing_limits`.
FLAVOURS = ("e", "mu", "tau")
#: Categories of limits (see :attr:`ExistingLimit.category`).
CATEGORIES = ("laboratory", "astrophysics", "cosmology")
#: Default plotting window: m_N in MeV and mu in mu_B.
DEFAULT_M_RANGE_MEV = (1e-2, 10.0)
DEFAULT_MU_RANGE_BOHR = (1e-12, 1e-5)

_KINDS = ("upper", "region")
_DATA_DIR = Path(__file__).resolve().parent / "data"
_HNL_DIPOLE = ("include", "data", "dipole")
_ALL = ("e", "mu", "tau")
_CL_FACTORS = {90.0: 1.0, 95.0: CL95_TO_CL90}


@dataclass(frozen=True, eq=False)
class ExistingLimit:
    """One existing limit in the (m_N [MeV], mu [mu_B], convention A, 90 % CL) plane.

    Attributes
    ----------
    name : str
        Short unique name (used by ``names=`` selections).
    kind : {"upper", "region"}
        ``"upper"``: ``mu_bohr`` is an upper limit at each ``m_N_MeV`` (non-decreasing masses; the
        curve ends where the source ends, often at a kinematic wall). ``"region"``: the arrays are the
        vertices of a closed polygon enclosing the excluded region (e.g. the SN1987A band, BBN).
    m_N_MeV, mu_bohr : ndarray
        Read-only arrays, sterile-neutrino mass in MeV and transition moment in Bohr magnetons.
    flavours : tuple of str
        Flavours alpha of mu_{nu_alpha N} the limit applies to.
    process, source, bibkey : str
        Physics process, arXiv identifier(s) and bibliography key.
    cl, cl_original : float
        Confidence level after conversion (always 90) and as published.
    units_original : str
        Units and convention of the original data.
    conversion : str
        The conversion applied, in words.
    cl_factor, moment_factor, mass_factor : float
        Numbers applied: ``cl_factor`` (1 or sqrt(2.71/3.84)); ``moment_factor`` maps the original
        moment column to mu in mu_B (unit, convention and CL together); ``mass_factor`` maps the original
        mass column to MeV.
    data_origin : str
        HNLimits file, or the radcevns data file and how it was obtained.
    category : {"laboratory", "astrophysics", "cosmology"}
        Terrestrial experiments (including solar-neutrino detectors) versus astrophysical and
        cosmological bounds, which depend on stellar or cosmological modelling.
    label : str
        Text written next to the curve by :func:`plot_existing_limits` ("" for none).
    notes : str
        Caveats.
    """

    name: str
    kind: str
    m_N_MeV: np.ndarray
    mu_bohr: np.ndarray
    flavours: tuple
    process: str
    source: str
    bibkey: str
    cl: float
    cl_original: float
    units_original: str
    conversion: str
    cl_factor: float
    moment_factor: float
    mass_factor: float
    data_origin: str
    category: str = "laboratory"
    label: str = ""
    notes: str = ""

    def __post_init__(self):
        if self.kind not in _KINDS:
            raise ValueError(f"kind must be one of {_KINDS}, got {self.kind!r}")
        if self.category not in CATEGORIES:
            raise ValueError(f"category must be one of {CATEGORIES}, got {self.category!r}")
        m = as_array(self.m_N_MeV, "m_N_MeV", positive=True)
        mu = as_array(self.mu_bohr, "mu_bohr", positive=True)
        if m.ndim != 1 or m.shape != mu.shape or m.size < 2:
            raise ValueError("m_N_MeV and mu_bohr must be 1-d arrays of the same length >= 2")
        if self.kind == "upper" and np.any(np.diff(m) < 0):
            raise ValueError("m_N_MeV must be non-decreasing for an 'upper' limit")
        m = m.copy()
        mu = mu.copy()
        m.setflags(write=False)
        mu.setflags(write=False)
        object.__setattr__(self, "m_N_MeV", m)
        object.__setattr__(self, "mu_bohr", mu)

    @property
    def m_range_MeV(self):
        """(smallest, largest) mass in MeV covered by the curve or polygon."""
        return float(self.m_N_MeV.min()), float(self.m_N_MeV.max())


# --------------------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------------------
# origin: "hnlimits" (path relative to HNLimits/include/data/dipole) or "radcevns" (radcevns/data).
# y: "d_per_GeV" (Magill et al. dipole d) or "mu_bohr".  x: factor to MeV.
# shape: "curve" (upper limit, small back-steps in mass flattened), "lower_branch" (file runs out and back,
#        keep the branch after the largest mass = lower edge), "polygon" (closed region as given),
#        "band" (two files, lower then upper edge, joined into a polygon).

_BRDAR_FIG = "Fig. 1 of arXiv:2007.15563 (copy shipped in HNLimits: XENON1T_Borexino_SN_BBN_2007_15563.pdf)"

_CATALOGUE = (
    dict(
        name="BBN",
        label="BBN",
        kind="region",
        category="cosmology",
        flavours=_ALL,
        process="big-bang nucleosynthesis (primordial helium) with N produced through the dipole",
        source="arXiv:2007.15563",
        bibkey="Brdar:2020quo",
        origin="hnlimits",
        files=("BBN_muB.dat",),
        x=1.0,
        y="mu_bohr",
        cl=90.0,
        shape="polygon",
        label_xy=(0.02, 3e-12),
        notes="Cosmological and model dependent (standard thermal history). Excludes everything outside the "
        "wedge left open between its two branches; the closure at 1e-18 mu_B and at 1e-4 MeV is a "
        "digitisation artefact. The file header wrongly says 'from Borexino data'.",
    ),
    dict(
        name="SN1987A",
        label="SN1987A",
        kind="region",
        category="astrophysics",
        flavours=_ALL,
        process="supernova 1987A cooling (N production and escape)",
        source="arXiv:1803.03262 (as drawn in Fig. 1 of arXiv:2007.15563)",
        bibkey="Magill:2018jla",
        origin="hnlimits",
        files=("SN1987A_muB_bottom.dat", "SN1987A_muB_top.dat"),
        x=1.0,
        y="mu_bohr",
        cl=90.0,
        shape="band",
        label_xy=(0.25, 2.2e-10),
        notes="Band between the two curves is excluded. The values follow the SN1987A curve of "
        "arXiv:2007.15563; the lower edge of Magill et al.'s own band is ~2.5 times lower.",
    ),
    dict(
        name="Stellar cooling",
        label="stellar cooling",
        kind="upper",
        category="astrophysics",
        flavours=_ALL,
        process="energy loss of stars through N production",
        source="arXiv:2007.15563",
        bibkey="Brdar:2020quo",
        origin="radcevns",
        files=("limits_stellar_cooling_brdar2020.dat",),
        x=1.0,
        y="mu_bohr",
        cl=90.0,
        shape="curve",
        label_xy=(0.011, 2e-8),
        digitised=f"digitised here (vector paths) from {_BRDAR_FIG}",
        notes="Lower edge of the region; stops where the source figure stops "
        "(m_N >= 0.01 MeV, mu <= 1e-7 mu_B).",
    ),
    dict(
        name="GEMMA",
        label="GEMMA",
        kind="upper",
        flavours=("e",),
        process="reactor nu_e-bar e scattering, effective moment (m_N -> 0 limit)",
        source="arXiv:1005.2736",
        bibkey="Beda:2010hk",
        origin="radcevns",
        files=("limits_gemma_2010.dat",),
        x=1.0,
        y="mu_bohr",
        cl=90.0,
        shape="curve",
        label_xy=(0.035, 3.6e-11),
        digitised="published number (abstract of arXiv:1005.2736); validity mass computed here",
        notes="Horizontal line mu_eff < 3.2e-11 mu_B up to m_N = 0.13 MeV, where the massive-N rate in the "
        "analysis window has dropped by 10 %. The 2012 GEMMA update (2.9e-11) could not be checked.",
    ),
    dict(
        name="TEXONO",
        label="TEXONO",
        kind="upper",
        flavours=("e",),
        process="reactor nu_e-bar e scattering, effective moment (m_N -> 0 limit)",
        source="hep-ex/0605006",
        bibkey="TEXONO:2006xds",
        origin="radcevns",
        files=("limits_texono_2007.dat",),
        x=1.0,
        y="mu_bohr",
        cl=90.0,
        shape="curve",
        label_xy=(0.035, 8.3e-11),
        digitised="published number (Phys. Rev. D 75 (2007) 012001); validity mass computed here",
        notes="Horizontal line mu_eff < 7.4e-11 mu_B up to m_N = 0.16 MeV. Value UNVERIFIED here (abstract "
        "not readable in the available sources).",
    ),
    dict(
        name="Borexino effective",
        label="Borexino $\\mu_{\\rm eff}$",
        kind="upper",
        flavours=_ALL,
        process="solar nu e scattering, effective moment (m_N -> 0 limit)",
        source="arXiv:1707.09355",
        bibkey="Borexino:2017fbd",
        origin="radcevns",
        files=("limits_borexino_effective_2017.dat",),
        x=1.0,
        y="mu_bohr",
        cl=90.0,
        shape="curve",
        label_xy=(0.011, 2.2e-11),
        digitised="published number (Borexino Phase-II); validity mass computed here",
        notes="Horizontal line mu_eff < 2.8e-11 mu_B up to m_N = 0.06 MeV. Effective moment of the solar "
        "flavour mix: for a nu_e-only coupling the bound on mu_eN is weaker by 1/sqrt(P_ee) ~ 1.35 "
        "(not applied).",
    ),
    dict(
        name="Borexino (low mass)",
        label="",
        kind="upper",
        flavours=_ALL,
        process="solar nu upscattering nu e -> N e in Borexino",
        source="arXiv:2007.15563",
        bibkey="Brdar:2020quo",
        origin="radcevns",
        files=("limits_borexino_brdar2020_low_mass.dat",),
        x=1.0,
        y="mu_bohr",
        cl=90.0,
        shape="curve",
        digitised=f"digitised here (vector paths) from {_BRDAR_FIG}",
        notes="Continuation below 1 MeV of the HNLimits 'Borexino' curve (same source figure). nu_mu-only "
        "panel: conservative for nu_e.",
    ),
    dict(
        name="Borexino",
        label="Borexino",
        kind="upper",
        flavours=_ALL,
        process="solar nu upscattering nu e -> N e in Borexino",
        source="arXiv:2007.15563",
        bibkey="Brdar:2020quo",
        origin="hnlimits",
        files=("Borexino_d.dat",),
        x=1e3,
        y="d_per_GeV",
        cl=90.0,
        shape="curve",
        label_xy=(1.1, 2.3e-9),
        notes="Digitised from the nu_mu-only panel of the source (above 1 MeV 8B and pep neutrinos matter: "
        "for nu_e the bound may be up to ~10 % weaker). Below 1 MeV see 'Borexino (low mass)'.",
    ),
    dict(
        name="Borexino+SK",
        label="Borexino+SK",
        kind="upper",
        flavours=_ALL,
        process="solar nu upscattering in the Earth, N -> nu gamma in Borexino / Super-Kamiokande",
        source="arXiv:2010.04193",
        bibkey="Plestid:2020vqf",
        origin="hnlimits",
        files=("Borexino_SK_d.dat",),
        x=1e3,
        y="d_per_GeV",
        cl=90.0,
        shape="curve",
        label_xy=(3.0, 1.6e-10),
        notes="Lower edge of an excluded region; the source file ends in a vertical wall and gives no "
        "upper edge (where N would decay before reaching the detector). Not applied as a closed region.",
    ),
    dict(
        name="XENON1T",
        label="XENON1T",
        kind="upper",
        flavours=_ALL,
        process="solar nu upscattering on xenon nuclei (nuclear recoils)",
        source="arXiv:2007.15563",
        bibkey="Brdar:2020quo",
        origin="hnlimits",
        files=("Xenon1T_d.dat",),
        x=1e3,
        y="d_per_GeV",
        cl=90.0,
        shape="curve",
        label_xy=(1.1, 1.4e-8),
        notes="nu_mu-only panel of the source (8B neutrinos: for nu_e the bound may be ~10 % weaker); starts "
        "at 1 MeV in HNLimits (the source curve is flat below).",
    ),
    dict(
        name="LEP",
        label="LEP",
        kind="upper",
        flavours=_ALL,
        process="e+ e- -> nu N, N -> nu gamma (mono-photon) at LEP, via gamma and Z",
        source="arXiv:1803.03262",
        bibkey="Magill:2018jla",
        origin="hnlimits",
        files=("LEPgz_d.dat",),
        x=1.0,
        y="d_per_GeV",
        cl=95.0,
        shape="curve",
        label_xy=(1.1, 1.4e-7),
        notes="Mass column in MeV (unlike most HNLimits dipole files).",
    ),
    dict(
        name="LHC",
        label="LHC",
        kind="upper",
        flavours=_ALL,
        process="N production at the LHC (8 TeV), d_gamma with d_W",
        source="arXiv:1803.03262",
        bibkey="Magill:2018jla",
        origin="hnlimits",
        files=("Magill_d_gammaW_a_0.2.dat",),
        x=1e3,
        y="d_per_GeV",
        cl=95.0,
        shape="curve",
        notes="File header gives no CL; 95 % taken from the HNLimits metadata as summarised in "
        "ingredients.md.",
    ),
    dict(
        name="LSND",
        label="LSND",
        kind="upper",
        flavours=("e",),
        process="nu e -> N e upscattering at LSND",
        source="arXiv:1803.03262",
        bibkey="Magill:2018jla",
        origin="hnlimits",
        files=("e/LSND_de.dat",),
        x=1e3,
        y="d_per_GeV",
        cl=95.0,
        shape="curve",
        label_xy=(4.0, 6e-8),
    ),
    dict(
        name="SK atmospheric (e)",
        label="SK atm.",
        kind="upper",
        flavours=("e",),
        process="atmospheric nu_e upscattering in the Earth, N -> nu gamma in Super-Kamiokande",
        source="arXiv:2205.02234",
        bibkey="Gustafson:2022rsz",
        origin="hnlimits",
        files=("e/SK_atm_de.dat",),
        x=1e3,
        y="d_per_GeV",
        cl=90.0,
        shape="lower_branch",
        label_xy=(5.2, 5e-9),
        notes="Lower edge only; the region closes at large mu near m_N ~ 60-90 MeV (dropped, outside the "
        "reactor range).",
    ),
    # ---- nu_mu-specific (HNLimits dipole/mu) ----
    dict(
        name="CHARM-II",
        label="CHARM-II",
        kind="upper",
        flavours=("mu",),
        process="nu_mu e -> N e at CHARM-II",
        source="arXiv:1707.08573",
        bibkey="Coloma:2017ppo",
        origin="hnlimits",
        files=("mu/CHARMII_dmu.dat",),
        x=1e3,
        y="d_per_GeV",
        cl=90.0,
        shape="curve",
    ),
    dict(
        name="MiniBooNE",
        label="MiniBooNE",
        kind="upper",
        flavours=("mu",),
        process="nu_mu upscattering and N -> nu gamma at MiniBooNE",
        source="arXiv:1803.03262",
        bibkey="Magill:2018jla",
        origin="hnlimits",
        files=("mu/MiniBooNE_dmu.dat",),
        x=1e3,
        y="d_per_GeV",
        cl=95.0,
        shape="curve",
    ),
    dict(
        name="NOMAD",
        label="NOMAD",
        kind="region",
        flavours=("mu",),
        process="nu_mu upscattering and N -> nu gamma at NOMAD",
        source="arXiv:1707.08573",
        bibkey="Coloma:2017ppo",
        origin="hnlimits",
        files=("mu/NOMAD_dmu.dat",),
        x=1e3,
        y="d_per_GeV",
        cl=90.0,
        shape="polygon",
    ),
    dict(
        name="SK atmospheric (mu)",
        label="SK atm.",
        kind="upper",
        flavours=("mu",),
        process="atmospheric nu_mu upscattering in the Earth, N -> nu gamma in Super-Kamiokande",
        source="arXiv:2205.02234",
        bibkey="Gustafson:2022rsz",
        origin="hnlimits",
        files=("mu/SK_atm_dmu.dat",),
        x=1e3,
        y="d_per_GeV",
        cl=90.0,
        shape="lower_branch",
    ),
    dict(
        name="MINERvA",
        label="MINERvA",
        kind="upper",
        flavours=("mu",),
        process="nu_mu e -> N e at MINERvA",
        source="arXiv:2206.07100",
        bibkey="Kamp:2022bpt",
        origin="hnlimits",
        files=("mu/MINERvA_RHC_nominal_d_tauN_0.dat",),
        x=1.0,
        y="d_per_GeV",
        cl=95.0,
        shape="curve",
    ),
    # ---- nu_tau-specific (HNLimits dipole/tau) ----
    dict(
        name="DONUT",
        label="DONUT",
        kind="upper",
        flavours=("tau",),
        process="nu_tau e scattering at DONUT",
        source="hep-ex/0102026",
        bibkey="DONUT:2001zvi",
        origin="hnlimits",
        files=("tau/DONUT_dtau2.dat",),
        x=1e3,
        y="d_per_GeV",
        cl=90.0,
        shape="curve",
    ),
    dict(
        name="SK atmospheric (tau)",
        label="SK atm.",
        kind="upper",
        flavours=("tau",),
        process="atmospheric nu_tau upscattering in the Earth, N -> nu gamma in Super-Kamiokande",
        source="arXiv:2205.02234",
        bibkey="Gustafson:2022rsz",
        origin="hnlimits",
        files=("tau/SK_atm_dtau.dat",),
        x=1e3,
        y="d_per_GeV",
        cl=90.0,
        shape="curve",
        notes="Lower edge (SK_atm_dtau.dat); the upper edge file SK_atm_dtau_top.dat is not used.",
    ),
)

_LABEL_XY = {spec["name"]: spec.get("label_xy") for spec in _CATALOGUE}


def _hnlimits_dipole_dir():
    """Folder of the HNLimits dipole limit files, and the HNLimits version string."""
    try:
        import importlib.metadata as _metadata
        import importlib.resources as _resources

        root = _resources.files("HNLimits")
    except (ImportError, ModuleNotFoundError) as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "radcevns.limits needs the PyPI package HNLimits "
            "(pip install 'radcevns[limits]' or HNLimits==1.2.0)"
        ) from exc
    try:
        version = _metadata.version("HNLimits")
    except _metadata.PackageNotFoundError:  # pragma: no cover
        version = "unknown"
    return Path(str(root.joinpath(*_HNL_DIPOLE))), version


def _read_columns(path):
    """Two whitespace columns; '#' starts a comment (also at the end of a line)."""
    data = np.loadtxt(path, comments="#", usecols=(0, 1), ndmin=2)
    return data[:, 0].astype(float), data[:, 1].astype(float)


def _shape_points(x, y, shape):
    if shape == "curve":
        # digitised vertical walls sometimes step back by <1 % in mass: flatten the back-step
        return np.maximum.accumulate(x), y
    if shape == "lower_branch":
        i = int(np.argmax(x))
        return x[i:][::-1].copy(), y[i:][::-1].copy()
    if shape == "polygon":
        return x, y
    raise ValueError(f"unknown shape {shape!r}")  # pragma: no cover - catalogue is fixed


def _build(spec):
    """Read the files of one catalogue entry and convert them to (MeV, mu_B, convention A, 90 % CL)."""
    cl_factor = _CL_FACTORS[spec["cl"]]
    if spec["y"] == "d_per_GeV":
        unit_factor = float(dipole_d_per_gev_to_mu_bohr(1.0))
        units = "m_N in {} ; d [GeV^-1] (L > d nubar sigma N F + h.c., Magill et al.)"
        conv_unit = f"mu = 2 d: mu/mu_B = d / {1.0 / unit_factor:.2f} GeV^-1"
    else:
        unit_factor = 1.0
        units = "m_N in {} ; mu [mu_B] (convention A)"
        conv_unit = "mu in mu_B taken as convention A (factor 1)"
    units = units.format("MeV" if spec["x"] == 1.0 else "GeV")
    if spec["origin"] == "hnlimits":
        folder, version = _hnlimits_dipole_dir()
        paths = [folder / f for f in spec["files"]]
        origin = "; ".join(f"HNLimits {version}: include/data/dipole/{f}" for f in spec["files"])
    else:
        paths = [_DATA_DIR / f for f in spec["files"]]
        origin = "; ".join(f"radcevns/data/{f}" for f in spec["files"]) + " -- " + spec["digitised"]

    if spec["shape"] == "band":
        (xb, yb), (xt, yt) = (_read_columns(p) for p in paths)
        if xt[0] < xt[-1]:
            xt, yt = xt[::-1], yt[::-1]
        x, y = np.concatenate([xb, xt]), np.concatenate([yb, yt])
    else:
        x, y = _shape_points(*_read_columns(paths[0]), spec["shape"])

    moment_factor = unit_factor * cl_factor
    conversion = conv_unit
    if spec["x"] != 1.0:
        conversion += f"; m_N x {spec['x']:g} (GeV -> MeV)"
    if cl_factor != 1.0:
        conversion += f"; {spec['cl']:g} % -> 90 % CL: x sqrt(2.71/3.84) = {cl_factor:.4f} (1-dof chi^2 rule)"
    else:
        conversion += "; published at 90 % CL (no CL rescaling)"
    return ExistingLimit(
        name=spec["name"],
        kind=spec["kind"],
        m_N_MeV=x * spec["x"],
        mu_bohr=y * moment_factor,
        flavours=tuple(spec["flavours"]),
        process=spec["process"],
        source=spec["source"],
        bibkey=spec["bibkey"],
        cl=90.0,
        cl_original=spec["cl"],
        units_original=units,
        conversion=conversion,
        cl_factor=cl_factor,
        moment_factor=moment_factor,
        mass_factor=float(spec["x"]),
        data_origin=origin,
        category=spec.get("category", "laboratory"),
        label=spec["label"],
        notes=spec.get("notes", ""),
    )


@cache
def _all_limits():
    return tuple(_build(spec) for spec in _CATALOGUE)


def _check_flavour(flavour):
    if not isinstance(flavour, str) or flavour not in FLAVOURS:
        raise ValueError(f"flavour must be one of {FLAVOURS}, got {flavour!r}")
    return flavour


def available_limits(flavour=None):
    """Names of the limits in the catalogue, optionally only those applying to ``flavour``."""
    if flavour is None:
        return [spec["name"] for spec in _CATALOGUE]
    flavour = _check_flavour(flavour)
    return [spec["name"] for spec in _CATALOGUE if flavour in spec["flavours"]]


def existing_limits(flavour="e", names=None, categories=None):
    """Existing limits on mu_{nu_alpha N} versus m_N, converted to convention A and 90 % CL.

    Parameters
    ----------
    flavour : {"e", "mu", "tau"}
        Flavour alpha of the active neutrino. ``"e"`` (default) is the one probed by reactor
        antineutrinos. Flavour-universal limits (astrophysics, cosmology, solar neutrinos, LEP/LHC) are
        included for every flavour.
    names : sequence of str, optional
        Keep only these limits (see :func:`available_limits`), in catalogue order.
    categories : sequence of str, optional
        Keep only these categories (subset of :data:`CATEGORIES`), e.g. ``("laboratory",)``.

    Returns
    -------
    list of ExistingLimit
        Masses in MeV, moments in Bohr magnetons (convention A, ``L > (mu/2) nubar sigma N F + h.c.``,
        Gamma_Dirac = mu^2 m_N^3 / (16 pi)), all at 90 % CL.
    """
    flavour = _check_flavour(flavour)
    selected = [lim for lim in _all_limits() if flavour in lim.flavours]
    if categories is not None:
        categories = [categories] if isinstance(categories, str) else list(categories)
        bad = [c for c in categories if c not in CATEGORIES]
        if bad:
            raise ValueError(f"categories must be a subset of {CATEGORIES}, got {bad}")
        selected = [lim for lim in selected if lim.category in categories]
    if names is not None:
        wanted = [names] if isinstance(names, str) else list(names)
        known = {lim.name for lim in selected}
        unknown = [n for n in wanted if n not in known]
        if unknown:
            raise ValueError(f"names contains limits not available for this selection: {unknown}")
        selected = [lim for lim in selected if lim.name in wanted]
    return selected


def _upper_limits(limits, flavour):
    if limits is None:
        limits = existing_limits(flavour)
    return [lim for lim in limits if lim.kind == "upper"]


def strongest_limit(m_N_MeV, flavour="e", limits=None):
    """Lowest upper limit on mu (mu_B, convention A, 90 % CL) at each mass among the ``"upper"`` curves.

    Each curve is interpolated linearly in (log m_N, log mu) inside its own mass range; outside every
    range the result is ``np.inf`` (no upper-limit curve covers that mass). Closed regions (BBN,
    SN1987A, ...) are not used; see :func:`excluding_limits`.

    Parameters
    ----------
    m_N_MeV : array_like
        Sterile-neutrino mass in MeV (> 0).
    flavour : {"e", "mu", "tau"}
        Used when ``limits`` is None.
    limits : sequence of ExistingLimit, optional
        Curves to combine (default: ``existing_limits(flavour)``).

    Returns
    -------
    float or ndarray
        Upper limit on mu in Bohr magnetons, ``inf`` where no curve applies.
    """
    m = as_array(m_N_MeV, "m_N_MeV", positive=True)
    best = np.full(m.shape, np.inf)
    logm = np.log(m)
    for lim in _upper_limits(limits, flavour):
        inside = (m >= lim.m_N_MeV[0]) & (m <= lim.m_N_MeV[-1])
        if not np.any(inside):
            continue
        value = np.exp(np.interp(logm, np.log(lim.m_N_MeV), np.log(lim.mu_bohr)))
        best = np.where(inside, np.minimum(best, value), best)
    return scalar_or_array(best)


def _inside_polygon(x, y, px, py):
    """Even-odd ray casting: is the point (x, y) inside the polygon (px, py)?"""
    inside = False
    n = len(px)
    j = n - 1
    for i in range(n):
        if (py[i] > y) != (py[j] > y):
            x_cross = px[i] + (y - py[i]) * (px[j] - px[i]) / (py[j] - py[i])
            if x < x_cross:
                inside = not inside
        j = i
    return inside


def excluding_limits(m_N_MeV, mu_bohr, flavour="e", limits=None):
    """Names of the limits that exclude the point (m_N [MeV], mu [mu_B]).

    An ``"upper"`` curve excludes the point if m_N lies in its mass range and mu is above it; a
    ``"region"`` excludes it if the point is inside the polygon (tested in log-log coordinates).
    """
    m = float(as_array(m_N_MeV, "m_N_MeV", positive=True))
    mu = float(as_array(mu_bohr, "mu_bohr", positive=True))
    if limits is None:
        limits = existing_limits(flavour)
    names = []
    for lim in limits:
        if lim.kind == "upper":
            if lim.m_N_MeV[0] <= m <= lim.m_N_MeV[-1]:
                bound = np.exp(np.interp(np.log(m), np.log(lim.m_N_MeV), np.log(lim.mu_bohr)))
                if mu >= bound:
                    names.append(lim.name)
        elif _inside_polygon(math.log(m), math.log(mu), np.log(lim.m_N_MeV), np.log(lim.mu_bohr)):
            names.append(lim.name)
    return names


# --------------------------------------------------------------------------------------------------
# Plotting (matplotlib imported lazily)
# --------------------------------------------------------------------------------------------------


def _label_position(lim, xlim, ylim):
    hint = _LABEL_XY.get(lim.name)
    if hint is not None and xlim[0] <= hint[0] <= xlim[1] and ylim[0] <= hint[1] <= ylim[1]:
        return hint
    m, mu = lim.m_N_MeV, lim.mu_bohr
    visible = (m >= xlim[0]) & (m <= xlim[1]) & (mu >= ylim[0]) & (mu <= ylim[1])
    if not np.any(visible):
        return None
    i = np.flatnonzero(visible)[np.argmin(mu[visible])]
    return m[i], mu[i] * 1.4


def plot_existing_limits(
    ax,
    limits=None,
    *,
    flavour="e",
    labels=True,
    xlim=DEFAULT_M_RANGE_MEV,
    ylim=DEFAULT_MU_RANGE_BOHR,
    facecolor="0.80",
    astro_facecolor="0.92",
    edgecolor="0.25",
    linewidth=1.0,
    fontsize=7,
    **style,
):
    """Draw existing limits as light-grey filled regions with solid edges (paper style).

    Laboratory limits are filled with ``facecolor``, astrophysical and cosmological ones (which rest
    on stellar or cosmological modelling) with the lighter ``astro_facecolor`` underneath, so that the
    region excluded only by astrophysics or cosmology stays distinguishable. Every edge is a solid
    line. Projections go on top with :func:`plot_projection` (dashed).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes to draw on; set to log-log with m_N [MeV] on x and mu [mu_B] on y.
    limits : sequence of ExistingLimit, optional
        Default: ``existing_limits(flavour)``.
    flavour : {"e", "mu", "tau"}
        Used when ``limits`` is None.
    labels : bool
        Write each limit's ``label`` next to it.
    xlim, ylim : (float, float) or None
        Axis ranges (default 0.01-10 MeV and 1e-12-1e-5 mu_B); None leaves the axis range alone.
    facecolor, astro_facecolor, edgecolor, linewidth, fontsize
        Style of fills, edges and labels. Further keyword arguments go to the edge lines.

    Returns
    -------
    list of ExistingLimit
        The limits drawn.
    """
    if limits is None:
        limits = existing_limits(flavour)
    limits = list(limits)
    ax.set_xscale("log")
    ax.set_yscale("log")
    if xlim is not None:
        ax.set_xlim(*xlim)
    if ylim is not None:
        ax.set_ylim(*ylim)
    x_range = ax.get_xlim()
    y_range = ax.get_ylim()
    top = 10.0 * max(y_range[1], 1.0)
    ordered = [lim for lim in limits if lim.category != "laboratory"] + [
        lim for lim in limits if lim.category == "laboratory"
    ]
    for lim in ordered:
        m, mu = lim.m_N_MeV, lim.mu_bohr
        if lim.kind == "upper":
            px = np.concatenate([[m[0]], m, [m[-1]]])
            py = np.concatenate([[top], mu, [top]])
        else:
            px, py = m, mu
        face = facecolor if lim.category == "laboratory" else astro_facecolor
        ax.fill(px, py, facecolor=face, edgecolor="none", zorder=1)
    for lim in limits:
        line_style = dict(color=edgecolor, linewidth=linewidth, linestyle="-", zorder=2)
        line_style.update(style)
        if lim.kind == "upper":
            ax.plot(lim.m_N_MeV, lim.mu_bohr, **line_style)
        else:
            ax.plot(
                np.append(lim.m_N_MeV, lim.m_N_MeV[0]), np.append(lim.mu_bohr, lim.mu_bohr[0]), **line_style
            )
    if labels:
        for lim in limits:
            if not lim.label:
                continue
            pos = _label_position(lim, x_range, y_range)
            if pos is not None:
                ax.text(pos[0], pos[1], lim.label, fontsize=fontsize, color=edgecolor, zorder=3)
    ax.set_xlim(*x_range)
    ax.set_ylim(*y_range)
    if not ax.get_xlabel():
        ax.set_xlabel(r"$m_N$ [MeV]")
    if not ax.get_ylabel():
        ax.set_ylabel(r"$\mu_{\nu N}$ [$\mu_B$]")
    return limits


def plot_projection(ax, m_N, mu, label=None, **style):
    """Draw a projected sensitivity as a dashed line (paper style: projections dashed, limits solid).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    m_N : array_like
        Masses in MeV (> 0).
    mu : array_like
        Moments in mu_B (> 0; ``np.inf`` allowed where there is no sensitivity), same shape as ``m_N``.
    label : str, optional
        Legend label.
    **style
        Passed to ``ax.plot``; ``linestyle`` defaults to ``"--"``.

    Returns
    -------
    matplotlib.lines.Line2D
    """
    m = as_array(m_N, "m_N", positive=True)
    y = as_array(mu, "mu", positive=True, finite=False)
    if m.shape != y.shape:
        raise ValueError("m_N and mu must have the same shape")
    style.setdefault("linestyle", "--")
    (line,) = ax.plot(m, np.where(np.isfinite(y), y, np.nan), label=label, **style)
    return line


# --------------------------------------------------------------------------------------------------
# nu e -> N e through the transition moment: validity range of the m_N -> 0 lines
# --------------------------------------------------------------------------------------------------


def nu_e_upscattering_T_range(E_nu_MeV, m_N_MeV):
    """Kinematic range (T_min, T_max) in MeV of the electron kinetic energy in nu e -> N e.

    Electron at rest; (0, 0) below the threshold ``E_nu = m_N + m_N^2 / (2 m_e)``.
    """
    E = as_array(E_nu_MeV, "E_nu_MeV", positive=True)
    m = as_array(m_N_MeV, "m_N_MeV", nonnegative=True)
    E, m = np.broadcast_arrays(E, m)
    me = M_ELECTRON
    s = me * me + 2.0 * me * E
    rs = np.sqrt(s)
    open_ = rs > me + m
    e_in = (s + me * me) / (2.0 * rs)
    p_in = (s - me * me) / (2.0 * rs)
    e_out = (s + me * me - m * m) / (2.0 * rs)
    p_out = np.sqrt(np.clip(e_out * e_out - me * me, 0.0, None))
    t_lo = np.clip((e_in * e_out - p_in * p_out - me * me) / me, 0.0, None)
    t_hi = (e_in * e_out + p_in * p_out - me * me) / me
    t_lo = np.where(open_, t_lo, 0.0)
    t_hi = np.where(open_, t_hi, 0.0)
    return scalar_or_array(t_lo), scalar_or_array(t_hi)


def _bracket(E, m, T):
    """dsigma/dT / (alpha mu^2) in MeV^-1 (valid inside the kinematic range)."""
    me = M_ELECTRON
    return (
        1.0 / T
        - 1.0 / E
        + m * m * (T - 2.0 * E - me) / (4.0 * E * E * T * me)
        + m**4 * (T - me) / (8.0 * E * E * T * T * me * me)
    )


def _bracket_integral(E, m, T):
    """Antiderivative of :func:`_bracket` in T."""
    me = M_ELECTRON
    lt = np.log(T)
    return (
        lt
        - T / E
        + m * m / (4.0 * E * E * me) * (T - (2.0 * E + me) * lt)
        + m**4 / (8.0 * E * E * me * me) * (lt + me / T)
    )


def nu_e_upscattering_dsigma_dT(E_nu_MeV, T_e_MeV, m_N_MeV, mu_bohr=1.0):
    """Differential cross section dsigma/dT_e in cm^2/MeV for nu e -> N e through the transition moment.

    Convention A (``L > (mu/2) nubar sigma N F + h.c.``), electron at rest and free::

        dsigma/dT = alpha mu^2 [ 1/T - 1/E + m_N^2 (T - 2E - m_e) / (4 E^2 T m_e)
                                 + m_N^4 (T - m_e) / (8 E^2 T^2 m_e^2) ],

    which for m_N -> 0 is the diagonal magnetic-moment formula (pi alpha^2 mu_hat^2 / m_e^2)(1/T - 1/E)
    used by reactor and solar experiments. Exactly 0 outside the kinematic range.

    Parameters
    ----------
    E_nu_MeV, T_e_MeV : array_like
        Neutrino energy and electron kinetic energy in MeV (> 0).
    m_N_MeV : array_like
        Sterile-neutrino mass in MeV (>= 0).
    mu_bohr : array_like
        Transition moment in Bohr magnetons.
    """
    E = as_array(E_nu_MeV, "E_nu_MeV", positive=True)
    T = as_array(T_e_MeV, "T_e_MeV", positive=True)
    m = as_array(m_N_MeV, "m_N_MeV", nonnegative=True)
    mu = as_array(mu_bohr, "mu_bohr", nonnegative=True)
    E, T, m, mu = np.broadcast_arrays(E, T, m, mu)
    t_lo, t_hi = (np.asarray(v) for v in nu_e_upscattering_T_range(E, m))
    allowed = (T >= t_lo) & (T <= t_hi) & (t_hi > 0)
    value = np.where(allowed, _bracket(E, m, T), 0.0)
    value = np.clip(value, 0.0, None)
    mu_nat = mu * MU_B_PER_MEV
    return scalar_or_array(ALPHA * mu_nat * mu_nat * value * MEV2_TO_CM2)


def _window_integral(E, m, t_min, t_max):
    lo, hi = (np.asarray(v) for v in nu_e_upscattering_T_range(E, m))
    a = np.maximum(lo, t_min)
    b = np.minimum(hi, t_max)
    ok = (b > a) & (hi > 0)
    a = np.where(ok, a, 1.0)
    b = np.where(ok, b, 1.0)
    return np.where(ok, _bracket_integral(E, m, b) - _bracket_integral(E, m, a), 0.0)


def nu_e_upscattering_rate_ratio(m_N_MeV, E_nu_MeV, T_min_MeV, T_max_MeV=np.inf, weights=None):
    """Ratio of the nu e -> N e rate at mass m_N to the m_N = 0 rate, in a recoil window.

    ``R(m_N) = sum_i w_i int_window dsigma(E_i, m_N) / sum_i w_i int_window dsigma(E_i, 0)``, the
    integral running over T_min < T_e < T_max intersected with the kinematic range. Used to decide up
    to which m_N an effective-moment limit (m_N -> 0) can be drawn unchanged.

    Parameters
    ----------
    m_N_MeV : array_like
        Sterile-neutrino masses in MeV (>= 0).
    E_nu_MeV : array_like
        Neutrino energies in MeV (a line, or a grid for a spectrum).
    T_min_MeV, T_max_MeV : float
        Analysis window in electron kinetic energy, MeV (0 < T_min < T_max).
    weights : array_like, optional
        Flux weights per energy (e.g. spectrum times bin width); default equal weights.

    Returns
    -------
    float or ndarray
        The ratio (1 at m_N = 0; exactly 0 when no energy can produce N in the window).
    """
    m = as_array(m_N_MeV, "m_N_MeV", nonnegative=True)
    E = np.atleast_1d(as_array(E_nu_MeV, "E_nu_MeV", positive=True))
    t_min = float(as_array(T_min_MeV, "T_min_MeV", positive=True))
    t_max = float(as_array(T_max_MeV, "T_max_MeV", positive=True, finite=False))
    if t_max <= t_min:
        raise ValueError("T_max_MeV must be larger than T_min_MeV")
    w = np.ones_like(E) if weights is None else np.atleast_1d(as_array(weights, "weights", nonnegative=True))
    if w.shape != E.shape:
        raise ValueError("weights must have the same shape as E_nu_MeV")
    reference = np.sum(w * _window_integral(E, 0.0, t_min, t_max))
    if reference <= 0:
        raise ValueError("no m_N = 0 events in the window: check E_nu_MeV, T_min_MeV, T_max_MeV")
    ratio = np.array([np.sum(w * _window_integral(E, mi, t_min, t_max)) for mi in m.ravel()]) / reference
    return scalar_or_array(ratio.reshape(m.shape))
