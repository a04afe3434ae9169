"""Writes and reads of the cooperation board (offers and requests)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterbridge.accounts.notices import both, notice_kind
from clusterbridge.accounts.services import inbox_notify

from .models import CooperationProfile, Organisation

INTEREST = notice_kind(
    "directory.cooperation_interest", subject=_("Interest in your profile: %(title)s"),
    body=_("%(name)s (%(email)s) is interested in “%(title)s” and writes:\n\n%(message)s"))


def cooperation_board(*, kind: str = "", q: str = "", country: str = "") -> QuerySet[CooperationProfile]:
    """Published, unexpired profiles of published organisations, newest first."""
    today = timezone.localdate()
    qs = (CooperationProfile.objects.filter(status=CooperationProfile.Status.PUBLISHED,
                                            organisation__published=True)
          .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today)).select_related("organisation"))
    if kind:
        qs = qs.filter(kind=kind)
    if country:
        qs = qs.filter(organisation__country=country.upper())
    for word in q.split()[:8]:
        qs = qs.filter(Q(title_en__icontains=word) | Q(title_zh__icontains=word)
                       | Q(description_en__icontains=word) | Q(description_zh__icontains=word))
    return qs


@transaction.atomic
def cooperation_profile_save(*, organisation: Organisation, data: dict,
                             profile: CooperationProfile | None = None) -> CooperationProfile:
    """Create or edit a profile of `organisation`; validates before saving."""
    profile = profile or CooperationProfile(organisation=organisation)
    for field, value in data.items():
        setattr(profile, field, value)
    profile.full_clean()
    profile.save()
    from .services import directory_changed

    transaction.on_commit(directory_changed)  # partner search reads the board's offers and requests
    return profile


@transaction.atomic
def cooperation_interest_express(*, profile: CooperationProfile, sender, message: str, link: str) -> int:
    """Tell the owning organisation's members that `sender` is interested:
    in their inbox and by e-mail. Returns how many people were told."""
    members = list(get_user_model().objects.filter(memberships__organisation=profile.organisation, is_active=True))
    if not members:  # nobody of that organisation has an account yet: the programme office forwards it
        members = list(get_user_model().objects.filter(
            is_active=True, profile__role__in=["programme_officer", "platform_admin"]))
    return inbox_notify(recipients=members, kind=INTEREST, link=link, params={
        "title": both(profile.title_en, profile.title_zh), "message": message.strip(),
        "name": sender.get_full_name() or sender.get_username(), "email": sender.email or "—"})
