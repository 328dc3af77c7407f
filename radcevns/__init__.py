"""radcevns: radiative coherent elastic neutrino-nucleus scattering through a transition magnetic moment.

Convention A throughout: ``L = (mu/2) nubar_L sigma^{ab} N_R F_ab + h.c.`` with ``mu`` in Bohr
magnetons; energies and masses in MeV, lengths in cm, cross sections in cm^2, times in s.

The modules follow the data flow of a prediction (one idea each):

=========================  ==========================================================================
inputs                     :mod:`~radcevns.constants` (CODATA, units), :mod:`~radcevns.conventions`
                           (dipole conventions), :mod:`~radcevns.nuclear` (isotopes, form factors)
flux                       :mod:`~radcevns.flux` (reactor antineutrino spectra, reactors, Chooz)
cross sections             :mod:`~radcevns.primakoff` (nu A -> N A), :mod:`~radcevns.cevns` (SM CEvNS)
decay                      :mod:`~radcevns.decay` (N -> nu gamma), :mod:`~radcevns.radiative` (photon
                           distributions, event generator), :mod:`~radcevns.amplitudes` (explicit
                           spinors: an independent check)
detector response          :mod:`~radcevns.detector` (crystals, thresholds, photon acceptance)
rates                      :mod:`~radcevns.quadrature` (flux x recoil nodes), :mod:`~radcevns.acceptance`
                           (photon acceptance tables), :mod:`~radcevns.rates` (recoil spectra and
                           rates), :mod:`~radcevns.coincidences` (radiative coincidences)
statistics                 :mod:`~radcevns.statistics` (Poisson and binned-likelihood limits),
                           :mod:`~radcevns.backgrounds` (background model, accidentals)
results                    :mod:`~radcevns.sensitivity` (limits in the (m_N, mu) plane),
                           :mod:`~radcevns.discrimination` (Dirac vs Majorana)
beside them                :mod:`~radcevns.limits` (existing limits), :mod:`~radcevns.implications`
                           (neutrino masses), :mod:`~radcevns.plotting` (figures of the book),
                           :mod:`~radcevns.io` (event files for detector simulations),
                           :mod:`~radcevns.cli` (the ``radcevns`` command line)
=========================  ==========================================================================

Submodules are imported on first use (``radcevns.sensitivity`` loads what it needs when it is first
touched), so ``import radcevns`` itself is cheap.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: The submodules, in the order of the data flow.
SUBMODULES = (
    "constants",
    "conventions",
    "nuclear",
    "flux",
    "primakoff",
    "cevns",
    "decay",
    "radiative",
    "amplitudes",
    "detector",
    "quadrature",
    "acceptance",
    "rates",
    "coincidences",
    "statistics",
    "backgrounds",
    "sensitivity",
    "experiments",
    "discrimination",
    "limits",
    "implications",
    "plotting",
    "io",
    "cli",
)

_SHORTCUTS = {
    "nucleus": "nuclear",
    "element": "nuclear",
    "compound": "nuclear",
    "as_target": "nuclear",
    "mu_bohr_to_per_mev": "conventions",
    "mu_per_mev_to_bohr": "conventions",
    "mu_bohr_to_dipole_d_per_gev": "conventions",
    "dipole_d_per_gev_to_mu_bohr": "conventions",
    "mu_prime_to_mu": "conventions",
    "mu_to_mu_prime": "conventions",
}

__all__ = ["__version__", *SUBMODULES, *_SHORTCUTS]


def __getattr__(name: str):
    """Import a submodule (or a shortcut function of one) on first access."""
    if name in SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    if name in _SHORTCUTS:
        value = getattr(importlib.import_module(f".{_SHORTCUTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'radcevns' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
