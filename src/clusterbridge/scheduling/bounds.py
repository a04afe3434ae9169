"""Upper bounds on the scheduled weight, to tell how far a schedule of a
large event is from the best possible one.

The bound is the linear relaxation of a relaxed problem: each meeting is
held to a fraction y in [0, 1] (required ones fully); a participant holds
no more meetings than they have available slots (and than max_meetings),
nor more than that in any session their meetings are tied to; the shared
tables hold at most tables x slots meetings, per session too. Every real
schedule satisfies these, so the LP optimum bounds the best weight.

`slot_weight_upper_bound` is the tighter, slower one: the relaxation of the
time-indexed model, slot by slot, which also knows fixed slots, who is
unavailable when, a stand's one meeting per slot and precedences.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.linear_solver import pywraplp

from .problem import Problem


def weight_upper_bound(problem: Problem) -> float | None:
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        return None
    y = {}
    objective = solver.Objective()
    for m in problem.meetings:
        allowed = problem.allowed_slots(m)
        if not allowed or problem.booth_conflict(m):
            continue
        lower = 1.0 if m.required else 0.0
        y[m.id] = solver.NumVar(lower, 1.0, m.id)
        objective.SetCoefficient(y[m.id], m.weight)
    objective.SetMaximization()

    per_person = defaultdict(list)
    per_person_session = defaultdict(list)
    for m in problem.meetings:
        if m.id not in y:
            continue
        for p in m.participants:
            per_person[p].append(y[m.id])
            if m.session is not None:
                per_person_session[(p, m.session)].append(y[m.id])
    for p in problem.participants:
        available = [s for s in problem.slots if s.id not in p.unavailable]
        cap = len(available) if p.max_meetings is None else min(len(available), p.max_meetings)
        if per_person[p.id]:
            solver.Add(sum(per_person[p.id]) <= cap)
        for (pid, session), terms in per_person_session.items():
            if pid == p.id:
                solver.Add(sum(terms) <= sum(1 for s in available if s.session == session))

    pool = len(problem.shared_locations())
    pool_meetings = [m for m in problem.meetings if m.id in y and problem.location_of_meeting(m) is None]
    if pool_meetings:
        solver.Add(sum(y[m.id] for m in pool_meetings) <= pool * len(problem.slots))
        by_session = defaultdict(list)
        for m in pool_meetings:
            if m.session is not None:
                by_session[m.session].append(y[m.id])
        for session, terms in by_session.items():
            n = sum(1 for s in problem.slots if s.session == session)
            solver.Add(sum(terms) <= pool * n)
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return objective.Value()


def slot_weight_upper_bound(problem: Problem) -> float | None:
    """A tighter bound: the linear relaxation of the time-indexed model itself. Each meeting is held
    to a fraction y[m, s] in each slot it may take (unavailability, sessions and fixed slots are in
    which slots those are), at most once in all (required ones exactly once); nobody is in more than
    one meeting per slot, nor in more than max_meetings; a stand holds one meeting per slot, and the
    shared tables at most their number; a meeting after another is held by slot s only as far as the
    other is held before s. Every schedule satisfies these, and the aggregate bound above relaxes
    them further, so this one lies between the best schedule and that one."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        return None
    booths = problem.booth_of()
    n_slots = len(problem.slots)
    pool = len(problem.shared_locations())
    objective = solver.Objective()
    objective.SetMaximization()
    y: dict[str, dict[int, object]] = {}
    per_person_slot = defaultdict(list)
    per_person = defaultdict(list)
    per_place_slot = defaultdict(list)
    for m in problem.meetings:
        owned = {booths[p] for p in m.participants if p in booths}
        if len(owned) > 1:
            continue
        place = owned.pop() if owned else None
        y[m.id] = {}
        for s in problem.allowed_slots(m):
            v = solver.NumVar(0.0, 1.0, "")
            y[m.id][s] = v
            objective.SetCoefficient(v, m.weight)
            for p in m.participants:
                per_person_slot[(p, s)].append(v)
                per_person[p].append(v)
            per_place_slot[(place, s)].append(v)
        held = sum(y[m.id].values())
        if m.required:
            if not y[m.id]:
                return None  # a required meeting with no slot: no schedule at all
            solver.Add(held == 1)
        elif len(y[m.id]) > 1:
            solver.Add(held <= 1)
    for terms in per_person_slot.values():
        if len(terms) > 1:
            solver.Add(sum(terms) <= 1)
    for p in problem.participants:
        if p.max_meetings is not None and len(per_person[p.id]) > p.max_meetings:
            solver.Add(sum(per_person[p.id]) <= p.max_meetings)
    for (place, s), terms in per_place_slot.items():
        cap = 1 if place is not None else pool
        if len(terms) > cap:
            solver.Add(sum(terms) <= cap)
    for m in problem.meetings:
        for first in m.after:
            if m.id not in y or first not in y:
                continue
            for s in range(n_slots):
                by_s = [v for t, v in y[m.id].items() if t <= s]
                if by_s:
                    solver.Add(sum(by_s) <= sum([v for t, v in y[first].items() if t < s]))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return objective.Value()
