"""Snippets with the matched words marked. Plain Python; returns safe HTML."""

from __future__ import annotations

import html
import os
import re

from .analysis import Analyzer, Concept


def terms_for(analyzer: Analyzer, concepts: list[Concept], words: list[str]) -> list[str]:
    """What to mark: the query's words and every form of the matched concepts,
    in Traditional and Simplified script."""
    out = []
    for c in concepts:
        out.extend(f for f in (c.label_en, c.label_zh, *c.forms) if f)
    out.extend(w for w in words if w)
    more = []
    for t in out:
        if re.search(r"[\u3400-\u9fff]", t):
            more.append(analyzer.normalise(t))  # the Simplified form, for profiles written that way
    return sorted(set(out + more), key=len, reverse=True)


def _pattern(analyzer: Analyzer, terms: list[str]) -> re.Pattern | None:
    parts = []
    for t in terms:
        if re.search(r"[\u3400-\u9fff]", t):
            parts.append(re.escape(t))
        else:
            words = t.split()
            # A Latin word matches with its endings (network -> networks).
            stemmed = [re.escape(_prefix(analyzer, w)) for w in words]
            parts.append(r"\b" + r"[\s-]+".join(s + r"\w*" for s in stemmed))
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


def _prefix(analyzer: Analyzer, word: str) -> str:
    """What every form of the word starts with: the stem where it is a prefix
    (network-s), else what the word and its stem share (industr-y, industr-ies)."""
    if not (word.isalpha() and len(word) > 3):
        return word
    lw, stem = word.lower(), analyzer.stem(word)
    common = len(os.path.commonprefix([lw, stem]))
    return lw[:max(common, 3)]


def snippet(analyzer: Analyzer, texts: list[str], terms: list[str], width: int = 180) -> str:
    """The line of `texts` with the most marks, cut to about `width` characters
    around the first, as HTML with <mark>; the first line when nothing matches."""
    pattern = _pattern(analyzer, terms)
    lines = [ln.strip() for t in texts for ln in re.split(r"[\n。；;]", t or "") if ln.strip()]
    if not lines:
        return ""
    best, best_hits = lines[0], []
    if pattern is not None:
        for line in lines:
            hits = list(pattern.finditer(line))
            if len(hits) > len(best_hits):
                best, best_hits = line, hits
    start = 0
    if best_hits and len(best) > width:
        start = max(0, best_hits[0].start() - width // 3)
    end = min(len(best), start + width)
    out, at = [], start
    for m in best_hits:
        if m.start() < at or m.end() > end:
            continue
        out.append(html.escape(best[at:m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        at = m.end()
    out.append(html.escape(best[at:end]))
    return ("…" if start else "") + "".join(out) + ("…" if end < len(best) else "")
