"""Shared helpers of the rate tests (tests/test_rates.py, tests/test_coincidences.py).

* :func:`make_smooth_flux`: a smooth analytic spectrum on [0, 10] MeV, 1.6e12 cm^-2 s^-1 in total,
  easy for scipy's quad (no tabulated kinks);
* :func:`flux_sigma`: ``int Phi sigma dE`` above threshold with scipy quad;
* :func:`ideal_detector`: every efficiency 1, every photon in the window, every N decays.
"""

import math

import numpy as np
from scipy import constants as sc
from scipy.integrate import quad

from radcevns import detector as D
from radcevns import flux as F
from radcevns import primakoff

HBARC_MEV_CM = sc.physical_constants["reduced Planck constant times c in MeV fm"][0] * 1e-13
G_F = sc.physical_constants["Fermi coupling constant"][0] * 1e-6  # MeV^-2


def flux_sigma(flux, m, target, mu, e_max=10.0):
    """int Phi sigma dE above threshold with scipy quad; E = E_thr + t^2 removes the sqrt(E - E_thr) onset."""
    thr = primakoff.threshold(m, target)
    f = lambda t: 2 * t * flux(thr + t * t) * primakoff.sigma(thr + t * t, m, target, mu)  # noqa: E731
    return quad(f, 0.0, math.sqrt(e_max - thr), epsrel=1e-12, limit=200)[0]


def make_smooth_flux():
    """A smooth analytic spectrum on [0, 10] MeV, 1.6e12 cm^-2 s^-1 in total (quad-friendly)."""
    shape = lambda E: E**2 * np.exp(-E / 1.1)  # noqa: E731
    norm = 1.6e12 / quad(shape, 0.0, 10.0, epsrel=1e-13)[0]
    return F.CallableFlux(lambda E: norm * shape(np.asarray(E, float)), 0.0, 10.0)


def ideal_detector(target="W184", mass_kg=1e-3, **changes):
    """Every efficiency 1, every photon in the window, every N decays, no threshold, no dead time."""
    base = dict(
        recoil_threshold_MeV=0.0,
        recoil_resolution_MeV=0.0,
        decay_length_cm=None,
        photon_window_MeV=(0.0, np.inf),
        photon_efficiency=1.0,
        photon_resolution_MeV=0.0,
        live_fraction=1.0,
        reactor_duty=1.0,
    )
    base.update(changes)
    return D.Detector(crystals=[(target, mass_kg)], **base)
