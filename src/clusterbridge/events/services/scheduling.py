"""The scheduler on an event: a run is a background job (`core.jobs`) that stores a proposal;
the organiser reviews it and publishes it in one transaction that also books each participant's
slots. The scheduler itself (`clusterbridge.scheduling`) knows no Django."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterbridge.accounts.services import inbox_notify
from clusterbridge.core.jobs import JobContext, JobFailed, job_cancel, job_enqueue, job_kind
from clusterbridge.core.models import Job
from clusterbridge.scheduling import SolveOptions, solve
from clusterbridge.scheduling.infeasibility import busy_slots, unscheduled_cause

from .. import notices as n
from ..models import Booking, Event, Meeting, Registration, ScheduleRun
from ..rules import can_organise_event
from ..selectors import scheduling_problem
from .refusals import EventError, refuse, require_organiser


def _organisers_watch(user, job: Job) -> bool:
    run = ScheduleRun.objects.filter(job=job).select_related("event").first()
    return run is not None and can_organise_event(user, run.event)


def schedule_run_create(*, event: Event, by, time_limit: int = 30) -> ScheduleRun:
    """A scheduler run for the event, handed to the background queue once recorded."""
    require_organiser(by, event, "run the scheduler")
    if not 1 <= time_limit <= 600:
        refuse("the time limit is 1 to 600 seconds")
    with transaction.atomic():
        run = ScheduleRun.objects.create(event=event, time_limit=time_limit, created_by=by,
                                         keep_published=event.meetings.filter(confirmed=True).exists())
        run.job = job_enqueue(kind=SCHEDULE_JOB, by=by, params={"run": run.pk})
        run.save(update_fields=["job"])
    return run


def schedule_run_cancel(*, run: ScheduleRun, by) -> None:
    """Stops the run: a waiting one at once, a running one keeps the best schedule found so far."""
    require_organiser(by, run.event, "stop the scheduler")
    if run.job_id:
        job_cancel(job=run.job)


SCHEDULE_JOB = "events.schedule"


@job_kind(SCHEDULE_JOB, label=_("Scheduler run"), visible_to=_organisers_watch)
def schedule_run_execute(job: Job, context: JobContext) -> dict:
    """Solves the event's problem, reporting progress and the best schedule so far; stores the
    proposal on the run and writes no meeting (publishing does)."""
    run = ScheduleRun.objects.select_related("event").get(pk=job.params["run"])

    def progress(fraction: float, best: dict) -> None:
        context.progress(int(1000 * fraction), 1000, **{k: best.get(k) for k in ("breaks", "scheduled_weight")})

    try:
        problem, start = scheduling_problem(run.event, keep_confirmed=run.keep_published)
        if not problem.meetings:
            raise EventError("there are no agreed meetings to schedule yet")
        schedule = solve(problem, SolveOptions(time_limit=run.time_limit, workers=2, seed=0, start=start or None,
                                               progress=progress, cancel=context.stop))
    except EventError as error:
        reason = " ".join(error.messages)
        ScheduleRun.objects.filter(pk=run.pk).update(status=ScheduleRun.Status.FAILED, finished_at=timezone.now(),
                                                     result={"reason": reason})
        raise JobFailed([reason]) from None
    result = schedule.to_dict()
    result["reason"] = schedule.reason or ""
    result["causes"] = _causes(problem, schedule)
    ok = schedule.status in ("OPTIMAL", "FEASIBLE")
    ScheduleRun.objects.filter(pk=run.pk).update(status=ScheduleRun.Status.DONE if ok else ScheduleRun.Status.FAILED,
                                                 finished_at=timezone.now(), result=result)
    if not ok:
        raise JobFailed([f"{schedule.status}: {schedule.reason or ''}".strip()], {"status": schedule.status})
    return {"status": schedule.status, "scheduled_weight": result["objective"]["scheduled_weight"],
            "breaks": result["objective"]["breaks"]}


@transaction.atomic
def schedule_publish(*, run: ScheduleRun, by) -> dict[str, int]:
    """Writes the reviewed proposal to the meetings and bookings, all or nothing, and tells each
    participant whose agenda changed (only them). Returns counts."""
    event = Event.objects.select_for_update().get(pk=run.event_id)
    run = ScheduleRun.objects.select_for_update().get(pk=run.pk)
    require_organiser(by, event, "publish the schedule")
    if run.status != ScheduleRun.Status.DONE:
        refuse(f"this run is {run.get_status_display().lower()}; only a finished run can be published")
    newer = event.runs.filter(created_at__gt=run.created_at)
    if newer.filter(Q(status__in=[ScheduleRun.Status.DONE, ScheduleRun.Status.PUBLISHED])
                    | Q(job__status__in=Job.ACTIVE)).exists():
        refuse("a newer scheduler run exists; publish that one")
    placed = {a["meeting"]: a for a in run.result.get("assignments", [])}
    reasons = {u["meeting"]: u.get("reason", "") for u in run.result.get("unscheduled", [])}
    slots = {str(s.index): s for s in event.slots.all()}
    meetings = list(event.meetings.exclude(status=Meeting.Status.CANCELLED).select_related("first", "second"))
    before = _agendas(meetings)
    # The meetings of the proposal must still be the event's meetings (nothing cancelled since).
    current = {f"m{m.pk}" for m in meetings}
    missing = [mid for mid in placed if mid not in current]
    if missing:
        refuse(f"{len(missing)} meeting(s) of this run were cancelled since; run the scheduler again")
    ids = [m.pk for m in meetings]
    for start in range(0, len(ids), 5000):  # a plain IN list on the indexed column: no join to plan badly
        Booking.objects.filter(meeting_id__in=ids[start:start + 5000]).delete()
    # Clear first, so that the unique (slot, table) never sees a half-moved state; then one UPDATE … FROM
    # (VALUES …) per few thousand meetings (Django's bulk_update writes a CASE per row: minutes at 20,000).
    event.meetings.exclude(status=Meeting.Status.CANCELLED).update(status=Meeting.Status.TO_SCHEDULE, slot=None,
                                                                   table=None)
    bookings, scheduled, unscheduled = [], [], []
    for m in meetings:
        a = placed.get(f"m{m.pk}")
        if a is None:
            m.status, m.slot, m.table_id, m.confirmed = Meeting.Status.TO_SCHEDULE, None, None, False
            m.unscheduled_reason = reasons.get(f"m{m.pk}", "not in this run")[:300]
            unscheduled.append((m.pk, m.unscheduled_reason))
            continue
        m.status, m.slot, m.table_id, m.confirmed, m.unscheduled_reason = (
            Meeting.Status.SCHEDULED, slots[a["slot"]], int(a["location"]), True, "")
        scheduled.append((m.pk, m.slot.pk, m.table_id))
        bookings += [Booking(meeting=m, registration_id=m.first_id, slot=m.slot),
                     Booking(meeting=m, registration_id=m.second_id, slot=m.slot)]
    try:
        _update_from_values("status = 'scheduled', slot_id = v.slot, table_id = v.tbl, confirmed = %s, "
                            "unscheduled_reason = ''", [("id", "bigint"), ("slot", "bigint"), ("tbl", "bigint")],
                            scheduled, (True,))
        _update_from_values("confirmed = %s, unscheduled_reason = v.reason", [("id", "bigint"), ("reason", "text")],
                            unscheduled, (False,))
        Booking.objects.bulk_create(bookings, batch_size=5000)
    except IntegrityError:
        refuse("the schedule would put someone in two meetings at once or two meetings at one table; "
                "nothing was published")
    after = _agendas(meetings)
    changed = [reg for reg in set(before) | set(after) if before.get(reg) != after.get(reg)]
    regs = {r.pk: r for r in Registration.objects.filter(pk__in=changed).select_related("person")}
    first_time = event.status != Event.Status.PUBLISHED
    inbox_notify(recipients=[regs[pk].person for pk in sorted(regs)],
                 kind=n.AGENDA_READY if first_time else n.AGENDA_CHANGED,
                 params={"event": n.event_title(event)}, link=f"/events/{event.slug}/agenda/")
    event.status = Event.Status.PUBLISHED
    event.save(update_fields=["status"])
    event.runs.filter(status=ScheduleRun.Status.PUBLISHED).update(status=ScheduleRun.Status.SUPERSEDED)
    run.status = ScheduleRun.Status.PUBLISHED
    run.save(update_fields=["status"])
    return {"scheduled": len(bookings) // 2, "unscheduled": len(meetings) - len(bookings) // 2,
            "notified": len(regs)}


def _causes(problem, schedule) -> dict[str, list]:
    """Each left-out meeting's cause as a code and parameters (the review page says it in the
    organiser's language and groups it); the result's English `reason` stays as the spec has it."""
    slot_index = {slot.id: i for i, slot in enumerate(problem.slots)}
    slot_of = {a.meeting: slot_index[a.slot] for a in schedule.assignments}
    busy = busy_slots(problem, slot_of)
    out = {}
    for entry in schedule.unscheduled:
        meeting = problem.meetings[problem.meeting_index[entry["meeting"]]]
        out[meeting.id] = list(unscheduled_cause(problem, meeting, slot_of, busy))
    return out


def _update_from_values(assignments: str, columns: list[tuple[str, str]], rows: list[tuple], params: tuple = (),
                        chunk: int = 4000) -> None:
    """UPDATE events_meeting SET … FROM (VALUES …) AS v: one statement per chunk of rows
    (PostgreSQL, SQLite ≥ 3.33). `columns` are (name, SQL type); the first is the meeting id."""
    from django.db import connection

    table = Meeting._meta.db_table
    select = ", ".join(f"CAST(column{i + 1} AS {kind}) AS {name}" for i, (name, kind) in enumerate(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(part))
            if connection.vendor == "postgresql":  # PostgreSQL names VALUES columns column1, column2 …
                source = f"(SELECT {select} FROM (VALUES {values}) AS t) AS v"
            else:
                source = f"(SELECT {select} FROM (VALUES {values})) AS v"
            cursor.execute(f"UPDATE {table} SET {assignments} FROM {source} WHERE {table}.id = v.id",
                           list(params) + [x for row in part for x in row])


def _agendas(meetings) -> dict[int, frozenset]:
    out: dict[int, set] = {}
    for m in meetings:
        if m.status == Meeting.Status.SCHEDULED:
            entry = (m.pk, m.slot_id, m.table_id)
            out.setdefault(m.first_id, set()).add(entry)
            out.setdefault(m.second_id, set()).add(entry)
    return {k: frozenset(v) for k, v in out.items()}
