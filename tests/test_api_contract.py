"""The public contract of the package (see CONTRIBUTING.md, "The public API").

* every module of radcevns has ``__all__``; it lists exactly the public names the module defines
  (functions, classes, numba kernels and UPPER_CASE constants defined there) and no private name;
* no module imports or uses a private (underscore) name of another radcevns module (the shared
  private validation module ``radcevns._validate`` is the one exception: its helpers are meant
  for every module);
* public functions of the main modules carry type hints on their return value or parameters;
* ``import radcevns`` loads none of the optional heavy packages (scipy.stats, pandas, matplotlib,
  HNLimits) and none of its own submodules until they are used;
* the docstring examples (``>>>``) run: :mod:`doctest` on every module.
"""

import ast
import doctest
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "radcevns"
MODULE_FILES = sorted(p for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
PUBLIC_MODULES = [p.stem for p in MODULE_FILES if not p.stem.startswith("_")]
SHARED_PRIVATE_MODULES = {"_validate"}


def _defined_public_names(module):
    """Public names defined in the module itself: functions, classes, kernels, UPPER_CASE constants."""
    tree = ast.parse(Path(module.__file__).read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                elts = t.elts if isinstance(t, ast.Tuple) else [t]
                for e in elts:
                    if isinstance(e, ast.Name) and e.id.isupper():
                        names.add(e.id)
    return {n for n in names if not n.startswith("_")}


def test_the_package_lists_its_modules():
    import radcevns

    assert set(radcevns.SUBMODULES) == set(PUBLIC_MODULES)


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_all_lists_exactly_the_public_names(name):
    module = importlib.import_module(f"radcevns.{name}")
    assert hasattr(module, "__all__"), f"radcevns.{name} has no __all__"
    listed = set(module.__all__)
    assert len(listed) == len(module.__all__), f"radcevns.{name}.__all__ has duplicates"
    private = sorted(n for n in listed if n.startswith("_"))
    assert not private, f"radcevns.{name}.__all__ lists private names {private}"
    missing_objects = sorted(n for n in listed if not hasattr(module, n))
    assert not missing_objects, f"radcevns.{name}.__all__ names objects that do not exist: {missing_objects}"
    unlisted = sorted(_defined_public_names(module) - listed)
    assert not unlisted, f"public names of radcevns.{name} missing from __all__: {unlisted}"


def _private_uses(path):
    """(line, text) of every import or attribute use of another radcevns module's private name."""
    tree = ast.parse(path.read_text())
    modules = {p.stem for p in MODULE_FILES}
    bound = set()
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("radcevns")):
            source = (node.module or "").split(".")[-1]
            for alias in node.names:
                if alias.name in modules:
                    bound.add(alias.asname or alias.name)
                private_name = alias.name.startswith("_") and not alias.name.startswith("__")
                if private_name and alias.name not in modules:
                    hits.append((node.lineno, f"imports {alias.name} from {source}"))
                if source.startswith("_") and source not in SHARED_PRIVATE_MODULES:
                    hits.append((node.lineno, f"imports from the private module {source}"))
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("radcevns."):
                    bound.add(alias.asname or alias.name.split(".")[-1])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            hits.append((node.lineno, f"uses {node.value.id}.{node.attr}"))
    return hits


@pytest.mark.parametrize("path", MODULE_FILES + [PACKAGE / "__init__.py"], ids=lambda p: p.name)
def test_no_module_uses_a_private_name_of_another(path):
    hits = _private_uses(path)
    assert not hits, f"{path.name}: " + "; ".join(f"line {n}: {t}" for n, t in hits)


def test_the_private_use_check_finds_violations(tmp_path):
    """The checker itself: a module that reaches into another one's private names is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from . import rates\nfrom .flux import _scalar\nx = rates._FluxTable\n")
    found = [t for _, t in _private_uses(bad)]
    assert any("_scalar" in t for t in found) and any("rates._FluxTable" in t for t in found)


MAIN_MODULES = (
    "quadrature",
    "acceptance",
    "rates",
    "coincidences",
    "statistics",
    "backgrounds",
    "sensitivity",
)


@pytest.mark.parametrize("name", MAIN_MODULES)
def test_public_functions_have_type_hints(name):
    module = importlib.import_module(f"radcevns.{name}")
    bare = []
    for public in module.__all__:
        obj = getattr(module, public)
        if inspect.isfunction(obj) and obj.__module__ == module.__name__:
            hints = {k for k in obj.__annotations__ if k != "return"} | (
                {"return"} & set(obj.__annotations__)
            )
            if not hints:
                bare.append(public)
    assert not bare, f"radcevns.{name}: functions without type hints: {bare}"


HEAVY = ("scipy.stats", "pandas", "matplotlib", "HNLimits", "radcevns.sensitivity", "radcevns.flux")


def test_import_radcevns_is_light():
    code = (
        f"import sys, radcevns\nheavy = [m for m in {HEAVY!r} if m in sys.modules]\nprint(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "", f"import radcevns loads {out.stdout.strip()}"


def test_submodules_load_on_first_use():
    code = "import radcevns\nprint(radcevns.sensitivity.limit.__name__)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "limit"


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"radcevns.{name}")
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(module, optionflags=flags, verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} docstring example(s) of radcevns.{name} failed"
