"""The CP-SAT model of slot assignment, over all meetings or over a free
part of them with the rest fixed (the large-neighbourhood search re-solves
such parts).

x[m, s] says meeting m is held in slot s; tables are given afterwards
(`locations.py`), since interchangeable tables only bound the meetings per
slot. Breaks are counted exactly: start[p, s] is true iff p is busy in s and
not in s - 1, so a participant's breaks are their blocks of consecutive
meetings minus one, and fairness compares true numbers.

Objective, lexicographic by scaled weights: keep a previous schedule's
meetings where they were (re-scheduling), then the largest scheduled
weight, then the fewest breaks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .problem import Meeting, Problem


@dataclass
class Frame:
    """What the model decides and what it takes as given."""

    free: list[Meeting]
    fixed: dict[str, int]  # meeting id -> slot index, held where it is
    keep: dict[str, int]  # meeting id -> slot of the previous schedule (soft)
    pinned: dict[str, int]  # meeting id -> slot that may not change (hard)
    breaks_range: tuple[int, int] | None = None  # fairness window for a partial model
    full: bool = True


class SlotModel:
    def __init__(self, problem: Problem, frame: Frame, lower_bounds: dict[str, int] | None = None):
        self.problem = problem
        self.frame = frame
        self.m = m = cp_model.CpModel()
        n_slots = len(problem.slots)
        booths = problem.booth_of()
        fixed = frame.fixed
        free_ids = {mt.id for mt in frame.free}

        # What the fixed meetings occupy.
        fixed_busy: set[tuple[str, int]] = set()
        fixed_count: dict[str, int] = defaultdict(int)
        pool_left = [len(problem.shared_locations())] * n_slots
        booth_taken: set[tuple[str, int]] = set()
        for mid, s in fixed.items():
            mt = problem.meetings[problem.meeting_index[mid]]
            for p in mt.participants:
                fixed_busy.add((p, s))
                fixed_count[p] += 1
            owned = [booths[p] for p in mt.participants if p in booths]
            if owned:
                booth_taken.add((owned[0], s))
            else:
                pool_left[s] -= 1

        # Earliest and latest slots from precedence with fixed meetings.
        earliest: dict[str, int] = {}
        latest: dict[str, int] = {}
        must_schedule: set[str] = set()
        for mt in problem.meetings:
            for before in mt.after:
                if mt.id in free_ids and before in fixed:
                    earliest[mt.id] = max(earliest.get(mt.id, 0), fixed[before] + 1)
                if before in free_ids and mt.id in fixed:
                    latest[before] = min(latest.get(before, n_slots), fixed[mt.id] - 1)
                    must_schedule.add(before)

        self.x: dict[str, dict[int, cp_model.IntVar]] = {}
        self.scheduled: dict[str, object] = {}
        cells: dict[tuple[str, int], list] = defaultdict(list)
        pool_vars: list[list] = [[] for _ in range(n_slots)]
        booth_vars: dict[tuple[str, int], list] = defaultdict(list)
        self.infeasible_free: list[str] = []
        for mt in frame.free:
            allowed = [] if problem.booth_conflict(mt) else problem.allowed_slots(mt)
            if mt.id in frame.pinned:
                allowed = [s for s in allowed if s == frame.pinned[mt.id]]
            lo, hi = earliest.get(mt.id, 0), latest.get(mt.id, n_slots)
            owned = [booths[p] for p in mt.participants if p in booths]
            allowed = [s for s in allowed if lo <= s <= hi
                       and (mt.participants[0], s) not in fixed_busy
                       and (mt.participants[1], s) not in fixed_busy
                       and ((owned[0], s) not in booth_taken if owned else pool_left[s] > 0)]
            if any(b not in fixed and b not in free_ids for b in mt.after):
                allowed = []  # follows a meeting that is not held
            xs = {s: m.new_bool_var(f"x_{mt.id}_{s}") for s in allowed}
            self.x[mt.id] = xs
            total = sum(xs.values()) if xs else 0
            if mt.required or mt.id in frame.pinned or mt.id in must_schedule:
                if not xs:
                    self.infeasible_free.append(mt.id)
                    m.add_bool_or([])
                else:
                    m.add_exactly_one(xs.values())
                self.scheduled[mt.id] = 1
            elif xs:
                sv = m.new_bool_var(f"s_{mt.id}")
                m.add(total == sv)
                self.scheduled[mt.id] = sv
            else:
                self.scheduled[mt.id] = 0
            for s, v in xs.items():
                for p in mt.participants:
                    cells[(p, s)].append(v)
                if owned:
                    booth_vars[(owned[0], s)].append(v)
                else:
                    pool_vars[s].append(v)

        for s, vs in enumerate(pool_vars):
            if len(vs) > pool_left[s]:
                m.add(sum(vs) <= pool_left[s])
        for vs in booth_vars.values():
            if len(vs) > 1:
                m.add_at_most_one(vs)

        # Precedence among free meetings.
        for mt in frame.free:
            sm = self.scheduled[mt.id]
            for before in mt.after:
                if before not in free_ids or not self.x[mt.id]:
                    continue
                sb = self.scheduled[before]
                if not self.x[before]:
                    if isinstance(sm, int):
                        m.add_bool_or([])
                    else:
                        m.add(sm == 0)
                    continue
                if isinstance(sm, int):
                    if not isinstance(sb, int):
                        m.add(sb == 1)
                elif not isinstance(sb, int):
                    m.add_implication(sm, sb)
                t_m = sum(s * v for s, v in self.x[mt.id].items())
                t_b = sum(s * v for s, v in self.x[before].items())
                c = m.add(t_b + 1 <= t_m)
                if not isinstance(sm, int):
                    c.only_enforce_if(sm)

        # Participants whose breaks this model decides.
        involved: dict[str, list[Meeting]] = defaultdict(list)
        for mt in frame.free:
            for p in mt.participants:
                involved[p].append(mt)

        # max_meetings, for what is left after the fixed meetings.
        for pid, mine in involved.items():
            person = problem.participants[problem.participant_index[pid]]
            if person.max_meetings is not None:
                left = person.max_meetings - fixed_count[pid]
                terms = [self.scheduled[mt.id] for mt in mine]
                if len(terms) > left:
                    m.add(sum(terms) <= left)

        self.busy: dict[tuple[str, int], object] = {}
        for (p, s), vs in cells.items():
            if len(vs) == 1:
                self.busy[(p, s)] = vs[0]
            else:
                b = m.new_bool_var(f"busy_{p}_{s}")
                m.add(sum(vs) == b)  # at most one meeting at a time
                self.busy[(p, s)] = b

        self.breaks: dict[str, object] = {}
        self.break_literals: list = []
        self.break_offset = 0
        self.has: dict[str, object] = {}
        for pid, mine in involved.items():
            row = [1 if (pid, s) in fixed_busy else self.busy.get((pid, s), 0) for s in range(n_slots)]
            self._breaks_of(pid, row, mine, fixed_count[pid], (lower_bounds or {}).get(pid, 0))

        if problem.fairness is not None and self.breaks:
            if frame.full:
                hi = m.new_int_var(0, n_slots, "max_breaks")
                lo = m.new_int_var(0, n_slots, "min_breaks")
                for pid, b in self.breaks.items():
                    m.add(hi >= b)
                    has = self.has[pid]
                    if isinstance(has, int):
                        if has:
                            m.add(lo <= b)
                    else:
                        m.add(lo <= b).only_enforce_if(has)
                m.add(hi - lo <= problem.fairness)
            elif frame.breaks_range is not None:
                low, high = frame.breaks_range
                for pid, b in self.breaks.items():
                    m.add(b <= high)
                    has = self.has[pid]
                    if isinstance(has, int):
                        if has:
                            m.add(b >= low)
                    else:
                        m.add(b >= low).only_enforce_if(has)

        # Objective.
        self.breaks_expr = sum(self.break_literals) + self.break_offset
        self.weight_expr = sum(mt.weight * self.scheduled[mt.id] for mt in frame.free)
        kept = [self.x[mid][s] for mid, s in frame.keep.items() if mid in self.x and s in self.x[mid]]
        self.kept_expr = sum(kept) if kept else 0
        max_breaks = len(self.breaks) * max(0, (n_slots - 1) // 2)
        self.w_scale = max_breaks + 1
        self.k_scale = self.w_scale * (sum(mt.weight for mt in frame.free) + 1)
        objective = self.k_scale * self.kept_expr + self.w_scale * self.weight_expr - self.breaks_expr
        self.has_objective = not isinstance(objective, int)
        if self.has_objective:
            m.maximize(objective)

    def _breaks_of(self, pid: str, row: list, mine: list[Meeting], n_fixed: int, lower_bound: int) -> None:
        m = self.m
        n_slots = len(row)
        if all(isinstance(c, int) for c in row):
            return
        starts: list = []  # literals (or 1 - literal) that start a block of meetings
        constant_starts = 0  # blocks started by fixed meetings after a free slot
        for s in range(n_slots):
            cur, prev = row[s], (row[s - 1] if s > 0 else 0)
            if isinstance(cur, int):
                if cur == 1 and not isinstance(prev, int):
                    starts.append(1 - prev)
                elif cur == 1 and prev == 0:
                    constant_starts += 1
                continue
            if isinstance(prev, int):
                if prev == 0:
                    starts.append(cur)
                continue  # the slot before is fixed busy: never a start
            st = m.new_bool_var(f"st_{pid}_{s}")
            m.add(st >= cur - prev)
            m.add(st <= cur)
            m.add(st <= 1 - prev)
            starts.append(st)
        if n_fixed > 0 or any(mt.required for mt in mine if self.x[mt.id]):
            has = 1
        else:
            has = m.new_bool_var(f"has_{pid}")
            cell_vars = [c for c in row if not isinstance(c, int)]
            for c in cell_vars:
                m.add_implication(c, has)
            m.add(has <= sum(cell_vars))
        self.has[pid] = has
        ub = max(0, (n_slots - 1) // 2)
        b = m.new_int_var(min(lower_bound, ub), ub, f"breaks_{pid}")
        m.add(b == sum(starts) + constant_starts - has)
        self.breaks[pid] = b
        self.break_literals.extend(starts)
        if isinstance(has, int):
            self.break_offset += constant_starts - has
        else:
            self.break_offset += constant_starts
            self.break_literals.append(-has)

        # Implied constraints (after Bofill et al. 2022) for participants
        # whose meetings are all required and all decided here: how many
        # slots they are busy in, per session where meetings are tied to
        # one, and a "no break" window of k consecutive slots.
        if n_fixed or not all(mt.required for mt in mine):
            return
        cell_vars = [(s, c) for s, c in enumerate(row) if not isinstance(c, int)]
        k = len(mine)
        m.add(sum(c for _, c in cell_vars) == k)
        for session in {mt.session for mt in mine if mt.session is not None}:
            tied = sum(1 for mt in mine if mt.session == session)
            in_session = [c for s, c in cell_vars if self.problem.slots[s].session == session]
            if all(mt.session is not None for mt in mine):
                m.add(sum(in_session) == tied)
            else:
                m.add(sum(in_session) >= tied)
        if k >= 2:
            cell_of = dict(cell_vars)
            no_break = m.new_bool_var(f"nobreak_{pid}")
            m.add(b == 0).only_enforce_if(no_break)
            m.add(b >= 1).only_enforce_if(~no_break)
            windows = []
            for w in range(0, n_slots - k + 1):
                if all(s in cell_of for s in range(w, w + k)):
                    z = m.new_bool_var(f"win_{pid}_{w}")
                    for s in range(w, w + k):
                        m.add_implication(z, cell_of[s])
                    windows.append(z)
            if windows:
                m.add(sum(windows) == no_break)
            else:
                m.add(no_break == 0)

    def hint(self, slot_of: dict[str, int]) -> None:
        for mid, xs in self.x.items():
            chosen = slot_of.get(mid)
            for s, v in xs.items():
                self.m.add_hint(v, 1 if s == chosen else 0)

    def read(self, solver: cp_model.CpSolver) -> dict[str, int]:
        out = {}
        for mid, xs in self.x.items():
            for s, v in xs.items():
                if solver.boolean_value(v):
                    out[mid] = s
                    break
        return out
