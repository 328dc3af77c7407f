"""Input validation shared by the public API (internal).

Every public function passes user input through these helpers so that bad input raises a
``ValueError`` (a value out of range, NaN, a misspelt option) or a ``TypeError`` (an object of the
wrong kind) whose message names the offending parameter and says what is accepted.  No exception
of a dependency (numpy, periodictable) reaches the user.

Bounds that protect the numerics:

* :data:`MAX_ENERGY_MEV` -- energies and masses (MeV) beyond it are refused: the package describes
  reactor, accelerator and solar neutrinos, and above it intermediate products of the kinematics
  (``E^3 M``, ``E^2 M^2``) would approach the float64 range;
* :data:`MAX_MOMENT_MU_B` -- magnetic moments above it (in Bohr magnetons) are refused;
* :data:`MAX_NODES` -- quadrature orders and node counts are capped, so that no call does unbounded
  work; :data:`MAX_EVENTS` caps the number of generated events per call and :data:`MAX_EDGES` the
  bin edges of a histogram axis.
"""

from __future__ import annotations

import math
import numbers
import operator

import numpy as np

NATURES = ("dirac", "majorana")

#: Largest energy or mass accepted by the public API, in MeV (1 TeV).
MAX_ENERGY_MEV = 1.0e6
#: Largest magnetic moment accepted by the public API, in Bohr magnetons.
MAX_MOMENT_MU_B = 1.0
#: Largest quadrature order / number of nodes accepted by any public function.
MAX_NODES = 100_000
#: Largest number of events generated in one call.
MAX_EVENTS = 100_000_000
#: Largest number of bin edges of a histogram (memory and work grow with the product of two axes).
MAX_EDGES = 2001


def as_array(
    value,
    name,
    *,
    positive=False,
    nonnegative=False,
    finite=True,
    maximum=None,
    minimum=None,
    allow_empty=True,
):
    """Return ``value`` as a float64 array after checking it.

    Parameters
    ----------
    value : array_like
        The user input.
    name : str
        Parameter name used in the error message.
    positive, nonnegative : bool
        Require ``value > 0`` or ``value >= 0`` element-wise.
    finite : bool
        Require finite values (default).  ``np.inf`` is rejected when True.
    minimum, maximum : float, optional
        Inclusive bounds.
    allow_empty : bool
        If False an empty array is refused.

    Raises
    ------
    TypeError
        For anything that is not a real number or an array of real numbers (strings, None,
        complex numbers, mappings, ragged nested lists).
    ValueError
        For NaN, infinities (when ``finite``) and values out of range.
    """
    if isinstance(value, str | bytes | dict | set | type(None)):
        raise TypeError(f"{name} must be a real number or an array of real numbers, got {value!r:.80}")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError) as exc:
        if isinstance(exc, OverflowError):
            raise ValueError(f"{name} is too large to be represented as a float, got {value!r:.80}") from exc
        raise TypeError(
            f"{name} must be a real number or a (rectangular) array of real numbers, got {value!r:.80}"
        ) from exc
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if arr.size == 0:
        return arr
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not contain NaN")
    if finite and not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite")
    if positive and (arr <= 0).any():
        raise ValueError(f"{name} must be > 0, got min {arr.min()!r}")
    if nonnegative and (arr < 0).any():
        raise ValueError(f"{name} must be >= 0, got min {arr.min()!r}")
    if minimum is not None and (arr < minimum).any():
        raise ValueError(f"{name} must be >= {minimum:g}, got min {arr.min()!r}")
    if maximum is not None and (arr > maximum).any():
        raise ValueError(f"{name} must be <= {maximum:g}, got max {arr.max()!r}")
    return arr


def as_float(value, name, *, positive=False, nonnegative=False, finite=True, minimum=None, maximum=None):
    """Check a single real number and return it as a Python float (same checks as :func:`as_array`)."""
    arr = as_array(
        value,
        name,
        positive=positive,
        nonnegative=nonnegative,
        finite=finite,
        minimum=minimum,
        maximum=maximum,
    )
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number, got an array of shape {arr.shape}")
    return float(arr)


def as_energy(value, name, *, positive=False):
    """A non-negative (or positive) energy or mass array in MeV, at most :data:`MAX_ENERGY_MEV`."""
    return as_array(value, name, positive=positive, nonnegative=True, maximum=MAX_ENERGY_MEV)


def as_moment(value, name):
    """A non-negative magnetic-moment array in Bohr magnetons, at most :data:`MAX_MOMENT_MU_B`."""
    return as_array(value, name, nonnegative=True, maximum=MAX_MOMENT_MU_B)


def as_int(value, name, *, minimum=None, maximum=None):
    """Check an integer count and return it as a Python int.

    Accepts Python and numpy integers and floats with an integral value (``3.0``); refuses
    booleans, non-integral floats (``2.7``), NaN, infinities and values outside
    ``[minimum, maximum]`` (both inclusive).
    """
    if isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be an integer, got the boolean {value!r}")
    if isinstance(value, numbers.Integral):
        out = operator.index(value)
    elif isinstance(value, numbers.Real):
        v = float(value)
        if not math.isfinite(v) or v != math.floor(v):
            raise ValueError(f"{name} must be an integer, got {value!r}")
        out = int(v)
    else:
        raise TypeError(f"{name} must be an integer, got {value!r:.80}")
    if minimum is not None and out < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {out}")
    if maximum is not None and out > maximum:
        raise ValueError(f"{name} must be an integer <= {maximum}, got {out}")
    return out


def as_nodes(value, name, *, minimum=1, maximum=MAX_NODES):
    """A quadrature order or number of nodes: an integer in ``[minimum, maximum]``."""
    return as_int(value, name, minimum=minimum, maximum=maximum)


def as_bool(value, name):
    """Check a boolean switch (Python or numpy bool)."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {value!r:.80}")
    return bool(value)


def as_choice(value, name, choices, *, normalise=None):
    """Check an enumerated option.

    Parameters
    ----------
    value
        The user input.
    name : str
        Parameter name for the message.
    choices : iterable of str
        The accepted values.
    normalise : callable, optional
        A documented normalisation applied to a string before the comparison (e.g. ``str.lower``).
    """
    choices = tuple(choices)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {choices}, got {value!r:.80}")
    key = normalise(value) if normalise is not None else value
    if key not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r:.80}")
    return key


def as_instance(value, name, cls, *, what=None):
    """Check that ``value`` is an instance of ``cls`` (a TypeError naming the parameter otherwise)."""
    if not isinstance(value, cls):
        kind = what or (cls.__name__ if isinstance(cls, type) else " or ".join(c.__name__ for c in cls))
        raise TypeError(f"{name} must be a {kind}, got {type(value).__name__} {value!r:.80}")
    return value


def as_nature(nature):
    """Check the Dirac/Majorana switch; the comparison ignores case (``"Dirac"`` is ``"dirac"``)."""
    return as_choice(nature, "nature", NATURES, normalise=str.lower)


def as_length_or_none(L, name="L"):
    """Check an optional distance in cm; ``None`` (or ``inf``) means infinity."""
    if L is None:
        return None
    arr = as_array(L, name, nonnegative=True, finite=False)
    return arr


def as_edges(value, name, *, minimum=None, maximum=None, max_size=MAX_EDGES):
    """Strictly increasing 1-d bin edges (at least two, at most ``max_size``, finite, within the bounds)."""
    arr = as_array(value, name, minimum=minimum, maximum=maximum)
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"{name} must be a 1-d array of at least two bin edges, got shape {arr.shape}")
    if arr.size > max_size:
        raise ValueError(f"{name} must have at most {max_size} edges, got {arr.size}")
    if np.any(np.diff(arr) <= 0):
        raise ValueError(f"{name} must be strictly increasing")
    return arr


def broadcast(*named):
    """Broadcast ``(name, array)`` pairs; a shape mismatch raises a ValueError naming the parameters."""
    try:
        return np.broadcast_arrays(*(a for _, a in named))
    except ValueError as exc:
        shapes = ", ".join(f"{n} {np.shape(a)}" for n, a in named)
        raise ValueError(f"arguments cannot be broadcast together: {shapes}") from exc


def scalar_or_array(arr):
    """Return a Python float for 0-d arrays, otherwise the array itself."""
    arr = np.asarray(arr)
    return float(arr) if arr.ndim == 0 else arr
