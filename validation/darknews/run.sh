#!/usr/bin/env bash
# radcevns side by side with DarkNews 0.4.8 (not part of CI). From the repository root:
#
#     bash validation/darknews/run.sh
#
# creates validation/darknews/.venv with python3.11 (git-ignored), installs darknews==0.4.8 and
# the radcevns package (its dependencies constrained to the pins of environment.yml), then runs
# run_comparison.py, which writes the tables into validation/darknews/results/.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$HERE/.venv"
PY="${RADCEVNS_PYTHON:-python3.11}"
if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
"$VENV/bin/python" "$ROOT/scripts/pins.py" "$ROOT/environment.yml" > "$VENV/constraints.txt"
"$VENV/bin/python" -m pip install --no-input -q -c "$VENV/constraints.txt" darknews==0.4.8 -e "$ROOT"
export NUMBA_CACHE_DIR="$VENV/numba_cache"
unset MPLBACKEND
cd "$HERE"
exec "$VENV/bin/python" run_comparison.py "$@"
