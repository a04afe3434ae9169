"""Text analysis for Chinese and English: words and concepts.

Plain Python (no Django). Every text, document or query, goes through the
same steps, so that what is written one way is found when asked another:

1. Unicode NFKC (full-width letters become ASCII), then OpenCC's `tw2sp`:
   Traditional Chinese with Taiwan's words becomes Simplified with the
   mainland's (軟體 -> 软件, 智慧製造 -> 智能制造), so Traditional and Simplified
   queries meet the same index; lower case.
2. Words: Latin runs split on hyphens and spaces, stop words dropped, the
   rest stemmed with Snowball's English stemmer (networks -> network);
   Chinese runs segmented by jieba in search mode (long words and the words
   inside them), with every Chinese term of the concept layer in its
   dictionary so that domain terms stay whole.
3. Concepts: the bilingual glossary, the technology list and the industrial
   ecosystems, each concept with its English and Chinese labels and
   synonyms. English forms match as stemmed phrases, Chinese (and mixed,
   such as 5G專網) forms as substrings; acronyms that are also English words
   (IT, LED) match only in capitals. A concept is language-free: 智慧製造 in
   a query and "Industry 4.0" in a profile are the same concept.
"""

from __future__ import annotations

import csv
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DIRECTORY_DATA = Path(__file__).resolve().parent.parent / "directory" / "data"

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{CJK}]+|[a-z0-9]+(?:[.&+'][a-z0-9]+)*")
_HAS_CJK = re.compile(rf"[{CJK}]")
_SPACE = re.compile(r"\s+")

STOP_EN = frozenset("""a an and are as at be been by for from has have in into is it its of on or our that the their
their them they this to was were will with we you your us can also more most other such than then there these
those which who whom whose within without via per etc all any both each few some""".split())
# Chinese function words and punctuation-like characters that carry no topic.
STOP_ZH = frozenset("的 与 和 及 或 于 在 为 是 之 等 并 以 对 其 将 把 被 从 到 由 向 上 下 中 个 有 我 你 他 们 这 那 也 都 而 且 提供 专注 专注于 致力 致力于".split())
# Acronyms that are also ordinary English words match only when written in capitals.
CASE_SENSITIVE = frozenset({"it", "its", "us", "led", "ip", "em", "ct", "pv", "cat", "ai", "lca", "me", "as", "ai"})
EVERYDAY = frozenset({"it", "its", "us", "as", "cat", "me"})


@dataclass(frozen=True)
class Concept:
    code: str  # "smart_manufacturing", "tech:robotics", "eco:digital"
    label_en: str
    label_zh: str
    forms: tuple[str, ...] = ()
    domain: str = ""  # the glossary's domain; "places" and "institutions" say where and who, not what

    @property
    def topical(self) -> bool:
        """Whether sharing it says two organisations work on the same thing."""
        return self.domain not in ("places", "institutions")

    def label(self, language: str) -> str:
        """'smart manufacturing (智慧製造)' in English, '智慧製造 (smart manufacturing)' in Chinese."""
        first, second = (self.label_zh, self.label_en) if language.startswith("zh") else (self.label_en, self.label_zh)
        return f"{first} ({second})" if first and second and first != second else (first or second)


@dataclass
class Mention:
    code: str
    surface: str  # the words as written (normalised)


@dataclass
class Analysis:
    tokens: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    latin_words: list[str] = field(default_factory=list)  # lower-case Latin words as written, for typo repair

    @property
    def concepts(self) -> list[str]:
        return [m.code for m in self.mentions]


def load_concepts() -> list[Concept]:
    """The glossary, the technology list and the 14 ecosystems, from the data files in the repo."""
    out = []
    for row in _rows(DATA / "glossary.csv"):
        out.append(Concept(row["code"], row["label_en"], row["label_zh"], _split(row["synonyms"]), row["domain"]))
    for row in _rows(DIRECTORY_DATA / "technologies.csv"):
        out.append(Concept("tech:" + row["code"], row["label_en"], row["label_zh"], _split(row["synonyms"])))
    for row in _rows(DIRECTORY_DATA / "industrial-ecosystems.csv"):
        out.append(Concept("eco:" + row["code"], row["label_en"], row["label_zh"], _split(row.get("synonyms", ""))))
    return out


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _split(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in (text or "").split(";") if t.strip())


class Analyzer:
    """Thread-safe after construction; build one per process (it loads jieba's dictionary)."""

    def __init__(self, concepts: list[Concept] | None = None):
        import jieba
        import opencc
        import Stemmer

        jieba.setLogLevel(logging.WARNING)
        self._opencc = opencc.OpenCC("tw2sp")
        self._stemmer = Stemmer.Stemmer("english")
        self._lock = threading.Lock()
        self.concepts: dict[str, Concept] = {}
        self._latin: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
        self._cjk: dict[str, list[tuple[str, str]]] = {}
        self.vocabulary: set[str] = set()  # Latin words of the concept layer, for typo repair
        self._segmenter = jieba.Tokenizer()
        words = []
        for concept in concepts if concepts is not None else load_concepts():
            self.concepts[concept.code] = concept
            for form in dict.fromkeys((concept.label_en, concept.label_zh, *concept.forms)):
                if form:
                    words.extend(self._add_form(concept.code, form))
        self._segmenter.initialize()
        for word in words:
            self._segmenter.add_word(word, freq=20000)

    # --- concept forms ------------------------------------------------------------
    def _add_form(self, code: str, form: str) -> list[str]:
        """Register a form; returns the Chinese words jieba should keep whole."""
        text = self.normalise(form)
        if _HAS_CJK.search(text):
            compact = _SPACE.sub("", text)
            if sum(1 for ch in compact if _HAS_CJK.match(ch)) < 2 and not re.search(r"[a-z0-9]", compact):
                return []  # one character alone (膠, 氫) is part of too many other words
            entries = self._cjk.setdefault(compact[:2], [])
            if (compact, code) not in entries:
                entries.append((compact, code))
            return [run for run in re.findall(rf"[{CJK}]+", compact) if len(run) >= 2]
        raw = [w for w in _RUN.findall(text)]
        if not raw:
            return []
        keys = tuple(fold(w) for w in raw)
        self.vocabulary.update(w for w in raw if not w.isdigit())
        sensitive = len(raw) == 1 and keys[0] in CASE_SENSITIVE and any(ch.isupper() for ch in form)
        entries = self._latin.setdefault(keys[0], [])
        if (keys, code, sensitive) not in entries:
            entries.append((keys, code, sensitive))
        return []

    # --- steps ------------------------------------------------------------------------
    def normalise(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text or "")
        if _HAS_CJK.search(text):
            text = self._opencc.convert(text)
        return text.lower()

    @lru_cache(maxsize=200_000)
    def _key(self, word: str) -> str:
        if word in STOP_EN or word.isdigit() or not word.isascii():
            return word
        return self._stemmer.stemWord(word)

    def analyse(self, text: str, query: bool = False) -> Analysis:
        """Words and concept mentions of one text. In a `query`, acronyms
        such as AI match in lower case too (people type "ai"), except the
        few that are everyday words (it, us, as)."""
        original = unicodedata.normalize("NFKC", text or "")
        norm = self.normalise(text)
        out = Analysis()
        if not norm.strip():
            return out
        runs = _RUN.findall(norm)
        latin_keys: list[str] = []
        latin_raw: list[str] = []
        for run in runs:
            if _HAS_CJK.match(run):
                for word in self._segmenter.cut_for_search(run, HMM=False):
                    if word not in STOP_ZH:
                        out.tokens.append(word)
            else:
                latin_keys.append(fold(run))
                latin_raw.append(run)
                if run not in STOP_EN:
                    out.tokens.append(self._key(run))
        out.latin_words = latin_raw
        out.mentions = self._latin_mentions(latin_keys, latin_raw, original, query) + self._cjk_mentions(norm)
        return out

    def _latin_mentions(self, keys: list[str], raw: list[str], original: str, query: bool) -> list[Mention]:
        found = []
        capitals = None
        for i, key in enumerate(keys):
            for form, code, sensitive in self._latin.get(key, ()):
                n = len(form)
                if tuple(keys[i:i + n]) != form:
                    continue
                if sensitive and not (query and key not in EVERYDAY):
                    if capitals is None:
                        capitals = set(re.findall(r"[A-Z][A-Z0-9]*", original))
                    if raw[i].upper() not in capitals:
                        continue
                found.append((i, i + n, code, " ".join(raw[i:i + n])))
        return _spans(found)

    def _cjk_mentions(self, norm: str) -> list[Mention]:
        compact = _SPACE.sub("", norm)
        found = []
        for i in range(len(compact) - 1):
            candidates = self._cjk.get(compact[i:i + 2])
            if not candidates:
                continue
            if i and compact[i].isascii() and compact[i].isalnum() and compact[i - 1].isascii() and compact[i - 1].isalnum():
                continue  # a mixed form (5G專網) must start at a word boundary
            for form, code in candidates:
                if compact.startswith(form, i):
                    found.append((i, i + len(form), code, form))
        return _spans(found)

    def stem(self, word: str) -> str:
        return self._key(word.lower())


def fold(word: str) -> str:
    """A light key for matching concept forms: plurals folded (networks,
    foundations, batteries), nothing else, so that "printed" stays apart
    from "printing" and "machines" from "machining"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _spans(found: list[tuple[int, int, str, str]]) -> list[Mention]:
    """One mention per concept and place: of overlapping matches of the same
    concept (private 5G networks, 5G networks) the longest counts once."""
    found.sort(key=lambda f: (f[2], f[0], -(f[1] - f[0])))
    out: list[Mention] = []
    last_code, last_end = None, -1
    for start, end, code, surface in found:
        if code == last_code and start < last_end:
            continue
        out.append(Mention(code, surface))
        last_code, last_end = code, end
    return out


_SHARED: dict[str, Analyzer] = {}
_SHARED_LOCK = threading.Lock()


def shared_analyzer() -> Analyzer:
    """One analyzer per process, built on first use."""
    with _SHARED_LOCK:
        if "a" not in _SHARED:
            _SHARED["a"] = Analyzer()
        return _SHARED["a"]
