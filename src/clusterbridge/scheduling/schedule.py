"""The schedule (`clusterbridge.meeting-schedule/1`) and breaks arithmetic."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from .problem import Problem

SCHEDULE_FORMAT = "clusterbridge.meeting-schedule/1"

OPTIMAL = "OPTIMAL"
FEASIBLE = "FEASIBLE"
INFEASIBLE = "INFEASIBLE"
UNKNOWN = "UNKNOWN"
STATUSES = (OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN)


class ScheduleError(ValueError):
    """A schedule document that cannot be read; the message names the item."""


@dataclass(frozen=True)
class Assignment:
    meeting: str
    slot: str
    location: str | None


@dataclass
class Schedule:
    status: str
    assignments: list[Assignment] = field(default_factory=list)
    unscheduled: list[dict[str, str]] = field(default_factory=list)
    scheduled_weight: int = 0
    breaks_total: int = 0
    breaks_bound: int | None = None
    weight_bound: int | None = None
    breaks: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    reason: str | None = None
    moved: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": SCHEDULE_FORMAT,
            "status": self.status,
            "assignments": [
                {"meeting": a.meeting, "slot": a.slot, "location": a.location} for a in self.assignments
            ],
            "unscheduled": list(self.unscheduled),
        }
        if self.status in (OPTIMAL, FEASIBLE):
            out["objective"] = {"scheduled_weight": self.scheduled_weight, "breaks": self.breaks_total}
            bound: dict[str, int] = {}
            if self.breaks_bound is not None:
                bound["breaks"] = self.breaks_bound
            if self.weight_bound is not None:
                bound["scheduled_weight"] = self.weight_bound
            out["bound"] = bound
            out["breaks"] = dict(self.breaks)
        if self.reason:
            out["reason"] = self.reason
        if self.moved:
            out["moved"] = list(self.moved)
        out["seconds"] = round(self.seconds, 3)
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def breaks_of(slot_indexes: Iterable[int]) -> int:
    """Gaps between consecutive meetings: slots 1, 2, 5, 7 give 2 breaks."""
    ordered = sorted(set(slot_indexes))
    return sum(1 for a, b in zip(ordered, ordered[1:]) if b - a > 1)


def participant_breaks(problem: Problem, slot_of: dict[str, int]) -> dict[str, int]:
    """Breaks per participant for meeting id -> slot index."""
    busy: dict[str, list[int]] = {p.id: [] for p in problem.participants}
    for m in problem.meetings:
        s = slot_of.get(m.id)
        if s is not None:
            for p in m.participants:
                busy[p].append(s)
    return {p: breaks_of(slots) for p, slots in busy.items()}


def assignments_from_dict(data: Any) -> list[Assignment]:
    """Read the assignments of a schedule document (used by `check` and `--start`)."""
    if not isinstance(data, dict):
        raise ScheduleError("schedule: must be an object")
    if data.get("format") != SCHEDULE_FORMAT:
        raise ScheduleError(f'format: must be "{SCHEDULE_FORMAT}", not {data.get("format")!r}')
    raw = data.get("assignments", [])
    if not isinstance(raw, list):
        raise ScheduleError("assignments: must be a list")
    out = []
    for i, a in enumerate(raw):
        if not isinstance(a, dict) or "meeting" not in a or "slot" not in a:
            raise ScheduleError(f"assignments[{i}]: needs \"meeting\" and \"slot\"")
        loc = a.get("location")
        out.append(Assignment(meeting=str(a["meeting"]), slot=str(a["slot"]),
                              location=None if loc is None else str(loc)))
    return out


def load_schedule(path: str) -> list[Assignment]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except json.JSONDecodeError as exc:
        raise ScheduleError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    except OSError as exc:
        raise ScheduleError(f"{path}: cannot be read ({exc.strerror})") from exc
    return assignments_from_dict(data)
