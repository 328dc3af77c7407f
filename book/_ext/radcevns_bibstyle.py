"""One citation label per paper on every page of the book (Sphinx extension).

sphinxcontrib-bibtex formats every ``{bibliography}`` directive on its own. With the ``alpha``
style the labels are computed from the entries of that one bibliography, so two papers that
share a label stem get the suffixes ``a``/``b`` on the full list (book/references.md) but not
on a chapter page that cites only one of them: the same paper then appears as ``[A+19b]`` on
one page and ``[A+19]`` on another.

This extension registers the pybtex style ``radcevns_alpha``: the ``alpha`` formatting style
whose labels are computed once from *all* entries of the book's ``bibtex_bibfiles`` (sorted as
the full list sorts them). Every bibliography then shows the label the paper has on the full
list. Select it in _config.yml with ``bibtex_default_style: radcevns_alpha``.
"""

from __future__ import annotations

from pathlib import Path

import pybtex.plugin
from pybtex.database import parse_file
from pybtex.style.formatting.alpha import Style as AlphaStyle
from pybtex.style.labels.alpha import LabelStyle as AlphaLabelStyle

__all__ = ["GlobalAlphaLabelStyle", "GlobalAlphaStyle", "global_labels", "setup"]

STYLE_NAME = "radcevns_alpha"

_LABELS: dict[str, str] = {}


def global_labels(bibfiles: list[Path]) -> dict[str, str]:
    """Alpha labels of every entry of ``bibfiles``, computed over the whole set (key -> label)."""
    entries = {}
    for path in bibfiles:
        data = parse_file(str(path), bib_format="bibtex")
        entries.update(data.entries)
    style = AlphaStyle()
    ordered = style.sort(list(entries.values()))
    labels = AlphaLabelStyle().format_labels(ordered)
    return {entry.key.lower(): label for entry, label in zip(ordered, labels, strict=True)}


class GlobalAlphaLabelStyle(AlphaLabelStyle):
    """Alpha labels taken from the book-wide table (falls back to plain alpha for unknown keys)."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        local = list(super().format_labels(entries))
        for entry, fallback in zip(entries, local, strict=True):
            yield _LABELS.get(entry.key.lower(), fallback)


class GlobalAlphaStyle(AlphaStyle):
    """The ``alpha`` formatting style with book-wide labels."""

    default_label_style = STYLE_NAME


def _load_labels(app, config):
    srcdir = Path(app.srcdir)
    files = [srcdir / f for f in getattr(config, "bibtex_bibfiles", []) or []]
    _LABELS.clear()
    _LABELS.update(global_labels([f for f in files if f.exists()]))


def setup(app):
    pybtex.plugin.register_plugin("pybtex.style.labels", STYLE_NAME, GlobalAlphaLabelStyle)
    pybtex.plugin.register_plugin("pybtex.style.formatting", STYLE_NAME, GlobalAlphaStyle)
    app.connect("config-inited", _load_labels)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
