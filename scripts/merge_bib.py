"""Merge bibliography fragments ``book/bib/*.bib`` into ``book/references.bib``.

Chapter authors may drop the entries they cite into a fragment file; this script adds every entry
whose key is not yet in ``book/references.bib``, keeps the file sorted by key and empties nothing else.
Run: ``python scripts/merge_bib.py`` (then delete the merged fragments).
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRY = re.compile(r"^@\w+\{([^,\s]+),.*?^\}\s*$", re.M | re.S)


def entries(text):
    return {m.group(1): m.group(0).strip() for m in ENTRY.finditer(text)}


def main():
    main_bib = ROOT / "book" / "references.bib"
    text = main_bib.read_text()
    header = text[: text.index("@")] if "@" in text else ""
    known = entries(text)
    added = []
    for frag in sorted((ROOT / "book" / "bib").glob("*.bib")):
        for key, body in entries(frag.read_text()).items():
            if key not in known:
                known[key] = body
                added.append(key)
    main_bib.write_text(header + "\n\n".join(known[k] for k in sorted(known, key=str.lower)) + "\n")
    print("added:", ", ".join(added) if added else "nothing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
