"""What officers do to a list besides sending: import its existing subscribers (all or nothing, only
with recorded consent), record what the mail service reports (bounces, complaints), and read its
figures over time."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .models import Delivery, MailingList, Subscription

COLUMNS = ("email", "language", "consent_at", "consent_wording")
MAX_ROWS = 100_000


def subscribers_import(*, mailing_list: MailingList, data: bytes) -> dict:
    """CSV `email,language,consent_at,consent_wording` (a header row). Every row must carry the date and
    the wording of the consent the person gave; one bad row and nothing is written. Returns counts."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(["the file is not UTF-8 text: save it as CSV UTF-8"]) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError([f"row 1: the columns {', '.join(missing)} are missing (needed: {', '.join(COLUMNS)})"])
    errors, rows, seen = [], [], set()
    languages = dict(settings.LANGUAGES)
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            raise ValidationError([f"the file has more than {MAX_ROWS:,} rows; split it"])
        email = (row.get("email") or "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(f"row {number}, column email: {email or 'empty'} is not an e-mail address")
            continue
        if email in seen:
            errors.append(f"row {number}, column email: {email} appears twice")
        seen.add(email)
        language = (row.get("language") or "en").strip().lower()
        language = {"zh": "zh-hant", "zh-tw": "zh-hant", "zh_hant": "zh-hant"}.get(language, language)
        if language not in languages:
            errors.append(f"row {number}, column language: {language} is not en or zh-hant")
        raw = (row.get("consent_at") or "").strip()
        when = parse_datetime(raw) or (dt.datetime.combine(parse_date(raw), dt.time()) if parse_date(raw) else None)
        if when is None:
            errors.append(f"row {number}, column consent_at: the date the person agreed is needed (YYYY-MM-DD)")
        elif timezone.is_naive(when):
            when = timezone.make_aware(when)
        if when is not None and when > timezone.now():
            errors.append(f"row {number}, column consent_at: {raw} is in the future")
        wording = (row.get("consent_wording") or "").strip()
        if not wording:
            errors.append(f"row {number}, column consent_wording: the words the person agreed to are needed")
        rows.append((email, language, when, wording))
    if errors:
        raise ValidationError(errors)
    created = updated = kept = 0
    with transaction.atomic():
        existing = {s.email: s for s in Subscription.objects.select_for_update().filter(mailing_list=mailing_list,
                                                                                      email__in=seen)}
        new = []
        for email, language, when, wording in rows:
            sub = existing.get(email)
            if sub is None:
                new.append(Subscription(mailing_list=mailing_list, email=email, language=language, status="active",
                                        consent_at=when, consent_wording=wording, consent_language=language,
                                        consent_source="import", confirmed_at=when))
            elif sub.status in (Subscription.Status.UNSUBSCRIBED, Subscription.Status.COMPLAINED,
                                Subscription.Status.BOUNCED):
                kept += 1  # they left or their address failed: an old list does not bring them back
            elif sub.status == Subscription.Status.PENDING:
                sub.status, sub.consent_at, sub.consent_wording = "active", when, wording
                sub.consent_language, sub.consent_source, sub.confirmed_at = language, "import", when
                sub.save()
                updated += 1
            else:
                kept += 1
        Subscription.objects.bulk_create(new, batch_size=2000)
        created = len(new)
    return {"created": created, "updated": updated, "kept": kept}


def mail_event_record(*, kind: str, email: str) -> int:
    """A hard bounce or a complaint the mail service reported for `email`: its subscriptions stop and
    the latest delivery to it is marked. Returns the subscriptions changed."""
    status = {"bounce": Subscription.Status.BOUNCED, "complaint": Subscription.Status.COMPLAINED}.get(kind)
    if status is None:
        raise ValidationError(f"type must be bounce or complaint, not {kind!r}")
    email = email.strip().lower()
    with transaction.atomic():
        subs = Subscription.objects.select_for_update().filter(email=email).exclude(status=status)
        changed = subs.update(status=status, ended_at=timezone.now())
        last = Delivery.objects.filter(subscription__email=email).order_by("-at").first()
        if last is not None:
            last.status = Delivery.Status.BOUNCED if kind == "bounce" else Delivery.Status.COMPLAINED
            last.save(update_fields=["status"])
    return changed


def subscribers_by_month(mailing_list: MailingList, months: int = 12) -> list[tuple[str, int, int, int]]:
    """(YYYY-MM, subscribed at the month's end, joined in the month, left in the month), oldest first."""
    now = timezone.localtime()
    firsts = []
    year, month = now.year, now.month
    for _ in range(months):
        firsts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    firsts.reverse()
    subs = list(Subscription.objects.filter(mailing_list=mailing_list, confirmed_at__isnull=False)
                .values_list("confirmed_at", "ended_at"))
    out = []
    for first in firsts:
        start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
        nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        end = timezone.make_aware(dt.datetime.combine(nxt, dt.time()))
        active = sum(1 for joined, left in subs if joined < end and (left is None or left >= end))
        joined = sum(1 for j, _left in subs if start <= j < end)
        left = sum(1 for _j, gone in subs if gone is not None and start <= gone < end)
        out.append((first.strftime("%Y-%m"), active, joined, left))
    return out


def topic_list_create(*, sector=None, ecosystem=None, country: str = "") -> MailingList:
    """A public list of what is published on one sector, ecosystem or country (made once)."""
    from clusterbridge.core.countries import country_name

    if sector is not None:
        slug, name_en, name_zh = f"topic-sector-{sector.code.lower()}", sector.label_en, sector.label_zh
    elif ecosystem is not None:
        slug, name_en, name_zh = f"topic-ecosystem-{ecosystem.code.lower()}", ecosystem.label_en, ecosystem.label_zh
    else:
        country = country.upper()
        slug, name_en, name_zh = f"topic-country-{country.lower()}", country_name(country, "en"), \
            country_name(country, "zh-hant")
    mailing_list, _created = MailingList.objects.get_or_create(slug=slug[:60], defaults={
        "kind": MailingList.Kind.TOPIC, "sector": sector, "ecosystem": ecosystem, "country": country,
        "name_en": f"News on {name_en}"[:120], "name_zh": f"{name_zh}相關消息"[:120],
        "description_en": f"Each week, what was published on {name_en}."[:300],
        "description_zh": f"每週寄送與{name_zh}相關的發布內容。"[:300]})
    return mailing_list
