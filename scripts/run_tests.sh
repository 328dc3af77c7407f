#!/usr/bin/env bash
# The test command of the compendium (README and .ci/run call exactly this):
#
#     bash scripts/run_tests.sh
#
# One pytest session: the unit tests, then every notebook executed with papermill and
# fast=True, then the book build with -W and the check of the built HTML (tests/conftest.py
# orders them). Extra arguments go to pytest. RADCEVNS_SKIP_BOOK=1 skips the book build
# locally (never in CI). pytest's own exit code is returned unchanged, including 5
# ("no tests collected"), which therefore fails.
set -euo pipefail
# shellcheck source=scripts/_venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
ensure_venv
project_env
cd "$RADCEVNS_ROOT"
exec "$RADCEVNS_PY" -m pytest -ra "$@"
