"""Reactor CEvNS experiments as data: a registry of TOML files with every number sourced.

Each experiment is one file in ``radcevns/data/experiments/`` (TOML, read with the standard-library
:mod:`tomllib`): the reactor cores (thermal power, distance with its unit, fuel), the target
crystals, the readout (calorimetric, or ionisation with quenching, threshold and resolution in
eVee and an optional efficiency curve), the region of interest, the data set (exposure of a
published or planned run), the background level, the photon geometry that decides whether the
photon of ``N -> nu gamma`` can be seen (``"veto"``: an instrumented veto around the target;
``"target"``: the other crystals of the target array; ``"none"``: no photon detector), and the
published CEvNS numbers.  Every number is a quantity ``{ value = ..., unit = "...", source = "..." }``
or carries ``assumption = "..."`` (our choice and why) instead of a source.

* :func:`names` lists the shipped experiments, :func:`get` loads one by name, :func:`load` reads a
  user's own file; a file that breaks the schema raises :class:`ExperimentFileError` naming the file,
  the key and the problem (unknown key, missing or wrong unit, negative mass, threshold above the
  largest observable energy, ...).
* :class:`Experiment` turns the file into a :class:`radcevns.detector.Detector`, a flux
  (:class:`radcevns.flux.Site` of :class:`radcevns.flux.Reactor` cores), the background keywords of
  :func:`radcevns.sensitivity.limit`, the SM CEvNS expectation of the data set
  (:meth:`Experiment.expected_cevns`) and its limit curves (:meth:`Experiment.limit_curve`).

The file format is documented in ``radcevns/data/README.md`` and in the header of every file.

Limitations: the flat background of an ionisation detector is per keVee in the Primakoff fit (bins in
observed energy), but the accidental-coincidence rate of :mod:`radcevns.backgrounds` integrates it per
keV over the recoil-equivalent window (an overestimate of the flat part by the Jacobian, about 4 for
germanium; it matters for TEXONO only, the one ionisation detector with a photon veto).  Trigger
efficiencies are applied at the mean observed energy.

Units at the API: MeV, cm, kg, days; exposures in kg day (reactor on) or kg yr (calendar, the
convention of :mod:`radcevns.sensitivity`).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np

from .backgrounds import DAYS_PER_YEAR
from .detector import Detector, Lindhard, Readout, StochasticResolution, TabulatedQuenching
from .flux import Reactor, Site
from .nuclear import Element, Nucleus, as_target, target_arrays
from .rates import cevns_rate

__all__ = [
    "DATA_DIR",
    "GEOMETRIES",
    "CEvNSExpectation",
    "Core",
    "Experiment",
    "ExperimentFileError",
    "PublishedValue",
    "get",
    "load",
    "names",
]

#: Folder of the shipped experiment files.
DATA_DIR = Path(__file__).resolve().parent / "data" / "experiments"
#: Photon geometries: instrumented veto, the target array itself, or no photon detection.
GEOMETRIES = ("veto", "target", "none")

# unit -> (multiplier, divisor) to the internal unit; dividing keeps decimal inputs exact (6.8 g)
_UNITS = {
    "energy_nr": {
        "eV": (1.0, 1e6),
        "eVnr": (1.0, 1e6),
        "keV": (1.0, 1e3),
        "keVnr": (1.0, 1e3),
        "MeV": (1.0, 1.0),
    },
    "energy_ee": {"eVee": (1.0, 1e6), "keVee": (1.0, 1e3)},
    "photon_energy": {"keV": (1.0, 1e3), "MeV": (1.0, 1.0)},
    "length": {"cm": (1.0, 1.0), "m": (100.0, 1.0)},
    "mass": {"g": (1.0, 1e3), "kg": (1.0, 1.0)},
    "power": {"MW": (1.0, 1e3), "GW": (1.0, 1.0)},
    "time_days": {"d": (1.0, 1.0), "yr": (DAYS_PER_YEAR, 1.0)},
    "exposure": {"kg d": (1.0, 1.0), "g d": (1.0, 1e3), "kg yr": (DAYS_PER_YEAR, 1.0)},
    "fraction": {"1": (1.0, 1.0)},
    "background": {"1/(keV kg d)": (1.0, 1.0), "1/(keVee kg d)": (1.0, 1.0)},
    "rate_hz": {"Hz": (1.0, 1.0)},
    "time_s": {"s": (1.0, 1.0), "us": (1.0, 1e6)},
    "published": {"events": (1.0, 1.0), "events/(kg d)": (1.0, 1.0), "x SM": (1.0, 1.0)},
}

_SECTIONS = {
    "experiment": {"name", "title", "site", "status", "references", "description"},
    "cores": {"name", "power", "distance", "fuel", "fuel_source", "on_days", "off_days"},
    "crystals": {"target", "mass"},
    "readout": {"kind", "threshold", "resolution", "quenching", "efficiency"},
    "roi": {"low", "high"},
    "photon": {
        "geometry",
        "why",
        "decay_length",
        "efficiency",
        "window_low",
        "window_high",
        "resolution_1MeV",
    },
    "dataset": {"label", "exposure_on", "calendar_time", "reactor_duty", "live_fraction"},
    "background": {"flat", "veto_rate", "coincidence_window"},
    "published": {"kind", "value", "uncertainty", "unit", "source", "note"},
}
_REQUIRED = {
    "experiment": {"name", "title", "site", "status"},
    "cores": {"power", "distance"},
    "crystals": {"target", "mass"},
    "readout": {"kind", "threshold", "resolution"},
    "roi": {"low", "high"},
    "photon": {"geometry", "why"},
    "dataset": {"label", "reactor_duty"},
    "background": {"flat"},
    "published": {"kind", "value", "unit", "source"},
}
_QUANTITY_KEYS = {"value", "unit", "source", "assumption"}
_FUELS = ("daya_bay", "juno", "u235")
_PUBLISHED_KINDS = ("measured", "predicted", "limit")


class ExperimentFileError(ValueError):
    """A problem in an experiment file: the message names the file, the key and the problem."""


class _Reader:
    """Schema checks with errors that name the file and the key (internal)."""

    def __init__(self, label):
        self.label = label

    def fail(self, key, problem):
        raise ExperimentFileError(f"{self.label}: {key}: {problem}")

    def table(self, data, section, *, array=False):
        if section not in data:
            self.fail(f"[{section}]", "missing section")
        items = data[section]
        if array:
            if not isinstance(items, list) or not items:
                self.fail(f"[[{section}]]", "must be a non-empty array of tables")
        else:
            if not isinstance(items, dict):
                self.fail(f"[{section}]", "must be a table")
            items = [items]
        for i, item in enumerate(items):
            where = f"[[{section}]] #{i + 1}" if array else f"[{section}]"
            if not isinstance(item, dict):
                self.fail(where, "must be a table")
            unknown = sorted(set(item) - _SECTIONS[section])
            if unknown:
                self.fail(f"{where} {unknown[0]}", f"unknown key; allowed: {sorted(_SECTIONS[section])}")
            missing = sorted(_REQUIRED[section] - set(item))
            if missing:
                self.fail(f"{where} {missing[0]}", "missing key")
        return items if array else items[0]

    def string(self, item, key, where, choices=None):
        val = item.get(key)
        if not isinstance(val, str) or not val.strip():
            self.fail(f"{where} {key}", f"must be a non-empty string, got {val!r}")
        if choices is not None and val not in choices:
            self.fail(f"{where} {key}", f"must be one of {list(choices)}, got {val!r}")
        return val

    def quantity(self, item, key, where, dimension, *, positive=False, nonnegative=True, maximum=None):
        """Value of a quantity table in the internal unit, with its source (or assumption)."""
        q = item.get(key)
        name = f"{where} {key}"
        if not isinstance(q, dict):
            self.fail(name, "must be a table { value = ..., unit = ..., source = ... }")
        unknown = sorted(set(q) - _QUANTITY_KEYS)
        if unknown:
            self.fail(f"{name}.{unknown[0]}", f"unknown key; allowed: {sorted(_QUANTITY_KEYS)}")
        if "value" not in q:
            self.fail(name, "missing value")
        val = q["value"]
        if isinstance(val, bool) or not isinstance(val, int | float) or not math.isfinite(val):
            self.fail(f"{name}.value", f"must be a finite number, got {val!r}")
        if "unit" not in q:
            self.fail(name, f"missing unit (one of {sorted(_UNITS[dimension])})")
        if q["unit"] not in _UNITS[dimension]:
            self.fail(f"{name}.unit", f"unit {q['unit']!r} is not one of {sorted(_UNITS[dimension])}")
        src = [q.get(k) for k in ("source", "assumption") if k in q]
        if len(src) != 1 or not isinstance(src[0], str) or not src[0].strip():
            self.fail(name, "needs exactly one of source = '...' or assumption = '...' (non-empty)")
        if positive and not val > 0:
            self.fail(f"{name}.value", f"must be positive, got {val}")
        if nonnegative and val < 0:
            self.fail(f"{name}.value", f"must not be negative, got {val}")
        if maximum is not None and val > maximum:
            self.fail(f"{name}.value", f"must not exceed {maximum}, got {val}")
        mult, div = _UNITS[dimension][q["unit"]]
        return float(val) * mult / div if mult != 1.0 else float(val) / div


@dataclass(frozen=True)
class Core:
    """One reactor core: thermal power (GW), distance (cm) and fuel.

    ``fuel``: ``"daya_bay"`` (default) or ``"juno"`` fission fractions of a power reactor
    (:data:`radcevns.flux.FISSION_FRACTIONS`), or ``"u235"``: every fission on U-235 (a research reactor
    with enriched fuel).  ``on_days`` and ``off_days``: days of operation and outage during the data
    set, when published (the rates use the data set's ``reactor_duty``).
    """

    name: str
    power_GW: float
    distance_cm: float
    fuel: str = "daya_bay"
    on_days: float | None = None
    off_days: float | None = None

    @property
    def on_fraction(self) -> float | None:
        """``on_days / (on_days + off_days)`` when both are known, else None."""
        if self.on_days is None or self.off_days is None or self.on_days + self.off_days <= 0:
            return None
        return self.on_days / (self.on_days + self.off_days)

    def reactor(self, **kwargs) -> Reactor:
        """The :class:`radcevns.flux.Reactor` of this core (keywords go to it: ``model``, ``capture``)."""
        fractions = {"U235": 1.0} if self.fuel == "u235" else self.fuel
        return Reactor(self.power_GW, self.distance_cm, fractions=fractions, **kwargs)


@dataclass(frozen=True)
class PublishedValue:
    """A published CEvNS number: ``kind`` measured/predicted/limit, value, uncertainty, unit, source."""

    kind: str
    value: float
    unit: str
    source: str
    uncertainty: float | None = None
    note: str = ""


@dataclass(frozen=True)
class CEvNSExpectation:
    """SM CEvNS expectation of an experiment's data set next to the published numbers.

    Attributes
    ----------
    experiment : str
    counts : float
        Expected SM CEvNS events in the region of interest for the reactor-on exposure.
    rate_per_kg_day : float
        The same per kg per reactor-on day.
    exposure_kg_days : float
        Reactor-on exposure of the data set, kg day.
    roi_MeV : (float, float)
        Region of interest in observed energy (MeVee for ionisation), MeV.
    published : tuple of PublishedValue
    """

    experiment: str
    counts: float
    rate_per_kg_day: float
    exposure_kg_days: float
    roi_MeV: tuple
    published: tuple = ()

    def ratios(self) -> dict:
        """Published value over ours for each published count or rate (``x SM`` entries are skipped)."""
        out = {}
        for p in self.published:
            if p.unit == "events":
                out[p.kind] = p.value / self.counts
            elif p.unit == "events/(kg d)":
                out[p.kind] = p.value / self.rate_per_kg_day
        return out


@dataclass(frozen=True)
class Experiment:
    """One reactor CEvNS experiment read from its data file (see the module docstring).

    Attributes
    ----------
    name, title, site, status : str
    cores : tuple of Core
    detector : radcevns.detector.Detector
        Crystals, readout, photon side, duty and live fraction; ``exposure_days`` is the calendar
        time of the data set.
    roi_MeV : (float, float)
        Region of interest in observed energy, MeV.
    geometry : {"veto", "target", "none"}
        Where the photon of N -> nu gamma can be seen; ``why`` explains it.
    exposure_kg_days_on : float
        Reactor-on exposure of the data set, kg day.
    dataset : str
        Label of the data set.
    background : mapping
        Keywords of :class:`radcevns.backgrounds.BackgroundModel` for this experiment (read-only;
        :func:`get` returns one shared object per file).
    published : tuple of PublishedValue
    references : tuple of str
    path : pathlib.Path
    """

    name: str
    title: str
    site: str
    status: str
    cores: tuple
    detector: Detector
    roi_MeV: tuple
    geometry: str
    why: str
    exposure_kg_days_on: float
    dataset: str
    background: dict
    published: tuple = ()
    references: tuple = ()
    path: Path | None = field(default=None, compare=False)

    @property
    def sees_photon(self) -> bool:
        """Whether the photon of N -> nu gamma can be detected at all (geometry not ``"none"``)."""
        return self.geometry != "none"

    @property
    def exposure_kg_yr(self) -> float:
        """Calendar exposure (mass x calendar time) of the data set, kg yr (:mod:`radcevns.sensitivity`)."""
        det = self.detector
        return self.exposure_kg_days_on / (det.reactor_duty * det.live_fraction) / DAYS_PER_YEAR

    def flux(self, **kwargs) -> Site:
        """Flux of all cores at the detector (keywords go to every :class:`radcevns.flux.Reactor`)."""
        return Site([c.reactor(**kwargs) for c in self.cores])

    def expected_cevns(self, *, flux=None, form_factor: str = "helm") -> CEvNSExpectation:
        """SM CEvNS events in the region of interest for the data set's reactor-on exposure.

        Uses :func:`radcevns.rates.cevns_rate` on the detector (observed energy, quenching,
        resolution and efficiency of its readout) with the experiment's flux (or ``flux``).

        Examples
        --------
        >>> from radcevns import experiments
        >>> exp = experiments.get("CONUS+")
        >>> f"{exp.expected_cevns().counts:.0f} events"
        '319 events'
        """
        det = self.detector.replace(reactor_duty=1.0, live_fraction=1.0)
        fl = self.flux() if flux is None else flux
        lo, hi = self.roi_MeV
        per_day = float(cevns_rate(det, flux=fl, E_R_min=lo, E_R_max=hi, form_factor=form_factor))
        rate = per_day / det.mass_kg
        return CEvNSExpectation(
            self.name,
            rate * self.exposure_kg_days_on,
            rate,
            self.exposure_kg_days_on,
            self.roi_MeV,
            self.published,
        )

    def limit_curve(
        self,
        m_N,
        *,
        mode: str = "radiative",
        nature="dirac",
        exposure_kg_yr: float | None = None,
        **kwargs,
    ):
        """Expected limits on mu (mu_B) of :func:`radcevns.sensitivity.limit_curve` for this experiment.

        The experiment's flux and background keywords are used unless given; ``exposure_kg_yr``
        defaults to the data set's calendar exposure.  With no photon detection (geometry
        ``"none"``) the radiative limit is ``inf`` at every mass.
        """
        from .sensitivity import limit_curve

        kw = {**self.background, **kwargs}
        kw.setdefault("flux", self.flux())
        exp_ = self.exposure_kg_yr if exposure_kg_yr is None else exposure_kg_yr
        return limit_curve(m_N, self.detector, exp_, mode=mode, nature=nature, **kw)

    def describe(self) -> dict:
        """A flat dict for tables."""
        det = self.detector
        ro = det.readout
        unit = "eVee" if ro is not None and ro.kind == "ionisation" else "eV"
        thr = (ro.threshold_MeV if ro is not None else det.recoil_threshold_MeV) * 1e6
        return {
            "experiment": self.name,
            "site": self.site,
            "status": self.status,
            "cores": " + ".join(f"{c.power_GW:g} GW at {c.distance_cm / 100:g} m" for c in self.cores),
            "target": ", ".join(f"{c.name} {_mass_text(c.mass_kg)}" for c in det.crystals),
            "readout": "calorimetric" if ro is None else ro.kind,
            "threshold": f"{thr:g} {unit}",
            "exposure [kg d, on]": self.exposure_kg_days_on,
            "photon": self.geometry,
        }


def _mass_text(mass_kg):
    """``'1.026 kg'`` from 1 kg up, ``'6.8 g'`` below (tables)."""
    return f"{mass_kg:.4g} kg" if mass_kg >= 1.0 else f"{mass_kg * 1e3:.3g} g"


# --------------------------------------------------------------------------------------------------
# reading files
# --------------------------------------------------------------------------------------------------
def names() -> list[str]:
    """Names of the shipped experiments, in file order (``radcevns/data/experiments/*.toml``)."""
    return [_read_name(p) for p in sorted(DATA_DIR.glob("*.toml"))]


def _read_name(path):
    return _parse(str(path), Path(path).stat().st_mtime_ns)["experiment"]["name"]


@lru_cache(maxsize=64)
def _parse(path, mtime_ns):
    """The TOML content of a file, cached while the file is unchanged (``mtime_ns`` is the key)."""
    with open(path, "rb") as stream:
        return tomllib.load(stream)


@lru_cache(maxsize=64)
def _load_shipped(path, mtime_ns):
    return load(path)


def get(name: str) -> Experiment:
    """The shipped experiment called ``name`` (case-insensitive; :func:`names` lists them).

    Examples
    --------
    >>> from radcevns import experiments
    >>> exp = experiments.get("NUCLEUS-10g")
    >>> [round(c.distance_cm) for c in exp.cores], exp.detector.mass_kg
    ([7200, 10200], 0.0113)
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    for path in sorted(DATA_DIR.glob("*.toml")):
        if _read_name(path).lower() == name.lower():
            return _load_shipped(str(path), path.stat().st_mtime_ns)
    raise ValueError(f"unknown experiment {name!r}; known: {names()}")


def load(path) -> Experiment:
    """Read and check an experiment file (TOML), e.g. a user's own; errors name file, key and problem."""
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"path: no experiment file at {str(p)!r}")
    try:
        with open(p, "rb") as stream:
            data = tomllib.load(stream)
    except tomllib.TOMLDecodeError as exc:
        raise ExperimentFileError(f"{p.name}: not valid TOML: {exc}") from exc
    exp = _build(data, _Reader(p.name))
    return Experiment(**{**exp, "path": p})


def _build(data, rd):
    unknown = sorted(set(data) - set(_SECTIONS))
    if unknown:
        rd.fail(unknown[0], f"unknown section; allowed: {sorted(_SECTIONS)}")
    meta = rd.table(data, "experiment")
    name = rd.string(meta, "name", "[experiment]")
    for key in ("title", "site", "status"):
        rd.string(meta, key, "[experiment]")
    refs = meta.get("references", [])
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        rd.fail("[experiment] references", "must be a list of strings")

    cores = []
    for i, c in enumerate(rd.table(data, "cores", array=True)):
        where = f"[[cores]] #{i + 1}"
        fuel = c.get("fuel", "daya_bay")
        if fuel not in _FUELS:
            rd.fail(f"{where} fuel", f"must be one of {list(_FUELS)}, got {fuel!r}")
        days = {
            key: rd.quantity(c, key, where, "time_days") if key in c else None
            for key in ("on_days", "off_days")
        }
        cores.append(
            Core(
                str(c.get("name", f"core {i + 1}")),
                rd.quantity(c, "power", where, "power", positive=True),
                rd.quantity(c, "distance", where, "length", positive=True),
                fuel,
                **days,
            )
        )

    crystals = []
    for i, c in enumerate(rd.table(data, "crystals", array=True)):
        where = f"[[crystals]] #{i + 1}"
        try:
            target = as_target(rd.string(c, "target", where))
        except ValueError as exc:
            rd.fail(f"{where} target", str(exc))
        crystals.append((target, rd.quantity(c, "mass", where, "mass", positive=True)))

    ro = rd.table(data, "readout")
    kind = rd.string(ro, "kind", "[readout]", ("calorimetric", "ionisation"))
    energy = "energy_ee" if kind == "ionisation" else "energy_nr"
    thr = rd.quantity(ro, "threshold", "[readout]", energy, positive=True)
    res = rd.quantity(ro, "resolution", "[readout]", energy)
    quenching = _quenching(ro, rd, kind, crystals)
    efficiency = _efficiency(ro, rd, energy)
    readout = None
    if kind == "ionisation" or efficiency is not None:
        readout = Readout(kind, thr, res, quenching=quenching, efficiency=efficiency)
    _check_reach(rd, cores, [t for t, _ in crystals], readout, thr)

    roi = rd.table(data, "roi")
    roi_lo = rd.quantity(roi, "low", "[roi]", energy, positive=True)
    roi_hi = rd.quantity(roi, "high", "[roi]", energy, positive=True)
    if not roi_hi > roi_lo:
        rd.fail("[roi] high", f"must lie above [roi] low ({roi_lo:g} MeV)")
    if roi_lo < thr:
        rd.fail("[roi] low", f"lies below the threshold ({roi_lo:g} < {thr:g} MeV)")

    ph = rd.table(data, "photon")
    geometry = rd.string(ph, "geometry", "[photon]", GEOMETRIES)
    why = rd.string(ph, "why", "[photon]")
    photon = {}
    if geometry == "none":
        extra = sorted(set(ph) - {"geometry", "why"})
        if extra:
            rd.fail(f"[photon] {extra[0]}", "not allowed with geometry = 'none'")
        photon = {"decay_length_cm": None, "photon_efficiency": 0.0}
    else:
        for key in ("decay_length", "efficiency", "window_low", "window_high", "resolution_1MeV"):
            if key not in ph:
                rd.fail(f"[photon] {key}", f"missing key (needed with geometry = {geometry!r})")
        lo = rd.quantity(ph, "window_low", "[photon]", "photon_energy")
        hi = rd.quantity(ph, "window_high", "[photon]", "photon_energy", positive=True)
        if not hi > lo:
            rd.fail("[photon] window_high", "must lie above window_low")
        photon = {
            "decay_length_cm": rd.quantity(ph, "decay_length", "[photon]", "length", positive=True),
            "photon_efficiency": rd.quantity(ph, "efficiency", "[photon]", "fraction", maximum=1.0),
            "photon_window_MeV": (lo, hi),
            "photon_resolution_MeV": StochasticResolution(
                rd.quantity(ph, "resolution_1MeV", "[photon]", "photon_energy")
            ),
        }

    ds = rd.table(data, "dataset")
    label = rd.string(ds, "label", "[dataset]")
    duty = rd.quantity(ds, "reactor_duty", "[dataset]", "fraction", positive=True, maximum=1.0)
    live = (
        rd.quantity(ds, "live_fraction", "[dataset]", "fraction", positive=True, maximum=1.0)
        if "live_fraction" in ds
        else 1.0
    )
    mass = sum(m for _, m in crystals)
    has = [k for k in ("exposure_on", "calendar_time") if k in ds]
    if len(has) != 1:
        rd.fail(
            "[dataset] exposure_on", "give exactly one of exposure_on (kg d, reactor on) or calendar_time"
        )
    if has[0] == "exposure_on":
        on = rd.quantity(ds, "exposure_on", "[dataset]", "exposure", positive=True)
        calendar_days = on / (mass * duty * live)
    else:
        calendar_days = rd.quantity(ds, "calendar_time", "[dataset]", "time_days", positive=True)
        on = mass * calendar_days * duty * live

    det_kw = dict(
        crystals=tuple(crystals),
        live_fraction=live,
        reactor_duty=duty,
        exposure_days=calendar_days,
        name=name,
        readout=readout,
        **photon,
    )
    if readout is None:
        det_kw.update(recoil_threshold_MeV=thr, recoil_resolution_MeV=res)
    try:
        detector = Detector(**det_kw)
    except ValueError as exc:
        rd.fail("[readout]/[photon]", str(exc))

    bg = rd.table(data, "background")
    background = {"flat_background": rd.quantity(bg, "flat", "[background]", "background")}
    if "veto_rate" in bg:
        background["veto_rate_Hz"] = rd.quantity(bg, "veto_rate", "[background]", "rate_hz")
    if "coincidence_window" in bg:
        background["coincidence_window_s"] = rd.quantity(
            bg, "coincidence_window", "[background]", "time_s", positive=True
        )
    rmax = float(readout.recoil_energy(roi_hi)) if readout is not None else roi_hi
    if rmax != 1e-3:
        background["recoil_max_MeV"] = rmax

    published = []
    for i, p in enumerate(data.get("published", [])):
        where = f"[[published]] #{i + 1}"
        if not isinstance(p, dict):
            rd.fail(where, "must be a table")
        unknown = sorted(set(p) - _SECTIONS["published"])
        if unknown:
            rd.fail(f"{where} {unknown[0]}", f"unknown key; allowed: {sorted(_SECTIONS['published'])}")
        missing = sorted(_REQUIRED["published"] - set(p))
        if missing:
            rd.fail(f"{where} {missing[0]}", "missing key")
        kind_p = rd.string(p, "kind", where, _PUBLISHED_KINDS)
        unit = rd.string(p, "unit", where, tuple(_UNITS["published"]))
        value = p["value"]
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            rd.fail(f"{where} value", f"must be a number >= 0, got {value!r}")
        unc = p.get("uncertainty")
        if unc is not None and (isinstance(unc, bool) or not isinstance(unc, int | float) or unc < 0):
            rd.fail(f"{where} uncertainty", f"must be a number >= 0, got {unc!r}")
        published.append(
            PublishedValue(
                kind_p,
                float(value),
                unit,
                rd.string(p, "source", where),
                None if unc is None else float(unc),
                str(p.get("note", "")),
            )
        )

    return dict(
        name=name,
        title=meta["title"],
        site=meta["site"],
        status=meta["status"],
        cores=tuple(cores),
        detector=detector,
        roi_MeV=(roi_lo, roi_hi),
        geometry=geometry,
        why=why,
        exposure_kg_days_on=on,
        dataset=label,
        background=MappingProxyType(background),
        published=tuple(published),
        references=tuple(refs),
    )


def _quenching(ro, rd, kind, crystals):
    q = ro.get("quenching")
    if kind == "calorimetric":
        if q is not None:
            rd.fail("[readout] quenching", "only for kind = 'ionisation'")
        return None
    if q is None:
        rd.fail("[readout] quenching", "missing key (needed for kind = 'ionisation')")
    if not isinstance(q, dict):
        rd.fail("[readout] quenching", "must be a table { model = 'lindhard' | 'table', ... }")
    model = rd.string(q, "model", "[readout] quenching", ("lindhard", "table"))
    allowed = {
        "lindhard": {"model", "k", "source", "assumption"},
        "table": {"model", "E_R_keV", "Q", "source"},
    }
    unknown = sorted(set(q) - allowed[model])
    if unknown:
        rd.fail(f"[readout] quenching.{unknown[0]}", f"unknown key; allowed: {sorted(allowed[model])}")
    if not any(isinstance(q.get(k), str) and q.get(k).strip() for k in ("source", "assumption")):
        rd.fail("[readout] quenching", "needs source = '...' or assumption = '...'")
    if model == "table":
        try:
            return TabulatedQuenching(tuple(e / 1e3 for e in q["E_R_keV"]), tuple(q["Q"]))
        except (KeyError, TypeError, ValueError) as exc:
            rd.fail("[readout] quenching", f"table needs E_R_keV and Q lists: {exc}")
    targets = {t.name for t, _ in crystals}
    if len(targets) != 1 or not isinstance(crystals[0][0], Element | Nucleus):
        rd.fail("[readout] quenching", "Lindhard quenching needs one element (or isotope) as the only target")
    t = crystals[0][0]
    k = q.get("k")
    if k is not None and (isinstance(k, bool) or not isinstance(k, int | float) or not 0 < k < 1):
        rd.fail("[readout] quenching.k", f"must be a number in (0, 1), got {k!r}")
    A = float(t.molar_mass) if isinstance(t, Element) else float(t.A)
    return Lindhard(float(t.Z), A, k=None if k is None else float(k))


def _efficiency(ro, rd, energy):
    e = ro.get("efficiency")
    if e is None:
        return None
    where = "[readout] efficiency"
    if not isinstance(e, dict) or set(e) - {"unit", "energies", "values", "source", "assumption"}:
        rd.fail(where, "must be a table { unit, energies = [...], values = [...], source or assumption }")
    if e.get("unit") not in _UNITS[energy]:
        rd.fail(f"{where}.unit", f"missing or wrong unit; one of {sorted(_UNITS[energy])}")
    if not any(isinstance(e.get(k), str) and e.get(k).strip() for k in ("source", "assumption")):
        rd.fail(where, "needs source = '...' or assumption = '...'")
    mult, div = _UNITS[energy][e["unit"]]
    try:
        E = [float(x) * mult / div for x in e["energies"]]
        V = [float(x) for x in e["values"]]
    except (KeyError, TypeError, ValueError) as exc:
        rd.fail(where, f"energies and values must be lists of numbers: {exc}")
    if len(E) < 2 or len(E) != len(V) or any(b <= a for a, b in zip(E, E[1:], strict=False)):
        rd.fail(where, "energies must increase and match values in length (at least 2)")
    if any(not 0 <= v <= 1 for v in V):
        rd.fail(f"{where}.values", "efficiencies must lie in [0, 1]")
    return (tuple(E), tuple(V))


def _check_reach(rd, cores, targets, ro, thr):
    """The threshold must lie below the largest observed energy a reactor antineutrino can give."""
    e_max = float(cores[0].reactor().e_max)
    M_light = min(float(np.min(_nuclear_masses(t))) for t in targets)
    r_max = 2.0 * e_max**2 / (M_light + 2.0 * e_max)
    obs_max = r_max if ro is None else float(ro.observed_energy(r_max))
    if not thr < obs_max:
        rd.fail(
            "[readout] threshold",
            f"{thr * 1e6:g} eV lies above the largest observable energy {obs_max * 1e6:.4g} eV "
            f"(recoil {r_max * 1e6:.4g} eV from a {e_max:g} MeV antineutrino on the lightest nucleus)",
        )


def _nuclear_masses(target):
    return target_arrays(target)[2]
