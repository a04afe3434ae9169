"""Erasure on request (GDPR Art. 17; PDPA Art. 11): what is only the person's is deleted; what the
programmes must keep (meetings held, ledger entries, reviews, decisions) stays, pointing at an
account that no longer says who it was. `PLAN` decides, for every link from a record to an account,
which of the two happens; a test fails when a model gains a link to accounts that the plan does not
decide, so nobody's data is kept by oversight.

What was done is recorded (`ErasureRecord`: counts per kind of record, never the data)."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _, gettext_lazy

from .audit import acting_officer, audit_suspended, audit_write
from .models import AuditEntry, ErasureRecord

DELETE, KEEP, UNLINK, FORGET = "delete", "keep", "unlink", "forget"

# "app.model.field" -> what happens to the rows that point at the person through that field.
#   delete: the rows go;  keep: the rows stay, pointing at the anonymised account (the programme's
#   records);  unlink: a many-to-many link is removed;  forget: the link is set to nobody.
PLAN = {
    "admin.logentry.user": KEEP,                 # the admin site's own record of administrators' changes
    "core.job.created_by": FORGET,
    "accounts.profile.user": KEEP,               # reset below
    "accounts.twofactor.user": DELETE,
    "accounts.apitoken.user": DELETE,
    "accounts.membership.user": DELETE,
    "accounts.contactdataview.viewer": FORGET,   # someone else's record of who saw their details
    "accounts.inboxmessage.recipient": DELETE,
    "accounts.federatedidentity.user": DELETE,
    "directory.joinrequest.user": DELETE,
    "directory.joinrequest.decided_by": KEEP,
    "directory.invitation.invited_by": KEEP,     # the organisation's record of whom it invited
    "directory.invitation.accepted_by": FORGET,
    "offsets.panelseat.reviewer": KEEP,          # the ICP's reviews, decisions and ledger: kept by law
    "offsets.demandscore.reviewer": KEEP,
    "offsets.demanditemevent.by": KEEP,
    "offsets.contractor.users": UNLINK,
    "offsets.checkrecord.by": KEEP,
    "offsets.decision.recorded_by": KEEP,
    "offsets.creditentry.recorded_by": KEEP,
    "offsets.checkpoint.added_by": KEEP,
    "offsets.checkpoint.done_reported_by": KEEP,
    "offsets.checkpoint.verified_by": KEEP,
    "offsets.progressreport.filed_by": KEEP,
    "offsets.sitevisit.by": KEEP,
    "events.event.organisers": UNLINK,
    "events.registration.person": KEEP,          # the meetings held; its free text is cleared below
    "events.requestmessage.author": KEEP,        # its text is cleared below
    "events.schedulerun.created_by": FORGET,
    "outcomes.meetingrating.rated_by": FORGET,   # the rating stays the organisation's
    "outcomes.followupround.created_by": FORGET,
    "outcomes.cooperationagreement.created_by": FORGET,
    "outcomes.successstory.reviewed_by": FORGET,
    "outcomes.successstory.created_by": FORGET,
    "outcomes.storyconsent.given_by": KEEP,      # proof that publication was agreed
    "outcomes.survey.created_by": FORGET,
    "outcomes.surveyparticipation.person": DELETE,
    "outcomes.surveyresponse.person": FORGET,    # answers stay, anonymous
    "publishing.post.author": FORGET,            # the organisation's publication stays
    "publishing.post.reviewed_by": FORGET,
    "publishing.issue.created_by": FORGET,
    "indicators.referenceedit.by": FORGET,
    "indicators.referenceversion.published_by": FORGET,
    "privacy.auditentry.actor": KEEP,            # accountability for officers' actions; the name is replaced
    "privacy.signin.user": DELETE,
    "privacy.erasurerecord.subject": KEEP,
    "privacy.erasurerecord.requested_by": KEEP,
}
ERASED_TEXT = "—"


def erasure_blockers(user) -> list[str]:
    """Why this account cannot be erased now (an empty list when it can)."""
    from clusterbridge.accounts.rules import is_officer

    if is_officer(user) or user.is_superuser or user.is_staff:
        return [_("Officers and administrators keep the programmes running: another administrator must first "
                  "change this account's role to member.")]
    return []


def anonymous_name(user) -> str:
    return f"erased-{user.pk}"


@transaction.atomic
def person_erase(*, user, by, reason: str = "") -> ErasureRecord:
    """Erases `user` as the plan says; `by` is the person or a platform administrator acting on their
    request (with a reason). The audit log gets one entry for the erasure, not a copy of what went."""
    actor = acting_officer()
    with audit_suspended():
        record = _erase(user=user, by=by, reason=reason)
    if actor is not None:
        audit_write(actor, AuditEntry.Action.ERASE, record.subject, record.subject.pk, anonymous_name(record.subject),
                    {"erasure_record": [None, record.pk]})
    return record


def _erase(*, user, by, reason: str) -> ErasureRecord:
    from clusterbridge.accounts.models import Profile, Role
    from clusterbridge.accounts.rules import role_of
    from clusterbridge.accounts.services import mail_one
    from clusterbridge.directory.models import Contact, Invitation
    from clusterbridge.events.models import Registration, RequestMessage

    from .export import export_dir, user_links
    from .notices import ERASED

    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    by_the_person = by.pk == user.pk
    if not by_the_person and role_of(by) != Role.PLATFORM_ADMIN:
        raise PermissionDenied("only the person or a platform administrator may erase an account")
    if not by_the_person and not reason.strip():
        raise ValidationError(_("Say whose request this is and how it reached you."))
    if user.username.startswith("erased-") and not user.is_active and not user.email:
        raise ValidationError(_("This account has already been erased."))
    blockers = erasure_blockers(user)
    if blockers:
        raise ValidationError(blockers)
    summary: list[dict] = []
    scrubbed: list[tuple[str, str]] = [(get_user_model()._meta.label_lower, str(user.pk))]

    def note(record: str, action: str, count: int):
        if count:
            summary.append({"record": record, "action": action, "count": count})

    for model, f in user_links():
        key = f"{model._meta.label_lower}.{f.name}"
        what = PLAN.get(key)
        if what is None:
            raise RuntimeError(f"the erasure plan does not say what happens to {key}")
        if f.many_to_many:
            if what == UNLINK:
                through = f.remote_field.through
                note(key, UNLINK, through.objects.filter(**{f"{f.m2m_reverse_field_name()}": user.pk}).delete()[0])
            continue
        rows = model._base_manager.filter(**{f.name: user})
        if what == DELETE:
            scrubbed += [(model._meta.label_lower, str(pk)) for pk in rows.values_list("pk", flat=True)]
            note(key, DELETE, rows.delete()[1].get(model._meta.label, 0))
        elif what == FORGET:
            note(key, FORGET, rows.update(**{f.name: None}))
        elif what == KEEP:
            note(key, KEEP, rows.count())
    if user.email:
        contacts = Contact.objects.filter(email__iexact=user.email)
        scrubbed += [("directory.contact", str(pk)) for pk in contacts.values_list("pk", flat=True)]
        note("directory.contact.email", DELETE, contacts.delete()[1].get("directory.Contact", 0))
        note("directory.invitation.email", FORGET, Invitation.objects.filter(email__iexact=user.email)
             .update(email="erased@invalid"))
        from clusterbridge.publishing.models import Subscription

        note("publishing.subscription.email", DELETE,
             Subscription.objects.filter(email__iexact=user.email).delete()[1].get("publishing.Subscription", 0))
    registrations = Registration.objects.filter(person=user)
    note("events.registration.person", "cleared",
         sum(Registration.objects.filter(pk=r.pk).update(attendee_role="", seeking="", feed_token=secrets.token_urlsafe(24))
             for r in registrations))
    note("events.requestmessage.author", "cleared",
         RequestMessage.objects.filter(author=user).exclude(body=ERASED_TEXT).update(body=ERASED_TEXT))
    for job in _export_jobs(user):
        name = (job.result or {}).get("file")
        if name:
            (export_dir() / name).unlink(missing_ok=True)
    Profile.objects.filter(user=user).update(preferred_language="en", role=Role.MEMBER)
    # The audit log keeps what officers did, but not this person's data in the changes it recorded.
    for label, pk in scrubbed:
        AuditEntry.objects.filter(model=label, object_id=pk).update(changes={"erased": True}, object_repr="")
    AuditEntry.objects.filter(actor=user).update(actor_name=anonymous_name(user))
    address, language = user.email, getattr(getattr(user, "profile", None), "preferred_language", "en")
    user.username, user.email, user.first_name, user.last_name = anonymous_name(user), "", "", ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()  # ends every session of the account
    user.save()
    if address:
        from clusterbridge.accounts.notices import notice_render

        subject, body = notice_render(ERASED.key, {}, language)
        mail_one(to=address, subject=subject, body=body)
    return ErasureRecord.objects.create(subject=user, requested_by=by, by_the_person=by_the_person,
                                        reason=reason.strip()[:300], summary=summary)


def _export_jobs(user):
    from clusterbridge.core.models import Job

    from .export import EXPORT_JOB

    return Job.objects.filter(kind=EXPORT_JOB).filter(Q(params__subject=user.pk))


LABELS = {  # lazy: read in the language of the page
    "accounts.twofactor.user": gettext_lazy("two-step login"),
    "accounts.apitoken.user": gettext_lazy("API keys"),
    "accounts.membership.user": gettext_lazy("memberships of organisations"),
    "accounts.inboxmessage.recipient": gettext_lazy("inbox notices"),
    "accounts.federatedidentity.user": gettext_lazy("single sign-on links"),
    "directory.joinrequest.user": gettext_lazy("requests to join organisations"),
    "privacy.signin.user": gettext_lazy("sign-ins (access log)"),
    "directory.contact.email": gettext_lazy("contact entries under your e-mail address"),
    "outcomes.surveyparticipation.person": gettext_lazy("survey invitations"),
    "events.registration.person": gettext_lazy("event registrations (what you wrote in them is cleared)"),
    "events.requestmessage.author": gettext_lazy("messages on meeting requests (their text is cleared)"),
    "offsets": gettext_lazy("ICP records you took part in (reviews, reports, decisions, ledger entries)"),
    "outcomes": gettext_lazy("ratings, answers and stories (kept without your name)"),
    "events.event.organisers": gettext_lazy("events you organise (you are removed as organiser)"),
    "offsets.contractor.users": gettext_lazy("contractors you act for (you are removed)"),
}


def erasure_preview(user) -> dict[str, list[tuple[str, int]]]:
    """What an erasure would do, as the person reads it: {"deleted": [(label, n)], "kept": [(label, n)]}."""
    from clusterbridge.directory.models import Contact

    from .export import user_links

    counts: dict[tuple[str, str], int] = {}
    for model, f in user_links():
        key = f"{model._meta.label_lower}.{f.name}"
        what = PLAN.get(key, KEEP)
        n = (getattr(model, f.name).through.objects.filter(**{f.m2m_reverse_field_name(): user.pk}).count()
             if f.many_to_many else model._base_manager.filter(**{f.name: user}).count())
        if not n or key in ("accounts.profile.user", "privacy.erasurerecord.subject", "core.job.created_by",
                            "privacy.auditentry.actor", "admin.logentry.user"):
            continue
        label = LABELS.get(key) or LABELS.get(model._meta.app_label) or model._meta.verbose_name_plural
        group = "deleted" if what in (DELETE, UNLINK) else "kept"
        counts[(group, str(label))] = counts.get((group, str(label)), 0) + n
    if user.email:
        n = Contact.objects.filter(email__iexact=user.email).count()
        if n:
            counts[("deleted", str(LABELS["directory.contact.email"]))] = n
    out: dict[str, list[tuple[str, int]]] = {"deleted": [], "kept": []}
    for (group, label), n in sorted(counts.items()):
        out[group].append((label, n))
    return out
