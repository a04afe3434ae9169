"""Finding the best schedule: exact CP-SAT search, large-neighbourhood
search around it, and proofs of optimality and infeasibility.

1. Counting arguments prove the obvious infeasibilities in words.
2. A gap-aware greedy gives a first schedule at once (it seeds the rest).
3. For events of moderate size, CP-SAT on the whole model finds a schedule
   and a proven bound, and often proves optimality outright.
4. Large-neighbourhood search re-solves parts (all meetings of a few
   related participants, or of a few consecutive slots) exactly with the
   rest fixed; it is what finds low-break schedules fast and what handles
   events of thousands of participants.
5. The result is OPTIMAL when its objective meets the proven bound.
"""

from __future__ import annotations

import time
from dataclasses import replace

from ortools.sat.python import cp_model

from .greedy import gap_aware_greedy
from .infeasibility import busy_slots, describe, obvious_reasons, unscheduled_reason
from .locations import assign_locations
from .model import Frame, SlotModel
from .problem import Problem
from .satmodel import applicable as sat_applicable
from .schedule import (
    FEASIBLE,
    INFEASIBLE,
    OPTIMAL,
    UNKNOWN,
    Assignment,
    Schedule,
    participant_breaks,
)
from .search import FULL_MODEL_LIMIT, Search, SolveOptions


def solve(problem: Problem, options: SolveOptions | None = None) -> Schedule:
    """Best schedule within the time limit.

    The caller can rely on: OPTIMAL and FEASIBLE schedules pass `check`;
    OPTIMAL is proven; INFEASIBLE carries a `reason` in words; meetings of
    `options.start` keep their slots whenever that is possible at all. With
    one worker, a search that proves optimality before the time limit gives
    the same schedule for the same problem and seed; runs cut by the time
    limit, or with several CP-SAT workers, may differ.
    """
    options = options or SolveOptions()
    started = time.monotonic()
    reasons = obvious_reasons(problem)
    if reasons:
        shown = "; ".join(reasons[:5]) + (f" (and {len(reasons) - 5} more)" if len(reasons) > 5 else "")
        return Schedule(status=INFEASIBLE, reason=shown, seconds=time.monotonic() - started)

    previous = _previous(problem, options.start)
    keep = {mid: s for mid, (s, _) in previous.items()
            if s in problem.allowed_slots(problem.meetings[problem.meeting_index[mid]])}
    search = Search(problem, options, keep)
    search.offer(gap_aware_greedy(problem, keep=keep))

    size = sum(len(problem.allowed_slots(m)) for m in problem.meetings)
    if size <= FULL_MODEL_LIMIT or search.best is None:
        code = cp_model.UNKNOWN
        climbable = size <= FULL_MODEL_LIMIT and not keep and all(m.required for m in problem.meetings)
        if climbable and sat_applicable(problem):
            if search.sat_ascend(until=time.monotonic() + search.left() * 0.85):
                code = cp_model.INFEASIBLE
        else:
            search.per_participant_bounds(budget=min(2.0, options.time_limit * 0.05))
            if climbable and search.ascend(until=time.monotonic() + search.left() * 0.6):
                code = cp_model.INFEASIBLE
        for hard_keep in ([True, False] if keep else [False]):
            if search.proven_optimal() or code == cp_model.INFEASIBLE or (climbable and search.best):
                break
            share = 0.25 if size <= FULL_MODEL_LIMIT else 0.6
            if search.best is None:  # the exact search found nothing yet: a schedule first
                share = 0.7
            code = search.full_model(max(0.5, search.left() * share), hard_keep)
            if code != cp_model.INFEASIBLE:
                break
            # Keeping every previous meeting in place is impossible: let some move.
        if code == cp_model.INFEASIBLE:
            reason = _core_reason(problem, options) if options.explain_infeasible else \
                "the required meetings cannot all be placed"
            return Schedule(status=INFEASIBLE, reason=reason, seconds=time.monotonic() - started)
    if search.best is not None and not search.proven_optimal():
        share = 0.4 if size <= FULL_MODEL_LIMIT else 0.85
        search.local_search(until=time.monotonic() + search.left() * share)
    if search.best is not None and not search.proven_optimal():
        # Leave time to write the result out: about a second per 10,000 meetings.
        reserve = min(options.time_limit * 0.1, 0.3 + len(problem.meetings) / 10_000)
        search.lns(until=search.deadline - reserve)
    if search.best is None:
        return Schedule(status=UNKNOWN, reason="no schedule found within the time limit",
                        seconds=time.monotonic() - started)

    status = OPTIMAL if search.proven_optimal() else FEASIBLE
    schedule = _finish(problem, search.best.slot_of, status, started, previous)
    if status == OPTIMAL:
        schedule.breaks_bound, schedule.weight_bound = schedule.breaks_total, schedule.scheduled_weight
    elif search.bound is not None:
        _, weight_bound, neg_breaks = search.bound
        schedule.weight_bound = max(weight_bound, schedule.scheduled_weight)
        schedule.breaks_bound = (max(0, -neg_breaks) if weight_bound <= schedule.scheduled_weight else 0)
        schedule.breaks_bound = max(schedule.breaks_bound, sum(search.lower_bounds.values()))
    else:
        schedule.breaks_bound = sum(search.lower_bounds.values())
    if options.progress is not None:
        options.progress(1.0, {"breaks": schedule.breaks_total, "scheduled_weight": schedule.scheduled_weight})
    return schedule


def _finish(problem: Problem, slot_of: dict[str, int], status: str, started: float,
            previous: dict[str, tuple[int, str | None]]) -> Schedule:
    locations = assign_locations(problem, slot_of, previous)
    assignments = [Assignment(meeting=mid, slot=problem.slots[slot_of[mid]].id, location=locations[mid])
                   for mid in sorted(slot_of, key=problem.meeting_index.get)]
    breaks = participant_breaks(problem, slot_of)
    busy = busy_slots(problem, slot_of)
    unscheduled = [{"meeting": m.id, "reason": unscheduled_reason(problem, m, slot_of, busy)}
                   for m in problem.meetings if m.id not in slot_of]
    moved = []
    for mid, (s, _) in previous.items():
        meeting = problem.meetings[problem.meeting_index[mid]]
        if mid not in slot_of:
            moved.append({"meeting": mid, "from": problem.slots[s].id, "to": None,
                          "why": "no longer fits: " + unscheduled_reason(problem, meeting, slot_of, busy)})
        elif slot_of[mid] != s:
            why = ("its slot is no longer possible for it" if s not in problem.allowed_slots(meeting)
                   else "moved so that the required meetings fit")
            moved.append({"meeting": mid, "from": problem.slots[s].id,
                          "to": problem.slots[slot_of[mid]].id, "why": why})
    return Schedule(
        status=status,
        assignments=assignments,
        unscheduled=unscheduled,
        scheduled_weight=sum(problem.meetings[problem.meeting_index[mid]].weight for mid in slot_of),
        breaks_total=sum(breaks.values()),
        breaks=breaks,
        seconds=time.monotonic() - started,
        moved=moved,
    )


def _previous(problem: Problem, start: list[Assignment] | None) -> dict[str, tuple[int, str | None]]:
    out = {}
    for a in start or []:
        if a.meeting in problem.meeting_index and a.slot in problem.slot_index:
            out[a.meeting] = (problem.slot_index[a.slot], a.location)
    return out


def _core_reason(problem: Problem, options: SolveOptions) -> str:
    """A small set of required meetings that cannot all be placed, from the
    solver's unsat core, shrunk by deletion while time allows."""
    deadline = time.monotonic() + min(20.0, max(2.0, options.time_limit / 4))

    def infeasible_with(subset: set[str]) -> tuple[bool, set[str]]:
        meetings = [m for m in problem.meetings if not m.required or m.id in subset]
        held = {m.id for m in meetings}  # a precedence on a meeting left out of the subset is left out too
        meetings = [replace(m, after=tuple(a for a in m.after if a in held)) for m in meetings]
        sub = Problem(slots=problem.slots, locations=problem.locations, participants=problem.participants,
                      meetings=meetings, fairness=problem.fairness)
        model = SlotModel(sub, Frame(free=meetings, fixed={}, keep={}, pinned={}, full=True))
        model.m.clear_objective()
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.2, deadline - time.monotonic())
        solver.parameters.num_workers = 1
        return solver.solve(model.m) == cp_model.INFEASIBLE, subset

    required = {m.id for m in problem.meetings if m.required}
    ok, core = infeasible_with(required)
    if not ok:
        return "the required meetings cannot all be placed together"
    # Deletion: drop a meeting whenever the rest stays infeasible.
    for mid in sorted(core, key=problem.meeting_index.get):
        if time.monotonic() > deadline:
            break
        still, _ = infeasible_with(core - {mid})
        if still:
            core = core - {mid}
    meetings = [problem.meetings[problem.meeting_index[mid]] for mid in sorted(core, key=problem.meeting_index.get)]
    people = sorted({p for m in meetings for p in m.participants}, key=problem.participant_index.get)
    shown = ", ".join(describe(problem, m) for m in meetings[:12])
    more = f" and {len(meetings) - 12} more" if len(meetings) > 12 else ""
    return (f"these {len(meetings)} required meetings cannot all be placed together: {shown}{more} "
            f"(participants involved: {', '.join(people[:15])}{'…' if len(people) > 15 else ''})")
