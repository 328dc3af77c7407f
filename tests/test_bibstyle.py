"""The citation-label style of the book (book/_ext/radcevns_bibstyle.py): one label per paper.

sphinxcontrib-bibtex formats every {bibliography} directive separately; with plain ``alpha`` a paper
whose label stem it shares with another got ``[A+19b]`` on the full list and ``[A+19]`` on a page
that cites only it. The extension computes the labels once over the whole .bib file.
"""

import importlib.util
from pathlib import Path

import pybtex.plugin
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
BIB = ROOT / "book" / "references.bib"
_spec = importlib.util.spec_from_file_location(
    "radcevns_bibstyle", ROOT / "book" / "_ext" / "radcevns_bibstyle.py"
)
bibstyle = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bibstyle)


def _labels_of(keys, style_name):
    data = parse_file(str(BIB))
    entries = [data.entries[k] for k in keys]
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", style_name)()
    return {e.key: e.label for e in style.format_entries(style.sort(entries))}


def test_labels_are_unique_over_the_bibliography():
    labels = bibstyle.global_labels([BIB])
    assert len(labels) == len(parse_file(str(BIB)).entries)
    assert len(set(labels.values())) == len(labels), "two papers share a citation label"


def test_a_page_with_a_subset_shows_the_global_label():
    bibstyle.setup(_FakeApp())  # registers the style as Sphinx would
    labels = bibstyle.global_labels([BIB])
    bibstyle._LABELS.update(labels)
    # papers whose plain alpha label needs a suffix on the full list
    stems = {}
    for key, label in labels.items():
        stems.setdefault(label.rstrip("abcdefghij"), []).append(key)
    clashing = [keys for keys in stems.values() if len(keys) > 1]
    assert clashing, "no two entries share a label stem: the test has nothing to check"
    data_keys = {k.lower(): k for k in parse_file(str(BIB)).entries}
    for keys in clashing:
        for key in keys:
            one = _labels_of([data_keys[key]], bibstyle.STYLE_NAME)
            assert one[data_keys[key]] == labels[key]
            plain = _labels_of([data_keys[key]], "alpha")
            assert plain[data_keys[key]] != labels[key]  # what the per-page alpha labels got wrong


class _FakeApp:
    srcdir = str(ROOT)

    def connect(self, event, callback):
        pass
