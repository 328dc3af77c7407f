"""Target nuclei: isotopes, natural elements, compounds and nuclear form factors.

A *target* is anything a cross section can be computed on:

* :func:`nucleus` -- one isotope, e.g. ``nucleus("W184")``;
* :func:`element` -- a natural element, e.g. ``element("W")``; cross sections are
  the abundance-weighted value **per atom**;
* :func:`compound` -- a chemical formula, e.g. ``compound("CaWO4")``; cross
  sections are the sum over its atoms **per formula unit**.

Nuclear masses are computed from the atomic masses of ``periodictable`` (NIST/IUPAC)
as ``M = m_atom - Z m_e`` (electron binding energies neglected), in MeV.

The photon couples to the nuclear *charge*, so the Primakoff upscattering uses the
charge form factor; the default is Helm's (Lewin & Smith 1996), with the
Klein-Nystrand form as an option.  The momentum transfer is
``q = sqrt(2 M E_R + E_R^2)`` (exact for elastic recoil).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import periodictable
from numba import njit
from numpy.typing import ArrayLike

from ._validate import MAX_ENERGY_MEV, as_array, as_choice, scalar_or_array
from .constants import AMU_MEV, AVOGADRO, HBARC_MEV_FM, M_ELECTRON

__all__ = [
    "FORM_FACTORS",
    "Nucleus",
    "Element",
    "Compound",
    "Target",
    "nucleus",
    "element",
    "compound",
    "as_target",
    "target_arrays",
    "form_factor_code",
    "form_factor",
    "form_factor_radius_kernel",
    "form_factor_at_radius_kernel",
    "form_factor_kernel",
]

#: Form-factor names accepted by the public API and their kernel codes.
FORM_FACTORS = {"helm": 0, "klein-nystrand": 1, "none": 2}


@dataclass(frozen=True)
class Nucleus:
    """One isotope.

    Attributes
    ----------
    symbol : str
        Element symbol, e.g. ``"W"``.
    Z, N, A : int
        Proton, neutron and mass numbers.
    mass : float
        Nuclear mass in MeV (atomic mass minus Z electron masses).
    molar_mass : float
        Atomic molar mass in g/mol.
    """

    symbol: str
    Z: int
    N: int
    A: int
    mass: float
    molar_mass: float

    @property
    def name(self) -> str:
        """Isotope name such as ``"W184"``."""
        return f"{self.symbol}{self.A}"

    def components(self):
        """Return ``(nuclei, weights)``: this nucleus with weight 1."""
        return (self,), np.array([1.0])

    @property
    def nuclei_per_kg(self) -> dict:
        """Number of nuclei per kg of this pure isotope, keyed by isotope name."""
        return {self.name: 1000.0 * AVOGADRO / self.molar_mass}

    def __repr__(self) -> str:
        return f"Nucleus({self.name}: Z={self.Z}, N={self.N}, M={self.mass:.2f} MeV)"


@dataclass(frozen=True)
class Element:
    """A natural element: its stable isotopes with their abundances (fractions summing to 1).

    Cross sections on an element are abundance-weighted, i.e. per atom.
    """

    symbol: str
    isotopes: tuple
    abundances: tuple

    @property
    def name(self) -> str:
        return self.symbol

    @property
    def Z(self) -> int:
        return self.isotopes[0].Z

    @property
    def molar_mass(self) -> float:
        """Mean atomic molar mass in g/mol (from the isotope masses and abundances)."""
        return float(sum(a * n.molar_mass for n, a in zip(self.isotopes, self.abundances, strict=True)))

    def components(self):
        """Return ``(nuclei, weights)`` with weights = isotopic abundances."""
        return self.isotopes, np.array(self.abundances)

    @property
    def nuclei_per_kg(self) -> dict:
        """Number of nuclei of each isotope per kg of the natural element."""
        atoms = 1000.0 * AVOGADRO / self.molar_mass
        return {n.name: atoms * a for n, a in zip(self.isotopes, self.abundances, strict=True)}

    def __repr__(self) -> str:
        iso = ", ".join(f"{n.A}:{a:.4f}" for n, a in zip(self.isotopes, self.abundances, strict=True))
        return f"Element({self.symbol}; {iso})"


@dataclass(frozen=True)
class Compound:
    """A chemical compound such as CaWO4; cross sections are per formula unit.

    Attributes
    ----------
    formula : str
        The formula as given.
    atoms : tuple of (Element, int)
        Elements and their stoichiometric counts.
    """

    formula: str
    atoms: tuple = field(repr=False)

    @property
    def name(self) -> str:
        return self.formula

    @property
    def molar_mass(self) -> float:
        """Molar mass of one formula unit in g/mol."""
        return float(sum(count * el.molar_mass for el, count in self.atoms))

    def components(self):
        """Return ``(nuclei, weights)``: every isotope with weight = count x abundance."""
        nuclei, weights = [], []
        for el, count in self.atoms:
            for n, a in zip(el.isotopes, el.abundances, strict=True):
                nuclei.append(n)
                weights.append(count * a)
        return tuple(nuclei), np.array(weights)

    @property
    def formula_units_per_kg(self) -> float:
        """Number of formula units per kg."""
        return 1000.0 * AVOGADRO / self.molar_mass

    @property
    def nuclei_per_kg(self) -> dict:
        """Number of nuclei of each isotope per kg of the compound."""
        units = self.formula_units_per_kg
        nuclei, weights = self.components()
        out = {}
        for n, w in zip(nuclei, weights, strict=True):
            out[n.name] = out.get(n.name, 0.0) + units * w
        return out


#: Anything the package accepts as a target: a :class:`Nucleus`, :class:`Element` or :class:`Compound`,
#: or a string naming one (``"W184"``, ``"W"``, ``"CaWO4"``; see :func:`as_target`).
Target = str | Nucleus | Element | Compound


_ACCEPTED = (
    "an isotope 'W184' (also 'W-184' or '184W'), an element symbol 'W', or a chemical formula of "
    "element symbols with integer counts 'CaWO4', 'Al2O3' (case-sensitive, no spaces)"
)
_ISOTOPE_RE = re.compile(r"([A-Z][a-z]?)-?(\d+)|(\d+)([A-Z][a-z]?)")
_SYMBOL_RE = re.compile(r"[A-Z][a-z]?")
# a formula: one or more (symbol, optional count >= 1), nothing else
_FORMULA_RE = re.compile(r"(?:[A-Z][a-z]?(?:[1-9]\d*)?)+")
_FORMULA_PART_RE = re.compile(r"([A-Z][a-z]?)([1-9]\d*)?")


def _target_error(name, value, why=""):
    return ValueError(
        f"{name} {value!r:.60} is not a valid target{': ' + why if why else ''}; use {_ACCEPTED}"
    )


def _periodictable_element(symbol: str, name: str = "target"):
    try:
        el = periodictable.elements.symbol(symbol)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _target_error(name, symbol, f"unknown element symbol {symbol!r}") from exc
    # periodictable's neutron "n" and its isotope aliases "D", "T" are not element symbols here
    if el.number == 0 or not isinstance(el, periodictable.core.Element):
        raise _target_error(name, symbol, f"unknown element symbol {symbol!r} (write 'H2', 'H3')")
    return el


@cache
def nucleus(name: str) -> Nucleus:
    """Return one isotope, e.g. ``nucleus("W184")``, ``nucleus("Ca40")`` or ``nucleus("184W")``.

    Raises
    ------
    ValueError
        If the name cannot be parsed or the isotope is unknown.
    """
    if not isinstance(name, str):
        raise TypeError(f"isotope name must be a string like 'W184', got {name!r:.60}")
    m = _ISOTOPE_RE.fullmatch(name)
    if not m:
        raise ValueError(f"cannot parse isotope name {name!r:.60}; use e.g. 'W184', 'W-184' or '184W'")
    sym, a = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    if len(a) > 3:
        raise ValueError(f"unknown isotope {name!r}: mass number {a} out of range")
    A = int(a)
    el = _periodictable_element(sym, "isotope name")
    if A not in el.isotopes:
        raise ValueError(f"unknown isotope {name!r}: {sym} has no isotope with A = {A}")
    iso = el[A]
    Z = int(el.number)
    mass = iso.mass * AMU_MEV - Z * M_ELECTRON
    return Nucleus(symbol=sym, Z=Z, N=A - Z, A=A, mass=float(mass), molar_mass=float(iso.mass))


@cache
def element(symbol: str) -> Element:
    """Return a natural element with its isotopic composition (atom fractions, from ``periodictable``).

    Raises
    ------
    ValueError
        If the symbol is unknown or the element has no natural isotopes.
    """
    if not isinstance(symbol, str):
        raise TypeError(f"element symbol must be a string like 'W', got {symbol!r:.60}")
    if not _SYMBOL_RE.fullmatch(symbol):
        raise ValueError(f"element symbol must be like 'W' or 'Ca' (case-sensitive), got {symbol!r:.60}")
    el = _periodictable_element(symbol, "element symbol")
    pairs = [(A, el[A].abundance) for A in el.isotopes if el[A].abundance > 0]
    if not pairs:
        raise ValueError(f"element {symbol!r} has no naturally abundant isotope")
    total = sum(ab for _, ab in pairs)
    isotopes = tuple(nucleus(f"{el.symbol}{A}") for A, _ in pairs)
    abundances = tuple(float(ab / total) for _, ab in pairs)
    return Element(symbol=el.symbol, isotopes=isotopes, abundances=abundances)


@cache
def compound(formula: str) -> Compound:
    """Return a compound from its chemical formula, e.g. ``"CaWO4"``, ``"Al2O3"``, ``"CsI"``, ``"Ge"``.

    The formula is parsed strictly: element symbols (case-sensitive) each followed by an optional
    integer count >= 1, nothing else (no spaces, isotopes, brackets or hydrates); a symbol may not
    appear twice (``"W184W"`` and ``"WW"`` are refused, write ``"W2"``).

    Raises
    ------
    TypeError
        If ``formula`` is not a string.
    ValueError
        If the formula does not follow these rules or contains an unknown element.
    """
    if not isinstance(formula, str):
        raise TypeError(f"formula must be a string like 'CaWO4', got {formula!r:.60}")
    if not _FORMULA_RE.fullmatch(formula):
        raise _target_error("formula", formula)
    counts: dict[str, int] = {}
    for sym, count in _FORMULA_PART_RE.findall(formula):
        if sym in counts:
            raise _target_error("formula", formula, f"element {sym!r} appears twice")
        if len(count) > 6:
            raise _target_error("formula", formula, f"count {count} of {sym} too large")
        counts[sym] = int(count) if count else 1
    parts = [(element(sym), n) for sym, n in counts.items()]
    return Compound(formula=formula, atoms=tuple(parts))


def as_target(target: Target) -> Nucleus | Element | Compound:
    """Turn ``target`` into a :class:`Nucleus`, :class:`Element` or :class:`Compound`.

    Strings are interpreted as an isotope if they carry a mass number (``"W184"``, ``"W-184"``,
    ``"184W"``), as an element if they are a bare symbol (``"W"``), otherwise as a chemical formula
    (``"CaWO4"``, see :func:`compound`).  Parsing is strict and case-sensitive: surrounding spaces,
    lower-case symbols (``"ca40"``), unknown symbols and mixtures of isotopes and formulas
    (``"W184W"``, ``"40Ca2"``) raise a ValueError that lists what is accepted.

    Raises
    ------
    TypeError
        If ``target`` is neither a string nor a :class:`Nucleus`, :class:`Element` or :class:`Compound`.
    ValueError
        If the string is not a valid isotope, element or formula.

    Examples
    --------
    >>> from radcevns import nuclear
    >>> nuclear.as_target("W184").A, nuclear.as_target("W").name, nuclear.as_target("CaWO4").name
    (184, 'W', 'CaWO4')
    """
    if isinstance(target, Nucleus | Element | Compound):
        return target
    if isinstance(target, str):
        try:
            if _ISOTOPE_RE.fullmatch(target):
                return nucleus(target)
            if _SYMBOL_RE.fullmatch(target):
                return element(target)
            if _FORMULA_RE.fullmatch(target):
                return compound(target)
        except ValueError as exc:
            raise ValueError(f"target {target!r:.60}: {exc}") from None
        raise _target_error("target", target)
    raise TypeError(
        f"target must be a Nucleus, Element, Compound or a string such as 'W184', 'W' or 'CaWO4', "
        f"got {type(target).__name__} {target!r:.60}"
    )


def target_arrays(target: Target) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(Z, A, M, weight)`` float arrays of the isotopes making up ``target``.

    ``M`` is the nuclear mass in MeV, ``weight`` the number of such nuclei per target unit (atom
    fraction for an element, atoms per formula unit for a compound).  The input of the numba kernels.
    """
    nuclei, weights = as_target(target).components()
    Z = np.array([n.Z for n in nuclei], dtype=np.float64)
    A = np.array([n.A for n in nuclei], dtype=np.float64)
    M = np.array([n.mass for n in nuclei], dtype=np.float64)
    return Z, A, M, np.asarray(weights, dtype=np.float64)


def form_factor_code(form_factor: str | None) -> int:
    """Map a form-factor name (``"helm"``, ``"klein-nystrand"``, ``"none"``) to its kernel code.

    ``None`` means ``"none"`` (F = 1).  The code is the ``code`` / ``ff_code`` argument of the kernels.
    The name is compared after lower-casing and replacing ``_`` by ``-`` (``"Klein_Nystrand"`` is accepted).
    """
    if form_factor is None:
        return FORM_FACTORS["none"]
    key = as_choice(form_factor, "form_factor", FORM_FACTORS, normalise=lambda v: v.lower().replace("_", "-"))
    return FORM_FACTORS[key]


# Taylor coefficients of j1(x)/x = sum_k c_k x^(2k), c_k = (-1)^k / (2^k k! (2k+3)!!), rounded from exact
# fractions.  Ten terms give a relative error below 2e-16 for x < 1 (checked against exact rational sums).
_J1X_C0 = 0.3333333333333333
_J1X_C1 = -0.03333333333333333
_J1X_C2 = 0.0011904761904761906
_J1X_C3 = -2.2045855379188714e-05
_J1X_C4 = 2.505210838544172e-07
_J1X_C5 = -1.9270852604185937e-09
_J1X_C6 = 1.0706029224547743e-11
_J1X_C7 = -4.498331606952833e-14
_J1X_C8 = 1.4797143443923793e-16
_J1X_C9 = -3.9145882126782523e-19


@njit(cache=True, error_model="numpy", fastmath={"contract"})
def _j1_over_x(x):
    """Spherical Bessel j1(x)/x.

    For x < 1 a ten-term Taylor series (relative error < 2e-16, and no sin/cos); above, the closed form
    (sin x / x^2 - cos x / x) / x, whose cancellation is harmless there.  The only fast-math flag is
    "contract" (fused multiply-add in the Horner steps): it changes no NaN, infinity or zero handling.
    """
    if x < 1.0:
        x2 = x * x
        p = _J1X_C8 + x2 * _J1X_C9
        p = _J1X_C7 + x2 * p
        p = _J1X_C6 + x2 * p
        p = _J1X_C5 + x2 * p
        p = _J1X_C4 + x2 * p
        p = _J1X_C3 + x2 * p
        p = _J1X_C2 + x2 * p
        p = _J1X_C1 + x2 * p
        return _J1X_C0 + x2 * p
    return (math.sin(x) / (x * x) - math.cos(x) / x) / x


# Helm surface thickness s and skin parameter a (Lewin & Smith 1996), Klein-Nystrand range a_k; all fm.
_HELM_S = 0.9
_HELM_A = 0.52
_KN_AK = 0.7
_INV_HBARC_FM = 1.0 / 197.3269804593025  # fm^-1 per MeV


@njit(cache=True, error_model="numpy")
def form_factor_radius_kernel(A, code):
    """Radius in fm entering the form factor ``code`` for mass number ``A`` (0 for code 2, F = 1).

    Numba kernel, no input checks, natural units (``A`` the mass number; the radius in fm).

    code 0 (Helm): ``r1 = sqrt(c^2 + 7/3 pi^2 a^2 - 5 s^2)`` with ``c = 1.23 A^(1/3) - 0.60`` fm;
    code 1 (Klein-Nystrand): ``R_A = 1.2 A^(1/3)`` fm.  Depends on the isotope only, so array code
    computes it once per isotope and calls :func:`form_factor_at_radius_kernel`.
    """
    if code == 0:
        c = 1.23 * A ** (1.0 / 3.0) - 0.60
        return math.sqrt(c * c + 7.0 / 3.0 * math.pi**2 * _HELM_A * _HELM_A - 5.0 * _HELM_S * _HELM_S)
    if code == 1:
        return 1.2 * A ** (1.0 / 3.0)
    return 0.0


@njit(cache=True, error_model="numpy")
def form_factor_at_radius_kernel(q_mev, radius_fm, code):
    """Charge form factor F(q) for q in MeV given ``radius_fm = form_factor_radius_kernel(A, code)``.

    Numba kernel, no input checks, natural units (q in MeV, the radius in fm).
    """
    if code == 2:
        return 1.0
    q = q_mev * _INV_HBARC_FM  # fm^-1
    if code == 0:
        return 3.0 * _j1_over_x(q * radius_fm) * math.exp(-0.5 * q * q * (_HELM_S * _HELM_S))
    return 3.0 * _j1_over_x(q * radius_fm) / (1.0 + q * q * (_KN_AK * _KN_AK))


@njit(cache=True, error_model="numpy")
def form_factor_kernel(q_mev, A, code):
    """Charge form factor F(q) (normalised F(0) = 1) for mass number A; q in MeV.

    Numba kernel, no input checks, natural units.

    code 0: Helm (Lewin-Smith parameters c = 1.23 A^(1/3) - 0.60 fm, a = 0.52 fm, s = 0.9 fm);
    code 1: Klein-Nystrand (R_A = 1.2 A^(1/3) fm, a_k = 0.7 fm); code 2: F = 1.
    """
    return form_factor_at_radius_kernel(q_mev, form_factor_radius_kernel(A, code), code)


@njit(cache=True, error_model="numpy")
def _form_factor_array(E_R, M, radius_fm, code, out):
    for i in range(E_R.shape[0]):
        q = math.sqrt(2.0 * M * E_R[i] + E_R[i] * E_R[i])
        out[i] = form_factor_at_radius_kernel(q, radius_fm, code)


def form_factor(E_R: ArrayLike, target: Target, *, form_factor: str = "helm") -> float | np.ndarray:
    """Nuclear charge form factor F(q) at recoil energy ``E_R`` (MeV) for one isotope.

    Parameters
    ----------
    E_R : array_like
        Nuclear recoil kinetic energy in MeV.
    target : Nucleus or str
        One isotope (e.g. ``"W184"``).
    form_factor : {"helm", "klein-nystrand", "none"}
        Parametrisation.

    Returns
    -------
    float or ndarray
        F(q) with q = sqrt(2 M E_R + E_R^2); F(0) = 1.
    """
    E_R = as_array(E_R, "E_R", nonnegative=True, maximum=MAX_ENERGY_MEV)
    nuc = as_target(target)
    if not isinstance(nuc, Nucleus):
        raise ValueError(f"target must be a single isotope (e.g. 'W184') for form_factor, got {nuc.name!r}")
    code = form_factor_code(form_factor)
    flat = np.ascontiguousarray(E_R).reshape(-1)
    out = np.empty(flat.shape[0])
    _form_factor_array(flat, float(nuc.mass), form_factor_radius_kernel(float(nuc.A), code), code, out)
    return scalar_or_array(out.reshape(E_R.shape))


assert abs(HBARC_MEV_FM - 197.3269804593025) < 1e-9  # the kernel hard-codes hbar c in MeV fm
