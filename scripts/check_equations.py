#!/usr/bin/env python3
"""Check that every display equation of the built book fits its text column.

    bash scripts/build_book.sh                      # first build _build/html
    python3 scripts/check_equations.py              # 1280 px (fails) and 390 px (information)
    python3 scripts/check_equations.py --widths 1280 --pages notebooks/02_upscattering.html

What it does:

1. makes sure a local copy of MathJax 3 exists in ``_build/mathjax`` (``npm pack mathjax@3``
   once; not committed). The built pages load MathJax from a CDN that an offline machine (or
   CI) may not reach, and without MathJax there is nothing to measure;
2. serves ``_build/html`` on 127.0.0.1 with a small HTTP server that rewrites the MathJax URL of
   every page to the local copy and appends a measuring script (``_build/html`` is not changed);
3. loads every page (``book/*.html``, ``notebooks/*.html``) in headless Chromium at each window
   width. After MathJax has typeset the page, the measuring script takes every display equation
   (``mjx-container[display="true"]``) and compares the width of the formula plus the width of
   its equation number with the width of the text column the equation sits in (and, for a
   column that scrolls sideways, its ``scrollWidth`` with its ``clientWidth``). It writes the
   results as JSON into the DOM, which Chromium's ``--dump-dom`` returns;
4. prints a table (page, equation label or the first characters of its TeX, overflow in px).

Exit status: 1 when an equation is wider than its column at the first (main) width, 1280 px by
default; other widths (390 px, a phone) are reported as information only. 2 when the check could
not run (no chromium, no MathJax, no pages, a page that never finished typesetting).

Needs: ``chromium`` (Debian: ``apt-get update && apt-get install -y chromium``) and, the first
time, ``npm`` with access to the npm registry (or ``--mathjax DIR`` pointing at an unpacked
``mathjax@3`` package). ``--json FILE`` writes the full results.
"""

from __future__ import annotations

import argparse
import functools
import html as html_lib
import http.server
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
MATHJAX_DIR = ROOT / "_build" / "mathjax"
MATHJAX_ENTRY = Path("es5") / "tex-mml-chtml.js"
LOCAL_PREFIX = "/_radcevns_mathjax/"
RESULT_ID = "radcevns-equation-check"
CDN = re.compile(r"https?://[^\"']*mathjax[^\"']*/tex-[a-z-]*chtml[a-z-]*\.js", re.IGNORECASE)

# Runs in the page after MathJax has typeset it. For each display equation:
#   column  = width of the block the equation sits in (div.math, or the mjx-container itself),
#   formula = rendered width of the formula (mjx-math),
#   eqno    = width of the Sphinx equation number floated beside it (0 if none),
# overflow = formula + eqno - column (> 1 px means cut off, scrolled or overlapping its number);
# a container that scrolls or clips sideways (scrollWidth > clientWidth + 1) counts as well.
MEASURE_JS = r"""
<script>
(function () {
  function report(data) {
    // inside the narrow-width frame (see FRAME_HTML) the result goes to the parent document,
    // which is the one Chromium dumps
    var host = document;
    try {
      if (window.parent !== window && window.parent.document) host = window.parent.document;
    } catch (e) {}
    var pre = host.createElement('pre');
    pre.id = '__RESULT_ID__';
    pre.style.display = 'none';
    pre.textContent = JSON.stringify(data);
    host.body.appendChild(pre);
  }
  function measure() {
    var out = {status: 'ok', viewport: window.innerWidth, equations: []};
    var items = [];
    try { items = Array.from(MathJax.startup.document.math); } catch (e) { items = []; }
    var tex = new Map();
    items.forEach(function (it) { if (it.display && it.typesetRoot) tex.set(it.typesetRoot, it.math); });
    document.querySelectorAll('mjx-container[display="true"]').forEach(function (c, i) {
      var block = c.closest('div.math') || c.parentElement;
      var eq = block ? block.querySelector('span.eqno') : null;
      var math = c.querySelector('mjx-math') || c;
      var formula = math.getBoundingClientRect().width;
      var column = (block || c).clientWidth;
      var eqno = eq ? eq.getBoundingClientRect().width : 0;
      var scroll = Math.max(c.scrollWidth - c.clientWidth, block ? block.scrollWidth - block.clientWidth : 0);
      var label = eq ? eq.textContent.replace(/\s+/g, ' ').replace(/[#\u00b6]/g, '').trim() : '';
      var id = block && block.id ? block.id : '';
      var section = c.closest('section[id]');
      out.equations.push({
        index: i, label: label, id: id, section: section ? section.id : '',
        tex: (tex.get(c) || '').replace(/\s+/g, ' ').trim().slice(0, 60),
        column: Math.round(column), formula: Math.round(formula), eqno: Math.round(eqno),
        overflow: Math.round(Math.max(formula + eqno - column, scroll > 1 ? scroll : 0))
      });
    });
    report(out);
  }
  function start() {
    if (!document.querySelector('.math, mjx-container')) { report({status: 'ok', equations: []}); return; }
    if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) {
      if ((start.tries = (start.tries || 0) + 1) > 200) { report({status: 'no-mathjax'}); return; }
      setTimeout(start, 50);
      return;
    }
    MathJax.startup.promise.then(function () { setTimeout(measure, 100); },
                                 function (e) { report({status: 'mathjax-error: ' + e}); });
  }
  if (document.readyState === 'complete') start(); else window.addEventListener('load', start);
})();
</script>
""".replace("__RESULT_ID__", RESULT_ID)

# Headless Chromium does not make windows narrower than 500 px, so a phone width is measured in
# an iframe of that width: the page inside gets a viewport (and CSS media queries) of that width.
FRAME_PATH = "/_radcevns_frame.html"
FRAME_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe src="{src}" style="border:0;width:{width}px;height:900px"></iframe></body></html>"""
MIN_WINDOW = 500


def ensure_mathjax(target: Path) -> Path:
    """Return the directory of an unpacked mathjax@3 npm package, fetching it with npm once."""
    if (target / MATHJAX_ENTRY).exists():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"no MathJax in {target} and no npm to fetch it (npm pack mathjax@3)")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [npm, "pack", "--silent", "mathjax@3"], cwd=tmp, capture_output=True, text=True, timeout=300
        )
        tarballs = list(Path(tmp).glob("mathjax-*.tgz"))
        if proc.returncode != 0 or not tarballs:
            raise RuntimeError(f"npm pack mathjax@3 failed:\n{proc.stderr[-2000:]}")
        with tarfile.open(tarballs[0]) as tar:
            tar.extractall(tmp, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(str(Path(tmp) / "package"), str(target))
    return target


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the book; rewrites the MathJax URL and appends the measuring script to pages."""

    mathjax: Path = MATHJAX_DIR

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):  # noqa: N802 (http.server API)
        path, _, query = self.path.partition("?")
        path = path.split("#", 1)[0]
        if path == FRAME_PATH:
            params = urllib.parse.parse_qs(query)
            src = html_lib.escape(params["src"][0], quote=True)
            width = int(params["width"][0])
            return self._send(FRAME_HTML.format(src=src, width=width).encode(), "text/html; charset=utf-8")
        if path.startswith(LOCAL_PREFIX):
            file = (self.mathjax / path[len(LOCAL_PREFIX) :]).resolve()
            if self.mathjax.resolve() in file.parents and file.is_file():
                return self._send(file.read_bytes(), "application/javascript")
            return self.send_error(404)
        if path.endswith(".html"):
            file = Path(self.translate_path(path))
            if file.is_file():
                text = file.read_text(encoding="utf-8")
                text = CDN.sub(LOCAL_PREFIX + MATHJAX_ENTRY.as_posix(), text)
                text = text.replace("</body>", MEASURE_JS + "</body>", 1)
                return self._send(text.encode("utf-8"), "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, ctype: str):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(html: Path, mathjax: Path):
    handler = functools.partial(type("H", (_Handler,), {"mathjax": mathjax}), directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def find_browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def load(browser: str, base: str, page: str, width: int, budget_ms: int) -> dict:
    """Load one page at one width and return the measuring script's JSON."""
    url = f"{base}/{page}"
    window = width
    if width < MIN_WINDOW:
        url = f"{base}{FRAME_PATH}?" + urllib.parse.urlencode({"src": f"/{page}", "width": width})
        window = MIN_WINDOW
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--window-size={window},1000",
            f"--virtual-time-budget={budget_ms}",
            "--dump-dom",
            url,
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    match = re.search(rf'<pre id="{RESULT_ID}"[^>]*>(.*?)</pre>', proc.stdout, re.DOTALL)
    if not match:
        return {"status": f"no result (chromium exit {proc.returncode}): {proc.stderr.strip()[-300:]}"}
    return json.loads(html_lib.unescape(match.group(1)))


def pages_of(html: Path, selected: list[str] | None) -> list[str]:
    if selected:
        return selected
    return sorted(
        p.relative_to(html).as_posix()
        for folder in ("book", "notebooks")
        if (html / folder).exists()
        for p in (html / folder).rglob("*.html")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--html", type=Path, default=HTML, help="built book (default _build/html)")
    parser.add_argument("--mathjax", type=Path, default=MATHJAX_DIR, help="unpacked mathjax@3 package")
    parser.add_argument(
        "--widths",
        default="1280,390",
        help="window widths in px; the first one fails the check, the others inform (default 1280,390)",
    )
    parser.add_argument("--pages", nargs="*", help="pages relative to the html folder (default: all)")
    parser.add_argument("--budget", type=int, default=20000, help="virtual time per page in ms")
    parser.add_argument("--json", type=Path, help="write all results to this file")
    parser.add_argument(
        "--prepare", action="store_true", help="only fetch MathJax (npm pack) and check for chromium"
    )
    args = parser.parse_args(argv)
    if args.prepare:
        try:
            print(f"MathJax: {ensure_mathjax(args.mathjax)}")
        except (RuntimeError, OSError, subprocess.SubprocessError) as err:
            print(f"MathJax unavailable: {err}", file=sys.stderr)
            return 2
        browser = find_browser()
        print(f"browser: {browser or 'not found'}")
        return 0 if browser else 2

    widths = [int(w) for w in args.widths.split(",") if w.strip()]
    if not (args.html / "index.html").exists():
        print(
            f"no {args.html}/index.html: build the book first (bash scripts/build_book.sh)", file=sys.stderr
        )
        return 2
    browser = find_browser()
    if browser is None:
        print("chromium not found (apt-get update && apt-get install -y chromium)", file=sys.stderr)
        return 2
    try:
        mathjax = ensure_mathjax(args.mathjax)
    except (RuntimeError, OSError, subprocess.SubprocessError) as err:
        print(f"MathJax unavailable: {err}", file=sys.stderr)
        return 2
    pages = pages_of(args.html, args.pages)
    if not pages:
        print(f"no pages under {args.html}/book or {args.html}/notebooks", file=sys.stderr)
        return 2

    server = serve(args.html, mathjax)
    port = server.server_address[1]
    results: dict[int, dict[str, dict]] = {w: {} for w in widths}
    broken: list[str] = []
    try:
        for width in widths:
            for page in pages:
                res = load(browser, f"http://127.0.0.1:{port}", page, width, args.budget)
                if res.get("status") != "ok":  # one retry with more time (a busy machine)
                    res = load(browser, f"http://127.0.0.1:{port}", page, width, 3 * args.budget)
                results[width][page] = res
                if res.get("status") != "ok":
                    broken.append(f"{page} at {width} px: {res.get('status')}")
    finally:
        server.shutdown()

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({str(w): r for w, r in results.items()}, indent=1))

    failed = False
    for k, width in enumerate(widths):
        rows = []
        total = 0
        for page, res in results[width].items():
            eqs = res.get("equations", [])
            total += len(eqs)
            for eq in eqs:
                if eq["overflow"] > 1:
                    name = (
                        eq["label"]
                        or eq["id"].removeprefix("equation-")
                        or f"unnumbered #{eq['index'] + 1}"
                        + (f" in #{eq['section']}" if eq["section"] else "")
                    )
                    rows.append((page, name, eq["overflow"], eq["column"], eq["tex"][:50]))
        role = "must fit" if k == 0 else "information only"
        print(
            f"\n== {width} px ({role}): {total} display equations on {len(pages)} pages, {len(rows)} too wide"
        )
        if rows:
            wp = max(len(r[0]) for r in rows)
            wn = max(len(r[1]) for r in rows)
            print(f"{'page':<{wp}}  {'equation':<{wn}}  {'over px':>7}  {'column':>6}  TeX")
            for page, name, over, column, tex in rows:
                print(f"{page:<{wp}}  {name:<{wn}}  {over:>7}  {column:>6}  {tex}")
        if k == 0 and rows:
            failed = True
    if broken:
        print("\npages that could not be measured:\n  " + "\n  ".join(broken), file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
