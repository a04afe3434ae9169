"""Generated matchmaking events of realistic shape, for benchmarks and demos.

Fixed seeds give the same event every time. The shape follows the issue's
large events: mostly optional requests weighted 1-3, two sessions, one
table per ten participants, a share of unavailable slots, and popular
participants who receive many more requests than others (as at real
brokerage events).
"""

from __future__ import annotations

import random

from .problem import PROBLEM_FORMAT


def generate_event(participants: int, requests: int, *, slots: int = 24, seed: int = 1,
                   required_share: float = 0.05, unavailable_share: float = 0.05,
                   people_per_table: int = 10) -> dict:
    rng = random.Random(seed)
    half = slots // 2
    slot_list = [{"id": str(i + 1), "session": "AM" if i < half else "PM"} for i in range(slots)]
    people = [f"p{i + 1}" for i in range(participants)]
    # Popularity: a few participants attract many requests.
    popularity = [rng.paretovariate(1.6) for _ in people]
    unavailable = {}
    for p in people:
        blocked = [s["id"] for s in slot_list if rng.random() < unavailable_share]
        if blocked:
            unavailable[p] = blocked
    pairs: set[tuple[str, str]] = set()
    meetings = []
    attempts = 0
    while len(meetings) < requests and attempts < requests * 50:
        attempts += 1
        a = rng.randrange(participants)
        b = rng.choices(range(participants), weights=popularity)[0]
        if a == b:
            continue
        key = (min(a, b), max(a, b))
        if key in pairs:
            continue
        pairs.add(key)
        meetings.append({
            "id": f"m{len(meetings) + 1}",
            "participants": [people[a], people[b]],
            "required": rng.random() < required_share,
            "weight": rng.choice((1, 1, 2, 3)),
        })
    # Required meetings must be placeable: keep them few per participant.
    required_per: dict[str, int] = {}
    for m in meetings:
        if m["required"]:
            if any(required_per.get(p, 0) >= 3 for p in m["participants"]):
                m["required"] = False
                continue
            for p in m["participants"]:
                required_per[p] = required_per.get(p, 0) + 1
    return {
        "format": PROBLEM_FORMAT,
        "name": f"generated event: {participants} participants, {requests} requests (seed {seed})",
        "slots": slot_list,
        "locations": max(1, participants // people_per_table),
        "participants": [{"id": p, **({"unavailable": unavailable[p]} if p in unavailable else {})}
                         for p in people],
        "meetings": meetings,
    }
