"""The meeting-scheduling problem (`clusterbridge.meeting-scheduling/1`).

Plain Python: reading validates every item and names the faulty one, so a
caller (the command line, the events app) can show the message as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

PROBLEM_FORMAT = "clusterbridge.meeting-scheduling/1"


class ProblemError(ValueError):
    """An invalid problem; the message names the item (`meetings[17]: ...`)."""


@dataclass(frozen=True)
class Slot:
    id: str
    session: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Participant:
    id: str
    unavailable: frozenset[str] = frozenset()
    max_meetings: int | None = None
    location: str | None = None


@dataclass(frozen=True)
class Meeting:
    id: str
    participants: tuple[str, str]
    required: bool = True
    weight: int = 1
    session: str | None = None
    fixed_slot: str | None = None
    after: tuple[str, ...] = ()


@dataclass
class Problem:
    slots: list[Slot]
    locations: list[str]
    participants: list[Participant]
    meetings: list[Meeting]
    fairness: int | None = None
    name: str = ""
    # Derived indexes, filled by __post_init__.
    slot_index: dict[str, int] = field(init=False, repr=False)
    participant_index: dict[str, int] = field(init=False, repr=False)
    meeting_index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.slot_index = {s.id: i for i, s in enumerate(self.slots)}
        self.participant_index = {p.id: i for i, p in enumerate(self.participants)}
        self.meeting_index = {m.id: i for i, m in enumerate(self.meetings)}

    # --- derived facts used by the solvers and the checker -----------------
    def booth_of(self) -> dict[str, str]:
        """Participant id -> own booth location id."""
        return {p.id: p.location for p in self.participants if p.location is not None}

    def shared_locations(self) -> list[str]:
        """Locations nobody owns as a booth: the pool for all other meetings."""
        booths = {p.location for p in self.participants if p.location is not None}
        return [loc for loc in self.locations if loc not in booths]

    def allowed_slots(self, meeting: Meeting) -> list[int]:
        """Slot indexes where this meeting may take place (availability,
        session, fixed slot), before any interaction with other meetings."""
        a, b = (self.participants[self.participant_index[p]] for p in meeting.participants)
        blocked = a.unavailable | b.unavailable
        if meeting.fixed_slot is not None:
            candidates = [self.slot_index[meeting.fixed_slot]]
        else:
            candidates = range(len(self.slots))
        return [
            i
            for i in candidates
            if self.slots[i].id not in blocked
            and (meeting.session is None or self.slots[i].session == meeting.session)
        ]

    def location_of_meeting(self, meeting: Meeting) -> str | None:
        """The booth a meeting must use, or None when it uses the shared pool.
        A meeting between two participants with different booths has no
        possible location: `booth_conflict` reports it."""
        booths = self.booth_of()
        owned = [booths[p] for p in meeting.participants if p in booths]
        return owned[0] if owned else None

    def booth_conflict(self, meeting: Meeting) -> bool:
        booths = self.booth_of()
        owned = {booths[p] for p in meeting.participants if p in booths}
        return len(owned) > 1


# --- reading --------------------------------------------------------------

def _expect(cond: bool, where: str, message: str) -> None:
    if not cond:
        raise ProblemError(f"{where}: {message}")


def _id(value: Any, where: str) -> str:
    _expect(isinstance(value, (str, int)) and not isinstance(value, bool), where,
            f"an id must be a string or an integer, not {type(value).__name__}")
    text = str(value)
    _expect(text != "", where, "an id must not be empty")
    return text


def _optional_int(value: Any, where: str, minimum: int) -> int | None:
    if value is None:
        return None
    _expect(isinstance(value, int) and not isinstance(value, bool), where,
            f"must be an integer, not {value!r}")
    _expect(value >= minimum, where, f"must be at least {minimum}, not {value}")
    return value


def _unique(ids: list[str], where: str, what: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(ids):
        _expect(item not in seen, f"{where}[{i}]", f'{what} id "{item}" is defined twice')
        seen.add(item)


def _object(value: Any, where: str) -> dict:
    _expect(isinstance(value, dict), where, f"must be an object, not {type(value).__name__}")
    return value


def _list(value: Any, where: str) -> list:
    _expect(isinstance(value, list), where, f"must be a list, not {type(value).__name__}")
    return value


def problem_from_dict(data: Any) -> Problem:
    """Validate a decoded JSON document and build the Problem."""
    data = _object(data, "problem")
    fmt = data.get("format")
    _expect(fmt == PROBLEM_FORMAT, "format", f'must be "{PROBLEM_FORMAT}", not {fmt!r}')

    slots: list[Slot] = []
    for i, raw in enumerate(_list(data.get("slots"), "slots")):
        where = f"slots[{i}]"
        raw = _object(raw, where)
        session = raw.get("session")
        _expect(session is None or isinstance(session, str), f"{where}.session", "must be a string")
        slots.append(Slot(id=_id(raw.get("id"), f"{where}.id"), session=session,
                          start=raw.get("start"), end=raw.get("end")))
    _expect(len(slots) > 0, "slots", "at least one slot is needed")
    _unique([s.id for s in slots], "slots", "slot")
    slot_ids = {s.id for s in slots}
    sessions = {s.session for s in slots if s.session is not None}

    raw_locations = data.get("locations")
    if isinstance(raw_locations, int) and not isinstance(raw_locations, bool):
        _expect(raw_locations >= 1, "locations", f"must be at least 1, not {raw_locations}")
        locations = [str(i) for i in range(1, raw_locations + 1)]
    else:
        _expect(isinstance(raw_locations, list), "locations",
                "must be an integer or a list of {\"id\": ...}")
        locations = [_id(_object(r, f"locations[{i}]").get("id"), f"locations[{i}].id")
                     for i, r in enumerate(raw_locations)]
        _expect(len(locations) > 0, "locations", "at least one location is needed")
        _unique(locations, "locations", "location")
    location_ids = set(locations)

    participants: list[Participant] = []
    for i, raw in enumerate(_list(data.get("participants"), "participants")):
        where = f"participants[{i}]"
        raw = _object(raw, where)
        unavailable = []
        for j, s in enumerate(_list(raw.get("unavailable", []), f"{where}.unavailable")):
            sid = _id(s, f"{where}.unavailable[{j}]")
            _expect(sid in slot_ids, f"{where}.unavailable[{j}]", f'slot "{sid}" is not defined')
            unavailable.append(sid)
        loc = raw.get("location")
        if loc is not None:
            loc = _id(loc, f"{where}.location")
            _expect(loc in location_ids, f"{where}.location", f'location "{loc}" is not defined')
        participants.append(Participant(
            id=_id(raw.get("id"), f"{where}.id"),
            unavailable=frozenset(unavailable),
            max_meetings=_optional_int(raw.get("max_meetings"), f"{where}.max_meetings", 0),
            location=loc,
        ))
    _unique([p.id for p in participants], "participants", "participant")
    participant_ids = {p.id for p in participants}

    meetings: list[Meeting] = []
    for i, raw in enumerate(_list(data.get("meetings"), "meetings")):
        where = f"meetings[{i}]"
        raw = _object(raw, where)
        people = _list(raw.get("participants"), f"{where}.participants")
        _expect(len(people) == 2, f"{where}.participants",
                f"a meeting has exactly two participants, not {len(people)}")
        pair = tuple(_id(p, f"{where}.participants[{j}]") for j, p in enumerate(people))
        for p in pair:
            _expect(p in participant_ids, where, f'participant "{p}" is not defined')
        _expect(pair[0] != pair[1], where, f'participant "{pair[0]}" cannot meet themselves')
        required = raw.get("required", True)
        _expect(isinstance(required, bool), f"{where}.required", "must be true or false")
        weight = raw.get("weight", 1)
        _expect(isinstance(weight, int) and not isinstance(weight, bool) and weight >= 0,
                f"{where}.weight", f"must be a non-negative integer, not {weight!r}")
        session = raw.get("session")
        if session is not None:
            _expect(isinstance(session, str) and session in sessions, f"{where}.session",
                    f"session {session!r} has no slots")
        fixed = raw.get("fixed_slot")
        if fixed is not None:
            fixed = _id(fixed, f"{where}.fixed_slot")
            _expect(fixed in slot_ids, f"{where}.fixed_slot", f'slot "{fixed}" is not defined')
        after = tuple(_id(a, f"{where}.after[{j}]")
                      for j, a in enumerate(_list(raw.get("after", []), f"{where}.after")))
        meetings.append(Meeting(id=_id(raw.get("id"), f"{where}.id"), participants=pair,  # type: ignore[arg-type]
                                required=required, weight=weight, session=session,
                                fixed_slot=fixed, after=after))
    _unique([m.id for m in meetings], "meetings", "meeting")
    meeting_ids = {m.id for m in meetings}
    for i, m in enumerate(meetings):
        for j, a in enumerate(m.after):
            _expect(a in meeting_ids, f"meetings[{i}].after[{j}]", f'meeting "{a}" is not defined')
            _expect(a != m.id, f"meetings[{i}].after[{j}]", "a meeting cannot follow itself")

    fairness = _optional_int(data.get("fairness"), "fairness", 0)
    name = data.get("name") or ""
    _expect(isinstance(name, str), "name", "must be a string")
    return Problem(slots=slots, locations=locations, participants=participants,
                   meetings=meetings, fairness=fairness, name=name)


def problem_to_dict(problem: Problem) -> dict:
    def drop_none(d: dict) -> dict:
        return {k: v for k, v in d.items() if v is not None and v != [] }

    return {
        "format": PROBLEM_FORMAT,
        "name": problem.name,
        "slots": [drop_none({"id": s.id, "session": s.session, "start": s.start, "end": s.end})
                  for s in problem.slots],
        "locations": [{"id": loc} for loc in problem.locations],
        "participants": [drop_none({"id": p.id, "unavailable": sorted(p.unavailable, key=problem.slot_index.get),
                                    "max_meetings": p.max_meetings, "location": p.location})
                         for p in problem.participants],
        "meetings": [drop_none({"id": m.id, "participants": list(m.participants), "required": m.required,
                                "weight": m.weight, "session": m.session, "fixed_slot": m.fixed_slot,
                                "after": list(m.after)})
                     for m in problem.meetings],
        **({"fairness": problem.fairness} if problem.fairness is not None else {}),
    }


def load_problem(path: str) -> Problem:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except json.JSONDecodeError as exc:
        raise ProblemError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    except OSError as exc:
        raise ProblemError(f"{path}: cannot be read ({exc.strerror})") from exc
    return problem_from_dict(data)
