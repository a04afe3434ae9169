"""Reads of the outcomes app."""

from __future__ import annotations

import zoneinfo
from collections import Counter

from django.db.models import Q
from django.utils import timezone

from clusterbridge.events.models import Event, Meeting, Registration

from .models import ImmediateRating, MeetingRating


def meetings_to_rate(registration: Registration) -> list[tuple[Meeting, MeetingRating | None]]:
    """The registration's scheduled meetings in time order, each with its own side's rating."""
    meetings = list(Meeting.objects.filter(Q(first=registration) | Q(second=registration),
                                           status=Meeting.Status.SCHEDULED)
                    .select_related("slot", "table", "first__organisation", "second__organisation")
                    .order_by("slot__starts_at"))
    mine = {r.meeting_id: r for r in MeetingRating.objects.filter(registration=registration,
                                                                  meeting__in=meetings)}
    return [(m, mine.get(m.pk)) for m in meetings]


def event_ratings(event: Event) -> dict:
    """For the organisers: per meeting, the two sides' ratings combined (figures.combined_rating:
    not held when both sides say so or the check-in found a side absent, disputed when only one
    side says so, a held meeting under the better of its two ratings)."""
    from .figures import combined_rating

    by_meeting: dict[int, list[str]] = {}
    for meeting_id, rating in MeetingRating.objects.filter(meeting__event=event).values_list("meeting_id", "rating"):
        by_meeting.setdefault(meeting_id, []).append(rating)
    scheduled = Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED)
    absent = set(scheduled.filter(Q(first_present=False) | Q(second_present=False)).values_list("pk", flat=True))
    distribution: Counter = Counter()
    disputed = 0
    for meeting_id in set(by_meeting) | absent:
        rating, unsure = combined_rating(by_meeting.get(meeting_id, []), meeting_id in absent)
        disputed += unsure
        if rating:
            distribution[rating] += 1
    total = scheduled.count()
    not_held = distribution[ImmediateRating.NOT_HELD]
    return {"scheduled": total, "rated": len(by_meeting), "not_held": not_held, "held": total - not_held,
            "disputed": disputed,
            "distribution": [(code, label, distribution[code]) for code, label in ImmediateRating.choices]}


def report_events(year_from: int, year_to: int):
    """The published events whose first session falls in the years, in date order, each with
    `first` (its first session's start)."""
    from django.db.models import Min

    return (Event.objects.exclude(status=Event.Status.DRAFT).annotate(first=Min("sessions__starts_at"))
            .filter(first__year__gte=year_from, first__year__lte=year_to).order_by("first", "pk"))


def _local_date(event: Event):
    return timezone.localtime(event.first, zoneinfo.ZoneInfo(event.time_zone)).date() if event.first else None


def _organisation_keys(organisations) -> dict[int, dict]:
    """organisation → {"country", "sector": NACE sections, "ecosystem": codes}; `organisations` is
    a query of organisation ids (a subquery: no long lists of ids sent to the database)."""
    from clusterbridge.directory.models import Organisation

    keys = {pk: {"country": country, "sector": set(), "ecosystem": set()}
            for pk, country in Organisation.objects.filter(pk__in=organisations).values_list("pk", "country")}
    for pk, section in (Organisation.sectors.through.objects.filter(organisation_id__in=organisations)
                        .values_list("organisation_id", "sector__section")):
        if section:
            keys[pk]["sector"].add(section)
    for pk, code in (Organisation.ecosystems.through.objects.filter(organisation_id__in=organisations)
                     .values_list("organisation_id", "ecosystem__code")):
        keys[pk]["ecosystem"].add(code)
    return keys


class _Records:
    """Everything the report counts for some events, loaded in a fixed number of queries."""

    def __init__(self, events: list[Event]):
        from clusterbridge.core.countries import EUROPE

        from . import figures
        from .models import CooperationAgreement, FollowUpAnswer

        self.events = events
        self.dates = {e.pk: _local_date(e) for e in self.events}
        self.year_of = {e.pk: self.dates[e.pk].year for e in self.events}
        ids = list(self.year_of)
        self.registrations = {pk: (event, org, status) for pk, event, org, status in Registration.objects.filter(
            event__in=ids).values_list("pk", "event_id", "organisation_id", "status")}
        self.meetings = {pk: figures.MeetingRecord(pk, event, first, second, absent=(p1 is False or p2 is False))
                         for pk, event, first, second, p1, p2 in Meeting.objects.filter(
                             event__in=ids, status=Meeting.Status.SCHEDULED).values_list(
                             "pk", "event_id", "first_id", "second_id", "first_present", "second_present")}
        for meeting_id, rating in MeetingRating.objects.filter(meeting__event__in=ids).values_list(
                "meeting_id", "rating"):
            if meeting_id in self.meetings:
                self.meetings[meeting_id].ratings.append(rating)
        for meeting_id, reg, answer in (FollowUpAnswer.objects.filter(round__event__in=ids)
                                        .order_by("round__opens_on", "round_id").values_list(
                                            "meeting_id", "registration_id", "answer")):
            if meeting_id in self.meetings:
                self.meetings[meeting_id].answers[reg] = answer  # a later round's answer replaces an earlier one
        self.agreement_rows = list(CooperationAgreement.objects.filter(event__in=ids).values_list(
            "pk", "event_id", "meeting_id", "kind", "amount", "currency"))
        parties: dict[int, list[int]] = {}
        party_rows = CooperationAgreement.organisations.through.objects.filter(cooperationagreement__event__in=ids)
        for agreement, org in party_rows.values_list("cooperationagreement_id", "organisation_id"):
            parties.setdefault(agreement, []).append(org)
        self.org_keys = _organisation_keys(
            Registration.objects.filter(event__in=ids).order_by().values("organisation_id").union(
                party_rows.order_by().values("organisation_id")))
        self.europe = frozenset(EUROPE)
        self.side_of = {}
        for reg, (_event, org, _status) in self.registrations.items():
            country = self.org_keys.get(org, {}).get("country")
            self.side_of[reg] = "TW" if country == "TW" else "EU" if country in self.europe else None
        self.keys_of = {reg: self.org_keys.get(org, {}) for reg, (_e, org, _s) in self.registrations.items()}
        self.agreement_keys = {pk: figures.agreement_keys([self.org_keys[o] for o in parties.get(pk, [])
                                                           if o in self.org_keys], self.europe)
                               for pk, *_rest in self.agreement_rows}


def _fingerprints(event_ids: list[int]) -> dict[int, str]:
    """Per event, a digest of everything its figures are computed from (a handful of grouped
    aggregate queries, no rows): any added, removed or changed rating, answer, round, agreement,
    party, meeting outcome, approved registration or participant's profile changes it."""
    import hashlib

    from django.db.models import Count, Max, Q, Sum

    from .models import CooperationAgreement, FollowUpAnswer, FollowUpRound

    parts: dict[int, list] = {e: [] for e in event_ids}

    def add(rows):
        for event, *values in rows:
            parts[event].append(values)
    add(Meeting.objects.filter(event__in=event_ids, status=Meeting.Status.SCHEDULED).order_by().values("event_id")
        .annotate(n=Count("pk"), s=Sum("pk"), a=Sum("pk", filter=Q(first_present=False) | Q(second_present=False)))
        .values_list("event_id", "n", "s", "a"))
    add(MeetingRating.objects.filter(meeting__event__in=event_ids).order_by().values("meeting__event_id")
        .annotate(n=Count("pk"), s=Sum("pk"), u=Max("updated_at")).values_list("meeting__event_id", "n", "s", "u"))
    add(FollowUpAnswer.objects.filter(round__event__in=event_ids).order_by().values("round__event_id")
        .annotate(n=Count("pk"), s=Sum("pk"), u=Max("answered_at")).values_list("round__event_id", "n", "s", "u"))
    add(FollowUpRound.objects.filter(event__in=event_ids).order_by().values("event_id")
        .annotate(n=Count("pk"), s=Sum("pk"), u=Max("opens_on")).values_list("event_id", "n", "s", "u"))
    add(CooperationAgreement.objects.filter(event__in=event_ids).order_by().values("event_id")
        .annotate(n=Count("organisations"), s=Sum("organisations__pk"), u=Max("updated_at"), c=Max("created_at"),
                  o=Max("organisations__updated_at"))
        .values_list("event_id", "n", "s", "u", "c", "o"))
    add(Registration.objects.filter(event__in=event_ids, status=Registration.Status.APPROVED).order_by()
        .values("event_id").annotate(n=Count("pk"), s=Sum("pk"), u=Max("organisation__updated_at"))
        .values_list("event_id", "n", "s", "u"))
    return {e: hashlib.sha256(repr(values).encode()).hexdigest()[:32] for e, values in parts.items()}


def outcomes_report(*, year_from: int, year_to: int) -> dict:
    """The results report (specs/outcomes.md, "Results API"), computed from the records: per
    published event whose first session falls in the years, and broken down per year, country
    pair, sector and ecosystem. The page, its Excel and PDF files and the API show these same
    numbers. Each event's figures are computed once (figures.event_bundle, in a fixed number of
    queries) and kept in the cache under a digest of its records, so a changed record is counted
    at once while unchanged events are not counted again."""
    from django.core.cache import cache

    from . import figures

    events = list(report_events(year_from, year_to))
    dates = {e.pk: _local_date(e) for e in events}
    year_of = {e.pk: dates[e.pk].year for e in events}
    prints = _fingerprints(list(year_of))
    keys = {e: f"outcomes:event-figures:1:{e}:{prints[e]}" for e in year_of}
    cached = cache.get_many(list(keys.values()))
    bundles = {e: figures.bundle_from_raw(cached[keys[e]]) for e in year_of if keys[e] in cached}
    missing = [e for e in events if e.pk not in bundles]
    if missing:
        r = _Records(missing)
        fresh = figures.event_bundles(
            events=[e.pk for e in missing], side_of=r.side_of, keys_of=r.keys_of, europe=r.europe,
            meetings=list(r.meetings.values()),
            approved={reg: event for reg, (event, _o, status) in r.registrations.items()
                      if status == Registration.Status.APPROVED},
            agreements=[(event, meeting, kind, amount, currency, r.agreement_keys[pk])
                        for pk, event, meeting, kind, amount, currency in r.agreement_rows])
        cache.set_many({keys[e]: figures.bundle_to_raw(b) for e, b in fresh.items()}, timeout=7 * 24 * 3600)
        bundles.update(fresh)
    result = figures.combine(list(year_of), year_of, bundles)
    out = []
    for e in events:
        out.append({"slug": e.slug, "date": dates[e.pk].isoformat() if dates[e.pk] else None, "place": e.venue,
                    "title_en": e.title_en, "title_zh": e.title_zh, **result["events"][e.pk]})
    totals = result["totals"]
    return {"from": year_from, "to": year_to, "events": out,
            "totals": {**totals, "agreements_by_kind": totals["agreements"],
                       "agreements": sum(totals["agreements"].values())},
            "breakdowns": {d: [{"key": str(k), **row} for k, row in result[d].items()] for d in figures.DIMENSIONS}}


def report_drill_down(*, year_from: int, year_to: int, event: str = "", dimension: str = "", key: str = "",
                      measure: str = "scheduled") -> dict:
    """The meetings and agreements behind one figure of the report: those of the event (or all the
    years' events) under the dimension's key that the measure counts ("scheduled", "held",
    "not_held", "disputed", a rating code, "responses" or a follow-up code, "agreements")."""
    from . import figures
    from .models import CooperationAgreement

    events = report_events(year_from, year_to)
    r = _Records(list(events.filter(slug=event) if event else events))
    wanted = []
    if measure != "agreements":
        for m in r.meetings.values():
            keys = figures.meeting_keys(r.keys_of.get(m.first, {}), r.keys_of.get(m.second, {}), r.europe)
            if figures.under(keys, r.year_of[m.event], dimension, key) and figures.counts(m, measure):
                wanted.append(m.id)
    agreement_ids = [pk for pk, ev, *_rest in r.agreement_rows
                     if measure in ("agreements", "scheduled")
                     and figures.under(r.agreement_keys[pk], r.year_of[ev], dimension, key)]
    meetings = (Meeting.objects.filter(pk__in=wanted)
                .select_related("event", "slot", "first__organisation", "second__organisation")
                .order_by("slot__starts_at", "pk"))
    ratings: dict[int, dict[int, str]] = {}
    for mid, reg, rating in MeetingRating.objects.filter(meeting__in=wanted).values_list(
            "meeting_id", "registration_id", "rating"):
        ratings.setdefault(mid, {})[reg] = rating
    agreements = (CooperationAgreement.objects.filter(pk__in=agreement_ids).select_related("event")
                  .prefetch_related("organisations"))
    return {"meetings": meetings, "count": len(wanted), "ratings": ratings,
            "answers": {mid: r.meetings[mid].answers for mid in wanted}, "agreements": agreements}


def published_stories(*, organisation=None, event=None):
    from .models import SuccessStory

    qs = (SuccessStory.objects.filter(status=SuccessStory.Status.PUBLISHED)
          .select_related("agreement__event", "present_at").prefetch_related("agreement__organisations"))
    if organisation is not None:
        qs = qs.filter(agreement__organisations=organisation)
    if event is not None:
        qs = qs.filter(present_at=event)
    return qs.order_by("-published_at", "-pk")


def stories_for(user):
    """The stories a person works on: officers see every unpublished one (those waiting for review
    first); members those of their organisations' agreements."""
    from django.db.models import Case, IntegerField, Value, When

    from clusterbridge.accounts.rules import is_officer

    from .models import SuccessStory

    qs = SuccessStory.objects.select_related("agreement").prefetch_related("agreement__organisations", "consents")
    if not is_officer(user):
        qs = qs.filter(agreement__organisations__memberships__user=user).distinct()
    waiting = Case(When(status=SuccessStory.Status.SUBMITTED, then=Value(0)), default=Value(1),
                   output_field=IntegerField())
    return qs.annotate(waiting=waiting).order_by("waiting", "-updated_at")


def agreements_for(user):
    """Agreements a person may read in full: all for officers, their organisations' for members."""
    from clusterbridge.accounts.rules import is_officer

    from .models import CooperationAgreement

    qs = CooperationAgreement.objects.select_related("event", "case_plan").prefetch_related("organisations",
                                                                                              "stories")
    if not is_officer(user):
        qs = qs.filter(organisations__memberships__user=user).distinct()
    return qs


def survey_results(survey) -> dict:
    """Per question: answers counted (survey_core.summarise); who was asked and who answered per side."""
    from clusterbridge.core.countries import EUROPE

    from .survey_core import summarise
    from .survey_models import SurveyAnswer

    respondents = survey.responses.count()
    values: dict[int, list] = {}
    for question_id, value in SurveyAnswer.objects.filter(response__survey=survey).order_by("pk").values_list(
            "question_id", "value"):
        values.setdefault(question_id, []).append(value)
    asked = {"TW": [0, 0], "EU": [0, 0], "other": [0, 0]}
    for country, answered in survey.participations.values_list("registration__organisation__country", "answered"):
        side = "TW" if country == "TW" else "EU" if country in EUROPE else "other"
        asked[side][0] += 1
        asked[side][1] += answered
    return {"respondents": respondents, "asked": sum(a for a, _n in asked.values()),
            "sides": {side: {"asked": a, "answered": n, "rate": round(n / a, 2) if a else None}
                      for side, (a, n) in asked.items()},
            "questions": [(q, summarise(q, values.get(q.pk, []), respondents)) for q in survey.questions.all()]}
