#!/usr/bin/env bash
# Open the chapters in JupyterLab, with the project's pinned environment.
#
#     bash scripts/lab.sh                 # http://localhost:8888/lab (the URL with its token is printed)
#     bash scripts/lab.sh --port 9999     # extra arguments go to `jupyter lab`
#
# Creates/updates .venv from environment.yml like the other scripts (scripts/_venv.sh), then starts
# `jupyter lab` in notebooks/ with the same numba cache as the tests and the book build
# (NUMBA_CACHE_DIR=_build/numba_cache, so kernels compiled once are reused) and the package
# importable from the kernels. The notebooks are stored without outputs: run them top to bottom
# (Run > Run All Cells); set `fast = True` in the first cell for a quick low-resolution pass.
# Stop the server with Ctrl-C twice.
set -euo pipefail
# shellcheck source=scripts/_venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
ensure_venv
project_env
cd "$RADCEVNS_ROOT"
extra=()
[ "$(id -u)" = 0 ] && extra+=(--allow-root)  # e.g. in a container; Jupyter refuses root otherwise
exec "$RADCEVNS_VENV/bin/jupyter" lab --notebook-dir="$RADCEVNS_ROOT/notebooks" "${extra[@]}" "$@"
