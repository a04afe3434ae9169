"""Reads of the events app."""

from __future__ import annotations

from collections import Counter

from django.db.models import F, Max, Min, Q, QuerySet
from django.utils import timezone

from clusterbridge.directory.models import Kind
from clusterbridge.scheduling import Problem
from clusterbridge.scheduling.problem import Meeting as PMeeting
from clusterbridge.scheduling.problem import Participant as PParticipant
from clusterbridge.scheduling.problem import Slot as PSlot
from clusterbridge.scheduling.schedule import Assignment

from .models import Event, Meeting, MeetingRequest, Registration


def events_listed(*, upcoming: bool = False) -> QuerySet[Event]:
    """Events the public sees (never drafts), each with its first and last session's start
    (`starts_at`, `ends_at`): soonest first when `upcoming`, else the latest first."""
    qs = (Event.objects.exclude(status=Event.Status.DRAFT)
          .annotate(starts_at=Min("sessions__starts_at"), ends_at=Max("sessions__starts_at")))
    if upcoming:
        return qs.filter(Q(starts_at__gte=timezone.now()) | Q(registration_closes__gte=timezone.now())
                         ).order_by(F("starts_at").asc(nulls_last=True), "registration_closes")
    return qs.order_by(F("starts_at").desc(nulls_last=True), "-registration_closes")


def my_registration(event: Event, user) -> Registration | None:
    """The registration the user acts for at this event: their own, else their organisation's
    (access is per organisation: a colleague sees its agenda and requests), approved ones first."""
    if not getattr(user, "is_authenticated", False):
        return None
    from django.db.models import Case, IntegerField, Value, When

    return (event.registrations.select_related("organisation", "person")
            .filter(Q(person=user) | Q(organisation__memberships__user=user))
            .annotate(rank=Case(When(person=user, status=Registration.Status.APPROVED, then=Value(0)),
                                When(status=Registration.Status.APPROVED, then=Value(1)),
                                When(person=user, then=Value(2)), default=Value(3), output_field=IntegerField()))
            .order_by("rank", "pk").first())


def participants(event: Event, *, q: str = "", country: str = "", kind: str = ""):
    qs = (event.registrations.filter(status=Registration.Status.APPROVED)
          .select_related("organisation", "person").order_by("organisation__name_en", "organisation__name_zh"))
    if q:
        qs = qs.filter(Q(organisation__name_en__icontains=q) | Q(organisation__name_zh__icontains=q)
                       | Q(organisation__offers__icontains=q) | Q(organisation__requests__icontains=q))
    if country:
        qs = qs.filter(organisation__country=country)
    if kind:
        qs = qs.filter(organisation__kind=kind)
    return qs


def agenda(registration: Registration) -> list[tuple]:
    """(slot, meeting or None) for every slot of the event, in order."""
    meetings = {m.slot_id: m for m in Meeting.objects.filter(
        Q(first=registration) | Q(second=registration), status=Meeting.Status.SCHEDULED)
        .select_related("slot", "table", "first__organisation", "second__organisation")}
    return [(slot, meetings.get(slot.pk)) for slot in registration.event.slots.select_related("session")]


def other_party(meeting: Meeting, registration: Registration) -> Registration:
    return meeting.second if meeting.first_id == registration.pk else meeting.first


def dashboard(event: Event) -> dict:
    regs = list(event.registrations.select_related("organisation"))
    approved = [r for r in regs if r.status == Registration.Status.APPROVED]
    requests = Counter(event.requests.values_list("status", flat=True))
    meetings = list(event.meetings.filter(status=Meeting.Status.SCHEDULED).select_related(
        "first__organisation", "second__organisation"))
    per = Counter()
    tw_eu = 0
    for m in meetings:
        per[m.first_id] += 1
        per[m.second_id] += 1
        countries = {m.first.organisation.country, m.second.organisation.country}
        if "TW" in countries and len(countries) == 2:
            tw_eu += 1
    loads = [per.get(r.pk, 0) for r in approved]
    with_meetings = set(per)
    absent = [r for r in approved if r.pk in with_meetings and r.checked_in_at is None]
    return {
        "registrations": len(regs), "approved": len(approved),
        "by_kind": [(Kind(k).label, n) for k, n in Counter(r.organisation.kind for r in approved).most_common()],
        "by_country": Counter(r.organisation.country for r in approved).most_common(),
        "requests": [(MeetingRequest.Status(k).label, n) for k, n in requests.most_common()],
        "requests_total": sum(requests.values()),
        "scheduled": len(meetings), "to_schedule": event.meetings.filter(status=Meeting.Status.TO_SCHEDULE).count(),
        "load_min": min(loads, default=0), "load_max": max(loads, default=0),
        "load_avg": (sum(loads) / len(loads)) if loads else 0.0,
        "taiwan_pairs": tw_eu, "other_pairs": len(meetings) - tw_eu,
        "checked_in": sum(1 for r in approved if r.checked_in_at), "not_checked_in": len(absent),
    }


def flagged_meetings(event: Event) -> list[Meeting]:
    """Scheduled meetings where one party has checked in and the other has not (once check-in has begun)."""
    if not event.registrations.filter(checked_in_at__isnull=False).exists():
        return []
    return [m for m in event.meetings.filter(status=Meeting.Status.SCHEDULED).select_related(
            "slot", "table", "first__organisation", "second__organisation")
            if (m.first.checked_in_at is None) != (m.second.checked_in_at is None)]


def scheduled_per_slot(event: Event) -> dict[int, int]:
    """Slot id → number of scheduled meetings in it (what a session change must respect)."""
    return dict(Counter(event.meetings.filter(status=Meeting.Status.SCHEDULED).values_list("slot_id", flat=True)))


def scheduled_per_table(event: Event) -> dict[int, int]:
    """Table id → number of scheduled meetings held at it."""
    return dict(Counter(event.meetings.filter(status=Meeting.Status.SCHEDULED).values_list("table_id", flat=True)))


def scheduling_problem(event: Event, *, keep_confirmed: bool) -> tuple[Problem, list[Assignment]]:
    """The event as a `clusterbridge.scheduling` problem, with the published schedule as the start.

    Participants are the approved registrations; a confirmed (published) meeting is pinned
    to its slot when `keep_confirmed`; a participant's own booth is their location."""
    slots = list(event.slots.select_related("session"))
    tables = list(event.tables.all())
    regs = list(event.registrations.filter(status=Registration.Status.APPROVED).select_related("booth")
                .prefetch_related("unavailable"))
    approved = {r.pk for r in regs}
    meetings = list(event.meetings.exclude(status=Meeting.Status.CANCELLED).filter(
        first__in=approved, second__in=approved).select_related("slot", "table"))
    participants = [PParticipant(id=f"r{r.pk}", unavailable=frozenset(str(s.index) for s in r.unavailable.all()),
                                 max_meetings=event.max_meetings,
                                 location=str(r.booth.pk) if getattr(r, "booth", None) else None)
                    for r in regs]
    pmeetings, start = [], []
    for m in meetings:
        fixed = str(m.slot.index) if keep_confirmed and m.confirmed and m.slot else None
        pmeetings.append(PMeeting(id=f"m{m.pk}", participants=(f"r{m.first_id}", f"r{m.second_id}"),
                                  required=m.required or fixed is not None, weight=m.weight, fixed_slot=fixed))
        if m.slot:
            start.append(Assignment(meeting=f"m{m.pk}", slot=str(m.slot.index),
                                    location=str(m.table_id) if m.table_id else None))
    problem = Problem(slots=[PSlot(id=str(s.index), session=s.session.name) for s in slots],
                      locations=[str(t.pk) for t in tables], participants=participants, meetings=pmeetings,
                      name=str(event))
    return problem, start


def run_review(run) -> dict:
    """What the organiser reviews before publishing a scheduler run: the counts, each participant's
    load and breaks (most breaks first), and the meetings left out with the scheduler's reason."""
    event = run.event
    result = run.result or {}
    names = {f"r{r.pk}": str(r) for r in event.registrations.select_related("organisation")}
    meetings = {f"m{m.pk}": m for m in event.meetings.select_related("first__organisation", "second__organisation")}
    load: dict[str, int] = {}
    for a in result.get("assignments", []):
        m = meetings.get(a["meeting"])
        if m:
            for reg in (m.first_id, m.second_id):
                load[f"r{reg}"] = load.get(f"r{reg}", 0) + 1
    per_participant = sorted(((names.get(p, p), load.get(p, 0), b) for p, b in result.get("breaks", {}).items()),
                             key=lambda row: (-row[2], row[0]))
    unscheduled = [(meetings.get(u["meeting"]), u.get("reason", "")) for u in result.get("unscheduled", [])]
    return {"result": result, "per_participant": per_participant[:200], "unscheduled": unscheduled,
            "to_notify": len(load),
            "scheduled": len(result.get("assignments", [])),
            "causes": _grouped_causes(result, names, meetings),
            "capacity": _capacity(event, result)}


CAUSE_ORDER = ("no_table", "max_meetings", "no_common_free_slot", "no_shared_slot", "booths")


def _grouped_causes(result: dict, names: dict[str, str], meetings: dict) -> list[dict]:
    """The left-out meetings grouped by cause, most frequent first, each with a few examples whose
    participants are named (the scheduler knows them as r12, r34)."""
    groups: dict[str, list] = {}
    for mid, (code, params) in (result.get("causes") or {}).items():
        named = {k: names.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
        groups.setdefault(code, []).append({"meeting": meetings.get(mid), **named})
    order = {code: i for i, code in enumerate(CAUSE_ORDER)}
    return [{"code": code, "count": len(items), "examples": items[:25]}
            for code, items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), order.get(kv[0], 99)))]


def _capacity(event: Event, result: dict) -> dict | None:
    """When the places (tables × slots) are what leaves requests out, one line with what would help:
    how many more tables, or one more session like the largest, would place the rest."""
    left_for_tables = sum(1 for code, _ in (result.get("causes") or {}).values() if code == "no_table")
    if not left_for_tables:
        return None
    tables = event.tables.count()
    sessions = list(event.sessions.all())
    slots = sum(s.slot_count for s in sessions)
    if not tables or not slots:
        return None
    per_table = max(1, slots)
    largest = max(s.slot_count for s in sessions)
    more_tables = -(-left_for_tables // per_table)  # the rest spread over every slot
    return {"tables": tables, "slots": slots, "places": tables * slots,
            "scheduled": len(result.get("assignments", [])), "left": left_for_tables,
            "more_tables": more_tables, "session_places": tables * largest,
            "session_would_place": min(left_for_tables, tables * largest)}
