"""Session-wide settings shared by the unit tests, the papermill kernels and the book build.

* ``NUMBA_CACHE_DIR`` defaults to ``<repo>/_build/numba_cache``: child processes (papermill
  kernels, ``jupyter-book build`` and its kernels) inherit it, so every numba kernel is
  compiled once per machine instead of once per process.
* The repository root goes on ``sys.path`` and ``PYTHONPATH``, so ``import radcevns`` works in
  the kernels even where the package is not installed (the project venv installs it).
* ``MPLBACKEND`` is never set; an inherited one is removed, because a non-inline backend in the
  kernels silently drops every figure from the executed notebooks.
* Tests run in the order: unit tests, notebooks (marker ``notebooks``), book (marker ``book``).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

os.environ.setdefault("NUMBA_CACHE_DIR", str(ROOT / "_build" / "numba_cache"))
Path(os.environ["NUMBA_CACHE_DIR"]).mkdir(parents=True, exist_ok=True)

_pythonpath = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
if str(ROOT) not in _pythonpath:
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *_pythonpath])
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.pop("MPLBACKEND", None)

_STAGE = {"notebooks": 1, "book": 2}


def pytest_collection_modifyitems(session, config, items):
    """Run unit tests first, then the notebooks, then the book build (stable order)."""

    def stage(item):
        return max((_STAGE[m.name] for m in item.iter_markers() if m.name in _STAGE), default=0)

    items.sort(key=stage)


# Hypothesis profiles of the property-based tests (tests/test_properties_*.py): "ci" (the default) keeps
# them under a minute or two with few, reproducible examples and no example database; "long" is for hand
# runs, e.g. `HYPOTHESIS_PROFILE=long bash scripts/run_tests.sh tests/test_properties_physics.py`.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci",
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=500,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
