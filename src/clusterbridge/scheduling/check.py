"""An independent checker: verifies a schedule against its problem with
nothing but counting, so that solver bugs cannot hide behind the solver."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .problem import Problem
from .schedule import Assignment, participant_breaks


@dataclass
class CheckResult:
    violations: list[str] = field(default_factory=list)
    scheduled_weight: int = 0
    breaks: dict[str, int] = field(default_factory=dict)

    @property
    def feasible(self) -> bool:
        return not self.violations

    @property
    def breaks_total(self) -> int:
        return sum(self.breaks.values())


def check_schedule(problem: Problem, assignments: list[Assignment]) -> CheckResult:
    result = CheckResult()
    v = result.violations
    booths = problem.booth_of()
    shared = set(problem.shared_locations())
    slot_of: dict[str, int] = {}
    accepted: list[Assignment] = []

    for i, a in enumerate(assignments):
        where = f"assignments[{i}]"
        if a.meeting not in problem.meeting_index:
            v.append(f'{where}: meeting "{a.meeting}" is not in the problem')
            continue
        if a.meeting in slot_of:
            v.append(f'{where}: meeting "{a.meeting}" is assigned twice')
            continue
        if a.slot not in problem.slot_index:
            v.append(f'{where}: slot "{a.slot}" is not in the problem')
            continue
        m = problem.meetings[problem.meeting_index[a.meeting]]
        s = problem.slot_index[a.slot]
        slot = problem.slots[s]
        slot_of[m.id] = s
        accepted.append(a)
        for pid in m.participants:
            p = problem.participants[problem.participant_index[pid]]
            if a.slot in p.unavailable:
                v.append(f'meeting "{m.id}": participant "{pid}" is unavailable in slot "{a.slot}"')
        if m.session is not None and slot.session != m.session:
            v.append(f'meeting "{m.id}": slot "{a.slot}" is not in session "{m.session}"')
        if m.fixed_slot is not None and m.fixed_slot != a.slot:
            v.append(f'meeting "{m.id}": fixed to slot "{m.fixed_slot}" but placed in "{a.slot}"')
        owned = {booths[p] for p in m.participants if p in booths}
        if a.location is None:
            v.append(f'meeting "{m.id}": has no location')
        elif a.location not in problem.locations:
            v.append(f'meeting "{m.id}": location "{a.location}" is not in the problem')
        elif owned and a.location not in owned:
            v.append(f'meeting "{m.id}": must take place at booth "{sorted(owned)[0]}", not "{a.location}"')
        elif not owned and a.location not in shared:
            v.append(f'meeting "{m.id}": location "{a.location}" is another participant\'s booth')
        if len(owned) > 1:
            v.append(f'meeting "{m.id}": its participants have different booths')

    # Nobody in two meetings at once; one meeting per location and slot.
    per_person: dict[tuple[str, int], list[str]] = defaultdict(list)
    per_location: Counter[tuple[str, int]] = Counter()
    count: Counter[str] = Counter()
    for a in accepted:
        m = problem.meetings[problem.meeting_index[a.meeting]]
        s = slot_of[m.id]
        for pid in m.participants:
            per_person[(pid, s)].append(m.id)
            count[pid] += 1
        if a.location is not None:
            per_location[(a.location, s)] += 1
    for (pid, s), ms in sorted(per_person.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if len(ms) > 1:
            v.append(f'participant "{pid}" has {len(ms)} meetings in slot "{problem.slots[s].id}": '
                     + ", ".join(f'"{x}"' for x in ms))
    for (loc, s), n in sorted(per_location.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if n > 1:
            v.append(f'location "{loc}" hosts {n} meetings in slot "{problem.slots[s].id}"')

    for p in problem.participants:
        if p.max_meetings is not None and count[p.id] > p.max_meetings:
            v.append(f'participant "{p.id}" has {count[p.id]} meetings, more than max_meetings {p.max_meetings}')

    for m in problem.meetings:
        if m.required and m.id not in slot_of:
            v.append(f'meeting "{m.id}": required but not scheduled')
        if m.id in slot_of:
            for before in m.after:
                if before in slot_of and slot_of[before] >= slot_of[m.id]:
                    v.append(f'meeting "{m.id}": must come after "{before}"')
                elif before not in slot_of:
                    v.append(f'meeting "{m.id}": must come after "{before}", which is not scheduled')

    result.scheduled_weight = sum(problem.meetings[problem.meeting_index[mid]].weight for mid in slot_of)
    result.breaks = participant_breaks(problem, slot_of)
    if problem.fairness is not None:
        counted = [result.breaks[p.id] for p in problem.participants if count[p.id] > 0]
        if counted and max(counted) - min(counted) > problem.fairness:
            v.append(f"fairness: breaks range from {min(counted)} to {max(counted)}, "
                     f"more than {problem.fairness} apart")
    return result
