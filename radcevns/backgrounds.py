"""Background model of the expected limits: flat recoil background and accidental coincidences.

Every number here is an assumption of the analysis, collected in :class:`BackgroundModel` and
passed as keywords to :func:`radcevns.sensitivity.limit` and :mod:`radcevns.discrimination`:

* ``flat_background`` = 100 counts / (keV kg day), flat in recoil energy: the NUCLEUS design goal
  (G. Angloher et al. (NUCLEUS), Eur. Phys. J. C 79 (2019) 1018, arXiv:1905.10258); the background
  model of the experiment predicts about 250 for CaWO4 at 10-100 eV (arXiv:2509.03559).
* ``background_uncertainty`` = None: the normalisation of the flat background floats freely
  (profiled); a number gives a Gaussian constraint (relative), 0 fixes it.
* ``recoil_max_MeV`` = 1 keV: upper edge of the recoil analysis window (and of the recoils counted
  for accidental coincidences); the window starts at the detector threshold. ``n_bins`` = 20
  log-spaced bins per crystal type, each type with its own background normalisation.
* ``veto_rate_Hz`` = 50 Hz: rate of veto hits in the photon window. **Our assumption** (no published
  number found): a cryogenic Ge veto of about 6 kg at a shallow site (3 m w.e.) sees natural
  radioactivity and cosmic rays at O(10-100) Hz.
* ``coincidence_window_s`` = 10 microseconds, full width: **our assumption**, set by the timing of
  TES recoil signals (rise times of tens of microseconds) against the fast Ge veto.
* Accidentals: ``R_acc = R_recoil x R_veto x coincidence_window`` with ``R_recoil`` = SM CEvNS + flat
  background in the recoil window (:func:`recoil_rate_hz`), times the reactor-on live time
  (:func:`accidental_rate`). ``accidentals=False`` (or ``veto_rate_Hz=0``) gives the
  background-free variant.

Units: MeV, seconds, Hz, exposures in kg yr, backgrounds in counts / (keV kg day).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ._validate import as_array, scalar_or_array
from .constants import SECONDS_PER_DAY
from .detector import Detector
from .rates import cevns_rate
from .statistics import nuisance_mode

__all__ = [
    "DEFAULT_FLAT_BACKGROUND",
    "DEFAULT_RECOIL_MAX_MEV",
    "DEFAULT_N_BINS",
    "DEFAULT_VETO_RATE_HZ",
    "DEFAULT_COINCIDENCE_WINDOW_S",
    "DAYS_PER_YEAR",
    "BackgroundModel",
    "background_model",
    "check_detector",
    "live_days",
    "recoil_rate_hz",
    "accidental_rate",
    "radiative_background_events",
]

#: Flat recoil background in counts / (keV kg day): NUCLEUS design goal (EPJC 79 (2019) 1018).
DEFAULT_FLAT_BACKGROUND = 100.0
#: Upper edge of the recoil analysis window in MeV (1 keV).
DEFAULT_RECOIL_MAX_MEV = 1e-3
#: Log-spaced recoil bins between the threshold and the upper edge (per crystal group).
DEFAULT_N_BINS = 20
#: Veto hit rate in the photon window, Hz (our assumption, see the module docstring).
DEFAULT_VETO_RATE_HZ = 50.0
#: Full width of the recoil-photon coincidence window in s (our assumption).
DEFAULT_COINCIDENCE_WINDOW_S = 1e-5
#: Days per calendar year (Julian year) used to turn an exposure in kg yr into days.
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class BackgroundModel:
    """Background assumptions of the expected limits (keywords of :func:`limit`).

    Attributes
    ----------
    flat_background : float
        Flat recoil background in counts / (keV kg day) (default 100, the NUCLEUS design goal).
    background_uncertainty : float or None
        Relative Gaussian uncertainty on the flat-background normalisation of each crystal group;
        None (default) lets it float freely, 0 fixes it.
    recoil_max_MeV : float
        Upper edge of the recoil window in MeV (default 1 keV); the lower edge is the threshold.
    n_bins : int
        Log-spaced recoil bins per crystal group for the Primakoff fit (default 20).
    veto_rate_Hz : float
        Rate of veto hits in the photon window (default 50 Hz, our assumption).
    coincidence_window_s : float
        Full width of the coincidence window in s (default 10 microseconds, our assumption).
    accidentals : bool
        False gives the background-free radiative limit (2.30 events at 90 % CL).
    """

    flat_background: float = DEFAULT_FLAT_BACKGROUND
    background_uncertainty: float | None = None
    recoil_max_MeV: float = DEFAULT_RECOIL_MAX_MEV
    n_bins: int = DEFAULT_N_BINS
    veto_rate_Hz: float = DEFAULT_VETO_RATE_HZ
    coincidence_window_s: float = DEFAULT_COINCIDENCE_WINDOW_S
    accidentals: bool = True

    def __post_init__(self):
        for name in ("flat_background", "veto_rate_Hz", "coincidence_window_s"):
            val = as_array(getattr(self, name), name, nonnegative=True)
            if val.ndim:
                raise ValueError(f"{name} must be a single number")
            object.__setattr__(self, name, float(val))
        rmax = as_array(self.recoil_max_MeV, "recoil_max_MeV", positive=True)
        if rmax.ndim:
            raise ValueError("recoil_max_MeV must be a single number")
        object.__setattr__(self, "recoil_max_MeV", float(rmax))
        nuisance_mode(self.background_uncertainty)
        if isinstance(self.n_bins, bool) or not isinstance(self.n_bins, int | np.integer) or self.n_bins < 1:
            raise ValueError(f"n_bins must be a positive integer, got {self.n_bins!r}")
        if not isinstance(self.accidentals, bool | np.bool_):
            raise ValueError(f"accidentals must be True or False, got {self.accidentals!r}")


def background_model(**background) -> BackgroundModel:
    """A :class:`BackgroundModel` from keywords (its fields), or ``background=BackgroundModel(...)`` as is.

    Unknown keywords raise a ``ValueError`` that lists the known ones.
    """
    if (
        "background" in background
        and len(background) == 1
        and isinstance(background["background"], BackgroundModel)
    ):
        return background["background"]
    names = {f.name for f in fields(BackgroundModel)}
    unknown = sorted(set(background) - names)
    if unknown:
        raise ValueError(f"unknown background keyword(s) {unknown}; known: {sorted(names)}")
    return BackgroundModel(**background)


def check_detector(detector: Detector) -> Detector:
    """Return ``detector`` after checking that it is a :class:`radcevns.detector.Detector`."""
    if not isinstance(detector, Detector):
        raise ValueError(f"detector must be a radcevns.detector.Detector, got {detector!r}")
    return detector


def live_days(detector: Detector, exposure_kg_yr: float) -> float:
    """Calendar days of data taking for an exposure in kg yr: ``365.25 x exposure / mass``."""
    det = check_detector(detector)
    exp_ = as_array(exposure_kg_yr, "exposure_kg_yr", positive=True, maximum=1e12)
    return scalar_or_array(exp_ * DAYS_PER_YEAR / det.mass_kg)


def recoil_rate_hz(detector: Detector, *, flux=None, **background) -> float:
    """Rate of recoils in the analysis window (threshold to ``recoil_max_MeV``) while the reactor runs, Hz.

    SM CEvNS (:func:`radcevns.rates.cevns_rate` per crystal, with the recoil resolution) plus the flat
    background, for the whole detector. ``**background``: fields of :class:`BackgroundModel` (or
    ``background=BackgroundModel(...)``).  Exactly 0 when the window is empty (``recoil_max_MeV`` at or
    below the recoil threshold).
    """
    det = check_detector(detector)
    bg = background_model(**background)
    lo, hi = det.recoil_threshold_MeV, bg.recoil_max_MeV
    if not hi > lo:  # an empty analysis window holds no recoil
        return 0.0
    per_day = 0.0
    for crystal in det.crystals:
        cevns = cevns_rate(
            crystal.target,
            flux=flux,
            E_R_min=max(lo, 1e-12),
            E_R_max=hi,
            recoil_resolution_MeV=det.recoil_resolution_MeV,
        )
        per_day += crystal.mass_kg * (float(cevns) + bg.flat_background * (hi - lo) * 1e3)
    return per_day / SECONDS_PER_DAY


def accidental_rate(detector: Detector, *, flux=None, **background) -> float:
    """Accidental recoil-photon coincidences per calendar day.

    ``R_acc = R_recoil x R_veto x coincidence_window`` (:func:`recoil_rate_hz`, ``veto_rate_Hz``,
    ``coincidence_window_s``) times the reactor-on live seconds per day; 0 with ``accidentals=False``.
    """
    det = check_detector(detector)
    bg = background_model(**background)
    if not bg.accidentals or bg.veto_rate_Hz == 0.0 or bg.coincidence_window_s == 0.0:
        return 0.0
    r_hz = recoil_rate_hz(det, flux=flux, background=bg)
    return r_hz * bg.veto_rate_Hz * bg.coincidence_window_s * det.live_seconds_per_day


def radiative_background_events(
    detector: Detector, exposure_kg_yr: float, *, flux=None, **background
) -> float:
    """Expected accidental coincidences for an exposure in kg yr (see :func:`accidental_rate`)."""
    days = float(live_days(detector, exposure_kg_yr))
    return accidental_rate(detector, flux=flux, **background) * days
