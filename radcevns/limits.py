"""Existing limits on the active-sterile transition magnetic moment in the (m_N, mu) plane.

Every curve is returned in the plane (m_N [MeV], mu_{nu_alpha N} [mu_B]) in **convention A** (the
convention of the introduction of the book and of :mod:`radcevns.conventions`)::

    L  >  (mu / 2) * nubar_L sigma^{ab} N_R F_ab + h.c.,    Gamma_Dirac(N -> nu gamma) = mu^2 m_N^3 / (16 pi),

(Majorana N: twice that width) and at **90 % CL**. Plotting helpers live in :mod:`radcevns.plotting`.

Where the curves come from
--------------------------
The catalogue is data, not code: ``radcevns/data/existing_limits.toml`` has one table per limit
(source, arXiv number, bibkey, flavours, CL as published, units of the files, shape, category, label),
and ``radcevns/data/README.md`` describes every data file. This module reads it (:func:`load_catalogue`)
and converts the curves.

* Most curves are read at run time from the digitised dipole-portal limits shipped with the PyPI package
  ``HNLimits`` (1.2.0, folder ``HNLimits/include/data/dipole/``); nothing is copied. Their files give
  either the dipole ``d`` of Magill et al. (``L > d nubar sigma N F``) in GeV^-1, converted with
  ``mu = 2 d``, i.e. ``mu/mu_B = d / 148.15 GeV^-1``
  (:func:`radcevns.conventions.dipole_d_per_gev_to_mu_bohr`), or ``mu`` directly in mu_B (taken as
  convention A, as HNLimits does). Masses are in GeV or MeV depending on the file. The metadata
  spreadsheet of the HNLimits repository is not part of the wheel, so units, CL and sources are taken
  from the file headers (checked against the source papers and the source figures shipped next to the
  files).
* Curves HNLimits lacks and that matter below a few MeV live in ``radcevns/data/limits_*.dat`` (headers
  give source, units, CL, conversion and how they were obtained): the m_N -> 0 effective-moment limits of
  GEMMA, TEXONO and Borexino drawn as horizontal lines up to a computed validity mass, and the stellar
  cooling region and the low-mass (m_N < 1.1 MeV) part of the Borexino curve, digitised here from the
  vector graphics of Fig. 1 of arXiv:2007.15563 (the copy shipped with HNLimits).

HNLimits is imported only when a curve is first built, not when this module is imported.

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
diagonal magnetic-moment one, so an effective-moment bound mu_eff (mu_eff^2 = sum_j ``|mu_ej|^2``) also bounds
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
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, scalar_or_array
from .constants import ALPHA, M_ELECTRON, MEV2_TO_CM2, MU_B_PER_MEV
from .conventions import dipole_d_per_gev_to_mu_bohr

__all__ = [
    "CL95_TO_CL90",
    "POISSON_CL95_TO_CL90",
    "FLAVOURS",
    "CATEGORIES",
    "DEFAULT_M_RANGE_MEV",
    "DEFAULT_MU_RANGE_BOHR",
    "DATA_DIR",
    "CATALOGUE_FILE",
    "ExistingLimit",
    "load_catalogue",
    "available_limits",
    "existing_limits",
    "strongest_limit",
    "excluding_limits",
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
#: Folder of the data files shipped with the package (see its README.md).
DATA_DIR = Path(__file__).resolve().parent / "data"
#: The catalogue of existing limits read by :func:`existing_limits`.
CATALOGUE_FILE = DATA_DIR / "existing_limits.toml"

_KINDS = ("upper", "region")
_SHAPES = ("curve", "lower_branch", "polygon", "band")
_ORIGINS = ("hnlimits", "radcevns")
_MOMENTS = ("d_per_GeV", "mu_bohr")
_MASS_FACTORS = {"MeV": 1.0, "GeV": 1e3}
_CL_FACTORS = {90.0: 1.0, 95.0: CL95_TO_CL90}
_REQUIRED = (
    "name",
    "kind",
    "flavours",
    "process",
    "source",
    "bibkey",
    "cl",
    "origin",
    "files",
    "mass_unit",
    "moment",
    "shape",
    "label",
)


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
        Confidence level after conversion (always 90) and as published, in %.
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
        Text written next to the curve by :func:`radcevns.plotting.plot_existing_limits` ("" for none).
    notes : str
        Caveats.
    label_xy : (float, float) or None
        Preferred label position (m_N [MeV], mu [mu_B]) for plots; None: placed automatically.
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
    label_xy: tuple | None = None

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
        if self.label_xy is not None:
            xy = tuple(float(v) for v in self.label_xy)
            if len(xy) != 2:
                raise ValueError(f"label_xy must be a pair (m_N_MeV, mu_bohr), got {self.label_xy!r}")
            object.__setattr__(self, "label_xy", xy)
        m = m.copy()
        mu = mu.copy()
        m.setflags(write=False)
        mu.setflags(write=False)
        object.__setattr__(self, "m_N_MeV", m)
        object.__setattr__(self, "mu_bohr", mu)

    @property
    def m_range_MeV(self) -> tuple[float, float]:
        """(smallest, largest) mass in MeV covered by the curve or polygon."""
        return float(self.m_N_MeV.min()), float(self.m_N_MeV.max())


# --------------------------------------------------------------------------------------------------
# Catalogue (radcevns/data/existing_limits.toml)
# --------------------------------------------------------------------------------------------------


def _read_toml(path):
    with open(path, "rb") as stream:
        return tomllib.load(stream)


def _check_spec(spec, where):
    """Validate one [[limit]] table; raise ValueError naming the limit and the field."""
    name = spec.get("name", "?")
    missing = [key for key in _REQUIRED if key not in spec]
    if missing:
        raise ValueError(f"{where}: limit {name!r} lacks the fields {missing}")
    allowed = {
        "kind": _KINDS,
        "origin": _ORIGINS,
        "moment": _MOMENTS,
        "shape": _SHAPES,
        "mass_unit": tuple(_MASS_FACTORS),
        "category": CATEGORIES,
    }
    for key, values in allowed.items():
        if key in spec and spec[key] not in values:
            raise ValueError(f"{where}: limit {name!r}: {key} must be one of {values}, got {spec[key]!r}")
    if float(spec["cl"]) not in _CL_FACTORS:
        raise ValueError(
            f"{where}: limit {name!r}: cl must be one of {tuple(_CL_FACTORS)}, got {spec['cl']!r}"
        )
    bad = [f for f in spec["flavours"] if f not in FLAVOURS]
    if bad:
        raise ValueError(f"{where}: limit {name!r}: flavours must be a subset of {FLAVOURS}, got {bad}")
    if len(spec["files"]) != (2 if spec["shape"] == "band" else 1):
        raise ValueError(f"{where}: limit {name!r}: files must hold two files for a band, else one")
    if spec["origin"] == "radcevns" and "digitised" not in spec:
        raise ValueError(f"{where}: limit {name!r}: a radcevns data file needs the field 'digitised'")


@cache
def _catalogue(path):
    """The [[limit]] tables of a catalogue file and its [hnlimits] table, validated."""
    data = _read_toml(path)
    specs = tuple(data.get("limit", ()))
    if not specs:
        raise ValueError(f"{path}: no [[limit]] table")
    names = [spec.get("name") for spec in specs]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: limit names must be unique")
    for spec in specs:
        _check_spec(spec, Path(path).name)
    return specs, data.get("hnlimits", {})


def _hnlimits_dipole_dir(folder):
    """Folder of the HNLimits dipole limit files, and the installed HNLimits version string."""
    import importlib.metadata as _metadata
    import importlib.resources as _resources

    try:
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
    return Path(str(root.joinpath(*folder.split("/")))), version


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
    return x, y  # "polygon"


def _build(spec, data_dir, hnlimits):
    """Read the files of one catalogue entry and convert them to (MeV, mu_B, convention A, 90 % CL)."""
    cl = float(spec["cl"])
    cl_factor = _CL_FACTORS[cl]
    mass_factor = _MASS_FACTORS[spec["mass_unit"]]
    if spec["moment"] == "d_per_GeV":
        unit_factor = float(dipole_d_per_gev_to_mu_bohr(1.0))
        units = "m_N in {} ; d [GeV^-1] (L > d nubar sigma N F + h.c., Magill et al.)"
        conv_unit = f"mu = 2 d: mu/mu_B = d / {1.0 / unit_factor:.2f} GeV^-1"
    else:
        unit_factor = 1.0
        units = "m_N in {} ; mu [mu_B] (convention A)"
        conv_unit = "mu in mu_B taken as convention A (factor 1)"
    units = units.format(spec["mass_unit"])
    if spec["origin"] == "hnlimits":
        hnl_folder = hnlimits.get("folder", "include/data/dipole")
        folder, version = _hnlimits_dipole_dir(hnl_folder)
        paths = [folder / f for f in spec["files"]]
        origin = "; ".join(f"HNLimits {version}: {hnl_folder}/{f}" for f in spec["files"])
    else:
        paths = [Path(data_dir) / f for f in spec["files"]]
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
    if mass_factor != 1.0:
        conversion += f"; m_N x {mass_factor:g} (GeV -> MeV)"
    if cl_factor != 1.0:
        conversion += f"; {cl:g} % -> 90 % CL: x sqrt(2.71/3.84) = {cl_factor:.4f} (1-dof chi^2 rule)"
    else:
        conversion += "; published at 90 % CL (no CL rescaling)"
    label_xy = spec.get("label_xy")
    return ExistingLimit(
        name=spec["name"],
        kind=spec["kind"],
        m_N_MeV=x * mass_factor,
        mu_bohr=y * moment_factor,
        flavours=tuple(spec["flavours"]),
        process=spec["process"],
        source=spec["source"],
        bibkey=spec["bibkey"],
        cl=90.0,
        cl_original=cl,
        units_original=units,
        conversion=conversion,
        cl_factor=cl_factor,
        moment_factor=moment_factor,
        mass_factor=mass_factor,
        data_origin=origin,
        category=spec.get("category", "laboratory"),
        label=spec["label"],
        notes=spec.get("notes", ""),
        label_xy=None if label_xy is None else tuple(label_xy),
    )


@cache
def _load(path):
    specs, hnlimits = _catalogue(path)
    return tuple(_build(spec, Path(path).parent, hnlimits) for spec in specs)


def load_catalogue(path: str | Path | None = None) -> tuple[ExistingLimit, ...]:
    """Read a catalogue of existing limits and convert every curve.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        TOML file with one ``[[limit]]`` table per limit (format described in the header of
        ``radcevns/data/existing_limits.toml``); files of origin ``"radcevns"`` are looked up next to
        it. Default: :data:`CATALOGUE_FILE`.

    Returns
    -------
    tuple of ExistingLimit
        In file order; masses in MeV, moments in Bohr magnetons (convention A), 90 % CL.

    Raises
    ------
    ValueError
        If a table lacks a field or has a value outside the allowed ones.
    ImportError
        If a curve comes from HNLimits and the package is not installed.
    """
    return _load(Path(CATALOGUE_FILE if path is None else path).resolve())


def _all_limits():
    return load_catalogue()


def _names(flavour=None):
    specs, _ = _catalogue(CATALOGUE_FILE.resolve())
    return [spec["name"] for spec in specs if flavour is None or flavour in spec["flavours"]]


def _check_flavour(flavour):
    if not isinstance(flavour, str) or flavour not in FLAVOURS:
        raise ValueError(f"flavour must be one of {FLAVOURS}, got {flavour!r}")
    return flavour


def available_limits(flavour: str | None = None) -> list[str]:
    """Names of the limits in the catalogue, optionally only those applying to ``flavour``.

    Reads only the catalogue file (HNLimits is not needed).

    Parameters
    ----------
    flavour : {"e", "mu", "tau"}, optional
        Keep only the limits on mu_{nu_alpha N} for this flavour alpha.

    Returns
    -------
    list of str
        Names in catalogue order.
    """
    if flavour is None:
        return _names()
    return _names(_check_flavour(flavour))


def existing_limits(
    flavour: str = "e",
    names: str | Sequence[str] | None = None,
    categories: str | Sequence[str] | None = None,
) -> list[ExistingLimit]:
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


def strongest_limit(
    m_N_MeV: ArrayLike, flavour: str = "e", limits: Sequence[ExistingLimit] | None = None
) -> float | np.ndarray:
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


def excluding_limits(
    m_N_MeV: float, mu_bohr: float, flavour: str = "e", limits: Sequence[ExistingLimit] | None = None
) -> list[str]:
    """Names of the limits that exclude the point (m_N [MeV], mu [mu_B]).

    An ``"upper"`` curve excludes the point if m_N lies in its mass range and mu is above it; a
    ``"region"`` excludes it if the point is inside the polygon (tested in log-log coordinates).

    Parameters
    ----------
    m_N_MeV : float
        Sterile-neutrino mass in MeV (> 0).
    mu_bohr : float
        Transition moment in Bohr magnetons (> 0, convention A).
    flavour : {"e", "mu", "tau"}
        Used when ``limits`` is None.
    limits : sequence of ExistingLimit, optional
        Limits to test (default: ``existing_limits(flavour)``).

    Returns
    -------
    list of str
        Names of the excluding limits, in the order of ``limits``.
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
# nu e -> N e through the transition moment: validity range of the m_N -> 0 lines
# --------------------------------------------------------------------------------------------------


def nu_e_upscattering_T_range(
    E_nu_MeV: ArrayLike, m_N_MeV: ArrayLike
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """Kinematic range (T_min, T_max) in MeV of the electron kinetic energy in nu e -> N e.

    Electron at rest; (0, 0) below the threshold ``E_nu = m_N + m_N^2 / (2 m_e)``.

    Parameters
    ----------
    E_nu_MeV : array_like
        Neutrino energy in MeV (> 0).
    m_N_MeV : array_like
        Sterile-neutrino mass in MeV (>= 0), broadcast against ``E_nu_MeV``.

    Returns
    -------
    (float or ndarray, float or ndarray)
        Smallest and largest electron kinetic energy in MeV.
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


def nu_e_upscattering_dsigma_dT(
    E_nu_MeV: ArrayLike, T_e_MeV: ArrayLike, m_N_MeV: ArrayLike, mu_bohr: ArrayLike = 1.0
) -> float | np.ndarray:
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
        Transition moment in Bohr magnetons (convention A).

    Returns
    -------
    float or ndarray
        dsigma/dT_e in cm^2/MeV, exactly 0 outside the kinematic range.
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


def nu_e_upscattering_rate_ratio(
    m_N_MeV: ArrayLike,
    E_nu_MeV: ArrayLike,
    T_min_MeV: float,
    T_max_MeV: float = np.inf,
    weights: ArrayLike | None = None,
) -> float | np.ndarray:
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
