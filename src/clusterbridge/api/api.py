"""REST API v1 (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Public reads of the directory; the search contract is
specs/directory-exchange.md.
"""

from django.http import Http404
from ninja import NinjaAPI, Query, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from clusterbridge.core.bilingual import pick
from clusterbridge.directory import selectors

api = NinjaAPI(title="ClusterBridge API", version="1", urls_namespace="api-v1",
               description="Directory of clusters and organisations for Taiwan–EU cooperation programmes.")


class OrganisationOut(Schema):
    external_id: str
    name_en: str
    name_zh: str
    kind: str
    country: str
    city: str
    website: str
    sectors: list[str]
    technologies: list[str]
    description_en: str
    description_zh: str
    offers: list[str]
    requests: list[str]

    @staticmethod
    def resolve_sectors(obj) -> list[str]:
        return [s.code for s in obj.sectors.all()]

    @staticmethod
    def resolve_technologies(obj) -> list[str]:
        return obj.technology_list

    @staticmethod
    def resolve_offers(obj) -> list[str]:
        return obj.offer_list

    @staticmethod
    def resolve_requests(obj) -> list[str]:
        return obj.request_list


class SearchResult(Schema):
    external_id: str
    name: str
    country: str
    score: float
    explanation: list[str]


class SearchOut(Schema):
    query: str
    results: list[SearchResult]


class Filters(Schema):
    country: str = ""
    kind: str = ""
    sector: str = ""
    ecosystem: str = ""
    technology: str = ""
    label: str = ""


def _directory_filters(filters: Filters) -> selectors.DirectoryFilters:
    return selectors.DirectoryFilters(country=filters.country[:2], kind=filters.kind[:32], sector=filters.sector[:8],
                                      ecosystem=filters.ecosystem[:40], technology=filters.technology[:40],
                                      label=filters.label[:20])


@api.get("/organisations/search", response=SearchOut, tags=["directory"])
def organisations_search(request, filters: Query[Filters], q: str = "", limit: int = 20):
    """Organisations matching q, best first, with the matched concepts."""
    limit = max(1, min(limit, 100))
    f = _directory_filters(filters)
    found = selectors.organisation_search(q=q[:200], filters=f, limit=limit)
    return {"query": q, "results": [
        {"external_id": org.external_id, "name": pick(org.name_en, org.name_zh).text, "country": org.country,
         "score": score, "explanation": matched} for score, org, matched in found]}


@api.get("/organisations", response=list[OrganisationOut], tags=["directory"])
@paginate(LimitOffsetPagination)
def organisations_list(request, filters: Query[Filters]):
    """Published organisations with the directory filters, paginated (limit, offset)."""
    f = _directory_filters(filters)
    return selectors.organisation_list(filters=f)


@api.get("/organisations/{external_id}", response=OrganisationOut, tags=["directory"])
def organisation_get(request, external_id: str):
    org = selectors.organisation_get(external_id=external_id)
    if org is None:
        raise Http404("no such organisation")
    return org
