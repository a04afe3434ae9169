"""Reasons in words when the required meetings cannot all fit.

Cheap counting arguments come first (they name one participant or one
meeting, which is what an organiser can act on); the solver's unsat core is
the fallback (`solver.py`).
"""

from __future__ import annotations

from collections import defaultdict

from .problem import Meeting, Problem


def describe(problem: Problem, m: Meeting) -> str:
    return f'"{m.id}" ({m.participants[0]} with {m.participants[1]})'


def obvious_reasons(problem: Problem) -> list[str]:
    """Counting arguments that prove infeasibility, most specific first."""
    reasons: list[str] = []
    required = [m for m in problem.meetings if m.required]
    for m in required:
        if problem.booth_conflict(m):
            reasons.append(f"required meeting {describe(problem, m)} joins two participants with different own booths")
        elif not problem.allowed_slots(m):
            where = f' in session "{m.session}"' if m.session else ""
            fixed = f' (fixed to slot "{m.fixed_slot}")' if m.fixed_slot else ""
            reasons.append(f"required meeting {describe(problem, m)} has no slot{where}{fixed} "
                           f"where both participants are available")
    if reasons:
        return reasons

    sessions = sorted({s.session for s in problem.slots if s.session is not None})
    by_person: dict[str, list[Meeting]] = defaultdict(list)
    for m in required:
        for p in m.participants:
            by_person[p].append(m)
    for p in problem.participants:
        mine = by_person.get(p.id, [])
        if not mine:
            continue
        available = [s for s in problem.slots if s.id not in p.unavailable]
        if p.max_meetings is not None and len(mine) > p.max_meetings:
            reasons.append(f'participant "{p.id}" has {len(mine)} required meetings but at most '
                           f"{p.max_meetings} meetings")
        elif len(mine) > len(available):
            reasons.append(f'participant "{p.id}" has {len(mine)} required meetings but '
                           f"{len(available)} available slots")
        else:
            # Meetings that can only use slots from a given set, against that set.
            usable: set[int] = set()
            for m in mine:
                usable.update(problem.allowed_slots(m))
            if len(mine) > len(usable):
                reasons.append(f'participant "{p.id}" has {len(mine)} required meetings but only '
                               f"{len(usable)} slots in which any of them can take place")
                continue
            for session in sessions:
                in_session = [m for m in mine if m.session == session]
                free = [s for s in available if s.session == session]
                if len(in_session) > len(free):
                    reasons.append(f'participant "{p.id}" has {len(in_session)} required meetings in '
                                   f'session "{session}" but {len(free)} available slots there')
    if reasons:
        return reasons

    pool = len(problem.shared_locations())
    fixed_per_slot: dict[str, int] = defaultdict(int)
    for m in required:
        if m.fixed_slot is not None and problem.location_of_meeting(m) is None:
            fixed_per_slot[m.fixed_slot] += 1
    for sid, n in fixed_per_slot.items():
        if n > pool:
            reasons.append(f'{n} required meetings are fixed to slot "{sid}" but there are {pool} shared locations')
    required_pool = sum(1 for m in required if problem.location_of_meeting(m) is None)
    if required_pool > pool * len(problem.slots):
        reasons.append(f"{required_pool} required meetings need a shared location but there are only "
                       f"{pool} locations × {len(problem.slots)} slots = {pool * len(problem.slots)} places")
    cycle = _precedence_cycle(problem)
    if cycle:
        reasons.append("meetings must each come after the other: " + " → ".join(f'"{c}"' for c in cycle))
    return reasons


def _precedence_cycle(problem: Problem) -> list[str] | None:
    after = {m.id: m.after for m in problem.meetings}
    colour: dict[str, int] = {}
    path: list[str] = []

    def visit(mid: str) -> list[str] | None:
        colour[mid] = 1
        path.append(mid)
        for nxt in after[mid]:
            if colour.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in colour:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        colour[mid] = 2
        return None

    for m in problem.meetings:
        if m.id not in colour:
            found = visit(m.id)
            if found:
                return found
    return None


def busy_slots(problem: Problem, slot_of: dict[str, int]) -> dict[str, set[int]]:
    busy: dict[str, set[int]] = {p.id: set() for p in problem.participants}
    for mid, s in slot_of.items():
        for p in problem.meetings[problem.meeting_index[mid]].participants:
            busy[p].add(s)
    return busy


def unscheduled_cause(problem: Problem, m: Meeting, slot_of: dict[str, int],
                      busy: dict[str, set[int]] | None = None) -> tuple[str, dict]:
    """Why an optional meeting was left out, as a code and its parameters (for pages that say it in
    the reader's language): booths, no_shared_slot, no_common_free_slot, max_meetings or no_table."""
    a, b = m.participants
    if problem.booth_conflict(m):
        return "booths", {"a": a, "b": b}
    allowed = problem.allowed_slots(m)
    if not allowed:
        return "no_shared_slot", {"a": a, "b": b, "session": m.session or ""}
    if busy is None:
        busy = busy_slots(problem, slot_of)
    free = [s for s in allowed if s not in busy[a] and s not in busy[b]]
    if not free:
        return "no_common_free_slot", {"a": a, "b": b}
    for p in m.participants:
        person = problem.participants[problem.participant_index[p]]
        if person.max_meetings is not None and len(busy[p]) >= person.max_meetings:
            return "max_meetings", {"a": p, "n": person.max_meetings}
    return "no_table", {"a": a, "b": b}


def unscheduled_reason(problem: Problem, m: Meeting, slot_of: dict[str, int],
                       busy: dict[str, set[int]] | None = None) -> str:
    """Why an optional meeting was left out, in the organiser's words.
    Pass `busy` (from `busy_slots`) when explaining many meetings."""
    code, p = unscheduled_cause(problem, m, slot_of, busy)
    if code == "booths":
        return f"{p['a']} and {p['b']} have different own booths"
    if code == "no_shared_slot":
        where = f' in session "{p["session"]}"' if p["session"] else ""
        return f"{p['a']} has no free slot{where} shared with {p['b']}"
    if code == "no_common_free_slot":
        return f"{p['a']} and {p['b']} have no common free slot left after higher-priority meetings"
    if code == "max_meetings":
        return f"{p['a']} has reached their maximum of {p['n']} meetings"
    return "no table was free in the slots both could attend; heavier meetings took them"
