"""Reads of partner search: ranked search, recommendations, similar organisations.

Each process keeps one in-memory index (see index.py), built from the stored
search documents and rebuilt when the search version moves on (every
refresh of the documents sets a new one).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

import numpy as np
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from clusterbridge.directory.models import Organisation, Sector
from clusterbridge.directory.selectors import DirectoryFilters

from .analysis import shared_analyzer
from .dictionary import shared_dictionary
from .embeddings import configured_encoder, from_bytes
from .highlight import snippet, terms_for
from .index import AnalysedProfile, SearchIndex
from .recommending import Recommendation
from .models import SearchDocument
from .services import VERSION_KEY

_STATE: dict[str, object] = {}
_LOCK = threading.Lock()


def search_version() -> str:
    from clusterbridge.core.cache import shared_version

    return shared_version(VERSION_KEY)


# Up to this many profiles the index is rebuilt in the request that finds it
# out of date (a few seconds at most); above, that request and the next ones
# keep using the previous index while a thread builds the new one.
SYNC_REBUILD_LIMIT = 20_000


def search_index() -> SearchIndex:
    """This process's index of the published directory."""
    version = search_version()
    with _LOCK:
        current = _STATE.get("index")
        if _STATE.get("version") == version:
            return current
        if current is not None and current.size > SYNC_REBUILD_LIMIT:
            if _STATE.get("building") != version:
                _STATE["building"] = version
                threading.Thread(target=_rebuild_in_background, args=(version,), daemon=True).start()
            return current
        index = _build(version)
        _STATE.update(version=version, index=index, matching={})
        return index


def _rebuild_in_background(version: str) -> None:
    from django.db import connection

    try:
        index = _build(version)
        with _LOCK:
            _STATE.update(version=version, index=index, matching={})
    finally:
        connection.close()  # this thread's own connection


def _build(version: str) -> SearchIndex:
    if not SearchDocument.objects.exists() and Organisation.objects.exists():
        # A directory from before partner search: analyse it once.
        from .services import search_documents_refresh

        search_documents_refresh()
    published = SearchDocument.objects.filter(published=True).order_by("organisation_id")
    rows = published.values_list("organisation_id", "country", "words", "concepts", "offers", "requests",
                                 "spelling")
    profiles = [AnalysedProfile(*row) for row in rows.iterator(chunk_size=5000)]
    encoder = configured_encoder()
    vectors = None
    if encoder is not None:  # profiles analysed before the encoder was on count as dissimilar
        stored = list(published.values_list("vector", "encoder").iterator(chunk_size=5000))
        dim = encoder.encode(["dimension"]).shape[1]
        vectors = np.vstack([from_bytes(v if e == encoder.name else None, dim) for v, e in stored]) \
            if stored else np.zeros((0, dim), dtype=np.float32)
    return SearchIndex(shared_analyzer(), profiles, vectors=vectors, encoder=encoder,
                       dictionary=shared_dictionary() if getattr(settings, "SEARCH_DICTIONARY", True) else None)


def _allowed(filters: DirectoryFilters) -> np.ndarray | None:
    """The directory filters (not the words) as a mask over the index's positions."""
    from clusterbridge.directory.selectors import facet_selection

    plain = replace(filters, q="")
    if not any([plain.country, plain.region, plain.kind, plain.label, plain.sector, plain.ecosystem,
                plain.technology]):
        return None
    facets, chosen, _ = facet_selection(plain)
    mask = facets.select(chosen)
    n = len(facets.ids)
    bits = np.unpackbits(np.frombuffer(mask.to_bytes((n + 7) // 8, "little"), dtype=np.uint8),
                         bitorder="little")[:n].astype(bool)
    return search_index().mask_for_keys(np.asarray(facets.ids, dtype=np.int64)[bits])


def matching_ids(q: str) -> list[int]:
    """Ids of every published organisation the words match at all (for facet counts)."""
    index = search_index()
    cached: dict = _STATE.setdefault("matching", {})
    if q not in cached:
        if len(cached) > 500:
            cached.clear()
        cached[q] = index.matching_keys(q)
    return cached[q]


@dataclass
class Found:
    organisation: Organisation
    score: float
    explanation: list[str]
    snippet: str = ""
    concepts: list[str] = field(default_factory=list)


@dataclass
class Page:
    total: int
    items: list[Found]
    corrected: str | None = None


def organisation_search(*, q: str, filters: DirectoryFilters, limit: int = 20, offset: int = 0,
                        language: str | None = None, snippets: bool = False) -> Page:
    """Published organisations ranked for q within the filters, each with its
    explanation (matched concepts in the reader's language, then matched words)."""
    language = language or get_language() or "en"
    index = search_index()
    result = index.search(q, allowed=_allowed(filters), limit=limit, offset=offset)
    orgs = Organisation.objects.in_bulk([h.key for h in result.hits])
    analyzer = index.analyzer
    items = []
    for hit in result.hits:
        org = orgs.get(hit.key)
        if org is None:
            continue
        concepts = _distinct_concepts(analyzer, hit.concepts)
        explanation = [c.label(language) for c in concepts] + hit.words
        html = ""
        if snippets:
            terms = terms_for(analyzer, concepts, hit.words)
            html = mark_safe(snippet(analyzer, [org.offers, org.requests, org.technologies, org.description_zh,
                                                org.description_en] if language.startswith("zh") else
                                     [org.offers, org.requests, org.technologies, org.description_en,
                                      org.description_zh], terms))
        items.append(Found(organisation=org, score=hit.score, explanation=explanation, snippet=html,
                           concepts=[c.code for c in concepts]))
    return Page(total=result.total, items=items, corrected=result.corrected)


def _distinct_concepts(analyzer, codes: list[str]):
    """The concepts to name: the glossary's before the technology list's and
    the ecosystems', and one per label (smart manufacturing, not also
    advanced manufacturing for the same words)."""
    concepts = [analyzer.concepts[c] for c in codes if c in analyzer.concepts]
    concepts.sort(key=lambda c: (c.code.startswith("eco:"), c.code.startswith("tech:")))
    out, seen_forms = [], set()
    for c in concepts:
        forms = {f.lower() for f in (c.label_en, c.label_zh, *c.forms)}
        if forms & seen_forms and (c.code.startswith("tech:") or c.code.startswith("eco:")):
            continue
        seen_forms |= forms
        out.append(c)
    return out[:6]


SPARE = 4  # asked of the index beyond the limit, for the records merged away below


@dataclass
class Suggestion:
    organisation: Organisation
    score: float
    reasons: list[dict]  # {"kind": "they_offer"|"they_request"|"shared", "mine": str, "theirs": str, "concept": str}


def recommendations(*, organisation: Organisation, limit: int = 8, among: list[int] | None = None,
                    language: str | None = None) -> list[Suggestion]:
    """The partners `organisation` should meet, best first, each with its reasons
    ("you request: private 5G networks — they offer: private 5G test networks");
    `among`: only these organisation ids (e.g. an event's participants)."""
    index = search_index()
    allowed = None if among is None else index.mask_for_keys(np.asarray(among, dtype=np.int64))
    found = index.recommend(organisation.id, limit=limit + SPARE, allowed=allowed)
    return _suggestions(index, organisation, found, language)[:limit]


def similar_organisations(*, organisation: Organisation, limit: int = 6,
                          language: str | None = None) -> list[Suggestion]:
    index = search_index()
    return _suggestions(index, organisation, index.similar(organisation.id, limit=limit + SPARE), language)[:limit]


def _suggestions(index: SearchIndex, organisation: Organisation, found: list[Recommendation],
                 language: str | None) -> list[Suggestion]:
    language = language or get_language() or "en"
    analyzer = index.analyzer
    orgs = Organisation.objects.in_bulk([r.key for r in found])
    sectors = {s.code: s for s in Sector.objects.filter(level="division")}
    out = []
    seen = {_identity(organisation)}
    for r in found:
        other = orgs.get(r.key)
        if other is None or _identity(other) in seen:
            continue  # the same organisation recorded twice is shown once, its best-scoring record
        seen.add(_identity(other))
        reasons = []
        for code in r.they_offer[:2]:
            reasons.append({"kind": "they_offer", "concept": _label(analyzer, code, language),
                            "mine": _line_with(analyzer, organisation.requests, code),
                            "theirs": _line_with(analyzer, other.offers, code)})
        for code in r.they_request[:2]:
            reasons.append({"kind": "they_request", "concept": _label(analyzer, code, language),
                            "mine": _line_with(analyzer, organisation.offers, code),
                            "theirs": _line_with(analyzer, other.requests, code)})
        shared = [c for c in r.shared if c not in r.they_offer and c not in r.they_request]
        names = []
        for code in shared:
            if code.startswith("nace:"):
                s = sectors.get(code[5:])
                if s:
                    names.append(f"NACE {s.code} " + (s.label_zh if language.startswith("zh") else s.label_en))
            elif code in analyzer.concepts:
                names.append(analyzer.concepts[code].label(language))
        if names:
            reasons.append({"kind": "shared", "concept": "; ".join(dict.fromkeys(names[:4])), "mine": "", "theirs": ""})
        out.append(Suggestion(organisation=other, score=r.score, reasons=_merged(reasons)))
    return out


def _identity(org: Organisation) -> tuple[str, str]:
    """Two records with the same name in the same country are one organisation to a reader."""
    name = " ".join((org.name_en or org.name_zh or "").casefold().split())
    return (name or f"#{org.pk}", org.country)


def _merged(reasons: list[dict]) -> list[dict]:
    """One line per (kind, my line, their line). When both lines are known they say it all: the
    rarest concept (listed first) stays and the others found in the same lines go. When a line is
    missing, the concept stands in for it, so those found in the same line are named together
    ("they look for: contract manufacturing, medical devices — offered here: ...")."""
    out: dict[tuple, dict] = {}
    for reason in reasons:
        key = (reason["kind"], reason["mine"], reason["theirs"])
        if key not in out or reason["kind"] == "shared":
            out[key] = dict(reason)
        elif not (reason["mine"] and reason["theirs"]) and reason["concept"] not in out[key]["concept"]:
            out[key]["concept"] += ", " + reason["concept"]
    return list(out.values())


def _label(analyzer, code: str, language: str) -> str:
    concept = analyzer.concepts.get(code)
    return concept.label(language) if concept else code


def _line_with(analyzer, text: str, code: str) -> str:
    """The first line of `text` that mentions the concept, as written."""
    for line in (text or "").splitlines():
        if line.strip() and code in analyzer.analyse(line).concepts:
            return line.strip()
    return ""


# --- the cooperation board ---------------------------------------------------------------

@dataclass
class FoundProfile:
    profile: object  # CooperationProfile
    score: float
    explanation: list[str]
    snippet: str = ""


def board_index() -> tuple[SearchIndex, dict[int, tuple[str, str]]]:
    """An index of the offers and requests on the board now (published,
    unexpired, of published organisations), with each profile's (kind,
    country). Boards hold hundreds to a few thousand profiles: analysed when
    the directory or the date changes, in about a second per thousand."""
    from django.utils import timezone

    from clusterbridge.directory.cooperation import cooperation_board
    from clusterbridge.directory.selectors import directory_version

    from .index import Profile, analyse_profile

    key = (directory_version(), search_version(), timezone.localdate())
    with _LOCK:
        if _STATE.get("board_key") == key:
            return _STATE["board"]
        analyzer = shared_analyzer()
        facts, analysed = {}, []
        for p in cooperation_board().order_by("id"):
            org = p.organisation
            facts[p.id] = (p.kind, org.country)
            analysed.append(analyse_profile(analyzer, Profile(key=p.id, country=org.country, texts={
                "name": f"{p.title_en}\n{p.title_zh}", "description": f"{p.description_en}\n{p.description_zh}",
                "taxonomy": f"{org.name_en}\n{org.name_zh}"})))
        built = (SearchIndex(analyzer, analysed), facts)
        _STATE.update(board_key=key, board=built)
        return built


def cooperation_search(*, q: str, kind: str = "", country: str = "", limit: int = 200,
                       language: str | None = None) -> list[FoundProfile]:
    """Offers and requests on the board ranked for q, in either language, with explanations."""
    from clusterbridge.directory.models import CooperationProfile

    language = language or get_language() or "en"
    index, facts = board_index()
    allowed = None
    if kind or country:
        keys = np.array([k for k, (kd, c) in facts.items() if (not kind or kd == kind)
                         and (not country or c == country.upper())], dtype=np.int64)
        allowed = index.mask_for_keys(keys)
    result = index.search(q, allowed=allowed, limit=limit)
    profiles = CooperationProfile.objects.select_related("organisation").in_bulk([h.key for h in result.hits])
    out = []
    for hit in result.hits:
        p = profiles.get(hit.key)
        if p is None:
            continue
        concepts = _distinct_concepts(index.analyzer, hit.concepts)
        terms = terms_for(index.analyzer, concepts, hit.words)
        texts = [p.description_zh, p.description_en] if language.startswith("zh") else [p.description_en,
                                                                                         p.description_zh]
        out.append(FoundProfile(profile=p, score=hit.score, explanation=[c.label(language) for c in concepts]
                                + hit.words, snippet=mark_safe(snippet(index.analyzer, texts, terms))))
    return out
