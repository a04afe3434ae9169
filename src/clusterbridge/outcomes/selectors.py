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
    """For the organisers: per meeting, the two sides' ratings combined. A meeting counts as not
    held when both sides say so or the check-in found a side absent; when only one side says so it
    is shown as disputed; a held meeting counts under the better of its two ratings."""
    order = {code: i for i, code in enumerate(ImmediateRating.values)}
    by_meeting: dict[int, list[str]] = {}
    for meeting_id, rating in MeetingRating.objects.filter(meeting__event=event).values_list("meeting_id", "rating"):
        by_meeting.setdefault(meeting_id, []).append(rating)
    scheduled = Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED)
    absent = set(scheduled.filter(Q(first_present=False) | Q(second_present=False)).values_list("pk", flat=True))
    distribution: Counter = Counter()
    disputed = 0
    for meeting_id in set(by_meeting) | absent:
        ratings = by_meeting.get(meeting_id, [])
        held = [r for r in ratings if r != ImmediateRating.NOT_HELD]
        if meeting_id in absent or (len(ratings) == 2 and not held):
            distribution[ImmediateRating.NOT_HELD] += 1
        elif not held:
            disputed += 1  # one side says it did not take place, the other has not answered
        else:
            if len(held) < len(ratings):
                disputed += 1
            distribution[max(held, key=order.get)] += 1
    total = scheduled.count()
    not_held = distribution[ImmediateRating.NOT_HELD]
    return {"scheduled": total, "rated": len(by_meeting), "not_held": not_held, "held": total - not_held,
            "disputed": disputed,
            "distribution": [(code, label, distribution[code]) for code, label in ImmediateRating.choices]}


def outcomes_report(*, year_from: int, year_to: int) -> dict:
    """The results report (specs/outcomes.md, "Results API"): per published event whose first session
    falls in the years, computed from the records; the page and the API show these same numbers."""
    from django.db.models import Count, Min

    from clusterbridge.core.countries import EUROPE

    from .models import CooperationAgreement, FollowUpAnswer, FollowUpRating

    events = (Event.objects.exclude(status=Event.Status.DRAFT).annotate(first=Min("sessions__starts_at"))
              .filter(first__year__gte=year_from, first__year__lte=year_to).order_by("first"))
    out, held_total, agreements_total = [], 0, 0
    for event in events:
        ratings = event_ratings(event)
        approved = list(event.registrations.filter(status=Registration.Status.APPROVED)
                        .values_list("pk", "organisation__country"))
        answers = FollowUpAnswer.objects.filter(round__event=event)
        answered = set(answers.values_list("registration_id", flat=True))
        follow_up = {"responses": answers.count(), **{code: 0 for code in FollowUpRating.values}}
        for code, n in answers.values_list("answer").annotate(n=Count("id")):
            follow_up[code] = n
        agreements = dict(CooperationAgreement.objects.filter(event=event).values_list("kind")
                          .annotate(n=Count("id")))
        sides = {"TW": [pk for pk, c in approved if c == "TW"], "EU": [pk for pk, c in approved if c in EUROPE]}
        local = timezone.localtime(event.first, zoneinfo.ZoneInfo(event.time_zone)) if event.first else None
        out.append({
            "slug": event.slug, "date": local.date().isoformat() if local else None, "place": event.venue,
            "participants": len(approved), "meetings_scheduled": ratings["scheduled"],
            "meetings_held": ratings["held"],
            "ratings": {code: n for code, _label, n in ratings["distribution"]},
            "follow_up": follow_up, "agreements": agreements,
            "response_rate": {side: round(len(answered & set(pks)) / len(pks), 2) if pks else None
                              for side, pks in sides.items()},
        })
        held_total += ratings["held"]
        agreements_total += sum(agreements.values())
    return {"from": year_from, "to": year_to, "events": out,
            "totals": {"meetings_held": held_total, "agreements": agreements_total}}
