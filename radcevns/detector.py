"""A reactor CEvNS detector seen as a photon-recoil coincidence experiment (NUCLEUS at Chooz).

A :class:`Detector` collects what the event-rate code needs to turn cross sections into counts:

* the target crystals, ``(compound, mass_kg)`` pairs;
* the nuclear-recoil threshold and the Gaussian recoil-energy resolution (MeV);
* the decay region: the distance (cm) a sterile neutrino may travel after its production and still
  decay where the photon is seen, used with the exact probability ``1 - exp(-L / lambda_N)``;
* the photon side: an energy window (MeV), a detection efficiency (a constant or a function of the
  true photon energy) and a Gaussian energy resolution ``sigma(E)``;
* the time budget: live fraction, reactor duty and exposure time.

Defaults and where they come from ("talk" = the conference talk presenting arXiv:2110.02233 by
P. D. Bolton et al.; NUCLEUS 2019 = G. Angloher et al., Eur. Phys. J. C 79 (2019) 1018,
arXiv:1905.10258; **assumption** = our choice, no source):

==========================  ===============================  ==============================================
field                       default                          source
==========================  ===============================  ==============================================
recoil_threshold_MeV        20 eV                            NUCLEUS 2019 design value; 19.7 eV shown by
                                                             R. Strauss et al., EPJC 77 (2017) 506
recoil_resolution_MeV       3 eV                             CaWO4 baseline resolution of about 3 eV
decay_length_cm             5 cm                             "< 5 cm to the cryogenic outer veto" (talk)
photon_window_MeV           (1 keV, 10 MeV)                  photon sensitivity of the veto (talk)
photon_efficiency           0.5                              **assumption**: ~55 % interaction probability
                                                             of a 1 MeV photon in 2.5 cm of Ge times ~90 %
                                                             solid-angle coverage of the six-crystal veto
photon_resolution_MeV       75 keV x sqrt(E / MeV)           **assumption** matching "50-100 keV at MeV"
                                                             (talk): 53 keV at 0.5 MeV, 106 keV at 2 MeV
live_fraction               1.0                              **assumption** (dead time neglected)
reactor_duty                0.8                              80 %, as in NUCLEUS projections
exposure_days               365.25                           **assumption**: one calendar year
==========================  ===============================  ==============================================

The photon energy window applies to the *measured* energy: a photon of true energy ``E`` is
counted with probability :meth:`Detector.photon_acceptance`
``eps(E) [Phi((hi - E)/sigma(E)) - Phi((lo - E)/sigma(E))]`` (``Phi`` the normal CDF); with
``sigma = 0`` this is a sharp window.  Rates per day are per calendar day: they include
``86400 s x reactor_duty x live_fraction``.

Presets: :func:`nucleus_10g` (phase 1) and :func:`nucleus_1kg` (the upgrade, our assumption).
Units: masses in kg, energies in MeV, lengths in cm, times in days where the name says so.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.special import ndtr

from ._validate import as_array, as_length_or_none, scalar_or_array
from .constants import AVOGADRO, SECONDS_PER_DAY
from .nuclear import Compound, Element, Nucleus, as_target

__all__ = [
    "NUCLEUS_10G_MASSES_KG",
    "DEFAULT_RECOIL_THRESHOLD_MEV",
    "DEFAULT_RECOIL_RESOLUTION_MEV",
    "DEFAULT_DECAY_LENGTH_CM",
    "DEFAULT_PHOTON_WINDOW_MEV",
    "DEFAULT_PHOTON_EFFICIENCY",
    "DEFAULT_PHOTON_SIGMA_1MEV",
    "DEFAULT_REACTOR_DUTY",
    "StochasticResolution",
    "Crystal",
    "Detector",
    "units_per_kg",
    "nucleus_10g",
    "nucleus_1kg",
]

#: Phase-1 masses of the NUCLEUS-10g arrays in kg: nine 0.76 g CaWO4 cubes and nine 0.50 g Al2O3 cubes
#: (6.8 g of CaWO4 as quoted for NUCLEUS phase 1; 4.5 g of Al2O3 inferred from the 5 mm cube size and
#: the densities).
NUCLEUS_10G_MASSES_KG = {"CaWO4": 6.8e-3, "Al2O3": 4.5e-3}
#: Default nuclear-recoil threshold in MeV (20 eV, NUCLEUS design value).
DEFAULT_RECOIL_THRESHOLD_MEV = 20e-6
#: Default Gaussian recoil-energy resolution in MeV (3 eV, CaWO4 baseline resolution).
DEFAULT_RECOIL_RESOLUTION_MEV = 3e-6
#: Default decay region in cm (distance to the cryogenic outer veto, quoted in the talk on arXiv:2110.02233).
DEFAULT_DECAY_LENGTH_CM = 5.0
#: Default photon window (measured energy) in MeV (1 keV to 10 MeV, quoted in the same talk).
DEFAULT_PHOTON_WINDOW_MEV = (1e-3, 10.0)
#: Default photon detection efficiency (our assumption, see the module docstring).
DEFAULT_PHOTON_EFFICIENCY = 0.5
#: Default photon resolution at 1 MeV in MeV, scaled as sqrt(E) (our assumption).
DEFAULT_PHOTON_SIGMA_1MEV = 0.075
#: Default reactor duty (fraction of the time the reactors run).
DEFAULT_REACTOR_DUTY = 0.8


def units_per_kg(target) -> float:
    """Number of target units per kg: formula units for a compound, atoms for an element or isotope."""
    t = as_target(target)
    if isinstance(t, Compound):
        return float(t.formula_units_per_kg)
    if isinstance(t, Element | Nucleus):
        return 1000.0 * AVOGADRO / float(t.molar_mass)
    raise ValueError(f"target must be a compound, element or isotope, got {target!r}")  # pragma: no cover


@dataclass(frozen=True)
class StochasticResolution:
    """Photon energy resolution ``sigma(E) = sigma_1MeV_MeV * sqrt(E / 1 MeV)`` in MeV.

    The calorimetric (photo-statistics) form: the width grows as the square root of the energy.
    """

    sigma_1MeV_MeV: float = DEFAULT_PHOTON_SIGMA_1MEV

    def __post_init__(self):
        as_array(self.sigma_1MeV_MeV, "sigma_1MeV_MeV", nonnegative=True)

    def __call__(self, E_MeV):
        E = as_array(E_MeV, "E_MeV", nonnegative=True)
        return scalar_or_array(self.sigma_1MeV_MeV * np.sqrt(E))


@dataclass(frozen=True)
class Crystal:
    """A group of target crystals of one compound with their total mass.

    Attributes
    ----------
    target : Compound, Element or Nucleus
        Anything :func:`radcevns.nuclear.as_target` accepts (a formula string is converted).
    mass_kg : float
        Total mass in kg (> 0).
    """

    target: object
    mass_kg: float

    def __post_init__(self):
        object.__setattr__(self, "target", as_target(self.target))
        mass = as_array(self.mass_kg, "mass_kg")
        if mass.ndim != 0 or not mass > 0:
            raise ValueError(f"mass_kg must be a single positive number, got {self.mass_kg!r}")
        object.__setattr__(self, "mass_kg", float(mass))

    @property
    def name(self) -> str:
        """Name of the target (formula, element symbol or isotope)."""
        return self.target.name

    @property
    def n_units(self) -> float:
        """Number of target units (formula units of a compound, atoms otherwise) in the crystals."""
        return self.mass_kg * units_per_kg(self.target)


def _as_crystals(crystals):
    if isinstance(crystals, Crystal):
        return (crystals,)
    if isinstance(crystals, dict):
        crystals = list(crystals.items())
    if isinstance(crystals, str) or not isinstance(crystals, Sequence):
        raise ValueError("crystals must be a sequence of Crystal or (target, mass_kg) pairs, or a dict")
    out = []
    for item in crystals:
        if isinstance(item, Crystal):
            out.append(item)
        else:
            try:
                target, mass = item
            except (TypeError, ValueError) as exc:
                raise ValueError(f"crystals: expected (target, mass_kg), got {item!r}") from exc
            out.append(Crystal(target, mass))
    if not out:
        raise ValueError("crystals must contain at least one crystal group")
    return tuple(out)


def _fraction(value, name):
    arr = as_array(value, name)
    if arr.ndim != 0 or not 0.0 <= float(arr) <= 1.0:
        raise ValueError(f"{name} must be a single number in [0, 1], got {value!r}")
    return float(arr)


@dataclass(frozen=True)
class Detector:
    """Target crystals plus the recoil, decay-region, photon and time parameters (see module docstring).

    Parameters
    ----------
    crystals : sequence of Crystal or (target, mass_kg) pairs, or dict {target: mass_kg}
        Target crystal groups; masses in kg.
    recoil_threshold_MeV : float
        Nuclear-recoil threshold in MeV (default 20 eV).
    recoil_resolution_MeV : float
        Gaussian recoil-energy resolution in MeV (default 3 eV); 0 gives a sharp threshold.
    decay_length_cm : float or None
        Largest distance in cm between the production and the decay of N for the photon to be seen
        (default 5 cm); ``None`` or ``inf``: every N decays in view.
    photon_window_MeV : (float, float)
        Measured photon-energy window in MeV (default 1 keV to 10 MeV); the upper edge may be ``inf``.
    photon_efficiency : float or callable
        Detection efficiency of a photon in the window, a number in [0, 1] or a function of the true
        photon energy in MeV returning values in [0, 1] (default 0.5, our assumption).
    photon_resolution_MeV : float or callable
        Gaussian sigma of the measured photon energy in MeV: a constant or a function ``sigma(E_MeV)``
        (default :class:`StochasticResolution`, 75 keV at 1 MeV).
    live_fraction, reactor_duty : float
        Fractions in [0, 1] (defaults 1.0 and 0.8).
    exposure_days : float
        Calendar days of data taking used by the ``*_counts`` helpers (default 365.25).
    name : str
        Label for tables and plots.
    """

    crystals: tuple
    recoil_threshold_MeV: float = DEFAULT_RECOIL_THRESHOLD_MEV
    recoil_resolution_MeV: float = DEFAULT_RECOIL_RESOLUTION_MEV
    decay_length_cm: float | None = DEFAULT_DECAY_LENGTH_CM
    photon_window_MeV: tuple = DEFAULT_PHOTON_WINDOW_MEV
    photon_efficiency: float | Callable = DEFAULT_PHOTON_EFFICIENCY
    photon_resolution_MeV: float | Callable = field(default_factory=StochasticResolution)
    live_fraction: float = 1.0
    reactor_duty: float = DEFAULT_REACTOR_DUTY
    exposure_days: float = 365.25
    name: str = "detector"

    def __post_init__(self):
        set_ = lambda key, value: object.__setattr__(self, key, value)  # noqa: E731 (frozen dataclass)
        set_("crystals", _as_crystals(self.crystals))
        thr = as_array(self.recoil_threshold_MeV, "recoil_threshold_MeV", nonnegative=True)
        res = as_array(self.recoil_resolution_MeV, "recoil_resolution_MeV", nonnegative=True)
        if thr.ndim or res.ndim:
            raise ValueError("recoil_threshold_MeV and recoil_resolution_MeV must be single numbers")
        set_("recoil_threshold_MeV", float(thr))
        set_("recoil_resolution_MeV", float(res))
        L = as_length_or_none(self.decay_length_cm, "decay_length_cm")
        if L is not None and L.ndim:
            raise ValueError("decay_length_cm must be a single number or None")
        set_("decay_length_cm", None if L is None or np.isinf(L) else float(L))
        try:
            lo, hi = self.photon_window_MeV
        except (TypeError, ValueError) as exc:
            raise ValueError("photon_window_MeV must be a pair (low, high) in MeV") from exc
        lo = float(as_array(lo, "photon_window_MeV", nonnegative=True))
        hi = float(as_array(hi, "photon_window_MeV", nonnegative=True, finite=False))
        if not hi > lo:
            raise ValueError(
                f"photon_window_MeV: the low edge {lo} MeV must lie below the high edge {hi} MeV"
            )
        set_("photon_window_MeV", (lo, hi))
        if callable(self.photon_efficiency):
            probe = self._probe_energies()
            vals = np.asarray(self.photon_efficiency(probe), dtype=np.float64)
            if vals.shape not in ((), probe.shape) or np.any(~np.isfinite(vals)):
                raise ValueError("photon_efficiency(E_MeV) must return finite values, one per energy")
            if np.any(vals < 0) or np.any(vals > 1):
                raise ValueError("photon_efficiency(E_MeV) must return values in [0, 1]")
        else:
            set_("photon_efficiency", _fraction(self.photon_efficiency, "photon_efficiency"))
        if callable(self.photon_resolution_MeV):
            vals = np.asarray(self.photon_resolution_MeV(self._probe_energies()), dtype=np.float64)
            if np.any(~np.isfinite(vals)) or np.any(vals < 0):
                raise ValueError("photon_resolution_MeV(E_MeV) must return finite values >= 0")
        else:
            res = as_array(self.photon_resolution_MeV, "photon_resolution_MeV", nonnegative=True)
            if res.ndim:
                raise ValueError("photon_resolution_MeV must be a single number or a callable")
            set_("photon_resolution_MeV", float(res))
        set_("live_fraction", _fraction(self.live_fraction, "live_fraction"))
        set_("reactor_duty", _fraction(self.reactor_duty, "reactor_duty"))
        exp_ = as_array(self.exposure_days, "exposure_days", nonnegative=True)
        if exp_.ndim:
            raise ValueError("exposure_days must be a single number")
        set_("exposure_days", float(exp_))
        if not isinstance(self.name, str):
            raise ValueError(f"name must be a string, got {self.name!r}")

    def _probe_energies(self):
        lo, hi = self.photon_window_MeV
        top = hi if math.isfinite(hi) else 20.0
        return np.unique(np.concatenate([[lo, top], np.geomspace(max(lo, 1e-6), max(top, 1e-5), 64)]))

    # ------------------------------------------------------------------------------------------
    @property
    def mass_kg(self) -> float:
        """Total target mass in kg."""
        return float(sum(c.mass_kg for c in self.crystals))

    @property
    def targets(self) -> tuple:
        """The target objects, one per crystal group."""
        return tuple(c.target for c in self.crystals)

    @property
    def live_seconds_per_day(self) -> float:
        """Seconds of reactor-on live time per calendar day: ``86400 x reactor_duty x live_fraction``."""
        return SECONDS_PER_DAY * self.reactor_duty * self.live_fraction

    @property
    def exposure_kg_days(self) -> float:
        """Mass times calendar exposure, kg day."""
        return self.mass_kg * self.exposure_days

    def replace(self, **changes) -> Detector:
        """A copy with some fields changed (validated again); unknown names raise ValueError."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ValueError(f"unknown Detector parameter(s) {unknown}; known: {sorted(names)}")
        return dataclasses.replace(self, **changes)

    def scaled(self, factor) -> Detector:
        """A copy with every crystal mass multiplied by ``factor`` (> 0)."""
        f = float(as_array(factor, "factor", positive=True))
        return self.replace(crystals=tuple(Crystal(c.target, c.mass_kg * f) for c in self.crystals))

    def photon_efficiency_at(self, E_MeV):
        """Detection efficiency at the true photon energies ``E_MeV`` (before the window)."""
        E = as_array(E_MeV, "E_MeV", nonnegative=True)
        if callable(self.photon_efficiency):
            vals = np.broadcast_to(np.asarray(self.photon_efficiency(E), dtype=np.float64), E.shape)
            return scalar_or_array(np.clip(vals, 0.0, 1.0))
        return scalar_or_array(np.full(E.shape, self.photon_efficiency))

    def photon_sigma(self, E_MeV):
        """Gaussian photon-energy resolution sigma(E) in MeV at the true energies ``E_MeV``."""
        E = as_array(E_MeV, "E_MeV", nonnegative=True)
        if callable(self.photon_resolution_MeV):
            return scalar_or_array(np.broadcast_to(np.asarray(self.photon_resolution_MeV(E), float), E.shape))
        return scalar_or_array(np.full(E.shape, self.photon_resolution_MeV))

    def window_probability(self, E_MeV):
        """Probability that a photon of true energy ``E_MeV`` is *measured* inside the photon window."""
        E = as_array(E_MeV, "E_MeV", nonnegative=True)
        lo, hi = self.photon_window_MeV
        sig = np.asarray(self.photon_sigma(E), dtype=np.float64)
        sharp = (E >= lo) & (E <= hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = np.where(sig > 0, sig, 1.0)
            up = np.where(np.isinf(hi), 1.0, ndtr((hi - E) / s))
            smooth = up - ndtr((lo - E) / s)
        return scalar_or_array(np.where(sig > 0, smooth, sharp.astype(np.float64)))

    def photon_acceptance(self, E_MeV):
        """Efficiency times window probability at the true photon energy ``E_MeV`` (MeV), in [0, 1]."""
        E = as_array(E_MeV, "E_MeV", nonnegative=True)
        return scalar_or_array(
            np.asarray(self.photon_efficiency_at(E)) * np.asarray(self.window_probability(E))
        )

    def describe(self) -> dict:
        """The parameters as a flat dict of numbers and strings (for tables)."""
        eff = self.photon_efficiency
        res = self.photon_resolution_MeV
        return {
            "name": self.name,
            "crystals": ", ".join(f"{c.name} {c.mass_kg * 1e3:g} g" for c in self.crystals),
            "recoil threshold [eV]": self.recoil_threshold_MeV * 1e6,
            "recoil resolution [eV]": self.recoil_resolution_MeV * 1e6,
            "decay region [cm]": np.inf if self.decay_length_cm is None else self.decay_length_cm,
            "photon window [MeV]": f"{self.photon_window_MeV[0]:g}-{self.photon_window_MeV[1]:g}",
            "photon efficiency": repr(eff) if callable(eff) else eff,
            "photon resolution": repr(res) if callable(res) else f"{res * 1e3:g} keV",
            "live fraction": self.live_fraction,
            "reactor duty": self.reactor_duty,
            "exposure [days]": self.exposure_days,
        }


def nucleus_10g(**changes) -> Detector:
    """NUCLEUS phase 1 ("NUCLEUS-10g"): 6.8 g of CaWO4 and 4.5 g of Al2O3 (two 3x3 cube arrays).

    Threshold 20 eV, recoil resolution 3 eV, the Ge cryogenic outer veto as photon detector; the other
    defaults are those of :class:`Detector` (module docstring).  Keyword arguments override fields.
    """
    base = Detector(crystals=tuple(NUCLEUS_10G_MASSES_KG.items()), name="NUCLEUS-10g")
    return base.replace(**changes) if changes else base


def nucleus_1kg(**changes) -> Detector:
    """The kg-scale NUCLEUS upgrade, **our assumption**: 1 kg of CaWO4 with the phase-1 performance.

    The upgrade is only announced as "kg-scale" (NUCLEUS 2019, arXiv:1905.10258).  We put the whole
    kilogram into CaWO4 because tungsten (Z = 74) carries the Z^2-enhanced Primakoff and radiative
    rates: per unit mass, sum(Z^2) is four times that of Al2O3 (above a 20 eV threshold the Primakoff
    rate per kg is about twice that of Al2O3 at m_N = 2 MeV, the light nuclei recoiling harder).
    Keyword arguments override fields.
    """
    base = Detector(crystals=(("CaWO4", 1.0),), name="NUCLEUS-1kg")
    return base.replace(**changes) if changes else base
