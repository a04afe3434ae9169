"""The Taiwan–EU technology exchange reference list: per technology, the European organisations to
connect with, ranked by partner search within the directory's European organisations, with their
reasons (the concepts that matched, kind, ESCA label, sectors), and officers' edits (pinned,
removed, a note) applied on every computation. A version per year can be published (frozen)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbridge.accounts.rules import is_officer
from clusterbridge.directory.models import Label, Organisation, Technology
from clusterbridge.directory.selectors import DirectoryFilters

from .models import ReferenceEdit, ReferenceVersion

LABEL_BONUS = {Label.ESCA_GOLD: 0.15, Label.ESCA_SILVER: 0.1, Label.ESCA_BRONZE: 0.05}


def term_key(term: str) -> tuple[str, str]:
    """(the list's key, the query): a technology of the shipped list by its code or either label, else
    the words typed (either language), normalised."""
    text = " ".join((term or "").split())[:120]
    tech = (Technology.objects.filter(code__iexact=text).first() or Technology.objects.filter(label_en__iexact=text).first()
            or Technology.objects.filter(label_zh=text).first())
    if tech is not None:
        return tech.code, tech.label_en
    return text.lower(), text


def reference_list(term: str, *, limit: int = 30, language: str = "en") -> dict:
    """{"technology", "key", "organisations": [{"organisation", "external_id", "name", "country", "kind",
    "reasons", "pinned", "note", "score"}]} with the edits applied."""
    from clusterbridge.matching.selectors import organisation_search

    key, query = term_key(term)
    if not query:
        return {"technology": "", "key": "", "organisations": []}
    edits = {e.organisation_id: e for e in ReferenceEdit.objects.filter(term=key)}
    page = organisation_search(q=query, filters=DirectoryFilters(region="europe"), limit=max(limit * 2, 40),
                               language=language)
    rows = {}
    for found in page.items:
        org = found.organisation
        reasons = list(found.explanation[:6])
        if org.label:
            reasons.append(org.get_label_display())
        reasons.append(org.get_kind_display())
        rows[org.pk] = {"organisation": org, "score": found.score + LABEL_BONUS.get(org.label, 0), "reasons": reasons}
    pinned_missing = [pk for pk, e in edits.items() if e.action == ReferenceEdit.Action.PIN and pk not in rows]
    for org in Organisation.objects.filter(pk__in=pinned_missing):
        rows[org.pk] = {"organisation": org, "score": 0.0, "reasons": [_("pinned by an officer")]}
    out = []
    for pk, row in rows.items():
        edit = edits.get(pk)
        if edit is not None and edit.action == ReferenceEdit.Action.REMOVE:
            continue
        org = row["organisation"]
        out.append({"organisation": org, "external_id": org.external_id, "name": org.name_en or org.name_zh,
                    "country": org.country, "kind": org.kind, "reasons": [str(r) for r in row["reasons"]],
                    "pinned": bool(edit and edit.action == ReferenceEdit.Action.PIN), "note": edit.note if edit else "",
                    "score": round(row["score"], 4)})
    out.sort(key=lambda r: (not r["pinned"], -r["score"], r["name"]))
    return {"technology": query, "key": key, "organisations": out[:limit]}


@transaction.atomic
def reference_edit(*, term: str, organisation: Organisation, action: str, note: str, by) -> ReferenceEdit | None:
    if not is_officer(by):
        raise PermissionDenied("officers edit the reference list")
    key, _query = term_key(term)
    if action == "clear":
        ReferenceEdit.objects.filter(term=key, organisation=organisation).delete()
        return None
    if action not in ReferenceEdit.Action.values:
        raise ValidationError(_("Choose pin, remove or note."))
    edit = ReferenceEdit.objects.select_for_update().filter(term=key, organisation=organisation).first()
    if edit is None:
        edit = ReferenceEdit(term=key, organisation=organisation, action=action)
    elif action != ReferenceEdit.Action.NOTE:
        edit.action = action  # a note alone keeps the pin or the removal
    if action == ReferenceEdit.Action.NOTE or note.strip():
        edit.note = note.strip()[:500]
    edit.by = by
    edit.save()
    return edit


@transaction.atomic
def reference_publish(*, term: str, year: int, by) -> ReferenceVersion:
    if not is_officer(by):
        raise PermissionDenied("officers publish the reference list")
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError(_("Give the year the list is for."))
    listing = reference_list(term, limit=100)
    rows = [{k: v for k, v in r.items() if k != "organisation"} for r in listing["organisations"]]
    version, _created = ReferenceVersion.objects.update_or_create(term=listing["key"], year=year, defaults={
        "rows": rows, "published_by": by})
    return version


def invite_to_event(*, rows: list[dict], event, by) -> int:
    """Tells the members of the listed organisations (those with accounts) about an event open for
    registration; returns how many people were told."""
    from django.contrib.auth import get_user_model

    from clusterbridge.accounts.notices import both
    from clusterbridge.accounts.services import inbox_notify
    from clusterbridge.events.rules import can_organise_event

    from .notices import INVITED_TO_EVENT

    if not (is_officer(by) or can_organise_event(by, event)):
        raise PermissionDenied("officers and the event's organisers invite")
    if event.registration_closes < timezone.now() or event.status == event.Status.DRAFT:
        raise ValidationError(_("Registration for this event is not open."))
    people = list(get_user_model().objects.filter(memberships__organisation__external_id__in=[
        r["external_id"] for r in rows], is_active=True).distinct())
    inbox_notify(recipients=people, kind=INVITED_TO_EVENT, link=f"/events/{event.slug}/",
                 params={"event": both(event.title_en, event.title_zh),
                         "closes": f"{timezone.localtime(event.registration_closes):%Y-%m-%d}"})
    return len(people)
