"""Reads of the directory: filtered lists with facet counts, simple search."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from .models import Ecosystem, Kind, Label, Organisation, Sector

# A profile that has only a Chinese name sorts by that name.
DISPLAY_NAME = Coalesce(NullIf("name_en", Value("")), "name_zh")
SORTS = {"name": (DISPLAY_NAME.asc(), "id"), "-updated": ("-updated_at", "id"),
         "country": ("country", DISPLAY_NAME.asc(), "id")}


@dataclass
class DirectoryFilters:
    q: str = ""
    country: str = ""
    kind: str = ""
    sector: str = ""
    label: str = ""
    ecosystem: str = ""
    sort: str = "name"


def sector_codes() -> dict[str, str]:
    """NACE code -> its section letter ('' for sections): what imports validate against."""
    return {s.code: (s.parent.code if s.parent_id else "") for s in Sector.objects.select_related("parent")}


def organisation_list(*, filters: DirectoryFilters, public: bool = True) -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if public:
        qs = qs.filter(published=True)
    qs = _apply(qs, filters)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["name"])).prefetch_related("sectors", "ecosystems")


def _apply(qs: QuerySet, f: DirectoryFilters, skip: str = "") -> QuerySet:
    if f.q and skip != "q":
        for word in f.q.split()[:8]:
            qs = qs.filter(Q(name_en__icontains=word) | Q(name_zh__icontains=word)
                           | Q(description_en__icontains=word) | Q(description_zh__icontains=word)
                           | Q(technologies__icontains=word) | Q(offers__icontains=word)
                           | Q(requests__icontains=word) | Q(city__icontains=word))
    if f.country and skip != "country":
        qs = qs.filter(country=f.country.upper())
    if f.kind and skip != "kind":
        qs = qs.filter(kind=f.kind)
    if f.label and skip != "label":
        qs = qs.filter(label=f.label)
    if f.ecosystem and skip != "ecosystem":
        qs = qs.filter(ecosystems__code=f.ecosystem)
    if f.sector and skip != "sector":
        qs = qs.filter(Q(sectors__code=f.sector) | Q(sectors__parent__code=f.sector)).distinct()
    return qs


VERSION_KEY = "clusterbridge:directory:version"


def directory_version() -> int:
    """Bumped by every write to the directory (services.directory_changed):
    cached counts under an older version are never read again."""
    from django.core.cache import cache

    return cache.get_or_set(VERSION_KEY, 1, None)


def _cached(name: str, filters: DirectoryFilters | None, compute):
    from django.core.cache import cache
    from django.utils.translation import get_language

    parts = [] if filters is None else [filters.q, filters.country, filters.kind, filters.sector, filters.label,
                                        filters.ecosystem]
    key = "clusterbridge:directory:v%s:%s:%s:%s" % (directory_version(), name, get_language(),
                                                     hashlib.sha1("\x1f".join(parts).encode()).hexdigest())
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, 3600)
    return value


def organisation_count(*, filters: DirectoryFilters) -> int:
    return _cached("count", filters, lambda: organisation_list(filters=filters).count())


def organisation_facets(*, filters: DirectoryFilters) -> dict[str, list[tuple[str, str, int]]]:
    """Counts per value of each filter, given the other filters (value, label,
    count); cached until the directory changes."""
    return _cached("facets", filters, lambda: _facets(filters))


def _facets(filters: DirectoryFilters) -> dict[str, list[tuple[str, str, int]]]:
    base = Organisation.objects.filter(published=True)
    kinds = dict(Kind.choices)
    labels = dict(Label.choices)
    facets = {}
    rows = _apply(base, filters, "country").values("country").annotate(n=Count("id", distinct=True)).order_by("-n", "country")
    facets["country"] = [(r["country"], r["country"], r["n"]) for r in rows]
    rows = _apply(base, filters, "kind").values("kind").annotate(n=Count("id", distinct=True)).order_by("-n", "kind")
    facets["kind"] = [(r["kind"], str(kinds.get(r["kind"], r["kind"])), r["n"]) for r in rows]
    rows = (_apply(base, filters, "label").exclude(label="").values("label")
            .annotate(n=Count("id", distinct=True)).order_by("-n", "label"))
    facets["label"] = [(r["label"], str(labels.get(r["label"], r["label"])), r["n"]) for r in rows]
    sections = {s.code: s for s in Sector.objects.filter(level="section")}
    rows = (_apply(base, filters, "sector").values("sectors__parent__code")
            .annotate(n=Count("id", distinct=True)).order_by("-n", "sectors__parent__code"))
    facets["sector"] = [(r["sectors__parent__code"], sections[r["sectors__parent__code"]], r["n"])
                        for r in rows if r["sectors__parent__code"] in sections]
    ecosystems = {e.code: e for e in Ecosystem.objects.all()}
    rows = (_apply(base, filters, "ecosystem").exclude(ecosystems=None).values("ecosystems__code")
            .annotate(n=Count("id", distinct=True)).order_by("-n", "ecosystems__code"))
    facets["ecosystem"] = [(r["ecosystems__code"], ecosystems[r["ecosystems__code"]], r["n"])
                           for r in rows if r["ecosystems__code"] in ecosystems]
    return facets


def organisation_get(*, external_id: str, public: bool = True) -> Organisation | None:
    qs = Organisation.objects.prefetch_related("sectors", "contacts", "ecosystems", "cooperation_profiles")
    if public:
        qs = qs.filter(published=True)
    return qs.filter(external_id=external_id).first()


def directory_charts() -> dict[str, list[tuple[str, int]]]:
    return _cached("charts", None, _charts)


def _charts() -> dict[str, list[tuple[str, int]]]:
    published = Organisation.objects.filter(published=True)
    by_country = list(published.values_list("country").annotate(n=Count("id")).order_by("-n")[:12])
    sections = {s.code: s for s in Sector.objects.filter(level="section")}
    by_section = (published.values_list("sectors__parent__code").annotate(n=Count("id", distinct=True))
                  .order_by("-n"))
    return {
        "country": by_country,
        "sector": [(sections[c], n) for c, n in by_section if c in sections][:12],
        "total": published.count(),
    }


def organisation_search(*, q: str, filters: DirectoryFilters, limit: int = 20) -> list[tuple[float, Organisation, list[str]]]:
    """Published organisations matching any word of q, best first, each with
    the terms that matched. A simple keyword version: issue "partner search"
    replaces it with bilingual ranked search."""
    words = [w for w in q.split() if any(ch.isalnum() for ch in w)][:8]
    if not words:
        return []
    any_word = Q()
    for word in words:
        any_word |= (Q(name_en__icontains=word) | Q(name_zh__icontains=word) | Q(technologies__icontains=word)
                     | Q(description_en__icontains=word) | Q(description_zh__icontains=word)
                     | Q(offers__icontains=word) | Q(requests__icontains=word))
    candidates = organisation_list(filters=DirectoryFilters(country=filters.country, kind=filters.kind,
                                                            sector=filters.sector, label=filters.label))
    scored = [(score, org, matched) for org in candidates.filter(any_word)[:5000]
              for score, matched in [search_score(org, words)]]
    scored.sort(key=lambda t: (-t[0], t[1].external_id))
    return scored[:limit]


def search_score(org: Organisation, words: list[str]) -> tuple[float, list[str]]:
    """A simple keyword score with the fields that matched (names count most).
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
    # Whole technology terms say more than the single words inside them.
    terms = list(dict.fromkeys(matched))
    terms = [t for t in terms if not any(t != other and t.lower() in other.lower() for other in terms)]
    return round(score, 3), terms[:6]


def import_job_progress(job) -> tuple[int, int, int]:
    """(done, total, percent) of an import job, live while it runs."""
    from django.core.cache import cache

    from .services import progress_key

    if job.status == job.Status.RUNNING:
        done, total = cache.get(progress_key(job.id), (0, 0))
    else:
        done, total = job.done, job.total
    percent = 100 if job.status in (job.Status.DONE, job.Status.FAILED) else (int(100 * done / total) if total else 0)
    return done, total, percent
