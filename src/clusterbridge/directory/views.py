"""Directory pages. Thin: read with selectors, write with services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from clusterbridge.accounts.rules import can_edit_organisation, is_officer
from clusterbridge.accounts.selectors import contact_access_log
from clusterbridge.accounts.services import contact_views_record as record_contact_views
from clusterbridge.core.countries import REGIONS, abroad_region, country_name
from clusterbridge.core.jobs import job_progress
from clusterbridge.core.models import Job

from . import selectors, services
from .exchange import write_csv, write_xlsx
from .forms import ContactFormSet, ImportForm, OrganisationForm
from .models import Kind, Label, Organisation
from .search_hooks import partner_search


def _filters(request, region: str | None = None) -> selectors.DirectoryFilters:
    g = request.GET
    if region is None:
        region = g.get("region", "")
    region = region if region in REGIONS else ""
    return selectors.DirectoryFilters(q=g.get("q", "").strip()[:200], country=g.get("country", "")[:2],
                                      region=region,
                                      kind=g.get("kind", "")[:32], sector=g.get("sector", "")[:8],
                                      label=g.get("label", "")[:20], ecosystem=g.get("ecosystem", "")[:40],
                                      technology=g.get("technology", "")[:40],
                                      sort=g.get("sort") or ("relevance" if g.get("q", "").strip() else "name"))


class RankedResults:
    """Search results best first, sliceable for Django's Paginator."""

    def __init__(self, filters: selectors.DirectoryFilters):
        self.filters = filters
        self.corrected = None
        self._total = None

    def count(self) -> int:
        if self._total is None:
            self[0:1]
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item:item + 1][0]
        start = item.start or 0
        stop = item.stop if item.stop is not None else start + 25
        page = partner_search().ranked_page(q=self.filters.q, filters=self.filters, offset=start,
                                            limit=max(1, stop - start), snippets=True)
        self._total, self.corrected = page.total, page.corrected
        return page.items


def taxonomy(request):
    q = request.GET.get("q", "").strip()[:100]
    return render(request, "directory/taxonomy.html", {"q": q, "tree": selectors.sector_tree(q=q),
                                                        "technologies": selectors.technology_list(q=q)})


def _abroad_of(request) -> dict | None:
    """Where partners abroad are for the visitor: Europe for someone of a Taiwanese organisation,
    Taiwan for someone of a European one; None for visitors without an organisation."""
    if not request.user.is_authenticated:
        return None
    home = (Organisation.objects.filter(memberships__user=request.user).order_by("memberships__created_at")
            .values_list("country", flat=True).first())
    where = abroad_region(home or "")
    if not where:
        return None
    return {"region": where, "label": selectors.REGION_LABELS[where], "home": country_name(home)}


def organisation_list(request):
    # Partner search shows partners abroad by default (region left empty, keywords given, no country
    # chosen); "all" asks for every country.
    abroad = _abroad_of(request)
    g = request.GET
    applies = bool(abroad and not g.get("region") and not g.get("country") and g.get("q", "").strip())
    filters = _filters(request, region=abroad["region"] if applies else None)
    if applies:
        everywhere = selectors.organisation_count(filters=_filters(request))
        abroad = dict(abroad, elsewhere=everywhere - selectors.organisation_count(filters=filters))
        if abroad["elsewhere"] == everywhere:  # nothing abroad (a name, say): every country, no notice
            applies, filters = False, _filters(request)
    ranked = filters.q and filters.sort == "relevance" and partner_search().ranked_page is not None
    if ranked:  # partner search: best first, with explanations and snippets
        results = RankedResults(filters)
    elif filters.sort == "name":  # pages straight from the in-memory index
        results = selectors.IndexedResults(filters)
    else:
        results = selectors.organisation_list(filters=filters)
    paginator = Paginator(results, 25)
    if not ranked:
        paginator.count = selectors.organisation_count(filters=filters)  # from the index; saves a COUNT
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "directory/list.html", {
        "page": page, "filters": filters, "facets": selectors.organisation_facets(filters=filters),
        "kinds": Kind.choices, "labels": Label.choices, "query": query.urlencode(),
        "abroad": abroad, "abroad_default": abroad if applies else None, "region_param": g.get("region", ""),
        # "Best match": by relevance when there are keywords, else by name.
        "sorts": [("", _("Best match")), ("name", _("Name")), ("country", _("Country")),
                  ("-updated", _("Recently updated"))],
        "sort_param": request.GET.get("sort", "") if request.GET.get("sort", "") != "relevance" else "",
        "ranked": ranked, "corrected": results.corrected if ranked else None,
    })


def organisation_detail(request, external_id: str):
    org = selectors.organisation_get(external_id=external_id, public=not request.user.is_authenticated)
    if org is None or (not org.published and not can_edit_organisation(request.user, org)):
        raise Http404(_("No such organisation"))
    can_edit = can_edit_organisation(request.user, org)
    contacts = [c for c in org.contacts.all() if c.public or can_edit]
    record_contact_views(viewer=request.user, where=request.path,
                         contacts=[c for c in contacts if not _is_self(request.user, c)])
    partners = similar = []
    search = partner_search()
    if org.published and search.partners is not None:
        partners = search.partners(org, 6)
        shown = {s.organisation.id for s in partners}
        similar = [s for s in search.similar(org, 10) if s.organisation.id not in shown][:6]
    return render(request, "directory/detail.html", {
        "org": org, "contacts": contacts, "can_edit": can_edit, "partners": partners, "similar": similar})


def _is_self(user, contact) -> bool:
    return bool(getattr(user, "is_authenticated", False) and contact.email and user.email
                and contact.email.lower() == user.email.lower())


@login_required
def organisation_access_log(request, external_id: str):
    org = selectors.organisation_get(external_id=external_id, public=False)
    if org is None:
        raise Http404(_("No such organisation"))
    if not can_edit_organisation(request.user, org):
        raise PermissionDenied(_("Only the organisation's members and programme officers read this log."))
    return render(request, "directory/access_log.html", {"org": org, "entries": contact_access_log(organisation=org)})


@login_required
def organisation_edit(request, external_id: str):
    org = selectors.organisation_get(external_id=external_id, public=False)
    if org is None:
        raise Http404(_("No such organisation"))
    if not can_edit_organisation(request.user, org):
        raise PermissionDenied(_("You can edit only your own organisation's profile."))
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=org, initial={
        "sectors": [s.code for s in org.sectors.all()], "ecosystems": [e.code for e in org.ecosystems.all()]})
    contacts = ContactFormSet(request.POST or None, instance=org, prefix="contacts")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()
                if k not in ("sectors", "ecosystems", "logo", "remove_logo", "technology_list")}
        rows = [{"id": c["id"].pk if c.get("id") else None, "delete": c.get("DELETE", False),
                 **{k: c.get(k) for k in ("name", "role", "email", "phone", "public")}}
                for c in contacts.cleaned_data if c]
        try:
            services.organisation_update(
                organisation=org, data=data, sector_codes_=form.cleaned_data["sectors"],
                ecosystem_codes=form.cleaned_data["ecosystems"], contacts=rows,
                logo="" if form.cleaned_data.get("remove_logo") else form.cleaned_data.get("logo"))
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("directory:detail", external_id=org.external_id)
    return render(request, "directory/edit.html", {"org": org, "form": form, "contacts": contacts})


def organisation_logo(request, external_id: str):
    """The stored logo (a PNG we made), for published profiles and for those who edit the profile."""
    org = selectors.organisation_get(external_id=external_id, public=False)
    if org is None or not org.logo or not (org.published or can_edit_organisation(request.user, org)):
        raise Http404(_("No such logo"))
    response = FileResponse(org.logo.open("rb"), content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def organisation_export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Unknown format"))
    qs = selectors.organisation_list(filters=_filters(request))[:100_000]
    rows = []
    for org in qs:
        row = {f: getattr(org, f) for f in ("external_id", "name_en", "name_zh", "kind", "country", "city",
                                            "website", "technologies", "description_en", "description_zh",
                                            "offers", "requests")}
        row["sectors"] = ";".join(s.code for s in org.sectors.all())
        rows.append(row)
    if fmt == "csv":
        response = HttpResponse(write_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(write_xlsx(rows), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="organisations.{fmt}"'
    return response


@login_required
def organisation_import(request):
    if not is_officer(request.user):
        raise PermissionDenied(_("Only programme officers import organisation files."))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is larger than %(mb)d MB.") % {"mb": settings.IMPORT_MAX_BYTES // 2**20})
        else:
            job = services.import_job_create(data=upload.read(), filename=upload.name,
                                             dry_run=form.cleaned_data["dry_run"], user=request.user)
            return redirect("directory:import_job", job_id=job.id)
    return render(request, "directory/import.html", {"form": form})


@login_required
def import_job(request, job_id: int):
    if not is_officer(request.user):
        raise PermissionDenied(_("Only programme officers import organisation files."))
    job = get_object_or_404(Job.objects.defer("data"), id=job_id, kind=services.IMPORT_JOB)
    return render(request, "directory/import_job.html", {"job": job, "progress": job_progress(job)})
