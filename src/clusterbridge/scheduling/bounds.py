"""Upper bounds on the scheduled weight, to tell how far a schedule of a
large event is from the best possible one.

The bound is the linear relaxation of a relaxed problem: each meeting is
held to a fraction y in [0, 1] (required ones fully); a participant holds
no more meetings than they have available slots (and than max_meetings),
nor more than that in any session their meetings are tied to; the shared
tables hold at most tables x slots meetings, per session too. Every real
schedule satisfies these, so the LP optimum bounds the best weight.
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
