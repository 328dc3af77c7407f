# shellcheck shell=bash
# Shared helper of scripts/build_book.sh, scripts/run_tests.sh and .ci/run (source it).
#
# ensure_venv: make sure the project's virtualenv exists and holds exactly the pip pins of
#   environment.yml (installed with --no-deps, then `pip check`), plus the package itself
#   (`pip install --no-deps -e .`). It reinstalls only when environment.yml changed.
# project_env: the environment every command shares: one numba cache for pytest, the
#   papermill kernels and the book build; the package importable from the kernels.
#   MPLBACKEND is removed, never set: a non-inline backend removes every figure.
#
# Variables: RADCEVNS_VENV (default <repo>/.venv), RADCEVNS_PYTHON (interpreter used to
# create the venv; default python3.11, else python3 if it is 3.11).

RADCEVNS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RADCEVNS_VENV="${RADCEVNS_VENV:-$RADCEVNS_ROOT/.venv}"
RADCEVNS_PY="$RADCEVNS_VENV/bin/python"

_radcevns_base_python() {
    local candidate
    for candidate in "${RADCEVNS_PYTHON:-}" python3.11 python3; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "error: Python 3.11 not found (set RADCEVNS_PYTHON to a python3.11 executable)" >&2
    return 1
}

ensure_venv() {
    local stamp="$RADCEVNS_VENV/.radcevns-environment.sha256"
    local want base
    want="$(sha256sum "$RADCEVNS_ROOT/environment.yml" | cut -d' ' -f1)"
    if [ -x "$RADCEVNS_PY" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    if [ ! -x "$RADCEVNS_PY" ]; then
        base="$(_radcevns_base_python)" || return 1
        echo "== creating $RADCEVNS_VENV with $base ($("$base" --version 2>&1))"
        "$base" -m venv "$RADCEVNS_VENV"
    fi
    echo "== installing the pip pins of environment.yml into $RADCEVNS_VENV"
    "$RADCEVNS_PY" "$RADCEVNS_ROOT/scripts/pins.py" "$RADCEVNS_ROOT/environment.yml" \
        > "$RADCEVNS_VENV/requirements-pinned.txt"
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$RADCEVNS_PY" -m pip install --no-input --no-deps \
        -r "$RADCEVNS_VENV/requirements-pinned.txt"
    "$RADCEVNS_PY" -m pip check
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$RADCEVNS_PY" -m pip install --no-input --no-deps -e "$RADCEVNS_ROOT"
    echo "$want" > "$stamp"
}

project_env() {
    export NUMBA_CACHE_DIR="${NUMBA_CACHE_DIR:-$RADCEVNS_ROOT/_build/numba_cache}"
    export PYTHONPATH="$RADCEVNS_ROOT${PYTHONPATH:+:$PYTHONPATH}"
    unset MPLBACKEND
    mkdir -p "$NUMBA_CACHE_DIR"
}
