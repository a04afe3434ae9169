"""Tables after times: once every meeting has a slot, give it a location.

Meetings of a participant with an own booth go to that booth; the others
share the remaining tables. Where a previous schedule is given, a meeting
that keeps its slot also keeps its table when that table is still free, so
that re-scheduling moves nobody needlessly.

The tables never change the breaks, so they serve a second objective: fewer
table changes for each participant between consecutive meetings (organisers
and clusters with stands care). Slot by slot, in time order, the free tables
go to the meetings by an assignment that keeps as many people as possible at
the table of their previous meeting (`scipy.optimize.linear_sum_assignment`).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.optimize import linear_sum_assignment

from .problem import Problem


def assign_locations(problem: Problem, slot_of: dict[str, int],
                     previous: dict[str, tuple[int, str | None]] | None = None) -> dict[str, str]:
    """Meeting id -> location id. Raises ValueError when a slot holds more
    pool meetings than there are shared tables (the solvers never do that)."""
    booths = problem.booth_of()
    shared = problem.shared_locations()
    by_slot: dict[int, list[str]] = defaultdict(list)
    for mid, s in slot_of.items():
        by_slot[s].append(mid)
    out: dict[str, str] = {}
    last_table: dict[str, str] = {}  # participant -> the table of their latest meeting so far
    for s, mids in sorted(by_slot.items()):
        mids.sort(key=problem.meeting_index.get)
        free = list(shared)
        free_set = set(shared)
        pool: list[str] = []
        for mid in mids:
            m = problem.meetings[problem.meeting_index[mid]]
            owned = [booths[p] for p in m.participants if p in booths]
            if owned:
                out[mid] = owned[0]
            else:
                pool.append(mid)
        rest = []
        for mid in pool:  # keep previous tables first
            prev = (previous or {}).get(mid)
            if prev is not None and prev[0] == s and prev[1] in free_set:
                out[mid] = prev[1]
                free_set.discard(prev[1])
            else:
                rest.append(mid)
        free = [loc for loc in free if loc in free_set]
        if len(rest) > len(free):
            raise ValueError(f'slot "{problem.slots[s].id}" holds more meetings than shared locations')
        if rest:
            stays = np.zeros((len(rest), len(free)))
            column = {loc: j for j, loc in enumerate(free)}
            for i, mid in enumerate(rest):
                for p in problem.meetings[problem.meeting_index[mid]].participants:
                    if last_table.get(p) in column:
                        stays[i, column[last_table[p]]] += 1
            rows, cols = linear_sum_assignment(stays, maximize=True)
            for i, j in zip(rows, cols):
                out[rest[i]] = free[j]
        for mid in mids:
            for p in problem.meetings[problem.meeting_index[mid]].participants:
                last_table[p] = out[mid]
    return out


def table_changes(problem: Problem, slot_of: dict[str, int], location_of: dict[str, str]) -> int:
    """How many times a participant goes to another table between two of their consecutive meetings."""
    held: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for mid, s in slot_of.items():
        for p in problem.meetings[problem.meeting_index[mid]].participants:
            held[p].append((s, location_of[mid]))
    return sum(1 for seq in held.values() for (_, a), (_, b) in zip(sorted(seq), sorted(seq)[1:]) if a != b)
