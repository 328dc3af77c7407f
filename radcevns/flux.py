"""Reactor antineutrino flux: per-fission spectra, reactors, sites and generic flux objects.

Physics
-------
A reactor core of thermal power ``P`` burns ``P / <E_f>`` fissions per second, where
``<E_f> = sum_i f_i E_f,i`` is the mean energy released per fission for the fission
fractions ``f_i`` of the four fissile isotopes U-235, U-238, Pu-239 and Pu-241.  Each
fission of isotope ``i`` emits on average ``S_i(E)`` electron antineutrinos per MeV.
Treating the core as an isotropic point source at distance ``L``::

    dPhi/dE (E) = P / (4 pi L^2 <E_f>) * [sum_i f_i S_i(E) + c S_capt(E)]   [cm^-2 s^-1 MeV^-1]

(chapter 04 of the book).  The optional last term (``capture``) adds the antineutrinos of
neutron capture on U-238: ``c`` captures per fission, each followed by the decays
U-239 -> Np-239 -> Pu-239, i.e. ``S_capt = S_U239 + S_Np239`` (two antineutrinos, all
below 1.3 MeV).  Oscillations are neglected (``P_ee = 1``): at ``L <= 100 m`` the
atmospheric phase ``1.27 dm31^2[eV^2] L[m] / E[MeV]`` is about 0.1 rad at 3 MeV, so
``1 - P_ee = sin^2(2 theta13) sin^2(phase)`` is about 1e-3 there and stays below 1 %
down to 1 MeV.

Per-fission spectra (``model``)
-------------------------------
``"hm+bestiole"`` (default)
    Huber 2011 (PRC 84, 024617, Table III: U-235, Pu-239, Pu-241, with
    ``alpha5(U-235) = 6.186e-2``) and Mueller 2011 (PRC 83, 054615, Table VI: U-238),
    ``S = exp(sum_k a_k E^(k-1))``, used only where they were fitted, 2 <= E <= 8 MeV.
    Below 2 MeV and above 8 MeV the BESTIOLE 2023 summation spectra (Perisse et al.,
    arXiv:2304.14992; files ``radcevns/data/bestiole_*.txt``, 25 keV bins from 0 to
    12.5 MeV) are used, multiplied per isotope by a constant so that the spectrum is
    continuous at 2 MeV (below) and at 8 MeV (above).  The tables are interpolated
    log-linearly between bin centres, held constant in the outer half bins and multiplied
    by a constant (1.0008-1.0014) that restores the histogram's integral.  Support
    ``[0, 12.5] MeV``.  Scale factors ``HM(E)/BESTIOLE(E)`` (see
    :func:`extension_scale_factors`):

    ========  ===========  ===========
    isotope   at 2 MeV     at 8 MeV
    ========  ===========  ===========
    U-235     1.0591       0.8466
    U-238     0.9255       0.9937
    Pu-239    1.0299       0.5569
    Pu-241    0.9853       0.5351
    ========  ===========  ===========

    At 2 MeV the two descriptions agree to 7.5 %, so the low-energy part keeps the
    BESTIOLE normalisation to that accuracy.  At 8 MeV the Huber fits of the plutonium
    isotopes lie about 45 % below BESTIOLE; the tail above 8 MeV (about 1e-3 antineutrinos
    per fission) is scaled down accordingly.
``"bestiole"``
    The BESTIOLE 2023 tables alone, unscaled, on ``[0, 12.5] MeV``.
``"hm+ve"``
    The same construction with the Vogel-Engel 1989 shape (PRD 39, 3378)
    ``exp(b0 + b1 E + b2 E^2)`` as the extension, rescaled per isotope for continuity
    at 2 and 8 MeV.  Support ``[0, 10] MeV``.  Scale factors ``HM/VE``: 1.0971 / 0.7513
    (U-235), 0.9962 / 0.8528 (U-238), 1.0625 / 0.7202 (Pu-239), 1.0338 / 0.8429
    (Pu-241) at 2 / 8 MeV.  The VE shape is low below 2 MeV compared with summation
    spectra.  This was the default before ``"hm+bestiole"``.
``"mueller+ve"``
    As ``"hm+ve"`` with Mueller 2011 Table VI for all four isotopes.
``"ve"``
    Vogel-Engel alone, unscaled, on the whole support ``[0, 10] MeV``.
``"hm-cut"``
    Huber-Mueller from 1.8 MeV (the fit is extrapolated by 0.2 MeV below its 2 MeV
    edge, as some phenomenology papers effectively do) to 8 MeV, **zero below
    1.8 MeV**, and the same scaled Vogel-Engel tail as ``"hm+ve"`` above 8 MeV.  It
    therefore differs from ``"hm+ve"`` only below 2 MeV, which isolates the effect of
    the low-energy region.  Support ``[1.8, 10] MeV``.
a :class:`TabulatedSpectrum`
    A user-supplied per-fission spectrum of the fuel mixture (used for every isotope),
    or a ``dict`` mapping isotope names to model names / :class:`TabulatedSpectrum`.

The exp-polynomial HM fit must never be evaluated outside 2-8 MeV on its own: its
integral over 0-10 MeV is 24.5 antineutrinos per U-235 fission instead of about 6.

Antineutrinos per fission for the default Daya Bay fractions: ``"hm+bestiole"`` 6.22,
``"bestiole"`` 6.00, ``"hm+ve"`` 5.52, ``"mueller+ve"`` 5.54, ``"ve"`` 5.20,
``"hm-cut"`` 1.87 (Chooz VNS totals 1.84, 1.78, 1.63, 1.64, 1.54 and 0.55 x 1e12
cm^-2 s^-1).  About three quarters of all antineutrinos are below 2 MeV, where
the spectrum comes from the extension; the BESTIOLE paper quotes an uncertainty of "a
few percents at low energies", up to 20 % at high energies.

Neutron-capture antineutrinos (``capture``)
-------------------------------------------
``capture=False`` (default) leaves them out.  ``capture=True`` adds
:data:`CAPTURES_PER_FISSION` = 0.6 captures on U-238 per fission, each giving one
U-239 and one Np-239 decay with the BESTIOLE 2023 per-decay spectra (end points 1.26 and
0.71 MeV).  The value 0.6 is an **assumption** taken from a public Dresden-II analysis
code (``fracU238Ncapture = 0.6``; see chapter 04 of the book), not a property of the
Chooz cores; a number can be passed instead of ``True``.  It adds 1.2 antineutrinos per
fission (7.42 in total with ``"hm+bestiole"``) and raises the Chooz VNS flux from 1.84e12
to 2.20e12 cm^-2 s^-1, all of the increase below 1.3 MeV.

Flux objects
------------
Every flux (:class:`Reactor`, :class:`Site`, :class:`TabulatedFlux`,
:class:`CallableFlux`) derives from :class:`Flux` and provides ``__call__(E_nu)``
[cm^-2 s^-1 MeV^-1], ``e_min``/``e_max`` [MeV], ``total()``, ``mean_energy()``,
``quadrature()`` and ``sample()``.  Energies are in MeV, distances in cm (``distance_cm``, as
every length of the package), powers in GW thermal.  Evaluation is vectorised with numpy;
numba is not needed here (the cost is a handful of ``exp`` calls or a table look-up per
energy).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike
from scipy.constants import electron_volt as _JOULE_PER_EV
from scipy.special import roots_legendre

from ._validate import MAX_ENERGY_MEV, MAX_EVENTS, as_array, as_float, as_int, as_nodes, scalar_or_array

#: Joules per MeV (exact SI value of the elementary charge times 1e6).
__all__ = [
    "JOULE_PER_MEV",
    "ISOTOPES",
    "CAPTURE_NUCLIDES",
    "HUBER_MUELLER_COEFFS",
    "MUELLER_COEFFS",
    "VOGEL_ENGEL_COEFFS",
    "HM_E_MIN_MEV",
    "HM_E_MAX_MEV",
    "HM_CUT_E_MIN_MEV",
    "SPECTRUM_E_MIN_MEV",
    "SPECTRUM_E_MAX_MEV",
    "BESTIOLE_BIN_WIDTH_MEV",
    "BESTIOLE_E_MAX_MEV",
    "MODELS",
    "DEFAULT_MODEL",
    "CAPTURES_PER_FISSION",
    "FISSION_FRACTIONS",
    "ENERGY_PER_FISSION_MEV",
    "CHOOZ_CORE_POWER_GW",
    "CHOOZ_VNS_DISTANCES_CM",
    "TabulatedSpectrum",
    "bestiole_table",
    "capture_spectrum",
    "spectrum_per_fission",
    "extension_scale_factors",
    "mean_energy_per_fission",
    "fissions_per_second",
    "antineutrinos_per_fission",
    "Flux",
    "Reactor",
    "Site",
    "TabulatedFlux",
    "CallableFlux",
    "as_flux",
    "chooz",
]

JOULE_PER_MEV = _JOULE_PER_EV * 1e6

#: The four fissile isotopes, canonical names.
ISOTOPES = ("U235", "U238", "Pu239", "Pu241")

#: Nuclides whose decays follow neutron capture on U-238 (canonical names).
CAPTURE_NUCLIDES = ("U239", "Np239")

#: Huber 2011 Table III (U-235, Pu-239, Pu-241) + Mueller 2011 Table VI (U-238):
#: ``S(E) = exp(sum_k a_k E^k)``, k = 0..5, E in MeV, antineutrinos / MeV / fission.
HUBER_MUELLER_COEFFS = {
    "U235": (4.367, -4.577, 2.100, -5.294e-1, 6.186e-2, -2.777e-3),
    "U238": (4.833e-1, 1.927e-1, -1.283e-1, -6.762e-3, 2.233e-3, -1.536e-4),
    "Pu239": (4.757, -5.392, 2.563, -6.596e-1, 7.820e-2, -3.536e-3),
    "Pu241": (2.990, -2.882, 1.278, -3.343e-1, 3.905e-2, -1.754e-3),
}

#: Mueller 2011 Table VI for all four isotopes (same functional form).
MUELLER_COEFFS = {
    "U235": (3.217, -3.111, 1.395, -3.690e-1, 4.445e-2, -2.053e-3),
    "U238": (4.833e-1, 1.927e-1, -1.283e-1, -6.762e-3, 2.233e-3, -1.536e-4),
    "Pu239": (6.413, -7.432, 3.535, -8.820e-1, 1.025e-1, -4.550e-3),
    "Pu241": (3.251, -3.204, 1.428, -3.675e-1, 4.254e-2, -1.896e-3),
}

#: Vogel & Engel 1989 (PRD 39, 3378): ``S(E) = exp(b0 + b1 E + b2 E^2)``.
VOGEL_ENGEL_COEFFS = {
    "U235": (0.870, -0.160, -0.0910),
    "U238": (0.976, -0.162, -0.0790),
    "Pu239": (0.896, -0.239, -0.0981),
    "Pu241": (0.793, -0.080, -0.1085),
}

#: Range of validity of the Huber-Mueller fits, MeV.
HM_E_MIN_MEV = 2.0
HM_E_MAX_MEV = 8.0
#: Lower edge of the ``"hm-cut"`` variant, MeV.
HM_CUT_E_MIN_MEV = 1.8
#: Support of the Vogel-Engel based spectra, MeV.
SPECTRUM_E_MIN_MEV = 0.0
SPECTRUM_E_MAX_MEV = 10.0
#: BESTIOLE 2023 tables: bin width and upper edge of the fission spectra, MeV.
BESTIOLE_BIN_WIDTH_MEV = 0.025
BESTIOLE_E_MAX_MEV = 12.5

#: Names of the built-in per-fission spectrum models; the first one is the default.
MODELS = ("hm+bestiole", "bestiole", "hm+ve", "ve", "hm-cut", "mueller+ve")
#: Default per-fission spectrum model.
DEFAULT_MODEL = "hm+bestiole"

#: Neutron captures on U-238 per fission used by ``capture=True``.  ASSUMPTION: value of a
#: public Dresden-II analysis code (``fracU238Ncapture = 0.6``), see the module docstring.
CAPTURES_PER_FISSION = 0.6

#: Fission fractions (U235, U238, Pu239, Pu241).
#: ``"daya_bay"``: Daya Bay average, PRD 100, 052004 (2019); ``"juno"``: JUNO / generic PWR.
FISSION_FRACTIONS = {
    "daya_bay": {"U235": 0.564, "U238": 0.076, "Pu239": 0.304, "Pu241": 0.056},
    "juno": {"U235": 0.58, "U238": 0.07, "Pu239": 0.30, "Pu241": 0.05},
}

#: Energy released per fission in MeV.  ``"ma2013"``: Ma et al., PRC 88, 014605 (2013);
#: ``"kopeikin2004"``: Kopeikin, Mikaelyan, Sinev, Phys. At. Nucl. 67, 1892 (2004).
ENERGY_PER_FISSION_MEV = {
    "ma2013": {"U235": 202.36, "U238": 205.99, "Pu239": 211.12, "Pu241": 214.26},
    "kopeikin2004": {"U235": 201.92, "U238": 205.52, "Pu239": 209.99, "Pu241": 213.60},
}

#: Chooz B: thermal power of each core (GW) and distances of the NUCLEUS Very-Near-Site
#: to the two cores (cm; 72 m and 102 m); NUCLEUS, EPJC 79, 1018 (2019).
CHOOZ_CORE_POWER_GW = 4.25
CHOOZ_VNS_DISTANCES_CM = (7200.0, 10200.0)

_DATA_DIR = Path(__file__).resolve().parent / "data"
_BESTIOLE_FILES = {
    "U235": "bestiole_u235.txt",
    "U238": "bestiole_u238.txt",
    "Pu239": "bestiole_pu239.txt",
    "Pu241": "bestiole_pu241.txt",
    "U239": "bestiole_u239.txt",
    "Np239": "bestiole_np239.txt",
}

_MIN_NODES_PER_PIECE = 4
_SAMPLING_GRID_POINTS = 8192
# Gauss-Legendre nodes of total(), mean_energy() and the per-fission integrals.  The BESTIOLE
# tables have kinks every 25 keV that are not used as breakpoints; 2048 nodes integrate them
# to about 1e-5 (512 nodes: 1e-4).
_TOTAL_QUADRATURE_NODES = 2048
_SUM_TOLERANCE = 1e-3


# ----------------------------------------------------------------------------------------
# small helpers
# ----------------------------------------------------------------------------------------


def _isotope_name(name, parameter="isotope", allowed=ISOTOPES):
    """Return the canonical nuclide name (``"U235"`` ...) for spellings like ``"U-235"`` or ``"235U"``."""
    if isinstance(name, str):
        key = re.sub(r"[\s_-]", "", name).lower()
        match = re.fullmatch(r"([a-z]{1,2})(\d{3})|(\d{3})([a-z]{1,2})", key)
        if match:
            symbol = match.group(1) or match.group(4)
            mass = match.group(2) or match.group(3)
            candidate = symbol.capitalize() + mass
            if candidate in allowed:
                return candidate
    raise ValueError(f"{parameter} must name one of {allowed}, got {name!r}")


def _optional_bound(value, name):
    return None if value is None else as_float(value, name, nonnegative=True, finite=False)


def _exp_poly(coeffs, E):
    """``exp(sum_k c_k E^k)`` evaluated with Horner's rule."""
    acc = np.full_like(E, coeffs[-1])
    for c in coeffs[-2::-1]:
        acc = acc * E + c
    return np.exp(acc)


def _log_poly(coeffs, E):
    acc = 0.0
    for c in coeffs[::-1]:
        acc = acc * E + c
    return acc


@lru_cache(maxsize=128)
def _gauss_legendre(k):
    # scipy's Golub-Welsch / asymptotic nodes: 0.1 s for k = 2048 (numpy's leggauss: seconds)
    return roots_legendre(k)


def _pieces(a, b, breakpoints):
    """Split ``[a, b]`` at the breakpoints lying strictly inside."""
    inner = sorted({float(x) for x in breakpoints if a < x < b})
    return list(zip([a] + inner, inner + [b], strict=True))


def _piecewise_gauss(a, b, breakpoints, n):
    """Gauss-Legendre nodes/weights on ``[a, b]`` split at ``breakpoints`` (about n nodes)."""
    if not b > a:
        return np.empty(0), np.empty(0)
    pieces = _pieces(a, b, breakpoints)
    length = b - a
    nodes, weights = [], []
    for lo, hi in pieces:
        k = max(_MIN_NODES_PER_PIECE, int(round(n * (hi - lo) / length)))
        x, w = _gauss_legendre(k)
        half = 0.5 * (hi - lo)
        nodes.append(lo + half * (x + 1.0))
        weights.append(half * w)
    return np.concatenate(nodes), np.concatenate(weights)


def _resolve_capture(capture):
    """``False`` -> 0, ``True`` -> :data:`CAPTURES_PER_FISSION`, a number >= 0 -> itself."""
    if capture is None or capture is False:
        return 0.0
    if capture is True:
        return CAPTURES_PER_FISSION
    if isinstance(capture, str):
        raise ValueError(f"capture must be True, False or a number of captures per fission, got {capture!r}")
    return as_float(capture, "capture", nonnegative=True)


# ----------------------------------------------------------------------------------------
# per-fission spectra
# ----------------------------------------------------------------------------------------


class _LogLinearTable:
    """Log-linear interpolation of a positive table, zero outside ``[x[0], x[-1]]``."""

    def __init__(self, E_MeV, values, e_name, v_name):
        E = as_array(E_MeV, e_name, nonnegative=True)
        y = as_array(values, v_name, nonnegative=True)
        if E.ndim != 1 or E.size < 2:
            raise ValueError(f"{e_name} must be a 1-d array with at least two energies")
        if y.shape != E.shape:
            raise ValueError(f"{v_name} must have the same shape as {e_name}")
        if np.any(np.diff(E) <= 0):
            raise ValueError(f"{e_name} must be strictly increasing")
        self.E = E.copy()
        self.y = y.copy()
        with np.errstate(divide="ignore"):
            self._logy = np.log(y)
        self.e_min = float(E[0])
        self.e_max = float(E[-1])
        self.breakpoints = tuple(float(x) for x in E[1:-1])

    def evaluate(self, E):
        """Interpolated values at validated energies ``E`` (ndarray)."""
        out = np.zeros_like(E)
        inside = (E >= self.e_min) & (E <= self.e_max)
        if not np.any(inside):
            return out
        x = E[inside]
        j = np.clip(np.searchsorted(self.E, x, side="right") - 1, 0, self.E.size - 2)
        x0, x1 = self.E[j], self.E[j + 1]
        t = (x - x0) / (x1 - x0)
        y0, y1 = self.y[j], self.y[j + 1]
        both = (y0 > 0) & (y1 > 0)
        vals = (1.0 - t) * y0 + t * y1  # linear where a node is zero
        l0, l1 = self._logy[j[both]], self._logy[j[both] + 1]
        vals[both] = np.exp((1.0 - t[both]) * l0 + t[both] * l1)
        out[inside] = vals
        return out


class TabulatedSpectrum:
    """User-supplied per-fission antineutrino spectrum.

    Log-linear interpolation (linear in ``log dN/dE``) between the nodes, exactly zero
    outside the table.  Pass it as ``model`` to :class:`Reactor` (it then describes the
    whole fuel mixture) or inside a ``dict`` keyed by isotope.

    Parameters
    ----------
    E_MeV : array_like
        Strictly increasing antineutrino energies, MeV.
    dN_dE : array_like
        Antineutrinos per MeV per fission at ``E_MeV`` (>= 0).
    """

    def __init__(self, E_MeV, dN_dE):
        self._table = _LogLinearTable(E_MeV, dN_dE, "E_MeV", "dN_dE")
        self.e_min = self._table.e_min
        self.e_max = self._table.e_max
        self.breakpoints = self._table.breakpoints

    def evaluate(self, E):
        return self._table.evaluate(E)

    def __call__(self, E_nu: ArrayLike) -> float | np.ndarray:
        """Antineutrinos / MeV / fission at ``E_nu`` (MeV)."""
        E = as_array(E_nu, "E_nu", nonnegative=True, finite=False)
        return scalar_or_array(self.evaluate(E))

    def __repr__(self):
        return f"TabulatedSpectrum({self._table.E.size} nodes, {self.e_min:g}-{self.e_max:g} MeV)"


@lru_cache(maxsize=8)
def _bestiole_columns(nuclide):
    """Bin centres (MeV) and contents (per MeV per fission or decay) of a BESTIOLE file."""
    data = np.loadtxt(_DATA_DIR / _BESTIOLE_FILES[nuclide], comments="#", ndmin=2)
    centres, values = data[:, 0].copy(), data[:, 1].copy()
    centres.flags.writeable = False
    values.flags.writeable = False
    return centres, values


def bestiole_table(nuclide: str) -> tuple[np.ndarray, np.ndarray]:
    """The BESTIOLE 2023 table of a fissile isotope or of a capture nuclide, as shipped.

    Parameters
    ----------
    nuclide : str
        ``"U235"``, ``"U238"``, ``"Pu239"``, ``"Pu241"`` (per fission) or ``"U239"``,
        ``"Np239"`` (per decay); spellings like ``"U-235"`` are accepted.

    Returns
    -------
    E_MeV : ndarray
        Bin centres in MeV (25 keV bins starting at 0).
    dN_dE : ndarray
        Bin contents in antineutrinos / MeV / fission (or / decay).
    """
    name = _isotope_name(nuclide, "nuclide", ISOTOPES + CAPTURE_NUCLIDES)
    centres, values = _bestiole_columns(name)
    return centres.copy(), values.copy()


def _log_linear_integral(x, y):
    """Exact integral of the log-linear interpolant through positive nodes ``(x, y)``."""
    h = np.diff(x)
    y0, y1 = y[:-1], y[1:]
    ratio = y1 / y0
    close = np.abs(ratio - 1.0) < 1e-9
    safe = np.where(close, 2.0, ratio)  # avoid 0/0; replaced below
    seg = np.where(close, 0.5 * h * (y0 + y1), h * (y1 - y0) / np.log(safe))
    return float(np.sum(seg))


class _BestioleShape:
    """Log-linear interpolation of a BESTIOLE table between bin centres, area preserving.

    In the outer half bins (from 0 to the first centre and from the last centre to the
    upper bin edge) the value of the nearest bin is kept.  The interpolant is then multiplied
    by the constant ``norm`` that makes its integral equal to the histogram sum
    (``sum of contents x 25 keV``, the number of antineutrinos per fission or decay of the
    original file): 1.0008-1.0014 for the fission isotopes, 1.002 for U-239, 1.014 for
    Np-239 (whose spectrum drops by a factor 30 within one bin at 0.45 MeV).  Only the
    support ends are reported as breakpoints: the 25 keV kinks are left to the quadratures,
    which integrate them to about 1e-5 with 2048 nodes.
    """

    def __init__(self, nuclide):
        centres, values = _bestiole_columns(nuclide)
        half = 0.5 * BESTIOLE_BIN_WIDTH_MEV
        upper = round(float(centres[-1]) + half, 9)
        nodes = np.concatenate(([0.0], centres, [upper]))
        vals = np.concatenate(([values[0]], values, [values[-1]]))
        #: Antineutrinos per fission (or decay) of the histogram, sum of contents x bin width.
        self.histogram_integral = float(np.sum(values) * BESTIOLE_BIN_WIDTH_MEV)
        #: Constant that gives the interpolant the histogram's integral.
        self.norm = self.histogram_integral / _log_linear_integral(nodes, vals)
        self._table = _LogLinearTable(nodes, vals * self.norm, "E_MeV", "dN_dE")
        self.e_min, self.e_max = 0.0, upper
        self.breakpoints = ()

    def evaluate(self, E):
        return self._table.evaluate(E)


@lru_cache(maxsize=8)
def _bestiole_shape(nuclide):
    return _BestioleShape(nuclide)


class _CaptureSpectrum:
    """U-239 plus Np-239 decay spectra: antineutrinos / MeV per neutron capture on U-238."""

    def __init__(self):
        self._parts = [_bestiole_shape(n) for n in CAPTURE_NUCLIDES]
        self.e_min = 0.0
        self.e_max = max(p.e_max for p in self._parts)
        self.breakpoints = tuple(sorted({p.e_max for p in self._parts} - {self.e_max}))

    def evaluate(self, E):
        out = np.zeros_like(E)
        for p in self._parts:
            out += p.evaluate(E)
        return out


@lru_cache(maxsize=1)
def _capture_spectrum():
    return _CaptureSpectrum()


def capture_spectrum(E_nu: ArrayLike, nuclide: str | None = None) -> float | np.ndarray:
    """Antineutrino spectrum of the decays that follow neutron capture on U-238.

    BESTIOLE 2023 per-decay spectra (Perisse et al., arXiv:2304.14992), interpolated
    log-linearly between the 25 keV bin centres.

    Parameters
    ----------
    E_nu : array_like
        Antineutrino energy in MeV (>= 0).
    nuclide : {None, "U239", "Np239"}
        ``None`` (default): U-239 plus Np-239, i.e. antineutrinos / MeV **per capture**
        (integral 2).  A name: that nuclide alone, antineutrinos / MeV **per decay**
        (integral 1; end points 1.26 MeV for U-239 and 0.71 MeV for Np-239).

    Returns
    -------
    float or ndarray
        dN/dE; exactly 0 above the end point.  Multiply by captures per fission (0.6 with
        ``capture=True``) to add it to a per-fission spectrum.
    """
    spec = (
        _capture_spectrum()
        if nuclide is None
        else _bestiole_shape(_isotope_name(nuclide, "nuclide", CAPTURE_NUCLIDES))
    )
    E = as_array(E_nu, "E_nu", nonnegative=True, finite=False)
    return scalar_or_array(spec.evaluate(E))


class _VogelEngelShape:
    """``exp(b0 + b1 E + b2 E^2)`` of one isotope on ``[0, 10] MeV``."""

    def __init__(self, isotope):
        self.coeffs = VOGEL_ENGEL_COEFFS[isotope]
        self.e_min, self.e_max = SPECTRUM_E_MIN_MEV, SPECTRUM_E_MAX_MEV
        self.breakpoints = ()

    def evaluate(self, E):
        return _exp_poly(self.coeffs, E)

    def log_value(self, E):
        return _log_poly(self.coeffs, E)


class _ModelSpectrum:
    """A built-in per-fission spectrum of one isotope (see module docstring).

    Either an extension ``shape`` alone (``"ve"``, ``"bestiole"``) or an exp-polynomial fit
    on ``[main_lo, main_hi]`` with the shape, rescaled for continuity, outside.
    """

    def __init__(self, isotope, model):
        self.isotope, self.model = isotope, model
        self.scale_low = self.scale_high = None
        if model in ("bestiole", "hm+bestiole"):
            self.shape = _bestiole_shape(isotope)
        else:
            self.shape = _VogelEngelShape(isotope)
        self.e_min, self.e_max = self.shape.e_min, self.shape.e_max
        if model in ("ve", "bestiole"):
            self.main = None
            self.breakpoints = ()
            return
        self.main = MUELLER_COEFFS[isotope] if model == "mueller+ve" else HUBER_MUELLER_COEFFS[isotope]
        self.main_hi = HM_E_MAX_MEV
        self.scale_high = self._ratio_to_shape(HM_E_MAX_MEV)
        if model == "hm-cut":
            self.main_lo = self.e_min = HM_CUT_E_MIN_MEV
            self.breakpoints = (HM_E_MAX_MEV,)
        else:
            self.main_lo = HM_E_MIN_MEV
            self.scale_low = self._ratio_to_shape(HM_E_MIN_MEV)
            self.breakpoints = (HM_E_MIN_MEV, HM_E_MAX_MEV)

    def _ratio_to_shape(self, E):
        """``fit(E) / shape(E)``: the constant that makes the extension continuous at ``E``."""
        if isinstance(self.shape, _VogelEngelShape):  # exact from the log-polynomials
            return math.exp(_log_poly(self.main, E) - self.shape.log_value(E))
        shape_value = float(self.shape.evaluate(np.array([E]))[0])
        return math.exp(_log_poly(self.main, E)) / shape_value

    def evaluate(self, E):
        out = np.zeros_like(E)
        inside = (E >= self.e_min) & (E <= self.e_max)
        if self.main is None:
            out[inside] = self.shape.evaluate(E[inside])
            return out
        main = inside & (E >= self.main_lo) & (E <= self.main_hi)
        out[main] = _exp_poly(self.main, E[main])
        if self.scale_low is not None:
            below = inside & (E < self.main_lo)
            out[below] = self.scale_low * self.shape.evaluate(E[below])
        if self.scale_high is not None:
            above = inside & (E > self.main_hi)
            out[above] = self.scale_high * self.shape.evaluate(E[above])
        return out


@lru_cache(maxsize=32)
def _model_spectrum(isotope, model):
    return _ModelSpectrum(isotope, model)


def _check_model_name(model):
    if isinstance(model, str) and model.strip().lower() in MODELS:
        return model.strip().lower()
    raise ValueError(f"model must be one of {MODELS}, a TabulatedSpectrum or a dict of them, got {model!r}")


def _isotope_spectrum(isotope, model):
    """Resolve ``model`` for one (canonical) isotope into an object with ``evaluate``."""
    if isinstance(model, TabulatedSpectrum):
        return model
    if isinstance(model, dict):
        per_iso = {_isotope_name(k, "model"): v for k, v in model.items()}
        if isotope not in per_iso:
            raise ValueError(f"model dict has no entry for isotope {isotope}")
        inner = per_iso[isotope]
        if isinstance(inner, dict):
            raise ValueError("model dict values must be model names or TabulatedSpectrum objects")
        return _isotope_spectrum(isotope, inner)
    return _model_spectrum(isotope, _check_model_name(model))


def _spectrum_integral(spec, e_min=None, e_max=None, n=_TOTAL_QUADRATURE_NODES):
    a = spec.e_min if e_min is None else max(e_min, spec.e_min)
    b = spec.e_max if e_max is None else min(e_max, spec.e_max)
    x, w = _piecewise_gauss(a, b, spec.breakpoints, n)
    return float(np.sum(w * spec.evaluate(x))) if x.size else 0.0


def spectrum_per_fission(
    E_nu: ArrayLike, isotope: str, *, model: str | TabulatedSpectrum | dict = DEFAULT_MODEL
) -> float | np.ndarray:
    """Antineutrino spectrum of one fissile isotope.

    Parameters
    ----------
    E_nu : array_like
        Antineutrino energy in MeV (>= 0).
    isotope : str
        ``"U235"``, ``"U238"``, ``"Pu239"`` or ``"Pu241"`` (``"U-235"``, ``"235U"`` also accepted).
    model : str, TabulatedSpectrum or dict
        ``"hm+bestiole"`` (default), ``"bestiole"``, ``"hm+ve"``, ``"ve"``, ``"hm-cut"``,
        ``"mueller+ve"``; see the module docstring.  Capture antineutrinos belong to the fuel
        mixture, not to an isotope: see :func:`capture_spectrum`.

    Returns
    -------
    float or ndarray
        dN/dE in antineutrinos / MeV / fission; exactly 0 outside the model's support.
    """
    iso = _isotope_name(isotope)
    spec = _isotope_spectrum(iso, model)
    E = as_array(E_nu, "E_nu", nonnegative=True, finite=False)
    return scalar_or_array(spec.evaluate(E))


def extension_scale_factors(model: str = DEFAULT_MODEL) -> dict:
    """Per-isotope constants applied to the extension (BESTIOLE or Vogel-Engel) of the HM fits.

    Parameters
    ----------
    model : {"hm+bestiole", "hm+ve", "mueller+ve", "hm-cut"}

    Returns
    -------
    dict
        ``{isotope: (scale_below_2MeV, scale_above_8MeV)}``, each the ratio fit/extension at
        the joining energy; ``None`` where the model has no extension (``"hm-cut"`` below
        1.8 MeV).
    """
    name = _check_model_name(model)
    if name in ("ve", "bestiole"):
        raise ValueError(f"model {name!r} is not rescaled; scale factors exist for the HM-based models")
    return {
        iso: (_model_spectrum(iso, name).scale_low, _model_spectrum(iso, name).scale_high) for iso in ISOTOPES
    }


# ----------------------------------------------------------------------------------------
# fission fractions and energies
# ----------------------------------------------------------------------------------------


def _resolve_fractions(fractions):
    if isinstance(fractions, str):
        key = fractions.strip().lower()
        if key not in FISSION_FRACTIONS:
            raise ValueError(
                f"fractions must be one of {tuple(FISSION_FRACTIONS)} or a dict, got {fractions!r}"
            )
        return dict(FISSION_FRACTIONS[key])
    if not isinstance(fractions, dict) or not fractions:
        raise ValueError(f"fractions must be a set name or a non-empty dict, got {fractions!r}")
    out = dict.fromkeys(ISOTOPES, 0.0)
    for k, v in fractions.items():
        out[_isotope_name(k, "fractions")] = as_float(v, f"fractions[{k!r}]", nonnegative=True)
    total = sum(out.values())
    if abs(total - 1.0) > _SUM_TOLERANCE:
        raise ValueError(f"fractions must sum to 1 within {_SUM_TOLERANCE:g}, got {total:.6g}")
    return out


def _resolve_energies(energies, fractions):
    if isinstance(energies, str):
        key = energies.strip().lower()
        if key not in ENERGY_PER_FISSION_MEV:
            raise ValueError(
                f"energies must be one of {tuple(ENERGY_PER_FISSION_MEV)} or a dict, got {energies!r}"
            )
        return dict(ENERGY_PER_FISSION_MEV[key])
    if not isinstance(energies, dict) or not energies:
        raise ValueError(f"energies must be a set name or a non-empty dict, got {energies!r}")
    out = {}
    for k, v in energies.items():
        out[_isotope_name(k, "energies")] = as_float(v, f"energies[{k!r}]", positive=True)
    for iso, f in fractions.items():
        if f > 0 and iso not in out:
            raise ValueError(f"energies has no entry for isotope {iso}, which has a non-zero fraction")
    return out


def mean_energy_per_fission(*, energies: str | dict = "ma2013", fractions: str | dict = "daya_bay") -> float:
    """Mean thermal energy released per fission ``sum_i f_i E_f,i`` in MeV.

    ``energies`` and ``fractions`` as for :class:`Reactor`.
    """
    f = _resolve_fractions(fractions)
    e = _resolve_energies(energies, f)
    return sum(fi * e[iso] for iso, fi in f.items() if fi > 0)


def fissions_per_second(
    power_GW: float, *, energies: str | dict = "ma2013", fractions: str | dict = "daya_bay"
) -> float:
    """Fission rate of a core of thermal power ``power_GW`` (GW), in s^-1.

    ``P / sum_i f_i E_f,i`` with the named or user-supplied energy set (MeV per fission)
    and fission fractions; about 3.03e19 s^-1 per GW for the defaults.
    """
    P = as_float(power_GW, "power_GW", positive=True)
    return P * 1e9 / (mean_energy_per_fission(energies=energies, fractions=fractions) * JOULE_PER_MEV)


def antineutrinos_per_fission(
    *,
    model: str | TabulatedSpectrum | dict = DEFAULT_MODEL,
    fractions: str | dict = "daya_bay",
    e_min: float | None = None,
    e_max: float | None = None,
    capture: bool | float = False,
) -> float:
    """Antineutrinos emitted per fission, ``sum_i f_i int S_i(E) dE`` (+ capture term).

    Parameters
    ----------
    model : str, TabulatedSpectrum or dict
        Spectrum model (default ``"hm+bestiole"``).
    fractions : str or dict
        Fission fractions (default ``"daya_bay"``).
    e_min, e_max : float, optional
        Restrict the integral to ``[e_min, e_max]`` MeV.
    capture : bool or float, default False
        Add the U-239 + Np-239 antineutrinos of neutron capture on U-238: ``True`` means
        :data:`CAPTURES_PER_FISSION` (0.6, an assumption) captures per fission, a number
        that many.

    Returns
    -------
    float
        6.22 for the defaults (7.42 with ``capture=True``; ``"hm+ve"``: 5.52).
    """
    f = _resolve_fractions(fractions)
    lo, hi = _optional_bound(e_min, "e_min"), _optional_bound(e_max, "e_max")
    captures = _resolve_capture(capture)
    total = sum(
        fi * _spectrum_integral(_isotope_spectrum(iso, model), lo, hi) for iso, fi in f.items() if fi > 0
    )
    if captures > 0:
        total += captures * _spectrum_integral(_capture_spectrum(), lo, hi)
    return total


# ----------------------------------------------------------------------------------------
# flux objects
# ----------------------------------------------------------------------------------------


class Flux:
    """Base class of every flux: dPhi/dE in cm^-2 s^-1 MeV^-1 on the support ``[e_min, e_max]`` MeV.

    Subclasses set ``e_min``, ``e_max``, ``breakpoints`` (energies where the flux or its
    derivatives jump; used to split quadratures) and implement ``_evaluate(E)`` for a
    validated float array ``E`` inside the support.
    """

    e_min: float = 0.0
    e_max: float = 0.0
    breakpoints: tuple = ()

    def _evaluate(self, E):  # pragma: no cover - abstract
        raise NotImplementedError

    def _evaluate_full(self, E):
        out = np.zeros_like(E)
        inside = (E >= self.e_min) & (E <= self.e_max)
        if np.any(inside):
            out[inside] = self._evaluate(E[inside])
        return out

    def __call__(self, E_nu: ArrayLike) -> float | np.ndarray:
        """dPhi/dE at ``E_nu`` (MeV) in cm^-2 s^-1 MeV^-1; exactly 0 outside the support.

        Raises ``ValueError`` for NaN or negative energies.
        """
        E = as_array(E_nu, "E_nu", nonnegative=True, finite=False)
        return scalar_or_array(self._evaluate_full(E))

    def _range(self, e_min, e_max):
        a = _optional_bound(e_min, "e_min")
        b = _optional_bound(e_max, "e_max")
        a = self.e_min if a is None else max(a, self.e_min)
        b = self.e_max if b is None else min(b, self.e_max)
        return a, b

    def _all_breakpoints(self):
        return tuple(self.breakpoints)

    def quadrature(
        self, n: int = 256, *, e_min: float | None = None, e_max: float | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Nodes and weights to integrate ``int Phi(E) g(E) dE``.

        Gauss-Legendre on the smooth pieces of ``[max(e_min, self.e_min), min(e_max, self.e_max)]``
        (split at the breakpoints, e.g. 2 and 8 MeV), about ``n`` nodes in total and at least
        4 per piece.  ``sum(weights * g(E_nodes))`` approximates the integral.  Analytic
        spectra are integrated to machine precision; the BESTIOLE tables (kinks every 25 keV,
        not used as breakpoints) to a relative accuracy of about 1e-3 with ``n = 256`` and
        1e-4 with ``n = 512``, well below their own uncertainty.

        Returns
        -------
        E_nodes : ndarray
            Energies in MeV (empty if the range is empty).
        weights : ndarray
            ``Phi(E_node) * dE`` in cm^-2 s^-1.
        """
        k = as_nodes(n, "n")
        a, b = self._range(e_min, e_max)
        x, w = _piecewise_gauss(a, b, self._all_breakpoints(), k)
        if x.size == 0:
            return x, w
        return x, w * self._evaluate_full(x)

    def total(self, *, e_min: float | None = None, e_max: float | None = None) -> float:
        """Integrated flux in cm^-2 s^-1, optionally restricted to ``[e_min, e_max]`` MeV."""
        _, w = self.quadrature(_TOTAL_QUADRATURE_NODES, e_min=e_min, e_max=e_max)
        return float(np.sum(w))

    def mean_energy(self, *, e_min: float | None = None, e_max: float | None = None) -> float:
        """Flux-averaged antineutrino energy in MeV (over ``[e_min, e_max]`` if given)."""
        x, w = self.quadrature(_TOTAL_QUADRATURE_NODES, e_min=e_min, e_max=e_max)
        s = np.sum(w)
        if not s > 0:
            raise ValueError("the flux vanishes on the requested [e_min, e_max]")
        return float(np.sum(w * x) / s)

    def sample(
        self, n: int, *, seed: int = 0, e_min: float | None = None, e_max: float | None = None
    ) -> np.ndarray:
        """Draw ``n`` energies (MeV) distributed as the flux.

        Inverse CDF of the piecewise-linear interpolant of the flux on a fine grid (about
        8192 points, with nodes at every breakpoint); reproducible for a given ``seed``.
        """
        size = as_int(n, "n", minimum=0, maximum=MAX_EVENTS)
        rng = np.random.default_rng(as_int(seed, "seed", minimum=0))
        a, b = self._range(e_min, e_max)
        if not b > a:
            raise ValueError("e_min/e_max leave no energy range with flux")
        xl, xr, fl, fr = [], [], [], []
        for lo, hi in _pieces(a, b, self._all_breakpoints()):
            m = max(8, int(round(_SAMPLING_GRID_POINTS * (hi - lo) / (b - a))))
            x = np.linspace(lo, hi, m + 1)
            xe = x.copy()  # evaluate one-sided at the piece edges (the flux may jump there)
            xe[0], xe[-1] = np.nextafter(lo, hi), np.nextafter(hi, lo)
            f = self._evaluate_full(xe)
            xl.append(x[:-1])
            xr.append(x[1:])
            fl.append(f[:-1])
            fr.append(f[1:])
        xl, xr, fl, fr = (np.concatenate(v) for v in (xl, xr, fl, fr))
        h = xr - xl
        mass = 0.5 * (fl + fr) * h
        cdf = np.cumsum(mass)
        if not cdf[-1] > 0:
            raise ValueError("the flux vanishes on the requested [e_min, e_max]")
        target = rng.random(size) * cdf[-1]
        j = np.minimum(np.searchsorted(cdf, target, side="right"), cdf.size - 1)
        t = target - (cdf[j] - mass[j])  # mass to cover inside cell j
        slope = (fr[j] - fl[j]) / h[j]
        disc = np.maximum(fl[j] ** 2 + 2.0 * slope * t, 0.0)
        denom = fl[j] + np.sqrt(disc)
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.where(denom > 0, 2.0 * t / denom, 0.0)
        return np.clip(xl[j] + d, xl[j], xr[j])


class Reactor(Flux):
    """One reactor core seen as an isotropic point source.

    ``dPhi/dE = P / (4 pi L^2 <E_f>) * [sum_i f_i S_i(E) + c S_capt(E)]`` with ``P_ee = 1``
    (no oscillation: at ``L <= 100 m`` the atmospheric phase is ~0.1 rad).

    Parameters
    ----------
    power_GW : float
        Thermal power in GW (> 0).
    distance_cm : float
        Core-detector distance in cm (> 0), e.g. 7200.0 for 72 m.
    fractions : str or dict, default ``"daya_bay"``
        Fission fractions: ``"daya_bay"`` (0.564, 0.076, 0.304, 0.056; PRD 100, 052004),
        ``"juno"`` (0.58, 0.07, 0.30, 0.05) or ``{isotope: fraction}`` summing to 1 within 1e-3
        (missing isotopes count as 0; used as given, not renormalised).
    energies : str or dict, default ``"ma2013"``
        Energy per fission: ``"ma2013"`` (202.36, 205.99, 211.12, 214.26 MeV; PRC 88, 014605),
        ``"kopeikin2004"`` (201.92, 205.52, 209.99, 213.60 MeV) or ``{isotope: MeV}``.
    model : str, TabulatedSpectrum or dict, default ``"hm+bestiole"``
        Per-fission spectrum model (module docstring).
    capture : bool or float, default False
        Neutron-capture antineutrinos (U-239 and Np-239 decays, below 1.3 MeV): ``True`` adds
        :data:`CAPTURES_PER_FISSION` = 0.6 captures per fission (an assumption, see the module
        docstring), a number >= 0 that many captures per fission.
    """

    def __init__(
        self,
        power_GW: float,
        distance_cm: float,
        *,
        fractions: str | dict = "daya_bay",
        energies: str | dict = "ma2013",
        model: str | TabulatedSpectrum | dict = DEFAULT_MODEL,
        capture: bool | float = False,
    ):
        self.power_GW = as_float(power_GW, "power_GW", positive=True)
        #: Core-detector distance in cm.
        self.distance_cm = as_float(distance_cm, "distance_cm", positive=True)
        self.fractions = _resolve_fractions(fractions)
        self.energies_MeV = _resolve_energies(energies, self.fractions)
        self.model = model
        #: Neutron captures on U-238 per fission whose decays are included (0 if none).
        self.captures_per_fission = _resolve_capture(capture)
        self._components = [(f, _isotope_spectrum(iso, model)) for iso, f in self.fractions.items() if f > 0]
        if self.captures_per_fission > 0:
            self._components.append((self.captures_per_fission, _capture_spectrum()))
        #: Mean energy per fission in MeV.
        self.mean_energy_per_fission_MeV = sum(
            f * self.energies_MeV[iso] for iso, f in self.fractions.items() if f > 0
        )
        #: Fissions per second.
        self.fissions_per_second = self.power_GW * 1e9 / (self.mean_energy_per_fission_MeV * JOULE_PER_MEV)
        #: Fissions per second per cm^2 at the detector, P / (<E_f> 4 pi L^2).
        self.fission_flux_cm2_s = self.fissions_per_second / (4.0 * math.pi * self.distance_cm**2)
        self.e_min = min(s.e_min for _, s in self._components)
        self.e_max = max(s.e_max for _, s in self._components)
        bps = set()
        for _, s in self._components:
            bps.update(s.breakpoints)
            bps.update((s.e_min, s.e_max))
        self.breakpoints = tuple(sorted(bps))

    def spectrum_per_fission(self, E_nu):
        """Fuel-mix spectrum ``sum_i f_i S_i(E)`` (+ capture term) in antineutrinos / MeV / fission."""
        E = as_array(E_nu, "E_nu", nonnegative=True, finite=False)
        return scalar_or_array(self._mix(E))

    def _mix(self, E, memo=None):
        """``sum_i f_i S_i(E)``; ``memo`` (a dict) shares the spectra ``S_i(E)`` between cores at one E."""
        out = np.zeros_like(E)
        for f, s in self._components:
            if memo is None:
                out += f * s.evaluate(E)
                continue
            if id(s) not in memo:
                memo[id(s)] = (s, s.evaluate(E))  # s is kept alive, so its id is not reused
            out += f * memo[id(s)][1]
        return out

    def _evaluate(self, E):
        return self.fission_flux_cm2_s * self._mix(E)

    def antineutrinos_per_fission(self):
        """Antineutrinos per fission of this core's fuel mix (whole support, capture term included)."""
        return sum(f * _spectrum_integral(s) for f, s in self._components)

    def antineutrinos_per_second(self):
        """Antineutrino emission rate of the core, s^-1."""
        return self.fissions_per_second * self.antineutrinos_per_fission()

    def __repr__(self):
        extra = f", capture={self.captures_per_fission:g}" if self.captures_per_fission > 0 else ""
        return f"Reactor({self.power_GW:g} GW_th at {self.distance_cm:g} cm, model={self.model!r}{extra})"


class Site(Flux):
    """Sum of several fluxes, typically :class:`Reactor` cores seen from one detector.

    Parameters
    ----------
    fluxes : sequence
        Flux objects (or callables accepted by :func:`as_flux`); at least one.
    """

    def __init__(self, fluxes):
        try:
            items = list(fluxes)
        except TypeError as exc:
            raise ValueError("fluxes must be a sequence of flux objects") from exc
        if not items:
            raise ValueError("fluxes must contain at least one flux")
        self.fluxes = [as_flux(f) for f in items]
        self.e_min = min(f.e_min for f in self.fluxes)
        self.e_max = max(f.e_max for f in self.fluxes)
        bps = set()
        for f in self.fluxes:
            bps.update(f._all_breakpoints())
            bps.update((f.e_min, f.e_max))
        self.breakpoints = tuple(sorted(bps))

    @property
    def reactors(self):
        """The component fluxes (alias of ``fluxes``)."""
        return self.fluxes

    def _evaluate(self, E):
        out = np.zeros_like(E)
        memos = {}  # cores with the same support and spectra (the usual case) evaluate them once
        for f in self.fluxes:
            if type(f) is Reactor:  # not a subclass, which may evaluate differently
                inside = (E >= f.e_min) & (E <= f.e_max)
                if np.any(inside):
                    memo = memos.setdefault((f.e_min, f.e_max), {})
                    part = np.zeros_like(E)
                    part[inside] = f.fission_flux_cm2_s * f._mix(E[inside], memo)
                    out += part
                continue
            out += f._evaluate_full(E)
        return out

    def __repr__(self):
        return f"Site({self.fluxes!r})"


class TabulatedFlux(Flux):
    """Flux given as a table, log-linear interpolation, zero outside the table.

    Parameters
    ----------
    E_MeV : array_like
        Strictly increasing energies, MeV.
    dPhi_dE : array_like
        Flux at ``E_MeV`` in cm^-2 s^-1 MeV^-1 (>= 0).
    """

    def __init__(self, E_MeV, dPhi_dE):
        self._table = _LogLinearTable(E_MeV, dPhi_dE, "E_MeV", "dPhi_dE")
        self.e_min = self._table.e_min
        self.e_max = self._table.e_max
        self.breakpoints = self._table.breakpoints

    def _evaluate(self, E):
        return self._table.evaluate(E)

    def __repr__(self):
        return f"TabulatedFlux({self._table.E.size} nodes, {self.e_min:g}-{self.e_max:g} MeV)"


class CallableFlux(Flux):
    """Wrap a user function ``f(E_MeV) -> cm^-2 s^-1 MeV^-1`` as a flux on ``[e_min, e_max]``.

    ``f`` is called with a float array; if it only accepts scalars it is called element
    by element.  It must return finite non-negative values.
    """

    def __init__(self, func, e_min, e_max, breakpoints=()):
        if not callable(func):
            raise ValueError(f"func must be callable, got {func!r}")
        self.func = func
        self.e_min = as_float(e_min, "e_min", nonnegative=True)
        self.e_max = as_float(e_max, "e_max", nonnegative=True)
        if self.e_max > MAX_ENERGY_MEV:
            raise ValueError(f"e_max must be <= {MAX_ENERGY_MEV:g} MeV, got {self.e_max:g}")
        if not self.e_max > self.e_min:
            raise ValueError("e_max must be larger than e_min")
        self.breakpoints = tuple(float(b) for b in as_array(breakpoints, "breakpoints").ravel())

    def _evaluate(self, E):
        try:
            out = np.asarray(self.func(E), dtype=np.float64)
            out = np.broadcast_to(out, E.shape).copy()
        except (TypeError, ValueError):
            out = np.array([float(self.func(float(x))) for x in E])
        if np.any(~np.isfinite(out)) or np.any(out < 0):
            raise ValueError("the flux function returned NaN, infinite or negative values")
        return out

    def __repr__(self):
        return f"CallableFlux({self.func!r}, {self.e_min:g}-{self.e_max:g} MeV)"


def as_flux(
    obj, *, e_min: float | None = None, e_max: float | None = None, breakpoints: ArrayLike | None = None
) -> Flux:
    """Return ``obj`` as a :class:`Flux`.

    Parameters
    ----------
    obj : Flux or callable
        A flux object is returned unchanged (unless bounds are given).  A callable
        ``f(E_MeV)`` returning cm^-2 s^-1 MeV^-1 is wrapped in :class:`CallableFlux`; its
        support comes from the ``e_min``/``e_max`` keywords or from attributes of the same
        name on ``obj``.
    e_min, e_max : float, optional
        Support in MeV.
    breakpoints : sequence of float, optional
        Energies where the function has kinks (improves the quadrature).
    """
    if isinstance(obj, Flux) and e_min is None and e_max is None and breakpoints is None:
        return obj
    if not callable(obj):
        raise ValueError(f"obj must be a flux object or a callable, got {obj!r}")
    lo = e_min if e_min is not None else getattr(obj, "e_min", None)
    hi = e_max if e_max is not None else getattr(obj, "e_max", None)
    if lo is None or hi is None:
        raise ValueError("e_min and e_max must be given (as keywords or attributes of the callable)")
    if breakpoints is None:
        breakpoints = getattr(obj, "breakpoints", ())
    return CallableFlux(obj, lo, hi, breakpoints)


def chooz(
    *,
    model: str | TabulatedSpectrum | dict = DEFAULT_MODEL,
    fractions: str | dict = "daya_bay",
    energies: str | dict = "ma2013",
    power_GW: float = CHOOZ_CORE_POWER_GW,
    capture: bool | float = False,
) -> Site:
    """Flux at the NUCLEUS Very-Near-Site of Chooz B.

    Two cores of 4.25 GW_th each at 72 m and 102 m (:data:`CHOOZ_VNS_DISTANCES_CM`; NUCLEUS,
    EPJC 79, 1018 (2019)), same fuel model for both.  Total 1.84e12 cm^-2 s^-1 for the defaults
    (``"hm+bestiole"``, Daya Bay fractions), 2.20e12 with ``capture=True``, 1.63e12 with ``"hm+ve"``.

    Parameters
    ----------
    model, fractions, energies, capture
        As for :class:`Reactor`.
    power_GW : float
        Thermal power of each core, GW.

    Returns
    -------
    Site
        dPhi/dE in cm^-2 s^-1 MeV^-1.

    Examples
    --------
    >>> from radcevns import flux
    >>> site = flux.chooz()
    >>> f"{site.total():.3e}"
    '1.842e+12'
    >>> [r.distance_cm for r in site.reactors]
    [7200.0, 10200.0]
    """
    return Site(
        [
            Reactor(power_GW, L, fractions=fractions, energies=energies, model=model, capture=capture)
            for L in CHOOZ_VNS_DISTANCES_CM
        ]
    )
