"""The reference list page: a technology typed or chosen; the ranked European organisations with their
reasons; officers pin, remove and annotate, publish the year's version, export, and invite the list to
an event."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext as _

from clusterbridge.accounts.rules import is_officer
from clusterbridge.core.params import id_param
from clusterbridge.directory.models import Organisation, Technology
from clusterbridge.events.models import Event

from .models import ReferenceVersion
from .reference import invite_to_event, reference_edit, reference_list, reference_publish, term_key


def reference_page(request):
    term = request.GET.get("technology", "").strip()[:120]
    language = "zh-hant" if (get_language() or "").startswith("zh") else "en"
    officer = is_officer(request.user)
    back = f"{reverse('indicators:reference')}?{urlencode({'technology': term})}"
    if request.method == "POST":
        if not officer:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action in ("pin", "remove", "note", "clear"):
                org = get_object_or_404(Organisation, pk=id_param(request.POST, "organisation"))
                reference_edit(term=term, organisation=org, action=action, note=request.POST.get("note", ""),
                               by=request.user)
            elif action == "publish":
                year = int(request.POST.get("year") or 0) if str(request.POST.get("year", "")).isdigit() else 0
                version = reference_publish(term=term, year=year, by=request.user)
                messages.success(request, _("The %(year)s list is published (%(n)s organisations).") % {
                    "year": version.year, "n": len(version.rows)})
            elif action == "invite":
                event = get_object_or_404(Event, pk=id_param(request.POST, "event"))
                told = invite_to_event(rows=reference_list(term)["organisations"], event=event, by=request.user)
                messages.success(request, _("%(n)s people of these organisations were invited.") % {"n": told})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(back)
    listing = reference_list(term, limit=int(request.GET.get("limit", 30)) if str(request.GET.get(
        "limit", "")).isdigit() else 30, language=language) if term else {"organisations": [], "key": ""}
    fmt = request.GET.get("format")
    if term and fmt in ("xlsx", "pdf"):
        return _export(request, term, listing, fmt)
    return render(request, "indicators/reference.html", {
        "term": term, "listing": listing, "officer": officer, "year": timezone.localdate().year,
        "technologies": Technology.objects.order_by("label_en"),
        "versions": ReferenceVersion.objects.filter(term=term_key(term)[0]) if term else [],
        "events": Event.objects.exclude(status=Event.Status.DRAFT).filter(registration_closes__gte=timezone.now())
        .order_by("registration_closes")[:20] if officer else []})


def _export(request, term, listing, fmt):
    rows = [[n, r["name"], r["country"], r["kind"], "; ".join(r["reasons"]), _("yes") if r["pinned"] else "",
             r["note"]] for n, r in enumerate(listing["organisations"], start=1)]
    header = [_("Rank"), _("Organisation"), _("Country"), _("Kind"), _("Why"), _("Pinned"), _("Note")]
    if fmt == "xlsx":
        from clusterbridge.core.spreadsheets import xlsx_response

        return xlsx_response({_("Reference list")[:31]: (header, rows)}, f"reference-list-{listing['key']}.xlsx")
    from clusterbridge.core.pdf import pdf_response

    return pdf_response(request, "indicators/reference_print.html", {"term": term, "header": header, "rows": rows},
                        f"reference-list-{listing['key']}.pdf")
