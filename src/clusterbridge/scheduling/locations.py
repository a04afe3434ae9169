"""Tables after times: once every meeting has a slot, give it a location.

Meetings of a participant with an own booth go to that booth; the others
share the remaining tables. Where a previous schedule is given, a meeting
that keeps its slot also keeps its table when that table is still free, so
that re-scheduling moves nobody needlessly.
"""

from __future__ import annotations

from collections import defaultdict

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
        for mid, loc in zip(rest, free):
            out[mid] = loc
    return out
