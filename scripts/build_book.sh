#!/usr/bin/env bash
# Build the compendium into _build/html (creates/updates .venv with the pinned environment).
#
#     bash scripts/build_book.sh
#
# Every notebook is re-executed (execute_notebooks: force, --all) with its default,
# full-quality parameters; warnings are errors (-W). Extra arguments go to jupyter-book.
# RADCEVNS_TOC overrides the table of contents (default book/_toc.yml).
set -euo pipefail
# shellcheck source=scripts/_venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
ensure_venv
project_env
cd "$RADCEVNS_ROOT"
"$RADCEVNS_VENV/bin/jupyter-book" build . --toc "${RADCEVNS_TOC:-book/_toc.yml}" -W --keep-going --all "$@"
echo "Book written to $RADCEVNS_ROOT/_build/html/index.html"
