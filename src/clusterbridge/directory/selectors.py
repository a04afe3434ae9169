"""Reads of the directory: filtered lists with facet counts, simple search."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from clusterbridge.core.countries import REGIONS, region_of

from .models import Ecosystem, Kind, Label, Organisation, Sector, Technology
from .search_hooks import partner_search

# A profile that has only a Chinese name sorts by that name.
DISPLAY_NAME = Coalesce(NullIf("name_en", Value("")), "name_zh")
SORTS = {"name": (DISPLAY_NAME.asc(), "id"), "-updated": ("-updated_at", "id"),
         "country": ("country", DISPLAY_NAME.asc(), "id")}
REGION_LABELS = {"taiwan": _("Taiwan"), "europe": _("Europe"), "elsewhere": _("Elsewhere")}


@dataclass
class DirectoryFilters:
    q: str = ""
    country: str = ""
    region: str = ""  # taiwan, europe or elsewhere
    kind: str = ""
    sector: str = ""
    label: str = ""
    ecosystem: str = ""
    technology: str = ""
    sort: str = "name"


def sector_codes() -> dict[str, str]:
    """NACE code -> its section letter: what imports validate against."""
    return dict(Sector.objects.values_list("code", "section"))


def organisation_list(*, filters: DirectoryFilters, public: bool = True) -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if public:
        qs = qs.filter(published=True)
    qs = _apply(qs, filters)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["name"])).prefetch_related("sectors", "ecosystems", "technology_tags")


def region_q(region: str, prefix: str = "") -> Q:
    from clusterbridge.core.countries import EUROPE

    if region == "taiwan":
        return Q(**{prefix + "country": "TW"})
    if region == "europe":
        return Q(**{prefix + "country__in": sorted(EUROPE)})
    return ~Q(**{prefix + "country__in": sorted(EUROPE | {"TW"})})


def sector_q(code: str, prefix: str = "sectors__") -> Q:
    """Organisations filed under `code` or anything below it: a section by its
    letter, a division or group by code prefix ('26' reaches 26.1 and 26.11;
    '26.1' reaches 26.11 but not 26.2)."""
    code = code.strip().upper()
    if len(code) == 1:
        return Q(**{prefix + "section": code})
    below = code + "." if "." not in code else code
    return Q(**{prefix + "code": code}) | Q(**{prefix + "code__startswith": below})


_MATCHER: dict[tuple, object] = {}


def technology_matcher():
    """The technology list as a matcher, rebuilt only when the list changes."""
    from .technologies import TechnologyMatcher

    rows = list(Technology.objects.values_list("code", "label_en", "label_zh", "synonyms"))
    key = tuple(rows)
    if key not in _MATCHER:
        _MATCHER.clear()
        _MATCHER[key] = TechnologyMatcher.build(
            {code: [en, zh, *[s for s in syn.split(";") if s.strip()]] for code, en, zh, syn in rows})
    return _MATCHER[key]


def _tagged(codes: list[str]) -> Q:
    """Organisations filed under any of these technology-list entries."""
    through = Organisation.technology_tags.through
    return Q(id__in=through.objects.filter(technology__code__in=codes).values("organisation_id"))


def _apply(qs: QuerySet, f: DirectoryFilters, skip: str = "") -> QuerySet:
    if f.q and skip != "q":
        # The organisations partner search matches (both languages, concepts, typos).
        qs = qs.filter(id__in=partner_search().matching_ids(f.q))
    if f.country and skip != "country":
        qs = qs.filter(country=f.country.upper())
    if f.region and skip != "region":
        qs = qs.filter(region_q(f.region))
    if f.kind and skip != "kind":
        qs = qs.filter(kind=f.kind)
    if f.label and skip != "label":
        qs = qs.filter(label=f.label)
    if f.ecosystem and skip != "ecosystem":
        qs = qs.filter(ecosystems__code=f.ecosystem)
    if f.technology and skip != "technology":
        qs = qs.filter(technology_tags__code=f.technology)
    if f.sector and skip != "sector":
        qs = qs.filter(sector_q(f.sector)).distinct()
    return qs


VERSION_KEY = "clusterbridge:directory:version"


def directory_version() -> str:
    """Changed by every write to the directory (services.directory_changed):
    cached counts under an older version are never read again."""
    from clusterbridge.core.cache import shared_version

    return shared_version(VERSION_KEY)


def _cached(name: str, filters: DirectoryFilters | None, compute):
    from django.core.cache import cache
    from django.utils.translation import get_language

    parts = [] if filters is None else [filters.q, filters.country, filters.region, filters.kind, filters.sector,
                                        filters.label,
                                        filters.ecosystem, filters.technology]
    if filters is not None and filters.q:  # keyword matches follow partner search's own version
        parts.append(partner_search().version())
    key = "clusterbridge:directory:v%s:%s:%s:%s" % (directory_version(), name, get_language(),
                                                     hashlib.sha1("\x1f".join(parts).encode()).hexdigest())
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, 3600)
    return value


def organisation_count(*, filters: DirectoryFilters) -> int:
    index, chosen, extra = facet_selection(filters)
    return index.select(chosen, extra).bit_count()


def organisation_facets(*, filters: DirectoryFilters) -> dict[str, list[tuple[str, str, int]]]:
    """Counts per value of each filter, given the other filters (value, label,
    count), from the in-memory index; labels from the (small) taxonomy tables."""
    index, chosen, extra = facet_selection(filters)
    sections = {s.code: s for s in Sector.objects.filter(level="section")}
    wanted = {"sector": list(sections) + ([filters.sector] if filters.sector and filters.sector not in sections
                                          else [])}
    counts = index.facets(chosen, extra, values=wanted)
    kinds, labels = dict(Kind.choices), dict(Label.choices)
    ecosystems = {e.code: e for e in Ecosystem.objects.all()}
    technologies = {t.code: t for t in Technology.objects.all()}

    def ordered(dim):
        return sorted(counts[dim].items(), key=lambda kv: (-kv[1], kv[0]))

    facets = {
        "country": [(v, v, n) for v, n in ordered("country")],
        "region": [(v, REGION_LABELS[v], counts["region"].get(v, 0)) for v in REGIONS if counts["region"].get(v)],
        "kind": [(v, str(kinds.get(v, v)), n) for v, n in ordered("kind")],
        "label": [(v, str(labels.get(v, v)), n) for v, n in ordered("label")],
        "sector": [(v, sections[v], n) for v, n in ordered("sector") if v in sections],
        "ecosystem": [(v, ecosystems[v], n) for v, n in ordered("ecosystem") if v in ecosystems],
        "technology": [(v, technologies[v], n) for v, n in ordered("technology") if v in technologies],
    }
    if filters.sector and filters.sector not in sections:
        chosen_sector = Sector.objects.filter(code=filters.sector).first()
        if chosen_sector is not None:
            facets["sector"].insert(0, (chosen_sector.code, chosen_sector, counts["sector"].get(filters.sector, 0)))
    return facets


def organisation_page_ids(*, filters: DirectoryFilters, offset: int, limit: int) -> list[int]:
    """Ids of one page of the public list in name order, from the index."""
    index, chosen, extra = facet_selection(filters)
    return index.page(index.select(chosen, extra), offset, limit)


class IndexedResults:
    """A sliceable list of the public results in name order for Django's
    Paginator: positions from the index, rows by primary key."""

    def __init__(self, filters: DirectoryFilters):
        self.filters = filters

    def count(self) -> int:
        return organisation_count(filters=self.filters)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item:item + 1][0]
        start, stop = item.start or 0, item.stop if item.stop is not None else self.count()
        ids = organisation_page_ids(filters=self.filters, offset=start, limit=max(0, stop - start))
        by_id = Organisation.objects.in_bulk(ids)  # the cards show no many-to-many fields
        return [by_id[i] for i in ids if i in by_id]


_INDEX: dict[str, object] = {}


def facet_index():
    """The index of the published directory for this process, rebuilt when
    the directory version moves on (every write bumps it)."""
    from .facet_index import FacetIndex, IndexRow, nace_with_ancestors

    version = directory_version()
    if _INDEX.get("version") == version:
        return _INDEX["index"]
    published = Organisation.objects.filter(published=True)
    order = list(published.order_by(*SORTS["name"]).values_list("id", flat=True))
    fields = {i: (c, k, lab) for i, c, k, lab in published.values_list("id", "country", "kind", "label")}
    sectors, ecosystems, technologies = defaultdict(list), defaultdict(list), defaultdict(list)
    for oid, code, section in Organisation.sectors.through.objects.filter(organisation__published=True) \
            .values_list("organisation_id", "sector__code", "sector__section"):
        sectors[oid].extend(nace_with_ancestors(code, section))
    for oid, code in Organisation.ecosystems.through.objects.filter(organisation__published=True) \
            .values_list("organisation_id", "ecosystem__code"):
        ecosystems[oid].append(code)
    for oid, code in Organisation.technology_tags.through.objects.filter(organisation__published=True) \
            .values_list("organisation_id", "technology__code"):
        technologies[oid].append(code)
    rows = [IndexRow(id=i, country=fields[i][0], region=region_of(fields[i][0]), kind=fields[i][1], label=fields[i][2],
                     sectors=tuple(dict.fromkeys(sectors[i])), ecosystems=tuple(ecosystems[i]),
                     technologies=tuple(technologies[i])) for i in order if i in fields]
    index = FacetIndex.build(rows)
    _INDEX.clear()
    _INDEX.update(version=version, index=index, keywords={})
    return index


def facet_selection(filters: DirectoryFilters):
    """(index, chosen values, keyword mask or None) for these filters: what partner search
    combines with its ranking."""
    index = facet_index()
    chosen = {"country": filters.country.upper(), "region": filters.region, "kind": filters.kind, "label": filters.label,
              "sector": filters.sector.strip().upper(), "ecosystem": filters.ecosystem,
              "technology": filters.technology}
    extra = None
    if filters.q.strip():
        # What partner search matches (both languages, concepts, typos), for counts and facets;
        # remembered per search version too, since search follows a change a little later.
        search = partner_search()
        keywords: dict = _INDEX.setdefault("keywords", {})
        key = (filters.q, search.version())
        extra = keywords.get(key)
        if extra is None:
            extra = index.mask_of_ids(search.matching_ids(filters.q))
            if len(keywords) > 500:
                keywords.clear()
            keywords[key] = extra
    return index, chosen, extra


def organisation_facets_from_database(*, filters: DirectoryFilters) -> dict[str, list[tuple[str, str, int]]]:
    """The same counts with SQL GROUP BYs: the reference the index is tested against."""
    return _facets(filters)


def _facets(filters: DirectoryFilters) -> dict[str, list[tuple[str, str, int]]]:
    base = Organisation.objects.filter(published=True)
    kinds = dict(Kind.choices)
    labels = dict(Label.choices)
    facets = {}
    rows = _apply(base, filters, "country").values("country").annotate(n=Count("id", distinct=True)).order_by("-n", "country")
    facets["country"] = [(r["country"], r["country"], r["n"]) for r in rows]
    regions = {v: _apply(base, filters, "region").filter(region_q(v)).distinct().count() for v in REGIONS}
    facets["region"] = [(v, REGION_LABELS[v], regions[v]) for v in REGIONS if regions[v]]
    rows = _apply(base, filters, "kind").values("kind").annotate(n=Count("id", distinct=True)).order_by("-n", "kind")
    facets["kind"] = [(r["kind"], str(kinds.get(r["kind"], r["kind"])), r["n"]) for r in rows]
    rows = (_apply(base, filters, "label").exclude(label="").values("label")
            .annotate(n=Count("id", distinct=True)).order_by("-n", "label"))
    facets["label"] = [(r["label"], str(labels.get(r["label"], r["label"])), r["n"]) for r in rows]
    sections = {s.code: s for s in Sector.objects.filter(level="section")}
    rows = (_apply(base, filters, "sector").values("sectors__section")
            .annotate(n=Count("id", distinct=True)).order_by("-n", "sectors__section"))
    facets["sector"] = [(r["sectors__section"], sections[r["sectors__section"]], r["n"])
                        for r in rows if r["sectors__section"] in sections]
    if filters.sector and filters.sector not in sections:
        chosen = Sector.objects.filter(code=filters.sector).first()
        if chosen is not None:
            facets["sector"].insert(0, (chosen.code, chosen, _apply(base, filters).count()))
    ecosystems = {e.code: e for e in Ecosystem.objects.all()}
    rows = (_apply(base, filters, "ecosystem").exclude(ecosystems=None).values("ecosystems__code")
            .annotate(n=Count("id", distinct=True)).order_by("-n", "ecosystems__code"))
    facets["ecosystem"] = [(r["ecosystems__code"], ecosystems[r["ecosystems__code"]], r["n"])
                           for r in rows if r["ecosystems__code"] in ecosystems]
    technologies = {t.code: t for t in Technology.objects.all()}
    rows = (_apply(base, filters, "technology").exclude(technology_tags=None).values("technology_tags__code")
            .annotate(n=Count("id", distinct=True)).order_by("-n", "technology_tags__code"))
    facets["technology"] = [(r["technology_tags__code"], technologies[r["technology_tags__code"]], r["n"])
                            for r in rows if r["technology_tags__code"] in technologies]
    return facets


def organisation_get(*, external_id: str, public: bool = True) -> Organisation | None:
    qs = Organisation.objects.prefetch_related("sectors", "contacts", "ecosystems", "cooperation_profiles", "technology_tags")
    if public:
        qs = qs.filter(published=True)
    return qs.filter(external_id=external_id).first()


def directory_charts() -> dict[str, list[tuple[str, int]]]:
    return _cached("charts", None, _charts)


def _charts() -> dict[str, list[tuple[str, int]]]:
    published = Organisation.objects.filter(published=True)
    by_country = list(published.values_list("country").annotate(n=Count("id")).order_by("-n")[:12])
    sections = {s.code: s for s in Sector.objects.filter(level="section")}
    by_section = (published.values_list("sectors__section").annotate(n=Count("id", distinct=True))
                  .order_by("-n"))
    return {
        "country": by_country,
        "sector": [(sections[c], n) for c, n in by_section if c in sections][:12],
        "total": published.count(),
    }


def organisation_search(*, q: str, filters: DirectoryFilters, limit: int = 20) -> list[tuple[float, Organisation, list[str]]]:
    """Published organisations matching any word of q, best first, each with
    the terms that matched: plain substring search, kept as the baseline
    the bilingual search of `matching` is measured against (bench/matching.py)."""
    words = [w for w in q.split() if any(ch.isalnum() for ch in w)][:8]
    if not words:
        return []
    any_word = Q()
    for word in words:
        any_word |= Q(search_text__contains=word.lower())
    # Concepts of the technology list the query names, in either language.
    concepts = {t.code: t for t in Technology.objects.filter(code__in=technology_matcher().codes([q, *words]))}
    if concepts:
        any_word |= _tagged(list(concepts))
    candidates = organisation_list(filters=DirectoryFilters(
        country=filters.country, kind=filters.kind, sector=filters.sector, label=filters.label,
        ecosystem=filters.ecosystem, technology=filters.technology))
    scored = [(score, org, matched) for org in candidates.filter(any_word)[:5000]
              for score, matched in [search_score(org, words, concepts)]]
    scored.sort(key=lambda t: (-t[0], t[1].external_id))
    return scored[:limit]


def search_score(org: Organisation, words: list[str], concepts: dict | None = None) -> tuple[float, list[str]]:
    """A simple keyword score with the fields that matched (names count most);
    `concepts`: technology-list entries the query names, which count as a
    technology match whatever language the organisation wrote them in.
    Issue "partner search" replaces this with bilingual ranked search."""
    weights = [("name_en", 5.0), ("name_zh", 5.0), ("technologies", 3.0), ("offers", 2.0), ("requests", 2.0),
               ("description_en", 1.0), ("description_zh", 1.0)]
    score, matched = 0.0, []
    for word in words:
        lw = word.lower()
        for name, weight in weights:
            text = (getattr(org, name) or "").lower()
            if lw in text:
                score += weight * (1 + min(text.count(lw), 3) / 3)
                if name == "technologies":
                    matched.extend(t for t in org.technology_list if lw in t.lower())
                else:
                    matched.append(word)
    for tag in org.technology_tags.all():
        if concepts and tag.code in concepts and not any(w.lower() in org.technologies.lower() for w in words):
            score += 3.0
            matched.append(f"{tag.label_en} / {tag.label_zh}")
    # Whole technology terms say more than the single words inside them.
    terms = list(dict.fromkeys(matched))
    terms = [t for t in terms if not any(t != other and t.lower() in other.lower() for other in terms)]
    return round(score, 3), terms[:6]


def sector_tree(*, q: str = "") -> list[dict]:
    """NACE Rev. 2 by section for the taxonomy page: each section with its
    entries in code order; with `q`, only entries whose code, labels or
    synonyms contain it (and their sections)."""
    entries = list(Sector.objects.order_by("section", "code"))
    needle = q.strip().lower()
    sections: dict[str, dict] = {}
    for s in entries:
        if s.level == "section":
            sections[s.code] = {"section": s, "entries": []}
    for s in entries:
        if s.level == "section":
            continue
        if needle and needle not in " ".join([s.code, s.label_en, s.label_zh, s.synonyms]).lower():
            continue
        sections[s.section]["entries"].append(s)
    return [v for v in sections.values() if v["entries"] or not needle]


def technology_list(*, q: str = "") -> list[Technology]:
    """The technology list for the taxonomy page; with `q`, the entries whose
    labels or synonyms contain it."""
    needle = q.strip().lower()
    return [t for t in Technology.objects.order_by("label_en")
            if not needle or needle in " ".join([t.code, t.label_en, t.label_zh, t.synonyms]).lower()]
