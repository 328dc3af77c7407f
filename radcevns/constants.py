"""Physical constants and unit conversions used throughout radcevns.

All values come from ``scipy.constants`` (CODATA) except the few that CODATA
does not provide, which are typed in below with their source.

Units: energies and masses in MeV, lengths in cm, cross sections in cm^2,
times in seconds.  Internally the physics is computed in natural units
(hbar = c = 1, MeV powers) and converted at the public boundary with
:data:`HBARC_MEV_CM` and :data:`MEV2_TO_CM2`.
"""

import math

from scipy import constants as _c

__all__ = [
    "ALPHA",
    "M_ELECTRON",
    "G_FERMI",
    "AMU_MEV",
    "HBARC_MEV_CM",
    "HBARC_MEV_FM",
    "HBAR_MEV_S",
    "C_CM_S",
    "AVOGADRO",
    "MEV2_TO_CM2",
    "E_CHARGE",
    "MU_B_PER_MEV",
    "SIN2_THETA_W",
    "SECONDS_PER_YEAR",
    "SECONDS_PER_DAY",
]

#: Fine-structure constant alpha (CODATA, dimensionless).
ALPHA = _c.fine_structure
#: Electron mass in MeV (CODATA).
M_ELECTRON = _c.physical_constants["electron mass energy equivalent in MeV"][0]
#: Fermi constant in MeV^-2 (CODATA value 1.1663787e-5 GeV^-2).
G_FERMI = _c.physical_constants["Fermi coupling constant"][0] * 1e-6
#: Atomic mass unit in MeV (CODATA).
AMU_MEV = _c.physical_constants["atomic mass constant energy equivalent in MeV"][0]
#: hbar * c in MeV cm (CODATA, exact in the 2019 SI).
HBARC_MEV_CM = _c.physical_constants["reduced Planck constant times c in MeV fm"][0] * 1e-13
#: hbar * c in MeV fm.
HBARC_MEV_FM = _c.physical_constants["reduced Planck constant times c in MeV fm"][0]
#: hbar in MeV s.
HBAR_MEV_S = _c.physical_constants["reduced Planck constant in eV s"][0] * 1e-6
#: Speed of light in cm/s.
C_CM_S = _c.c * 100.0
#: Avogadro constant in mol^-1.
AVOGADRO = _c.N_A
#: Conversion of a cross section from MeV^-2 to cm^2: (hbar c)^2.
MEV2_TO_CM2 = HBARC_MEV_CM**2
#: Electric charge in Heaviside-Lorentz natural units, e = sqrt(4 pi alpha).
E_CHARGE = math.sqrt(4.0 * math.pi * ALPHA)
#: Bohr magneton in natural units, mu_B = e / (2 m_e), in MeV^-1 (about 0.2963).
MU_B_PER_MEV = E_CHARGE / (2.0 * M_ELECTRON)

#: Low-energy (Q -> 0, MS-bar) weak mixing angle sin^2(theta_W).  Not in CODATA;
#: 0.2387 is the value used by the NUCLEUS collaboration and by most CEvNS codes
#: (e.g. bradkav/CEvNS ``SIN2THETAW = 0.2387``); PDG quotes 0.23857(5).
SIN2_THETA_W = 0.2387

#: Seconds in a (Julian) year, used for exposures in kg yr.
SECONDS_PER_YEAR = 365.25 * 86400.0
#: Seconds in a day.
SECONDS_PER_DAY = 86400.0
