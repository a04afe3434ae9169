"""Fast local search on a feasible schedule: insert unscheduled requests,
move meetings to other slots and swap the slots of two meetings of one
participant, accepting moves that do not worsen (weight, -breaks), with a
little simulated annealing on breaks to leave plateaus. Most moves are
Kempe-chain moves (`kempe.py`) aimed at someone's gap: they reach slots where
a partner is busy, which single moves cannot, and took a 1,500-participant
event with one table per four people from 0.42 to 0.26 of first-come-first-
served's breaks in 60 s.

It evaluates a move by recounting the breaks of the two to four people
involved, so it makes hundreds of thousands of moves a minute in plain
Python and carries events of thousands of participants; the CP-SAT
neighbourhoods then finish the work exactly.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter

from .greedy import SlotState
from .kempe import KempeMoves
from .problem import Problem
from .schedule import breaks_of

# How often a move starts from someone with a break, and then how often it is a Kempe-chain move
# (measured on generated events of 1,500 participants: 0.6 / 0.5 gave 1,900 breaks in 30 s, 0.85 / 0.9 gave 1,750).
BROKEN_SHARE = 0.85
KEMPE_SHARE = 0.9


class _Bag:
    """A set with O(1) random choice."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.pos: dict[str, int] = {}

    def add(self, item: str) -> None:
        if item not in self.pos:
            self.pos[item] = len(self.items)
            self.items.append(item)

    def discard(self, item: str) -> None:
        i = self.pos.pop(item, None)
        if i is None:
            return
        last = self.items.pop()
        if i < len(self.items):
            self.items[i] = last
            self.pos[last] = i

    def choice(self, rng: random.Random) -> str | None:
        return self.items[rng.randrange(len(self.items))] if self.items else None


class LocalSearch(KempeMoves):
    def __init__(self, problem: Problem, slot_of: dict[str, int], frozen: set[str], seed: int):
        self.problem = problem
        self.rng = random.Random(seed)
        self.state = SlotState(problem)
        self.meetings = {m.id: m for m in problem.meetings}
        for m in problem.meetings:
            if m.id in slot_of:
                self.state.place(m, slot_of[m.id])
        # Meetings tied by precedence or pinned stay where they are.
        tied = {b for m in problem.meetings for b in m.after} | {m.id for m in problem.meetings if m.after}
        self.frozen = set(frozen) | tied
        self.allowed = {m.id: [s for s in problem.allowed_slots(m)] for m in problem.meetings}
        self.allowed_set = {mid: set(slots) for mid, slots in self.allowed.items()}
        self.by_person: dict[str, list[str]] = {p.id: [] for p in problem.participants}
        for m in problem.meetings:
            for p in m.participants:
                self.by_person[p].append(m.id)
        self.breaks = {p: breaks_of(self.state.busy[p]) for p in self.by_person}
        self.fairness = problem.fairness
        self.histogram = Counter(b for p, b in self.breaks.items() if self.state.busy[p])
        self.total = sum(self.breaks.values())
        self.at: dict[int, _Bag] = {s: _Bag() for s in range(len(problem.slots))}
        self.person_at: dict[tuple[str, int], str] = {}
        for mid, slot in self.state.slot_of.items():
            self.at[slot].add(mid)
            for p in self.meetings[mid].participants:
                self.person_at[(p, slot)] = mid
        self.weight = sum(self.meetings[mid].weight for mid in self.state.slot_of)

    # --- helpers -----------------------------------------------------------
    @property
    def slot_of(self) -> dict[str, int]:
        return self.state.slot_of

    def key(self) -> tuple[int, int]:
        return (self.weight, -self.total)

    def _fair_after(self, changes: dict[str, int]) -> bool:
        if self.fairness is None:
            return True
        hist = self.histogram.copy()
        for p, new in changes.items():
            if self.state.busy[p]:
                hist[self.breaks[p]] -= 1
            if new is not None:
                hist[new] += 1
        present = [b for b, n in hist.items() if n > 0]
        return not present or max(present) - min(present) <= self.fairness

    def _commit(self, changes: dict[str, int]) -> None:
        """Record new break counts (called after the busy sets changed)."""
        for p, new in changes.items():
            self.total += new - self.breaks[p]
            self.breaks[p] = new
        if self.fairness is not None:
            self.histogram = Counter(b for p, b in self.breaks.items() if self.state.busy[p])

    def _breaks_with(self, p: str, remove: int | None, add: int | None) -> int:
        busy = set(self.state.busy[p])
        if remove is not None:
            busy.discard(remove)
        if add is not None:
            busy.add(add)
        return breaks_of(busy)

    def _place(self, mid: str, s: int) -> None:
        self.state.place(self.meetings[mid], s)
        self.at[s].add(mid)
        for p in self.meetings[mid].participants:
            self.person_at[(p, s)] = mid

    def _remove(self, mid: str) -> None:
        s = self.slot_of[mid]
        self.at[s].discard(mid)
        for p in self.meetings[mid].participants:
            self.person_at.pop((p, s), None)
        self.state.remove(self.meetings[mid])

    # --- moves ---------------------------------------------------------------
    def try_insert(self, mid: str) -> bool:
        m = self.meetings[mid]
        best, best_delta, best_new = None, None, None
        for s in self.allowed[mid]:
            if not self.state.can_place(m, s):
                continue
            new = {p: self._breaks_with(p, None, s) for p in m.participants}
            delta = sum(new[p] - self.breaks[p] for p in m.participants)
            if best_delta is None or delta < best_delta:
                if self._fair_after(new):
                    best, best_delta, best_new = s, delta, new
        if best is None:
            return False
        self._place(mid, best)
        self._commit(best_new)
        self.weight += m.weight
        return True

    def try_relocate(self, mid: str, temperature: float) -> bool:
        m = self.meetings[mid]
        old = self.slot_of[mid]
        if self.rng.random() < 0.7:
            # Next to someone's other meetings: where breaks close.
            near = set()
            for p in m.participants:
                for b in self.state.busy[p]:
                    near.add(b - 1)
                    near.add(b + 1)
            allowed = set(self.allowed[mid])
            options = [s for s in near if s in allowed and s != old]
        else:
            options = [s for s in self.allowed[mid] if s != old]
        if not options:
            return False
        s = self.rng.choice(options)
        self._remove(mid)
        if not self.state.can_place(m, s):
            self._place(mid, old)
            return self.try_exchange(mid, s, temperature)
        new = {p: self._breaks_with(p, None, s) for p in m.participants}
        delta = sum(new[p] - self.breaks[p] for p in m.participants)
        if self._accept(delta, temperature) and self._fair_after(new):
            self._place(mid, s)
            self._commit(new)
            return True
        self._place(mid, old)
        return False

    def try_exchange(self, mid: str, s2: int, temperature: float) -> bool:
        """Exchange slots with a meeting held in s2 (tables stay balanced, which
        matters when every table is taken)."""
        m1 = self.meetings[mid]
        s1 = self.slot_of[mid]
        other = self.at[s2].choice(self.rng)
        if other is None or other in self.frozen:
            return False
        m2 = self.meetings[other]
        if s2 not in self.allowed[mid] or s1 not in self.allowed[other]:
            return False
        if self.state.booth(m1) != self.state.booth(m2):
            return False
        p1, p2 = set(m1.participants), set(m2.participants)
        for p in p1 - p2:
            if s2 in self.state.busy[p]:
                return False
        for p in p2 - p1:
            if s1 in self.state.busy[p]:
                return False
        new = {}
        for p in p1 | p2:
            if p in p1 and p in p2:
                continue  # busy in both slots before and after
            new[p] = self._breaks_with(p, s1, s2) if p in p1 else self._breaks_with(p, s2, s1)
        delta = sum(new[p] - self.breaks[p] for p in new)
        if not (self._accept(delta, temperature) and self._fair_after(new)):
            return False
        self._remove(mid)
        self._remove(other)
        self._place(mid, s2)
        self._place(other, s1)
        self._commit(new)
        return True

    def try_replace(self, mid: str) -> bool:
        """Put an unscheduled request in place of lighter meetings that block
        it: those of its two participants in a slot, and a table if none is free."""
        m = self.meetings[mid]
        for s in self.rng.sample(self.allowed[mid], len(self.allowed[mid])):
            victims = {self.person_at[(p, s)] for p in m.participants if (p, s) in self.person_at}
            if not victims and self.state.can_place(m, s):
                return self.try_insert(mid)
            if any(v in self.frozen or self.meetings[v].required for v in victims):
                continue
            if sum(self.meetings[v].weight for v in victims) >= m.weight:
                continue
            booth = self.state.booth(m)
            freed_table = any(self.state.booth(self.meetings[v]) == booth for v in victims)
            if booth is None and not freed_table and self.state.pool_left[s] <= 0:
                extra = self.at[s].choice(self.rng)
                if (extra is None or extra in self.frozen or self.meetings[extra].required
                        or self.state.booth(self.meetings[extra]) is not None
                        or sum(self.meetings[v].weight for v in victims) + self.meetings[extra].weight >= m.weight):
                    continue
                victims.add(extra)
            removed = [(v, self.slot_of[v]) for v in victims]
            for v, _ in removed:
                self._remove(v)
            if not self.state.can_place(m, s):
                for v, slot in removed:
                    self._place(v, slot)
                continue
            self._place(mid, s)
            touched = set(m.participants) | {p for v in victims for p in self.meetings[v].participants}
            new = {p: breaks_of(self.state.busy[p]) for p in touched}
            if not self._fair_after(new):
                self._remove(mid)
                for v, slot in removed:
                    self._place(v, slot)
                continue
            self._commit(new)
            self.weight += m.weight - sum(self.meetings[v].weight for v, _ in removed)
            return True
        return False

    def try_swap(self, p: str, temperature: float) -> bool:
        """Exchange the slots of two meetings of p: p's own day is unchanged,
        the two partners' days change."""
        mine = [mid for mid in self.by_person[p] if mid in self.slot_of and mid not in self.frozen]
        if len(mine) < 2:
            return False
        a, b = self.rng.sample(mine, 2)
        ma, mb = self.meetings[a], self.meetings[b]
        sa, sb = self.slot_of[a], self.slot_of[b]
        if sb not in self.allowed[a] or sa not in self.allowed[b]:
            return False
        qa = ma.participants[1] if ma.participants[0] == p else ma.participants[0]
        qb = mb.participants[1] if mb.participants[0] == p else mb.participants[0]
        if qa == qb or sb in self.state.busy[qa] or sa in self.state.busy[qb]:
            return False
        if self.state.booth(ma) != self.state.booth(mb):
            return False
        new = {qa: self._breaks_with(qa, sa, sb), qb: self._breaks_with(qb, sb, sa)}
        delta = sum(new[q] - self.breaks[q] for q in new)
        if not (self._accept(delta, temperature) and self._fair_after(new)):
            return False
        self._remove(a)
        self._remove(b)
        self._place(a, sb)
        self._place(b, sa)
        self._commit(new)
        return True

    def _accept(self, delta: int, temperature: float) -> bool:
        if delta <= 0:
            return True
        return temperature > 0 and self.rng.random() < math.exp(-delta / temperature)

    # --- the loop --------------------------------------------------------------
    def run(self, until: float, on_progress=None, target_breaks: int = 0, stop=None) -> dict[str, int]:
        """Improve until the monotonic deadline, until the breaks reach
        `target_breaks` (a proven lower bound), until moves stop helping or
        until `stop()` says so (the organiser pressed stop); returns the best
        schedule seen."""
        unscheduled = [m.id for m in sorted(self.problem.meetings, key=lambda m: -m.weight)
                       if m.id not in self.slot_of]
        for mid in unscheduled:
            if not self.try_insert(mid):
                self.try_insert_kempe(mid)
        best = dict(self.slot_of)
        best_key = self.key()
        people = [p for p in self.by_person if self.by_person[p]]
        n_slots = len(self.problem.slots)
        start = time.monotonic()
        span = max(1e-3, until - start)
        step = 0
        last_gain = 0
        stall_limit = max(50_000, 100 * len(self.meetings))
        while True:
            step += 1
            if step % 256 == 0:
                now = time.monotonic()
                if (now >= until or -best_key[1] <= target_breaks or step - last_gain > stall_limit
                        or (stop is not None and stop())):
                    break
                if step % 4096 == 0:
                    # A new slot may have freed up for an unscheduled request.
                    for mid in [m for m in unscheduled if m not in self.slot_of][:200]:
                        if not (self.try_insert(mid) or self.try_insert_kempe(mid)):
                            self.try_replace(mid)
                    if on_progress:
                        on_progress(best_key)
                temperature = 0.6 * max(0.0, 1 - (now - start) / (0.8 * span))
            else:
                temperature = temperature if step > 256 else 0.6
            broken = None
            if self.rng.random() < BROKEN_SHARE:
                candidates = [p for p in self.rng.sample(people, min(8, len(people))) if self.breaks[p] > 0]
                broken = candidates[0] if candidates else None
            if broken is not None:
                mine = [mid for mid in self.by_person[broken] if mid in self.slot_of and mid not in self.frozen]
                if self.rng.random() < KEMPE_SHARE:
                    self.kempe_for(broken, temperature)
                elif mine and self.rng.random() < 0.5:
                    self.try_relocate(self.rng.choice(mine), temperature)
                else:
                    self.try_swap(self.rng.choice(self.meetings[self.rng.choice(mine)].participants)
                                  if mine else broken, temperature)
            else:
                mid = self.at[self.rng.randrange(n_slots)].choice(self.rng)
                if mid is not None and mid not in self.frozen:
                    self.try_relocate(mid, temperature)
            if self.key() > best_key:
                best, best_key = dict(self.slot_of), self.key()
                last_gain = step
        if self.key() >= best_key:
            best = dict(self.slot_of)
        return best
