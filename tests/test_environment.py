"""Checks of the environment, the Binder set-up, the notebook conventions and the table of contents.

* environment.yml: conda-forge, python=3.11, pip, and a pip section of exact ``==`` pins only
  (no ``-e .`` or other local references); the installed versions are exactly the pins (the
  pins CI installs are the ones in the file); every third-party module the package, the tests
  and the notebooks import is pinned; the stdlib parser scripts/pins.py used by CI agrees with
  a YAML parser.
* postBuild is executable and installs the package with ``--no-deps``.
* The test command appears verbatim in README.md and .ci/run calls it.
* Every notebook is stored without outputs, has kernelspec ``python3`` and a first code cell
  tagged ``parameters`` that sets ``fast = False``.
* book/_toc.yml and notebooks/ agree; every cited key exists in book/references.bib, which is
  sorted by key with one entry per key.
"""

import ast
import importlib.metadata as md
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from _toc import toc_files

ROOT = Path(__file__).resolve().parents[1]
ENV_FILE = ROOT / "environment.yml"
TOC = ROOT / "book" / "_toc.yml"
BIB = ROOT / "book" / "references.bib"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TEST_COMMAND = "bash scripts/run_tests.sh"
BUILD_COMMAND = "bash scripts/build_book.sh"

#: Packages the compendium needs by name (the rest of the pins is their dependency closure).
REQUIRED = (
    "jupyter-book",
    "numpy",
    "scipy",
    "numba",
    "matplotlib",
    "ipywidgets",
    "papermill",
    "pytest",
    "periodictable",
    "HNLimits",
    "ruff",
    "sphinx-exercise",
    "sphinxcontrib-bibtex",
    "ipykernel",
    "nbformat",
    "nbclient",
    "PyYAML",
)

#: Modules that are part of the repository itself, not third-party packages.
LOCAL_MODULES = {"radcevns", "conftest"}


def canonical(name):
    """PEP 503 normalised distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def environment():
    return yaml.safe_load(ENV_FILE.read_text())


def pip_entries():
    deps = environment()["dependencies"]
    sections = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    assert len(sections) == 1, "environment.yml needs exactly one pip section"
    return sections[0]


def pins():
    out = {}
    for entry in pip_entries():
        name, _, version = entry.partition("==")
        out[canonical(name)] = version
    return out


# ---------------------------------------------------------------- environment.yml


def test_environment_uses_conda_forge_python_311_and_pip():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    plain = [d for d in env["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in plain
    assert "pip" in plain


@pytest.mark.parametrize("entry", pip_entries())
def test_pip_entries_are_exact_pins_without_local_references(entry):
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9.+!_-]+", entry), (
        f"{entry!r}: environment.yml's pip section takes exact pins 'name==version' only "
        "(no '-e .', '-r file', paths or URLs: Binder would rebuild the image on every commit)"
    )


def test_required_packages_are_pinned():
    missing = [name for name in REQUIRED if canonical(name) not in pins()]
    assert not missing, f"not pinned in environment.yml: {missing}"


def test_pins_are_unique():
    names = [canonical(e.partition("==")[0]) for e in pip_entries()]
    assert len(names) == len(set(names))


def test_installed_versions_are_the_pins():
    wrong = {}
    for name, version in pins().items():
        try:
            installed = md.version(name)
        except md.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, (
        "installed versions differ from environment.yml (pinned, installed): "
        f"{wrong}. Re-create the venv (rm -rf .venv; {TEST_COMMAND}) or update the pins."
    )


def test_stdlib_pin_parser_agrees_with_yaml():
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "pins.py"), str(ENV_FILE)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == pip_entries()


def _third_party_imports(source):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in LOCAL_MODULES}


def _notebook_code(path):
    nb = nbformat.read(path, as_version=4)
    lines = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            lines += [ln for ln in cell.source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    return "\n".join(lines)


def test_every_imported_package_is_pinned():
    sources = {}
    for folder in ("radcevns", "tests", "scripts", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            sources[path] = path.read_text()
    for path in NOTEBOOKS:
        sources[path] = _notebook_code(path)
    local_test_modules = {p.stem for p in (ROOT / "tests").glob("*.py")}
    providers = md.packages_distributions()
    pinned = set(pins())
    problems = []
    for path, source in sources.items():
        for module in sorted(_third_party_imports(source) - local_test_modules):
            dists = {canonical(d) for d in providers.get(module, [])}
            if not dists & pinned:
                problems.append(
                    f"{path.relative_to(ROOT)}: imports {module!r} (distribution {dists or 'unknown'})"
                )
    assert not problems, "imports not covered by the pins of environment.yml:\n" + "\n".join(problems)


# ---------------------------------------------------------------- Binder, scripts, CI


def test_postbuild_is_executable_and_installs_without_dependencies():
    post = ROOT / "postBuild"
    assert post.stat().st_mode & stat.S_IXUSR, "postBuild must be executable"
    commands = [ln.strip() for ln in post.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    assert "pip install --no-deps -e ." in commands


def test_no_binder_folder_shadows_environment_yml():
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()


def test_readme_documents_the_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text()
    assert TEST_COMMAND in readme
    assert BUILD_COMMAND in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert TEST_COMMAND in ci
    for script in (
        ROOT / ".ci" / "run",
        ROOT / "scripts" / "run_tests.sh",
        ROOT / "scripts" / "build_book.sh",
    ):
        assert script.stat().st_mode & stat.S_IXUSR, f"{script.relative_to(ROOT)} must be executable"


def test_nothing_sets_mplbackend():
    files = [ROOT / "_config.yml", ROOT / "environment.yml", ROOT / "postBuild", ROOT / ".ci" / "run"]
    files += sorted((ROOT / "scripts").glob("*"))
    offenders = [
        str(f.relative_to(ROOT))
        for f in files
        if f.is_file() and re.search(r"MPLBACKEND\s*=|export\s+MPLBACKEND", f.read_text())
    ]
    for path in NOTEBOOKS:
        code = _notebook_code(path)
        if re.search(r"MPLBACKEND|matplotlib\.use\(", code):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, (
        f"MPLBACKEND / matplotlib.use set in {offenders}: figures would vanish from the book"
    )


def test_book_config_executes_every_notebook_and_stays_offline():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "force"
    assert config["repository"]["path_to_book"] == ""
    sphinx_config = (config.get("sphinx") or {}).get("config") or {}
    assert "intersphinx_mapping" not in sphinx_config, (
        "intersphinx needs the network: the offline -W build fails"
    )
    assert "book/references.bib" in config["bibtex_bibfiles"]


# ---------------------------------------------------------------- notebooks


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_clean_with_python3_kernel_and_parameters(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", (
        f"{path.name}: kernelspec must be python3"
    )
    dirty = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} are stored with outputs; clear them before committing"
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert code_cells, f"{path.name}: no code cell"
    first = code_cells[0]
    assert "parameters" in first.metadata.get("tags", []), (
        f"{path.name}: first code cell must be tagged 'parameters'"
    )
    assigned = {
        target.id: node.value
        for node in ast.parse(first.source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert (
        "fast" in assigned and isinstance(assigned["fast"], ast.Constant) and assigned["fast"].value is False
    ), f"{path.name}: the parameters cell must set fast = False (the book runs full quality)"


# ---------------------------------------------------------------- table of contents and bibliography


def _toc_under_test():
    return Path(os.environ.get("RADCEVNS_TOC", TOC))


def test_every_toc_entry_exists():
    toc = _toc_under_test()
    missing = [
        f for f in toc_files(toc) if not any((ROOT / f"{f}{ext}").exists() for ext in (".md", ".ipynb"))
    ]
    assert not missing, f"{toc} lists pages that do not exist: {missing}"


def test_every_notebook_is_in_the_toc():
    toc = _toc_under_test()
    listed = set(toc_files(toc))
    unlisted = [p.name for p in NOTEBOOKS if f"notebooks/{p.stem}" not in listed]
    assert not unlisted, f"notebooks missing from {toc}: {unlisted}"


def bib_keys():
    return re.findall(r"^@\w+\{([^,\s]+),", BIB.read_text(), flags=re.MULTILINE)


def test_bibliography_keys_are_unique_and_sorted():
    keys = bib_keys()
    assert len(keys) == len(set(keys)), "duplicate keys in book/references.bib"
    assert keys == sorted(keys, key=str.lower), (
        "book/references.bib must stay sorted by key (case-insensitive), one entry per block"
    )


def _cited_keys(text):
    keys = set()
    for group in re.findall(r"\{cite(?::[a-z]+)?\}`([^`]+)`", text):
        keys.update(k.strip() for k in group.split(","))
    return keys


def test_every_cited_key_is_in_the_bibliography():
    sources = {p: p.read_text() for p in sorted((ROOT / "book").glob("*.md"))}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        sources[path] = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    known = set(bib_keys())
    unknown = {str(p.relative_to(ROOT)): sorted(_cited_keys(t) - known) for p, t in sources.items()}
    unknown = {p: k for p, k in unknown.items() if k}
    assert not unknown, f"cited keys missing from book/references.bib: {unknown}"
