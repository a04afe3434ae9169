"""REST API v1 (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Public reads of the directory and the cooperation board; members write
their own organisations and profiles with a personal key
(`Authorization: Bearer <key>`, made on the account's "API keys" page).
The search contract is specs/directory-exchange.md. Views and API call the
same services and selectors.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from clusterbridge.accounts.rules import can_edit_organisation
from clusterbridge.accounts.api_auth import ApiKey
from clusterbridge.core.api_errors import ErrorOut, invalid
from clusterbridge.core.bilingual import pick
from clusterbridge.directory import cooperation, selectors, services
from clusterbridge.directory.exchange import nace_codes_check
from clusterbridge.directory.models import CooperationProfile, Organisation, Sector
from clusterbridge.events.api import router as events_router
from clusterbridge.offsets.api import router as icp_router
from clusterbridge.indicators.api import reference_router
from clusterbridge.indicators.api import router as indicators_router
from clusterbridge.outcomes.api import router as outcomes_router


class Pages(LimitOffsetPagination):
    """limit 1-100, offset below ten million: numbers a database can take (a
    huge offset is a clear 422, not a server error)."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=100)
        offset: int = Field(0, ge=0, lt=10_000_000)



api = NinjaAPI(title="ClusterBridge API", version="1", urls_namespace="api-v1",
               description="Directory of clusters and organisations, matchmaking events and the Industrial "
                           "Cooperation Programme, for Taiwan–EU cooperation programmes. Keys are made on the "
                           "account's API keys page, each with its scopes (directory:write, events:read, "
                           "events:write, icp:read, outcomes:read) and an optional expiry.")
api.add_router("/events", events_router)
api.add_router("/icp", icp_router)
api.add_router("/outcomes", outcomes_router)
api.add_router("/indicators", indicators_router)
api.add_router("/reference-list", reference_router)


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
    value_chain_role: str
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
    corrected: str | None = None  # the query after typo repair, when a word was repaired
    total: int = 0  # how many organisations match at all
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
def organisations_search(request, filters: Query[Filters], q: str = "", limit: int = 20, lang: str = "en"):
    """Organisations matching q in either language, best first, each with the
    matched concepts named in `lang` first (en or zh-hant), then the other."""
    from clusterbridge.matching.selectors import organisation_search

    limit = max(1, min(limit, 100))
    f = _directory_filters(filters)
    page = organisation_search(q=q[:200], filters=f, limit=limit,
                               language="zh-hant" if lang.lower().startswith("zh") else "en")
    return {"query": q, "corrected": page.corrected, "total": page.total, "results": [
        {"external_id": found.organisation.external_id, "name": pick(found.organisation.name_en,
                                                                     found.organisation.name_zh).text,
         "country": found.organisation.country, "score": found.score, "explanation": found.explanation}
        for found in page.items]}


@api.get("/organisations", response=list[OrganisationOut], tags=["directory"])
@paginate(Pages)
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


class ReasonOut(Schema):
    kind: str  # they_offer: what the organisation looks for and they offer; they_request: the reverse; shared
    concept: str
    mine: str  # the organisation's own line that matches, as written ("" when none)
    theirs: str  # their line that matches, as written


class PartnerOut(Schema):
    external_id: str
    name: str
    country: str
    score: float
    reasons: list[ReasonOut]


@api.get("/organisations/{external_id}/partners", response=list[PartnerOut], tags=["directory"])
def organisation_partners(request, external_id: str, limit: int = 10, lang: str = "en"):
    """The partners this organisation should meet, best first, with the reasons:
    what one looks for and the other offers (both ways), then what they share.
    Taiwan–EU pairs come first, as the programmes want."""
    from clusterbridge.matching.selectors import recommendations

    org = selectors.organisation_get(external_id=external_id)
    if org is None:
        raise Http404("no such organisation")
    found = recommendations(organisation=org, limit=max(1, min(limit, 50)),
                            language="zh-hant" if lang.lower().startswith("zh") else "en")
    return [{"external_id": s.organisation.external_id, "country": s.organisation.country,
             "name": pick(s.organisation.name_en, s.organisation.name_zh).text, "score": s.score,
             "reasons": s.reasons} for s in found]


class OrganisationPatch(Schema):
    """Only the fields sent change."""

    name_en: str | None = None
    name_zh: str | None = None
    city: str | None = None
    website: str | None = None
    year_founded: int | None = None
    size: int | None = None
    value_chain_role: str | None = None
    sectors: list[str] | None = None
    technologies: list[str] | None = None
    description_en: str | None = None
    description_zh: str | None = None
    offers: list[str] | None = None
    requests: list[str] | None = None
    published: bool | None = None


def _editable(request, external_id: str) -> Organisation:
    org = Organisation.objects.filter(external_id=external_id).first()
    if org is None:
        raise HttpError(404, "no such organisation")
    if not can_edit_organisation(request.auth, org):
        raise HttpError(403, "you may edit only the organisations you are a member of")
    return org


@api.patch("/organisations/{external_id}", auth=ApiKey(), response={200: OrganisationOut, 403: ErrorOut,
                                                                    404: ErrorOut, 422: ErrorOut},
           tags=["directory"])
def organisation_patch(request, external_id: str, body: OrganisationPatch):
    """Update an organisation you are a member of (officers: any)."""
    org = _editable(request, external_id)
    data = body.dict(exclude_unset=True)
    codes = data.pop("sectors", None)
    if codes is not None:
        codes, wrong = nace_codes_check(codes, dict(Sector.objects.values_list("code", "section")))
        if wrong:
            return Status(422, {"detail": {"sectors": [f"not NACE Rev. 2 codes: {', '.join(wrong)}"]}})
    for field, joiner in (("technologies", ";"), ("offers", "\n"), ("requests", "\n")):
        if field in data:  # a list of terms, or null for none
            data[field] = joiner.join(t.strip() for t in data[field] or [] if t.strip())
    for field in ("name_en", "name_zh", "city", "website", "description_en", "description_zh", "value_chain_role"):
        if field in data and data[field] is None:
            data[field] = ""
    try:
        services.organisation_update(organisation=org, data=data, sector_codes_=codes)
    except ValidationError as error:
        return invalid(error)
    return selectors.organisation_get(external_id=external_id, public=False)


class ProfileOut(Schema):
    id: int
    organisation: str
    kind: str
    title_en: str
    title_zh: str
    description_en: str
    description_zh: str
    expires_on: date | None
    status: str

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.external_id


class ProfileFilters(Schema):
    kind: str = ""
    country: str = ""
    q: str = ""


class ProfileIn(Schema):
    kind: CooperationProfile.Kind
    title_en: str = ""
    title_zh: str = ""
    description_en: str = ""
    description_zh: str = ""
    expires_on: date | None = None
    status: CooperationProfile.Status = CooperationProfile.Status.DRAFT


class ProfilePatch(Schema):
    kind: CooperationProfile.Kind | None = None
    title_en: str | None = None
    title_zh: str | None = None
    description_en: str | None = None
    description_zh: str | None = None
    expires_on: date | None = None
    status: CooperationProfile.Status | None = None


@api.get("/cooperation-profiles", response=list[ProfileOut], tags=["cooperation"])
@paginate(Pages)
def profiles_list(request, filters: Query[ProfileFilters]):
    """Published, unexpired offers and requests of published organisations, newest first."""
    return cooperation.cooperation_board(kind=filters.kind[:24], q=filters.q[:200], country=filters.country[:2])


@api.get("/cooperation-profiles/{profile_id}", response=ProfileOut, tags=["cooperation"])
def profile_get(request, profile_id: int):
    profile = cooperation.cooperation_board().filter(id=profile_id).first()
    if profile is None:
        raise Http404("no such published profile")
    return profile


@api.post("/organisations/{external_id}/cooperation-profiles", auth=ApiKey(),
          response={201: ProfileOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, tags=["cooperation"])
def profile_create(request, external_id: str, body: ProfileIn):
    """Publish (or draft) an offer or request of an organisation you are a member of."""
    org = _editable(request, external_id)
    try:
        profile = cooperation.cooperation_profile_save(organisation=org, data=body.dict())
    except ValidationError as error:
        return invalid(error)
    return Status(201, profile)


@api.patch("/cooperation-profiles/{profile_id}", auth=ApiKey(),
           response={200: ProfileOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, tags=["cooperation"])
def profile_patch(request, profile_id: int, body: ProfilePatch):
    profile = CooperationProfile.objects.select_related("organisation").filter(id=profile_id).first()
    if profile is None:
        raise HttpError(404, "no such profile")
    org = _editable(request, profile.organisation.external_id)
    data = body.dict(exclude_unset=True)
    for field in ("title_en", "title_zh", "description_en", "description_zh"):
        if field in data and data[field] is None:
            data[field] = ""
    if data.get("kind") is None:
        data.pop("kind", None)
    if data.get("status") is None:
        data.pop("status", None)
    try:
        return cooperation.cooperation_profile_save(organisation=org, data=data, profile=profile)
    except ValidationError as error:
        return invalid(error)
