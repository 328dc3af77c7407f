#!/usr/bin/env bash
# Developer tool (not part of CI): look at the built book the way a reader does. The automatic
# check that display equations fit the column is scripts/check_equations.py.
#
#     bash scripts/build_book.sh                 # first build _build/html
#     bash scripts/check_browser.sh [--mathjax]  # screenshots into _build/screenshots/
#
# Serves a copy of _build/html on 127.0.0.1 and takes a headless-Chromium screenshot of every
# page (book/*.html, notebooks/*.html) into _build/screenshots/<folder>_<page>.png.
# Needs chromium: `apt-get update && apt-get install -y chromium` (Debian, as root).
#
# The pages load MathJax from a CDN, which an offline machine cannot reach, so formulas stay
# raw TeX. With --mathjax the script fetches MathJax 3 from the npm registry once
# (`npm pack mathjax@3`, cached in _build/mathjax/, shared with scripts/check_equations.py),
# copies it into the served copy's _static/ and points the pages at it, so the screenshots show
# rendered math. _build/html itself is never modified.
#
# Variables: WIDTH (default 1280), HEIGHT (default 3000) of the browser window in pixels.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HTML="$ROOT/_build/html"
OUT="$ROOT/_build/screenshots"
SITE="$OUT/site"
MATHJAX="$ROOT/_build/mathjax"
WIDTH="${WIDTH:-1280}"
HEIGHT="${HEIGHT:-3000}"
MATHJAX_CDN="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"

use_mathjax=0
for arg in "$@"; do
    case "$arg" in
        --mathjax) use_mathjax=1 ;;
        -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done

[ -f "$HTML/index.html" ] || { echo "no $HTML/index.html: run bash scripts/build_book.sh first" >&2; exit 1; }
BROWSER="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$BROWSER" ] || { echo "chromium not found: apt-get update && apt-get install -y chromium" >&2; exit 1; }

rm -rf "$SITE"
mkdir -p "$OUT"
cp -rL "$HTML" "$SITE"

if [ "$use_mathjax" = 1 ]; then
    # the same local copy as scripts/check_equations.py (npm pack mathjax@3 into _build/mathjax)
    python3 "$ROOT/scripts/check_equations.py" --prepare --mathjax "$MATHJAX" >/dev/null
    mkdir -p "$SITE/_static/mathjax"
    cp -r "$MATHJAX/es5" "$SITE/_static/mathjax/"
    find "$SITE" -name '*.html' -print0 |
        xargs -0 sed -i "s#${MATHJAX_CDN}#/_static/mathjax/es5/tex-mml-chtml.js#g"
    echo "MathJax served locally from _static/mathjax/es5/"
fi

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$SITE" >"$OUT/server.log" 2>&1 &
server_pid=$!
profile="$(mktemp -d)"
cleanup() {
    kill "$server_pid" 2>/dev/null || true
    rm -rf "$profile"
}
trap cleanup EXIT
for _ in $(seq 50); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/index.html')" 2>/dev/null && break
    sleep 0.1
done

mapfile -t pages < <(cd "$SITE" && find book notebooks -name '*.html' 2>/dev/null | sort)
for page in "${pages[@]}"; do
    name="${page%.html}"
    png="$OUT/${name//\//_}.png"
    "$BROWSER" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --hide-scrollbars --window-size="$WIDTH,$HEIGHT" \
        --virtual-time-budget=15000 --screenshot="$png" "http://127.0.0.1:$port/$page" \
        >>"$OUT/chromium.log" 2>&1 || echo "warning: chromium failed on $page (see $OUT/chromium.log)" >&2
    [ -f "$png" ] && echo "$png"
done
