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

Presets: :func:`nucleus_10g` (phase 1) and :func:`nucleus_1kg` (the upgrade, our assumption); they
are the detectors of the registry entries ``NUCLEUS-10g`` and ``NUCLEUS-1kg`` of
:mod:`radcevns.experiments` (data files, same numbers).

Readouts.  A calorimeter measures the recoil energy itself (``readout=None``, the default: nothing
changes).  An ionisation detector (a germanium diode) sees the *quenched* energy ``E_ee = Q(E_R) E_R``
(eVee): a :class:`Readout` holds the quenching model (:class:`Lindhard`, default ``k = 0.133 Z^(2/3)
A^(-1/2)``, or :class:`TabulatedQuenching`, or any callable ``Q(E_R_MeV)``), the threshold and the
Gaussian resolution in observed energy, and a trigger/selection efficiency curve in observed
energy.  A detector with a readout keeps ``recoil_threshold_MeV`` and ``recoil_resolution_MeV`` as
the *recoil-equivalent* threshold ``E_R(threshold_ee)`` and resolution ``sigma_ee / (dE_ee/dE_R)``
at threshold (derived, for the code that works in recoil energy); the rates of :mod:`radcevns.rates`
and the nodes of :func:`radcevns.quadrature.recoil_nodes` use the exact observed-energy acceptance
:meth:`Readout.acceptance`.

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
    "Lindhard",
    "TabulatedQuenching",
    "READOUT_KINDS",
    "Readout",
    "lindhard_k",
    "lindhard_quenching",
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


def lindhard_k(Z: float, A: float) -> float:
    """Lindhard's quenching parameter ``k = 0.133 Z^(2/3) A^(-1/2)`` (0.157 for germanium).

    J. Lindhard, V. Nielsen, M. Scharff and P. V. Thomsen, Mat. Fys. Medd. Dan. Vid. Selsk. 33, 10
    (1963); ``Z`` is the charge and ``A`` the mass number (or the mean molar mass) of the nucleus.
    """
    z = float(as_array(Z, "Z", positive=True))
    a = float(as_array(A, "A", positive=True))
    return 0.133 * z ** (2.0 / 3.0) * a**-0.5


def lindhard_quenching(E_R_MeV, Z: float, A: float, *, k: float | None = None):
    """Lindhard quenching factor ``Q = k g / (1 + k g)`` at recoil energies ``E_R_MeV`` (MeV).

    ``g = 3 eps^0.15 + 0.7 eps^0.6 + eps`` with ``eps = 11.5 Z^(-7/3) E_R[keV]``; ``k`` defaults to
    :func:`lindhard_k`.  ``Q`` is the ratio of the ionisation energy (eVee) to the recoil energy.
    """
    E = as_array(E_R_MeV, "E_R_MeV", nonnegative=True)
    kk = lindhard_k(Z, A) if k is None else float(as_array(k, "k", positive=True))
    z = float(as_array(Z, "Z", positive=True))
    eps = 11.5 * z ** (-7.0 / 3.0) * (E * 1e3)
    g = 3.0 * eps**0.15 + 0.7 * eps**0.6 + eps
    return scalar_or_array(kk * g / (1.0 + kk * g))


@dataclass(frozen=True)
class Lindhard:
    """Lindhard quenching of a nucleus of charge ``Z`` and mass number ``A`` (callable: ``Q(E_R_MeV)``).

    Attributes
    ----------
    Z, A : float
        Charge and mass number (the mean molar mass of an element is fine).
    k : float or None
        Lindhard's k; None gives ``0.133 Z^(2/3) A^(-1/2)`` (:func:`lindhard_k`).
    """

    Z: float
    A: float
    k: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "Z", float(as_array(self.Z, "Z", positive=True)))
        object.__setattr__(self, "A", float(as_array(self.A, "A", positive=True)))
        kk = lindhard_k(self.Z, self.A) if self.k is None else float(as_array(self.k, "k", positive=True))
        object.__setattr__(self, "k", kk)

    def __call__(self, E_R_MeV):
        return lindhard_quenching(E_R_MeV, self.Z, self.A, k=self.k)


@dataclass(frozen=True)
class TabulatedQuenching:
    """Quenching factor ``Q(E_R)`` from a table, linear in ``ln E_R``, constant beyond the ends.

    Attributes
    ----------
    E_R_MeV : sequence of float
        Strictly increasing recoil energies in MeV (> 0).
    Q : sequence of float
        Quenching factors in (0, 1].
    """

    E_R_MeV: tuple
    Q: tuple

    def __post_init__(self):
        E = as_array(self.E_R_MeV, "E_R_MeV", positive=True).ravel()
        q = as_array(self.Q, "Q", positive=True).ravel()
        if E.size < 2 or E.size != q.size:
            raise ValueError("E_R_MeV and Q must be sequences of the same length (at least 2)")
        if np.any(np.diff(E) <= 0):
            raise ValueError("E_R_MeV must be strictly increasing")
        if np.any(q > 1):
            raise ValueError("Q must lie in (0, 1]")
        object.__setattr__(self, "E_R_MeV", tuple(E.tolist()))
        object.__setattr__(self, "Q", tuple(q.tolist()))

    def __call__(self, E_R_MeV):
        E = as_array(E_R_MeV, "E_R_MeV", nonnegative=True)
        x = np.log(np.maximum(E, 1e-300))
        return scalar_or_array(np.interp(x, np.log(self.E_R_MeV), self.Q))


#: Readout kinds understood by :class:`Readout`.
READOUT_KINDS = ("calorimetric", "ionisation")


@dataclass(frozen=True)
class Readout:
    """How a recoil of energy ``E_R`` is seen: observed energy, threshold, resolution and efficiency.

    Attributes
    ----------
    kind : {"calorimetric", "ionisation"}
        A calorimeter sees ``E_obs = E_R``; an ionisation detector sees ``E_obs = Q(E_R) E_R`` (eVee).
    threshold_MeV : float
        Analysis threshold in observed energy, MeV (eVee for ionisation), > 0.
    resolution_MeV : float
        Gaussian sigma of the observed energy in MeV (>= 0).
    quenching : callable or None
        ``Q(E_R_MeV)`` in (0, 1] (:class:`Lindhard`, :class:`TabulatedQuenching` or a function);
        required for ``kind="ionisation"``, ignored for a calorimeter.
    efficiency : (sequence, sequence) or None
        Trigger/selection efficiency curve ``(E_obs_MeV, eff)`` (linear interpolation, constant beyond
        the ends), applied at the mean observed energy on top of the threshold; None: 1.
    """

    kind: str = "calorimetric"
    threshold_MeV: float = DEFAULT_RECOIL_THRESHOLD_MEV
    resolution_MeV: float = DEFAULT_RECOIL_RESOLUTION_MEV
    quenching: Callable | None = None
    efficiency: tuple | None = None

    def __post_init__(self):
        if self.kind not in READOUT_KINDS:
            raise ValueError(f"kind must be one of {READOUT_KINDS}, got {self.kind!r}")
        thr = as_array(self.threshold_MeV, "threshold_MeV", positive=True)
        res = as_array(self.resolution_MeV, "resolution_MeV", nonnegative=True)
        if thr.ndim or res.ndim:
            raise ValueError("threshold_MeV and resolution_MeV must be single numbers")
        object.__setattr__(self, "threshold_MeV", float(thr))
        object.__setattr__(self, "resolution_MeV", float(res))
        if self.kind == "ionisation":
            if not callable(self.quenching):
                raise ValueError("quenching must be a callable Q(E_R_MeV) for an ionisation readout")
            probe = np.geomspace(1e-7, 1e-1, 61)
            q = np.asarray(self.quenching(probe), dtype=np.float64)
            if q.shape != probe.shape or np.any(~np.isfinite(q)) or np.any(q <= 0) or np.any(q > 1):
                raise ValueError("quenching(E_R_MeV) must return values in (0, 1], one per energy")
            if np.any(np.diff(q * probe) <= 0):
                raise ValueError("the observed energy Q(E_R) E_R must increase with the recoil energy")
        if self.efficiency is not None:
            try:
                e, f = self.efficiency
            except (TypeError, ValueError) as exc:
                raise ValueError("efficiency must be a pair (E_obs_MeV, eff) of sequences") from exc
            e = as_array(e, "efficiency energies", nonnegative=True).ravel()
            f = as_array(f, "efficiency values", nonnegative=True).ravel()
            if e.size < 2 or e.size != f.size or np.any(np.diff(e) <= 0) or np.any(f > 1):
                raise ValueError(
                    "efficiency: increasing energies and values in [0, 1] of the same length (>= 2)"
                )
            object.__setattr__(self, "efficiency", (tuple(e.tolist()), tuple(f.tolist())))

    @property
    def is_identity(self) -> bool:
        """True for a calorimeter without an efficiency curve (the recoil-energy code paths apply)."""
        return self.kind == "calorimetric" and self.efficiency is None

    def observed_energy(self, E_R_MeV):
        """Mean observed energy (MeV, eVee for ionisation) of a recoil of ``E_R_MeV``."""
        E = as_array(E_R_MeV, "E_R_MeV", nonnegative=True)
        if self.kind == "calorimetric":
            return scalar_or_array(E.copy())
        return scalar_or_array(np.asarray(self.quenching(E), dtype=np.float64) * E)

    def jacobian(self, E_R_MeV):
        """``dE_obs / dE_R`` at ``E_R_MeV`` (1 for a calorimeter; central difference in ln E_R)."""
        E = as_array(E_R_MeV, "E_R_MeV", positive=True)
        if self.kind == "calorimetric":
            return scalar_or_array(np.ones_like(E))
        h = 1e-4
        up = np.asarray(self.observed_energy(E * math.exp(h)))
        dn = np.asarray(self.observed_energy(E * math.exp(-h)))
        return scalar_or_array((up - dn) / (E * (math.exp(h) - math.exp(-h))))

    def recoil_energy(self, E_obs_MeV):
        """Recoil energy (MeV) whose mean observed energy is ``E_obs_MeV`` (inverse of the readout)."""
        Eo = as_array(E_obs_MeV, "E_obs_MeV", nonnegative=True)
        if self.kind == "calorimetric":
            return scalar_or_array(Eo.copy())
        grid = np.geomspace(1e-9, 1.0, 2001)
        obs = np.asarray(self.observed_energy(grid))
        out = np.exp(np.interp(np.log(np.maximum(Eo, 1e-300)), np.log(obs), np.log(grid)))
        # one Newton step on the interpolated guess (the grid is 0.01 wide in ln E)
        out = out - (np.asarray(self.observed_energy(out)) - Eo) / np.asarray(self.jacobian(out))
        return scalar_or_array(np.where(Eo > 0, out, 0.0))

    def efficiency_at(self, E_obs_MeV):
        """Trigger/selection efficiency at observed energies ``E_obs_MeV`` (1 without a curve)."""
        Eo = as_array(E_obs_MeV, "E_obs_MeV", nonnegative=True)
        if self.efficiency is None:
            return scalar_or_array(np.ones_like(Eo))
        e, f = self.efficiency
        return scalar_or_array(np.interp(Eo, e, f))

    def acceptance(self, E_R_MeV, E_obs_min_MeV=None, E_obs_max_MeV=np.inf):
        """Probability that a recoil of ``E_R_MeV`` is observed in ``[E_obs_min, E_obs_max]`` and selected.

        ``eff(E_obs) [Phi((hi - E_obs)/sigma) - Phi((lo - E_obs)/sigma)]`` at the mean observed energy
        ``E_obs`` (``Phi`` the normal CDF; a sharp window for ``sigma = 0``); ``lo`` defaults to the
        threshold.
        """
        E = as_array(E_R_MeV, "E_R_MeV", nonnegative=True)
        lo = self.threshold_MeV if E_obs_min_MeV is None else float(E_obs_min_MeV)
        hi = float(E_obs_max_MeV)
        Eo = np.asarray(self.observed_energy(E), dtype=np.float64)
        s = self.resolution_MeV
        if s > 0:
            up = 1.0 if math.isinf(hi) else ndtr((hi - Eo) / s)
            win = up - ndtr((lo - Eo) / s)
        else:
            win = ((Eo >= lo) & (Eo <= hi)).astype(np.float64)
        return scalar_or_array(np.asarray(self.efficiency_at(Eo)) * win)

    def recoil_equivalent(self) -> tuple[float, float]:
        """Recoil-equivalent threshold and resolution (MeV): ``E_R(thr)`` and ``sigma / (dE_obs/dE_R)``."""
        thr = float(self.recoil_energy(self.threshold_MeV))
        return thr, self.resolution_MeV / float(self.jacobian(thr))


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
    readout : Readout or None
        How recoils are seen (module docstring); None (default) is a calorimeter with the recoil
        threshold and resolution above.  With a readout, ``recoil_threshold_MeV`` and
        ``recoil_resolution_MeV`` are replaced by its recoil-equivalent values
        (:meth:`Readout.recoil_equivalent`).
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
    readout: Readout | None = None

    def __post_init__(self):
        set_ = lambda key, value: object.__setattr__(self, key, value)  # noqa: E731 (frozen dataclass)
        set_("crystals", _as_crystals(self.crystals))
        if self.readout is not None:
            if not isinstance(self.readout, Readout):
                raise ValueError(f"readout must be a radcevns.detector.Readout or None, got {self.readout!r}")
            thr_r, res_r = self.readout.recoil_equivalent()
            set_("recoil_threshold_MeV", thr_r)
            set_("recoil_resolution_MeV", res_r)
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
    def observed_readout(self) -> Readout | None:
        """The readout if it is not the identity of a plain calorimeter, else None."""
        return None if self.readout is None or self.readout.is_identity else self.readout

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
            "readout": "calorimetric" if self.readout is None else self.readout.kind,
        }


def _registry_detector(name):
    # the presets live in the experiment registry (radcevns/data/experiments/*.toml); imported here
    # on first use because radcevns.experiments builds on this module
    from .experiments import get

    return get(name).detector


def nucleus_10g(**changes) -> Detector:
    """NUCLEUS phase 1 ("NUCLEUS-10g"): 6.8 g of CaWO4 and 4.5 g of Al2O3 (two 3x3 cube arrays).

    Threshold 20 eV, recoil resolution 3 eV, the Ge cryogenic outer veto as photon detector; the other
    defaults are those of :class:`Detector` (module docstring).  The numbers are read from the
    registry entry ``NUCLEUS-10g`` of :mod:`radcevns.experiments`.  Keyword arguments override fields.
    """
    base = _registry_detector("NUCLEUS-10g")
    return base.replace(**changes) if changes else base


def nucleus_1kg(**changes) -> Detector:
    """The kg-scale NUCLEUS upgrade, **our assumption**: 1 kg of CaWO4 with the phase-1 performance.

    The upgrade is only announced as "kg-scale" (NUCLEUS 2019, arXiv:1905.10258).  We put the whole
    kilogram into CaWO4 because tungsten (Z = 74) carries the Z^2-enhanced Primakoff and radiative
    rates: per unit mass, sum(Z^2) is four times that of Al2O3 (above a 20 eV threshold the Primakoff
    rate per kg is about twice that of Al2O3 at m_N = 2 MeV, the light nuclei recoiling harder).
    The numbers are read from the registry entry ``NUCLEUS-1kg`` of :mod:`radcevns.experiments`.
    Keyword arguments override fields.
    """
    base = _registry_detector("NUCLEUS-1kg")
    return base.replace(**changes) if changes else base
