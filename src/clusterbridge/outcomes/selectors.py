"""Reads of the outcomes app."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q

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
