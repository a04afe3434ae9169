"""Constructive schedules: the first-come-first-served baseline that events
use today, and a gap-aware greedy that seeds the exact search.

Both work on slot indexes only; locations are given afterwards
(`locations.assign_locations`), since interchangeable tables only bound the
number of meetings per slot.
"""

from __future__ import annotations

from .problem import Meeting, Problem


class SlotState:
    """Who is busy when, and how many tables are left, while building."""

    def __init__(self, problem: Problem):
        self.problem = problem
        n_slots = len(problem.slots)
        self.busy: dict[str, set[int]] = {p.id: set() for p in problem.participants}
        self.count: dict[str, int] = {p.id: 0 for p in problem.participants}
        self.cap: dict[str, int] = {p.id: (p.max_meetings if p.max_meetings is not None else n_slots)
                                    for p in problem.participants}
        self.pool_left = [len(problem.shared_locations())] * n_slots
        self.booth_used: dict[str, set[int]] = {}
        self.slot_of: dict[str, int] = {}
        booth_of = problem.booth_of()
        self._booth: dict[str, str | None] = {}
        for m in problem.meetings:
            owned = [booth_of[p] for p in m.participants if p in booth_of]
            self._booth[m.id] = owned[0] if owned else None

    def booth(self, m: Meeting) -> str | None:
        return self._booth[m.id]

    def can_place(self, m: Meeting, s: int) -> bool:
        a, b = m.participants
        if s in self.busy[a] or s in self.busy[b]:
            return False
        if self.count[a] >= self.cap[a] or self.count[b] >= self.cap[b]:
            return False
        booth = self.booth(m)
        if booth is None:
            if self.pool_left[s] <= 0:
                return False
        elif s in self.booth_used.get(booth, ()):
            return False
        for before in m.after:
            sb = self.slot_of.get(before)
            if sb is None or sb >= s:
                return False
        return True

    def place(self, m: Meeting, s: int) -> None:
        for p in m.participants:
            self.busy[p].add(s)
            self.count[p] += 1
        booth = self.booth(m)
        if booth is None:
            self.pool_left[s] -= 1
        else:
            self.booth_used.setdefault(booth, set()).add(s)
        self.slot_of[m.id] = s

    def remove(self, m: Meeting) -> None:
        s = self.slot_of.pop(m.id)
        for p in m.participants:
            self.busy[p].discard(s)
            self.count[p] -= 1
        booth = self.booth(m)
        if booth is None:
            self.pool_left[s] += 1
        else:
            self.booth_used[booth].discard(s)

    def added_breaks(self, m: Meeting, s: int) -> int:
        """How many breaks placing m in slot s adds (negative when it closes a gap)."""
        total = 0
        for p in m.participants:
            busy = self.busy[p]
            if not busy:
                continue
            left, right = (s - 1) in busy, (s + 1) in busy
            if left and right:
                total -= 1  # fills a one-slot gap
            elif not (left or right):
                total += 1  # a new island: one more gap
        return total


def _precedence_order(problem: Problem, meetings: list[Meeting]) -> list[Meeting]:
    """Stable order in which every meeting comes after those it must follow."""
    by_id = {m.id: m for m in meetings}
    placed: set[str] = set()
    out: list[Meeting] = []

    def visit(m: Meeting, stack: set[str]) -> None:
        if m.id in placed or m.id in stack:
            return
        stack.add(m.id)
        for before in m.after:
            if before in by_id:
                visit(by_id[before], stack)
        stack.discard(m.id)
        placed.add(m.id)
        out.append(m)

    for m in meetings:
        visit(m, set())
    return out


def first_come_first_served(problem: Problem) -> dict[str, int]:
    """Today's practice: meetings in the order they were requested, each in
    the earliest slot where both people and a table are free."""
    state = SlotState(problem)
    for m in _precedence_order(problem, problem.meetings):
        for s in problem.allowed_slots(m):
            if state.can_place(m, s):
                state.place(m, s)
                break
    return state.slot_of


def gap_aware_greedy(problem: Problem, keep: dict[str, int] | None = None) -> dict[str, int]:
    """Required and pinned meetings first, then heavier and harder-to-place
    ones; each goes to the slot that adds the fewest breaks (earliest on
    ties). `keep` places those meetings first where they were."""
    state = SlotState(problem)
    allowed = {m.id: problem.allowed_slots(m) for m in problem.meetings}
    if keep:
        for m in _precedence_order(problem, [m for m in problem.meetings if m.id in keep]):
            s = keep[m.id]
            if s in allowed[m.id] and state.can_place(m, s):
                state.place(m, s)
    degree: dict[str, int] = {p.id: 0 for p in problem.participants}
    for m in problem.meetings:
        for p in m.participants:
            degree[p] += 1

    def priority(m: Meeting) -> tuple:
        return (
            0 if m.fixed_slot is not None else 1,
            0 if m.required else 1,
            -m.weight,
            len(allowed[m.id]),
            -(degree[m.participants[0]] + degree[m.participants[1]]),
            problem.meeting_index[m.id],
        )

    pending = [m for m in problem.meetings if m.id not in state.slot_of]
    ordered = sorted(pending, key=priority)
    ordered = _precedence_order(problem, ordered)
    for m in ordered:
        best, best_cost = None, None
        for s in allowed[m.id]:
            if not state.can_place(m, s):
                continue
            cost = state.added_breaks(m, s)
            if best_cost is None or cost < best_cost:
                best, best_cost = s, cost
                if cost < 0:
                    break
        if best is not None:
            state.place(m, best)
    return state.slot_of
