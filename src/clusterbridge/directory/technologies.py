"""Technology terms people type, mapped to the shipped technology list.

Plain Python. An organisation lists its technologies in its own words
("private 5G networks", "五軸CNC工具機"); the directory files it under every
list entry whose label or synonym occurs in one of those terms: as whole
words for Latin script, as a substring for Chinese. One compiled pattern per
script keeps a 100,000-row import fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class TechnologyMatcher:
    latin: re.Pattern | None
    cjk: re.Pattern | None
    codes_by_name: dict[str, tuple[str, ...]]

    @classmethod
    def build(cls, vocabulary: dict[str, list[str]]) -> "TechnologyMatcher":
        """`vocabulary`: code -> its names (labels and synonyms, any language)."""
        by_name: dict[str, list[str]] = {}
        for code, names in vocabulary.items():
            for name in names:
                name = name.strip().lower()
                if len(name) >= 2 and code not in by_name.setdefault(name, []):
                    by_name[name].append(code)
        latin = sorted((n for n in by_name if n.isascii()), key=len, reverse=True)
        cjk = sorted((n for n in by_name if not n.isascii()), key=len, reverse=True)
        return cls(
            latin=re.compile(r"(?<![\w])(" + "|".join(map(re.escape, latin)) + r")(?![\w])") if latin else None,
            cjk=re.compile("|".join(map(re.escape, cjk))) if cjk else None,
            codes_by_name={n: tuple(c) for n, c in by_name.items()},
        )

    def codes(self, terms: list[str]) -> list[str]:
        """The list entries the terms mention, in first-mention order."""
        found: dict[str, None] = {}
        for term in terms:
            text = term.lower()
            for pattern in (self.latin, self.cjk):
                if pattern is None:
                    continue
                for m in _overlapping(pattern, text):
                    for code in self.codes_by_name[m]:
                        found.setdefault(code)
        return list(found)


def _overlapping(pattern: re.Pattern, text: str) -> list[str]:
    """Every name found, longest first at each position, then the rest of the text."""
    hits, pos = [], 0
    while pos < len(text):
        m = pattern.search(text, pos)
        if not m:
            break
        hits.append(m.group(1) if m.groups() else m.group(0))
        pos = m.start() + 1
    return hits


def split_terms(text: str) -> list[str]:
    return [t.strip() for t in re.split(r"[;；\n]", text) if t.strip()]
