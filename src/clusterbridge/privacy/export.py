"""Everything held about one person, as a zip they can download (GDPR Art. 15 and 20; PDPA Art. 3).

Built as a background job. What goes in is found, not listed: every row of every model that points
at the person's account (so a model added later is exported without anyone remembering to), plus
what is theirs without pointing at the account: the directory's contact entries under their e-mail
address and who saw them, invitations sent to that address, and the meeting requests, meetings and
messages of their event registrations. Secrets (password hashes, keys, tokens) are never exported.

The zip holds `data.json` (all of it), one CSV per kind of record, and a README in both languages.
The link to it is signed and expires (`EXPORT_LINK_DAYS`); the daily retention task deletes the file."""

from __future__ import annotations

import csv
import io
import json
import secrets
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterbridge.core.jobs import job_kind
from clusterbridge.core.signed_links import link_token

from .audit import SECRET, _plain

EXPORT_JOB = "privacy.export"
LINK_SALT = "privacy.export"


def contact_address() -> str:
    """Where people write about their data."""
    from email.utils import parseaddr

    return settings.PRIVACY_CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def export_dir() -> Path:
    path = Path(getattr(settings, "PRIVACY_EXPORT_DIR", settings.DATA_DIR / "exports"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _row(instance) -> dict:
    """A row's fields with related rows named (not only numbered) and secrets left out."""
    out = {"id": instance.pk}
    for f in instance._meta.concrete_fields:
        if isinstance(f, models.AutoField) or SECRET.search(f.name):
            continue
        if f.is_relation:
            related_id = getattr(instance, f.attname)
            out[f.name] = None if related_id is None else f"{getattr(instance, f.name)} (#{related_id})"
        else:
            out[f.name] = _plain(f, getattr(instance, f.attname))
    return out


def user_links() -> list[tuple[type[models.Model], models.Field]]:
    """Every (model, field) through which a row points at an account, foreign keys and many-to-many."""
    user_model = get_user_model()
    links = []
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if getattr(f, "related_model", None) is user_model and f.concrete and (f.many_to_one or f.one_to_one
                                                                                    or f.many_to_many):
                links.append((model, f))
    return links


# What each kind of record is called for the person reading it; others fall back to the model's name.
TITLES = {
    "accounts.profile.user": _("Your profile and language"),
    "accounts.membership.user": _("Your memberships of organisations"),
    "accounts.inboxmessage.recipient": _("Notices in your inbox"),
    "accounts.apitoken.user": _("Your API keys (names and dates only)"),
    "accounts.twofactor.user": _("Your two-step login (without its secret)"),
    "accounts.federatedidentity.user": _("Your single sign-on links"),
    "accounts.contactdataview.viewer": _("Contact details you looked at"),
    "core.job.created_by": _("Background work you started"),
    "directory.joinrequest.user": _("Your requests to join organisations"),
    "directory.invitation.invited_by": _("Invitations you sent"),
    "events.registration.person": _("Your event registrations"),
    "events.requestmessage.author": _("Messages you wrote"),
    "events.event.organisers": _("Events you organise"),
    "outcomes.meetingrating.rated_by": _("Your meeting ratings"),
    "outcomes.surveyparticipation.person": _("Surveys you were asked to answer"),
    "outcomes.surveyresponse.person": _("Your survey answers"),
    "outcomes.storyconsent.given_by": _("Your consents to publish success stories"),
    "privacy.signin.user": _("Your sign-ins"),
    "privacy.auditentry.actor": _("Your actions as an officer (audit log)"),
    "offsets.contractor.users": _("Contractors you act for"),
}


def _section(key: str, title, rows: list[dict]) -> dict:
    return {"key": key, "title": str(title), "rows": rows}


def person_data(user) -> list[dict]:
    """The sections of the export, in a stable order; empty sections are left out."""
    from clusterbridge.accounts.models import ContactDataView
    from clusterbridge.directory.models import Contact, Invitation
    from clusterbridge.events.models import Meeting, MeetingRequest, Registration, RequestMessage
    from clusterbridge.publishing.models import Subscription

    account = {name: _plain(user._meta.get_field(name), getattr(user, name))
               for name in ("username", "email", "first_name", "last_name", "date_joined", "last_login",
                            "is_active")}
    sections = [_section("account", _("Your account"), [{"id": user.pk, **account}])]
    for model, f in sorted(user_links(), key=lambda mf: (mf[0]._meta.label, mf[1].name)):
        if model is get_user_model():
            continue
        rows = model._base_manager.filter(**{f.name: user}).order_by("pk")
        found = [_row(r) for r in rows]
        if found:
            title = TITLES.get(f"{model._meta.label_lower}.{f.name}") or \
                f"{model._meta.verbose_name_plural} ({f.verbose_name})"
            sections.append(_section(f"{model._meta.label_lower}.{f.name}", title, found))
    if user.email:
        contacts = list(Contact.objects.filter(email__iexact=user.email).order_by("pk"))
        extra = [
            ("directory.contact.email", _("Contact entries under your e-mail address"), contacts),
            ("accounts.contactdataview.contact", _("Who saw your contact details"),
             ContactDataView.objects.filter(contact__in=contacts).order_by("at", "pk")),
            ("directory.invitation.email", _("Invitations sent to your e-mail address"),
             Invitation.objects.filter(email__iexact=user.email).order_by("pk")),
            ("publishing.subscription.email", _("Your newsletter subscriptions"),
             Subscription.objects.filter(email__iexact=user.email).order_by("pk")),
        ]
    else:
        extra = []
    mine = Registration.objects.filter(person=user)
    extra += [
        ("events.meetingrequest", _("Meeting requests of your registrations"),
         MeetingRequest.objects.filter(Q(sender__in=mine) | Q(recipient__in=mine)).order_by("pk")),
        ("events.meeting", _("Meetings of your registrations"),
         Meeting.objects.filter(Q(first__in=mine) | Q(second__in=mine)).order_by("pk")),
        ("events.requestmessage", _("Messages on your meeting requests"),
         RequestMessage.objects.filter(Q(request__sender__in=mine) | Q(request__recipient__in=mine))
         .order_by("pk")),
    ]
    for key, title, rows in extra:
        found = [_row(r) for r in rows]
        if found:
            sections.append(_section(key, title, found))
    return sections


README = """ClusterBridge: the data held about {name}, exported {at}
ClusterBridge：{name} 的個人資料，匯出於 {at}

data.json      everything below in one file / 下列全部資料，單一檔案
*.csv          one table per kind of record / 每類紀錄一個表格
{listing}

Password hashes, keys and tokens are not exported. To correct or erase your data, use the
"Your data" page of your account or write to {contact}.
密碼雜湊、金鑰與權杖不會匯出。如需更正或刪除資料，請使用帳號的「您的資料」頁面，或來信 {contact}。
"""


def export_zip(user) -> bytes:
    sections = person_data(user)
    at = timezone.now()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps({"generated_at": at.isoformat(), "account_id": user.pk,
                                                  "sections": sections}, ensure_ascii=False, indent=2))
        listing = []
        for section in sections:
            columns = list(dict.fromkeys(k for row in section["rows"] for k in row))
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for row in section["rows"]:
                writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                                 for k, v in row.items()})
            archive.writestr(f"{section['key']}.csv", "\ufeff" + text.getvalue())  # BOM: Excel reads UTF-8
            listing.append(f"{section['key'] + '.csv':<40} {section['title']} ({len(section['rows'])})")
        archive.writestr("README.txt", README.format(
            name=user.get_username(), at=at.strftime("%Y-%m-%d %H:%M UTC"), listing="\n".join(listing),
            contact=contact_address()))
    return buffer.getvalue()


def export_link(job) -> str:
    from django.urls import reverse

    return reverse("privacy:export_download", args=[link_token({"job": job.pk}, salt=LINK_SALT)])


@job_kind(EXPORT_JOB, label=_("Personal data export"))
def export_run(job, context) -> dict:
    from clusterbridge.accounts.services import inbox_notify

    from .notices import EXPORT_READY

    user = get_user_model().objects.get(pk=job.params["subject"])
    context.progress(0, 2)
    data = export_zip(user)
    context.progress(1, 2)
    name = f"{job.pk}-{secrets.token_hex(8)}.zip"
    (export_dir() / name).write_bytes(data)
    context.progress(2, 2)
    inbox_notify(recipients=[user], kind=EXPORT_READY, params={"days": settings.EXPORT_LINK_DAYS},
                 link=export_link(job))
    return {"file": name, "bytes": len(data)}
