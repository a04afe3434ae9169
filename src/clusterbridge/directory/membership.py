"""Who belongs to an organisation: a signed-up person asks to join one (its members or an officer
decide) or creates its profile; members invite colleagues by e-mail with a signed link."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from clusterbridge.accounts.models import Membership, Role
from clusterbridge.accounts.notices import both, notice_kind
from clusterbridge.accounts.rules import is_member_of, is_officer
from clusterbridge.accounts.services import inbox_notify
from clusterbridge.core.signed_links import link_data, link_token

from .models import Invitation, JoinRequest, Organisation

INVITE_SALT = "clusterbridge.invitation"
INVITE_DAYS = 14

JOIN_ASKED = notice_kind(
    "directory.join_asked", subject=gettext_lazy("%(person)s asks to join %(organisation)s"),
    body=gettext_lazy("%(person)s (%(email)s) asks to be a member of %(organisation)s. %(hint)s\n\n%(message)s"))
JOIN_DECIDED_YES = notice_kind(
    "directory.join_approved", subject=gettext_lazy("You are a member of %(organisation)s"),
    body=gettext_lazy("Your request was approved: you can now edit the profile and act for %(organisation)s "
                      "at events."))
JOIN_DECIDED_NO = notice_kind(
    "directory.join_rejected", subject=gettext_lazy("Your request to join %(organisation)s"),
    body=gettext_lazy("The members of %(organisation)s did not approve your request."))
ORGANISATION_NEW = notice_kind(
    "directory.organisation_new", subject=gettext_lazy("New organisation to review: %(organisation)s"),
    body=gettext_lazy("%(person)s created the profile of %(organisation)s. It is not published yet: check it and "
                      "tick Published on its edit page."))


def _deciders(organisation: Organisation) -> list:
    """Members decide on their organisation; the officers do when it has none yet."""
    User = get_user_model()
    members = list(User.objects.filter(memberships__organisation=organisation, is_active=True))
    return members or list(User.objects.filter(is_active=True, profile__role__in=[Role.PROGRAMME_OFFICER,
                                                                                     Role.PLATFORM_ADMIN]))


def can_decide_join(user, organisation: Organisation) -> bool:
    return is_officer(user) or is_member_of(user, organisation)


def email_domain_matches(email: str, website: str) -> bool:
    """alice@techtera.org and https://www.techtera.org/ match: a hint, never proof."""
    domain = email.rpartition("@")[2].lower()
    host = (urlparse(website if "//" in website else f"//{website}").hostname or "").lower()
    host = host.removeprefix("www.")
    return bool(domain and host) and (domain == host or domain.endswith("." + host))


@transaction.atomic
def join_request_create(*, user, organisation: Organisation, message: str = "") -> JoinRequest:
    if is_member_of(user, organisation):
        raise ValidationError(_("You are already a member of this organisation."))
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(
                organisation=organisation, user=user, message=message.strip()[:2000],
                domain_matches=email_domain_matches(user.email, organisation.website))
    except IntegrityError:
        raise ValidationError(_("Your request to join this organisation is already waiting for an answer.")) from None
    hint = (_("Their e-mail domain is the organisation's website's.") if request.domain_matches
            else _("Their e-mail domain is not the organisation's website's: check who they are."))
    inbox_notify(recipients=_deciders(organisation), kind=JOIN_ASKED, link="/accounts/organisation/",
                 params={"person": user.get_full_name() or user.username, "email": user.email,
                         "organisation": both(organisation.name_en, organisation.name_zh),
                         "hint": hint, "message": request.message})
    return request


@transaction.atomic
def join_request_decide(*, request: JoinRequest, approve: bool, by) -> JoinRequest:
    request = JoinRequest.objects.select_for_update().select_related("organisation", "user").get(pk=request.pk)
    if not can_decide_join(by, request.organisation):
        raise PermissionDenied(_("Only the organisation's members or a programme officer decide."))
    if request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request was already answered."))
    request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.REJECTED
    request.decided_by, request.decided_at = by, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        Membership.objects.get_or_create(user=request.user, organisation=request.organisation)
    inbox_notify(recipients=[request.user], kind=JOIN_DECIDED_YES if approve else JOIN_DECIDED_NO,
                 params={"organisation": both(request.organisation.name_en, request.organisation.name_zh)},
                 link="/accounts/organisation/")
    return request


def _external_id(country: str, name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "org"
    candidate, n = f"{country.lower()}-{base}", 1
    while Organisation.objects.filter(external_id=candidate).exists():
        n += 1
        candidate = f"{country.lower()}-{base}-{n}"
    return candidate


@transaction.atomic
def organisation_create_by_member(*, user, data: dict) -> Organisation:
    """A signed-up person's own organisation: they are its first member; it stays unpublished until an
    officer has looked at it (the officers are told)."""
    from .services import directory_changed

    organisation = Organisation(external_id=_external_id(data.get("country", "xx"),
                                                         data.get("name_en") or data.get("name_zh") or ""),
                                published=False, **data)
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(user=user, organisation=organisation)
    officers = get_user_model().objects.filter(is_active=True, profile__role__in=[Role.PROGRAMME_OFFICER,
                                                                                  Role.PLATFORM_ADMIN])
    inbox_notify(recipients=list(officers), kind=ORGANISATION_NEW,
                 link=f"/organisations/{organisation.external_id}/edit/",
                 params={"person": user.get_full_name() or user.username,
                         "organisation": both(organisation.name_en, organisation.name_zh)})
    transaction.on_commit(directory_changed)
    return organisation


@transaction.atomic
def invitation_create(*, organisation: Organisation, email: str, by, language: str = "en") -> Invitation:
    """Mails a signed link (valid for two weeks) that makes its holder a member."""
    from django.utils.translation import override

    from clusterbridge.accounts.services import mail_one, notice_link

    if not (is_member_of(by, organisation) or is_officer(by)):
        raise PermissionDenied(_("Only the organisation's members invite colleagues."))
    email = email.strip().lower()
    invitation = Invitation.objects.create(organisation=organisation, email=email, invited_by=by)
    token = link_token({"i": invitation.pk, "e": email}, salt=INVITE_SALT)
    link = notice_link(f"/my-organisation/invitation/{token}/", language)
    name = organisation.name_zh if language == "zh-hant" and organisation.name_zh else (
        organisation.name_en or organisation.name_zh)
    with override(language):
        subject = _("%(person)s invites you to ClusterBridge for %(organisation)s") % {
            "person": by.get_full_name() or by.username, "organisation": name}
        body = _("%(person)s invites you to join %(organisation)s on ClusterBridge, the platform of the "
                 "Taiwan–EU industrial cooperation programmes. Open this link within %(days)s days:\n\n%(link)s") % {
            "person": by.get_full_name() or by.username, "organisation": name, "days": INVITE_DAYS, "link": link}
    mail_one(to=email, subject=subject, body=body)
    return invitation


def invitation_from_token(token: str) -> Invitation:
    invalid = _("This invitation link is not valid: copy the whole address from the e-mail.")
    data = link_data(token, salt=INVITE_SALT, days=INVITE_DAYS, invalid=invalid,
                     expired=_("This invitation has expired: ask your colleague for a new one."))
    invitation = Invitation.objects.select_related("organisation").filter(pk=data["i"], email=data["e"]).first()
    if invitation is None:
        raise ValidationError(invalid)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at and invitation.accepted_by_id != user.pk:
        raise ValidationError(_("This invitation was already used by someone else."))
    membership, _created = Membership.objects.get_or_create(user=user, organisation=invitation.organisation)
    invitation.accepted_by, invitation.accepted_at = user, invitation.accepted_at or timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return membership
