"""radcevns: radiative coherent elastic neutrino-nucleus scattering through a transition magnetic moment.

Convention A throughout: ``L = (mu/2) nubar_L sigma^{ab} N_R F_ab + h.c.`` with ``mu`` in Bohr
magnetons; energies and masses in MeV, lengths in cm, cross sections in cm^2, times in s.

Modules (one physics idea each):

- :mod:`radcevns.constants`   -- CODATA constants and unit conversions
- :mod:`radcevns.conventions` -- conversions between dipole-moment conventions
- :mod:`radcevns.nuclear`     -- isotopes, elements, compounds, form factors
- :mod:`radcevns.primakoff`   -- nu A -> N A: kinematics, cross sections, N polarisation
- :mod:`radcevns.decay`       -- N -> nu gamma: widths, lifetimes, decay lengths
- :mod:`radcevns.cevns`       -- Standard-Model CEvNS and the diagonal magnetic moment
- :mod:`radcevns.radiative`   -- nu A -> (N -> nu gamma) A: photon distributions, event generator
- :mod:`radcevns.amplitudes`  -- explicit-spinor matrix elements (independent check; mu in MeV^-1!)
- :mod:`radcevns.flux`        -- reactor antineutrino spectra, reactors, the Chooz site
- :mod:`radcevns.limits`      -- existing limits in the (m_N, mu) plane
- :mod:`radcevns.detector`    -- the NUCLEUS detector model and presets
- :mod:`radcevns.rates`       -- SM CEvNS, Primakoff and radiative event rates
- :mod:`radcevns.sensitivity` -- expected 90 % CL limits in the (m_N, mu) plane
- :mod:`radcevns.discrimination` -- telling a Dirac from a Majorana N with the photon spectrum
- :mod:`radcevns.implications` -- neutrino-mass implications (loop masses, EFT matching)
"""

from . import (
    amplitudes,
    cevns,
    constants,
    conventions,
    decay,
    detector,
    discrimination,
    flux,
    implications,
    limits,
    nuclear,
    primakoff,
    radiative,
    rates,
    sensitivity,
)
from .conventions import (
    dipole_d_per_gev_to_mu_bohr,
    mu_bohr_to_dipole_d_per_gev,
    mu_bohr_to_per_mev,
    mu_per_mev_to_bohr,
    mu_prime_to_mu,
    mu_to_mu_prime,
)
from .nuclear import as_target, compound, element, nucleus

__version__ = "0.1.0"

__all__ = [
    "amplitudes",
    "flux",
    "implications",
    "limits",
    "radiative",
    "detector",
    "rates",
    "sensitivity",
    "discrimination",
    "cevns",
    "constants",
    "conventions",
    "decay",
    "nuclear",
    "primakoff",
    "nucleus",
    "element",
    "compound",
    "as_target",
    "mu_bohr_to_per_mev",
    "mu_per_mev_to_bohr",
    "mu_bohr_to_dipole_d_per_gev",
    "dipole_d_per_gev_to_mu_bohr",
    "mu_prime_to_mu",
    "mu_to_mu_prime",
]
