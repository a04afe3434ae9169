"""Subscribing (double opt-in), confirming, changing preferences, unsubscribing (specs/newsletter.md).

A subscription becomes active only through the signed, expiring link mailed to the address; the
consent is kept with its wording, language and time. Asking again for an address that is already
subscribed sends nothing new and says nothing about whether it was (no address probing)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _, override

from clusterbridge.accounts.services import mail_one, notice_link
from clusterbridge.core.signed_links import link_data, link_token

from .models import MailingList, Subscription

SALT = "clusterbridge.newsletter"
CONFIRM_DAYS = 7


def consent_wording(lists, language: str) -> str:
    names = ", ".join((m.name_zh if language == "zh-hant" else m.name_en) for m in lists)
    with override(language):
        return _("I want to receive %(lists)s by e-mail at this address. I can unsubscribe at any time with the "
                 "link in every message; my address is used for nothing else.") % {"lists": names}


@transaction.atomic
def subscribe_request(*, email: str, lists: list[MailingList], language: str, source: str = "form") -> int:
    """Records pending subscriptions and mails one confirmation link; returns how many lists wait for it."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from None
    if not lists:
        raise ValidationError({"lists": [_("Choose at least one list.")]})
    language = language if language in dict(settings.LANGUAGES) else "en"
    waiting = []
    for mailing_list in lists:
        sub, _created = Subscription.objects.get_or_create(mailing_list=mailing_list, email=email,
                                                           defaults={"language": language})
        if sub.status != Subscription.Status.ACTIVE:
            sub.status, sub.language = Subscription.Status.PENDING, language
            sub.save(update_fields=["status", "language"])
            waiting.append(sub)
    if waiting:
        token = link_token({"e": email, "s": [s.pk for s in waiting], "l": language}, salt=SALT)
        link = notice_link(f"/newsletter/confirm/{token}/", language)
        names = ", ".join((s.mailing_list.name_zh if language == "zh-hant" else s.mailing_list.name_en)
                          for s in waiting)
        with override(language):
            subject = _("Confirm your subscription to %(lists)s") % {"lists": names}
            body = _("Someone (we hope you) asked to receive %(lists)s from ClusterBridge at this address. Open this "
                     "link within %(days)s days to confirm:\n\n%(link)s\n\nIf it was not you, ignore this message: "
                     "nothing will be sent.") % {"lists": names, "days": CONFIRM_DAYS, "link": link}
        mail_one(to=email, subject=subject, body=body)
    return len(waiting)


@transaction.atomic
def subscribe_confirm(token: str) -> list[Subscription]:
    invalid = _("This link is not valid: copy the whole address from the e-mail.")
    data = link_data(token, salt=SALT, days=CONFIRM_DAYS, invalid=invalid,
                     expired=_("This link has expired: subscribe again to get a new one."))
    subs = list(Subscription.objects.select_for_update().select_related("mailing_list")
                .filter(pk__in=data["s"], email=data["e"]))
    if not subs:
        raise ValidationError(invalid)
    now = timezone.now()
    lists = [s.mailing_list for s in subs]
    for sub in subs:
        if sub.status in (Subscription.Status.PENDING, Subscription.Status.UNSUBSCRIBED):
            sub.status, sub.confirmed_at, sub.ended_at = Subscription.Status.ACTIVE, now, None
            sub.consent_wording = consent_wording(lists, data["l"])
            sub.consent_language, sub.consent_at, sub.consent_source = data["l"], now, "form"
            sub.save()
    return subs


def unsubscribe(sub: Subscription) -> bool:
    """Ends one subscription at once; False when it was not active (a second click changes nothing)."""
    changed = Subscription.objects.filter(pk=sub.pk, status__in=[Subscription.Status.ACTIVE,
                                                                 Subscription.Status.PENDING]).update(
        status=Subscription.Status.UNSUBSCRIBED, ended_at=timezone.now())
    return bool(changed)


def preferences_set(*, sub: Subscription, keep: set[int], language: str) -> None:
    """From the preferences page of one address: the lists it keeps (others are ended) and its language."""
    language = language if language in dict(settings.LANGUAGES) else sub.language
    for other in Subscription.objects.filter(email=sub.email, status=Subscription.Status.ACTIVE):
        if other.mailing_list_id not in keep:
            unsubscribe(other)
        elif other.language != language:
            Subscription.objects.filter(pk=other.pk).update(language=language)
