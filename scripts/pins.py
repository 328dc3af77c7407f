"""Print the pip pins of environment.yml, one requirement per line (standard library only).

Used by scripts/_venv.sh to install exactly the environment Binder gets, before PyYAML
exists in a fresh virtualenv. tests/test_environment.py checks that this parser agrees with
a real YAML parser.

Usage: python scripts/pins.py [path/to/environment.yml]
"""

import sys
from pathlib import Path


def pip_pins(text):
    """Return the entries of the ``- pip:`` list of a conda environment file."""
    pins = []
    pip_indent = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        item = line.strip()
        if pip_indent is None:
            if item in ("- pip:", "-  pip:"):
                pip_indent = indent
            continue
        if indent <= pip_indent:
            break
        if not item.startswith("- "):
            raise ValueError(f"unexpected line in the pip section: {raw!r}")
        pins.append(item[2:].strip().strip("\"'"))
    if pip_indent is None:
        raise ValueError("no '- pip:' section found")
    return pins


def main(argv):
    path = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "environment.yml"
    for pin in pip_pins(path.read_text()):
        print(pin)


if __name__ == "__main__":
    main(sys.argv)
