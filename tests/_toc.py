"""Helpers shared by the test modules (not a test file)."""

import re
from pathlib import Path

import yaml


def toc_files(toc):
    """All page paths (without suffix) listed in a jb-book table of contents."""
    files = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                if isinstance(node.get(key), str):
                    files.append(node[key])
            for value in node.values():
                if isinstance(value, list | dict):
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load(Path(toc).read_text()))
    return [re.sub(r"\.(md|ipynb)$", "", f) for f in files]
