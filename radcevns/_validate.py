"""Input validation shared by the public API (internal).

Every public function passes user input through these helpers so that bad
input raises a ``ValueError`` that names the offending parameter.
"""

import numpy as np

NATURES = ("dirac", "majorana")


def as_array(value, name, *, positive=False, nonnegative=False, finite=True):
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
    """
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a real number or array of numbers, got {value!r}") from exc
    if np.any(np.isnan(arr)):
        raise ValueError(f"{name} must not contain NaN")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite")
    if positive and np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0")
    if nonnegative and np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0")
    return arr


def as_nature(nature):
    """Check the Dirac/Majorana switch and return it in lower case."""
    if not isinstance(nature, str) or nature.lower() not in NATURES:
        raise ValueError(f"nature must be one of {NATURES}, got {nature!r}")
    return nature.lower()


def as_length_or_none(L, name="L"):
    """Check an optional distance in cm; ``None`` means infinity."""
    if L is None:
        return None
    arr = as_array(L, name, nonnegative=True, finite=False)
    return arr


def scalar_or_array(arr):
    """Return a Python float for 0-d arrays, otherwise the array itself."""
    arr = np.asarray(arr)
    return float(arr) if arr.ndim == 0 else arr
