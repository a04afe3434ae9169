"""The search and recommendation index: plain Python over NumPy/SciPy and bm25s.

A profile is analysed once (`analyse_profile`, the slow part: segmentation
and concept recognition) into words, concepts, offered and requested
concepts; those are stored, and the index is built from them in seconds.

Search ranks by BM25 twice: over the words (names weigh most, then
technologies, offers and requests, then descriptions), and over the concepts,
which carry a query across languages. Latin words that appear nowhere are
repaired to the nearest known word (one or two edits).

Recommendations (recommending.py) score complementarity (what one requests, the other offers,
both ways), shared concepts and sectors, and prefer Taiwan-EU pairs, as the
programmes do; every score comes with the concepts that made it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import logging

import bm25s
import numpy as np
from scipy import sparse

from .analysis import STOP_EN, Analyzer
from .dictionary import expansions
from .kinds import FILTERING, KIN, KIND_BONUS
from .recommending import Recommending

logging.getLogger("bm25s").setLevel(logging.WARNING)

FIELD_WEIGHTS = {"name": 3, "technologies": 2, "offers": 2, "requests": 2, "description": 1, "taxonomy": 1}
CONCEPT_WEIGHT = 1.5  # a concept shared across languages counts about as much as a shared word
EU = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())
FEW = 10  # a query that finds fewer organisations is widened (SearchIndex._widened)
DICTIONARY_WEIGHT = 0.5  # a word found in translation (CC-CEDICT) counts half as much as the word itself


@dataclass
class Profile:
    """What is searched of one organisation: text per field (both languages in one string)."""
    key: int
    country: str
    texts: dict[str, str]
    tags: tuple[str, ...] = ()  # concepts given by the taxonomy (technology tags, ecosystems, NACE codes)


@dataclass
class AnalysedProfile:
    key: int
    country: str
    words: str  # tokens separated by spaces, repeated by field weight
    concepts: str  # concept codes separated by spaces, one per mention (and per tag)
    offers: str  # concept codes of the offers
    requests: str  # concept codes of the requests
    spelling: str  # the Latin words as written, for typo repair


def analyse_profile(analyzer: Analyzer, profile: Profile) -> AnalysedProfile:
    words: list[str] = []
    concepts: list[str] = list(profile.tags)
    spelling: set[str] = set()
    offers: set[str] = set()
    requests: set[str] = set()
    for name, text in profile.texts.items():
        if not text:
            continue
        a = analyzer.analyse(text)
        words.extend(a.tokens * FIELD_WEIGHTS.get(name, 1))
        if name == "taxonomy":
            continue  # official sector titles are searched as words; their concepts come as tags
        concepts.extend(a.concepts)
        spelling.update(w for w in a.latin_words if len(w) > 3 and w.isalpha())
        if name == "offers":
            offers.update(a.concepts)
        elif name == "requests":
            requests.update(a.concepts)
    return AnalysedProfile(key=profile.key, country=profile.country, words=" ".join(words),
                           concepts=" ".join(concepts), offers=" ".join(sorted(offers)),
                           requests=" ".join(sorted(requests)), spelling=" ".join(sorted(spelling)))


@dataclass
class Hit:
    key: int
    score: float
    concepts: list[str]  # the query's concepts this profile has, in query order
    words: list[str]  # the query's words (as typed) this profile has, besides the concepts


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int  # how many profiles match at all (within the filters)
    corrected: str | None = None  # the query after typo repair, when something was repaired


def _bm25(token_lists: list[list[str]]) -> bm25s.BM25:
    """BM25 over the token lists; each gets one padding token, so that a
    collection of empty documents (no concepts anywhere) has a length."""
    model = bm25s.BM25()
    model.index([tokens + [PAD] for tokens in token_lists], show_progress=False)
    return model


PAD = "\x00"


class SearchIndex(Recommending):
    def __init__(self, analyzer: Analyzer, profiles: list[AnalysedProfile], vectors: np.ndarray | None = None,
                 encoder=None, dictionary=None):
        """`dictionary` (dictionary.Dictionary) translates the words the glossary does not know;
        `vectors` (one L2-normalised row per profile) and `encoder` turn on the dense similarity
        (embeddings.py), both or neither."""
        self.analyzer = analyzer
        self.dictionary = dictionary
        self.widen = True
        self.vectors = vectors if encoder is not None else None
        self.encoder = encoder
        self.size = len(profiles)
        self.keys = np.array([p.key for p in profiles], dtype=np.int64)
        self.position = {p.key: i for i, p in enumerate(profiles)}
        self._position_of_key = np.full(int(self.keys.max()) + 1 if self.size else 1, -1, dtype=np.int64)
        self._position_of_key[self.keys] = np.arange(self.size)
        self.taiwan = np.array([p.country == "TW" for p in profiles], dtype=bool)
        self.eu = np.array([p.country in EU for p in profiles], dtype=bool)
        self.words = _bm25([p.words.split() for p in profiles] or [[""]])
        self.concept_bm25 = _bm25([p.concepts.split() for p in profiles] or [[""]])
        self.word_matrix = self._membership(self.words)
        self.word_columns = self.word_matrix.tocsc()
        self.spelling = Counter(w for p in profiles for w in p.spelling.split())
        self.spelling.update({w: 1 for w in analyzer.vocabulary if w.isalpha() and len(w) > 3})
        self._spelling_list = list(self.spelling)
        # Concept matrices: all mentions (tf-idf, rows normalised), offers, requests.
        codes = sorted({c for p in profiles for c in (p.concepts + " " + p.offers + " " + p.requests).split()})
        self.concept_codes = codes
        self.concept_col = {c: j for j, c in enumerate(codes)}
        all_rows = [Counter(p.concepts.split()) for p in profiles]
        self.mentions = self._matrix(all_rows, float)
        df = np.asarray((self.mentions > 0).sum(axis=0)).ravel()
        self.df = df
        self.by_concept = sparse.csc_matrix(self.mentions > 0)  # which profiles have a concept, per concept
        self.idf = np.log((1 + self.size) / (1 + df)) + 1.0
        # Places and kinds of organisation are searched, but say nothing about
        # what two organisations could do together: left out of the pairings.
        topical = np.array([analyzer.concepts[c].topical if c in analyzer.concepts else not c.startswith("kind:")
                            for c in codes], dtype=float)
        keep = sparse.diags(topical)
        tfidf = sparse.csr_matrix(self.mentions @ keep)
        tfidf.eliminate_zeros()
        tfidf.data = np.log1p(tfidf.data)
        tfidf = tfidf @ sparse.diags(self.idf)
        norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        self.profile_vectors = sparse.csr_matrix(sparse.diags(1.0 / norms) @ tfidf)
        self.offers = sparse.csr_matrix(self._matrix([dict.fromkeys(p.offers.split(), 1.0) for p in profiles], float) @ keep)
        self.requests = sparse.csr_matrix(self._matrix([dict.fromkeys(p.requests.split(), 1.0) for p in profiles], float) @ keep)
        self.offers.eliminate_zeros()
        self.requests.eliminate_zeros()
        self.topical = {c for c, t in zip(codes, topical) if t}

    # --- building blocks --------------------------------------------------------------
    def _matrix(self, rows: list[dict], dtype) -> sparse.csr_matrix:
        indptr, indices, data = [0], [], []
        for row in rows:
            for code, value in row.items():
                indices.append(self.concept_col[code])
                data.append(value)
            indptr.append(len(indices))
        return sparse.csr_matrix((np.array(data, dtype=dtype), np.array(indices, dtype=np.int32),
                                  np.array(indptr, dtype=np.int64)), shape=(self.size, len(self.concept_codes)))

    def _membership(self, model: bm25s.BM25) -> sparse.csr_matrix:
        """Which profile has which word: bm25s keeps it per word; turned per profile."""
        s = model.scores
        matrix = sparse.csc_matrix((np.ones_like(s["data"], dtype=np.int8), s["indices"], s["indptr"]),
                                   shape=(max(1, self.size), len(s["indptr"]) - 1))
        return matrix.tocsr()

    def _has_word(self, position: int, token: str) -> bool:
        col = self.words.vocab_dict.get(token)
        if col is None:
            return False
        row = self.word_matrix
        start, end = row.indptr[position], row.indptr[position + 1]
        return bool(np.any(row.indices[start:end] == col))

    def _matches(self, a, tokens: list[str], concepts: list[str]):
        """Scores, which profiles match, how many query words each has and how many are needed.
        Most of the query's words must be there (3 of 4, 2 of 3, both of 2), unless one of its
        concepts is: "smart manufacturing" does not match every profile that says "manufacture". A
        word is there in translation too (the dictionary under the glossary), weighing less."""
        scores = self.words.get_scores(tokens) if tokens else np.zeros(self.size, dtype=np.float32)
        alternatives = expansions(self.analyzer, self.dictionary, a, tokens) if self.dictionary else {}
        needed = -(-len(tokens) * 3 // 5) if len(tokens) > 1 else 1
        have = np.zeros(self.size, dtype=np.int32)
        for token in tokens:
            found = self._with_all([token])
            for alt in alternatives.get(token, ()):
                found |= self._with_all(alt)
            have += found
        enough = have >= needed
        extra = list(dict.fromkeys(t for alts in alternatives.values() for alt in alts for t in alt
                                   if t not in tokens and t in self.words.vocab_dict))[:64]
        if extra:
            scores = scores + DICTIONARY_WEIGHT * self.words.get_scores(extra)
        if concepts:
            by_concept = self.concept_bm25.get_scores(concepts)
            enough |= by_concept > 0
            scores = scores + CONCEPT_WEIGHT * by_concept
        return scores, enough, have, needed

    def _widened(self, enough, scores, have, needed, concepts):
        """When a query finds few organisations, those that match it in part (some of its words) or
        through a neighbouring concept (one that the organisations with the query's concept often
        have too: frozen seafood → aquaculture) follow, each ranked below every full match."""
        if int(enough.sum()) >= FEW or not self.widen:
            return enough, scores
        # Words in part only when no concept of the glossary anchors the query (a sector title's
        # "manufacture" is not a partial "smart manufacturing").
        partial = (have > 0) & ~enough if needed > 1 and not concepts else np.zeros(self.size, dtype=bool)
        near = self.neighbours([c for c in concepts if c in self.topical])
        nearby = np.zeros(self.size)
        if near:
            nearby = self.concept_bm25.get_scores(near)
        extra = (partial | (nearby > 0)) & ~enough
        if not extra.any():
            return enough, scores
        floor = float(scores[enough].min()) if enough.any() else 1.0
        weight = np.where(partial, scores, 0.0) + nearby
        top = float(weight[extra].max()) or 1.0
        scores = np.where(extra, 0.9 * floor * np.maximum(weight, 1e-3) / top, scores)
        return enough | extra, scores

    def neighbours(self, concepts: list[str], limit: int = 3) -> list[str]:
        """The topical concepts most often found beside these (lift ≥ 2 over their share of all
        profiles, in at least two of the three or more profiles with the concept), strongest first."""
        out: dict[str, float] = {}
        for code in concepts:
            j = self.concept_col[code]
            rows = self.by_concept.indices[self.by_concept.indptr[j]:self.by_concept.indptr[j + 1]]
            if rows.size < 3:  # too few organisations to say what goes with it
                continue
            together = np.asarray((self.mentions[rows] > 0).sum(axis=0)).ravel()
            lift = (together / rows.size) / np.maximum(self.df / self.size, 1e-9)
            for k in np.flatnonzero((together >= 2) & (lift >= 2)):
                other = self.concept_codes[k]
                if other not in concepts and other in self.topical:
                    out[other] = max(out.get(other, 0.0), float(together[k] * np.log(lift[k])))
        return sorted(out, key=out.get, reverse=True)[:limit]

    def _with_concept(self, codes: list[str]) -> np.ndarray:
        out = np.zeros(self.size, dtype=bool)
        for code in codes:
            j = self.concept_col[code]
            out[self.by_concept.indices[self.by_concept.indptr[j]:self.by_concept.indptr[j + 1]]] = True
        return out

    def _with_all(self, tokens: list[str]) -> np.ndarray:
        """Which profiles have every one of these words."""
        out = np.ones(self.size, dtype=bool)
        for token in tokens:
            col = self.words.vocab_dict.get(token)
            if col is None:
                return np.zeros(self.size, dtype=bool)
            c = self.word_columns
            has = np.zeros(self.size, dtype=bool)
            has[c.indices[c.indptr[col]:c.indptr[col + 1]]] = True
            out &= has
        return out

    def concepts_of(self, key: int) -> set[str]:
        i = self.position.get(key)
        if i is None:
            return set()
        row = self.mentions.getrow(i)
        return {self.concept_codes[j] for j in row.indices}

    def mask_for_keys(self, keys: np.ndarray) -> np.ndarray:
        """A boolean mask over positions with these keys set (unknown keys ignored)."""
        keys = keys[(keys >= 0) & (keys < self._position_of_key.size)]
        positions = self._position_of_key[keys]
        mask = np.zeros(self.size, dtype=bool)
        mask[positions[positions >= 0]] = True
        return mask

    # --- typo repair ------------------------------------------------------------------
    def repair(self, query: str) -> str | None:
        """The query with unknown Latin words replaced by the nearest known
        ones, or None when nothing needed repair."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        changed = False
        out = query
        for word in set(re.findall(r"[A-Za-z]{4,}", query)):
            lw = word.lower()
            if lw in self.spelling or self.analyzer.stem(lw) in self.words.vocab_dict:
                continue
            limit = 1 if len(lw) <= 6 else 2
            found = process.extract(lw, self._spelling_list, scorer=Levenshtein.distance,
                                    score_cutoff=limit, limit=8)
            if not found:
                continue
            best = min(found, key=lambda f: (f[1], -self.spelling[f[0]], f[0]))[0]
            out = re.sub(rf"\b{re.escape(word)}\b", best, out)
            changed = True
        return out if changed else None

    def _scores(self, query: str) -> tuple[np.ndarray | None, str | None, object]:
        query = query.strip()[:500]
        corrected = self.repair(query) if self.size else None
        a = self.analyzer.analyse(corrected or query, query=True)
        tokens = list(dict.fromkeys(a.tokens))[:64]
        concepts = list(dict.fromkeys(a.concepts))[:32]
        if not (tokens or concepts) or not self.size:
            return None, corrected, a
        # A kind of organisation named (公協會, "research centre") keeps to that kind; its words are not
        # part of the topic that the rest of the query must match.
        kinds = [c for c in concepts if c in FILTERING and f"kind:{c}" in self.concept_col]
        of_kind = None
        if kinds:
            of_kind = self._with_concept([f"kind:{c}" for c in kinds])
            kin = self._with_concept([f"kind:{k}" for c in kinds for k in KIN.get(c, ())
                                      if f"kind:{k}" in self.concept_col]) & ~of_kind
            named = [self.analyzer.normalise(m.surface) for m in a.mentions if m.code in kinds]
            topic = [t for t in tokens if not _kind_word(t, named)]
            tokens, concepts = (topic, [c for c in concepts if c not in kinds]) if topic else (tokens, concepts)
        scores, enough, have, needed = self._matches(a, tokens, concepts)
        enough, scores = self._widened(enough, scores, have, needed, concepts)
        if of_kind is not None:
            bonus = KIND_BONUS * max(float(scores.max()), 1.0)
            scores = scores + np.where(of_kind, bonus, np.where(kin, bonus / 2, 0.0))
            if tokens == list(dict.fromkeys(a.tokens))[:64]:  # the kind alone: all of it
                enough |= of_kind
            elif (enough & (of_kind | kin)).any():
                enough &= of_kind | kin
        scores = np.where(enough, scores, 0.0)
        if self.vectors is not None:
            from .embeddings import blend

            dense = self.vectors @ self.encoder.encode([corrected or query])[0]
            scores, close = blend(scores, dense)
            scores = np.where(enough | close, scores, 0.0)
        return scores, corrected, a

    def matching_keys(self, query: str) -> list[int]:
        """Keys of every profile the query matches at all."""
        scores, _, _ = self._scores(query)
        return [] if scores is None else self.keys[scores > 0].tolist()

    # --- search -------------------------------------------------------------------------
    def search(self, query: str, allowed: np.ndarray | None = None, limit: int = 20,
               offset: int = 0) -> SearchResult:
        """Profiles ranked for `query`; `allowed` is a boolean mask over positions (the filters)."""
        scores, corrected, a = self._scores(query)
        text = corrected or query.strip()[:500]
        concepts = list(dict.fromkeys(a.concepts))[:32]
        if scores is None:
            return SearchResult(hits=[], total=0, corrected=corrected)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        matching = np.flatnonzero(scores > 0)
        total = int(matching.size)
        want = min(total, offset + limit)
        if want == 0:
            return SearchResult(hits=[], total=total, corrected=corrected)
        if want < total:
            top = matching[np.argpartition(-scores[matching], want - 1)[:want]]
        else:
            top = matching
        # Best first; ties by key, so that pages are stable.
        order = sorted(top.tolist(), key=lambda i: (-float(scores[i]), int(self.keys[i])))[offset:offset + limit]
        typed = _typed_words(self.analyzer, text)
        surface = {}
        for m in a.mentions:
            surface.setdefault(m.code, m.surface)
        hits = []
        for i in order:
            have = self.concepts_of(int(self.keys[i]))
            matched_concepts = _widest([c for c in concepts if c in have or f"kind:{c}" in have], surface)
            covered = {w for m in a.mentions if m.code in matched_concepts for w in m.surface.split()}
            words = [w for w, keys in typed if not _covered(self.analyzer.normalise(w), covered)
                     and any(self._has_word(i, k) for k in keys)]
            hits.append(Hit(key=int(self.keys[i]), score=round(float(scores[i]), 4),
                            concepts=matched_concepts, words=list(dict.fromkeys(words))))
        return SearchResult(hits=hits, total=total, corrected=corrected)

def _kind_word(token: str, named: list[str]) -> bool:
    """Whether a query word is part of the words naming a kind (公協會: 公, 協會 and 公協會 all are);
    a lone Chinese character says nothing on its own."""
    if not token.isascii() and len(token) < 2:
        return True
    return any(token in surface or surface in token or token in surface.split() for surface in named)


def _covered(word: str, covered: set[str]) -> bool:
    """Whether the word is made of what the named concepts already say (半导体封装 = 半导体 + 封装)."""
    rest = word
    for part in sorted(covered, key=len, reverse=True):
        rest = rest.replace(part, " ")
    return not rest.strip()


def _widest(codes: list[str], surface: dict[str, str]) -> list[str]:
    """The matched concepts to name: not one found in a part of the words of
    another ("wind" inside "offshore wind"), which says the same thing less well."""
    out = []
    for c in codes:
        mine = surface.get(c, "")
        if any(d != c and mine and mine != surface.get(d, "") and _inside(mine, surface.get(d, ""))
               for d in codes):
            continue
        out.append(c)
    return out


def _inside(part: str, whole: str) -> bool:
    if re.search(r"[\u3400-\u9fff]", part):
        return part in whole
    return f" {part} " in f" {whole} "


def _typed_words(analyzer: Analyzer, text: str) -> list[tuple[str, list[str]]]:
    """(word as typed, its index tokens) for the query's Latin words and Chinese runs."""
    out = []
    for word in re.findall(r"[A-Za-z0-9]+(?:[.&+'][A-Za-z0-9]+)*|[\u3400-\u9fff]+", text):
        if word.isascii():
            if word.lower() not in STOP_EN:
                out.append((word, [analyzer.stem(word)]))
        else:
            tokens = analyzer.analyse(word).tokens
            longest = max(tokens, key=len, default="")
            out.append((word, [longest] if longest else []))
    return out
