"""The results report's arithmetic, in plain Python (no database): from the records of the meetings,
ratings, follow-up answers and agreements to the figures per event, per year, per country pair,
per sector and per ecosystem. The selectors load the records in a few queries and call `tally`.

Definitions (shown on the report page too):
- a meeting is *held* unless both sides rated it `not_held` or the check-in found a side absent;
  one side's `not_held` against the other's silence or rating makes it *disputed*;
- a held meeting counts under the better of its two ratings;
- a follow-up *response* is one side's latest answer for one meeting (the yearly round replaces
  the six-month answer: the report shows where each contact stands now);
- the response rate of a side is the share of its participants with meetings who answered for at
  least one of them;
- per event and per year the participants are the approved registrations; per country pair, sector
  and ecosystem they are the registrations that had a scheduled meeting counted there.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

IMMEDIATE = ["not_held", "insufficient_interest", "informative_no_cooperation", "cooperation_possible"]
FOLLOW_UP = ["no_further_contact", "no_contact_knowledge_gained", "valuable_contact", "negotiation_started",
             "agreement_reached"]
DIMENSIONS = ("year", "country_pair", "sector", "ecosystem")


def combined_rating(ratings: list[str], absent: bool) -> tuple[str | None, bool]:
    """One meeting's two ratings (0, 1 or 2 of them) → (the rating it counts under or None when
    nobody rated it, disputed?)."""
    held = [r for r in ratings if r != "not_held"]
    if absent or (len(ratings) == 2 and not held):
        return "not_held", False
    if not held:
        return None, bool(ratings)  # one side says it did not take place, the other is silent
    return max(held, key=IMMEDIATE.index), len(held) < len(ratings)


@dataclass
class MeetingRecord:
    id: int
    event: int
    first: int  # registration ids
    second: int
    absent: bool = False
    ratings: list[str] = field(default_factory=list)
    answers: dict[int, str] = field(default_factory=dict)  # registration → latest answer


@dataclass
class Figures:
    """The figures of one row of the report (an event, a year, a country pair…)."""

    participants: set = field(default_factory=set)
    scheduled: int = 0
    not_held: int = 0
    disputed: int = 0
    ratings: Counter = field(default_factory=Counter)
    follow_up: Counter = field(default_factory=Counter)
    agreements: Counter = field(default_factory=Counter)
    value: defaultdict = field(default_factory=lambda: defaultdict(Decimal))
    with_meetings: dict = field(default_factory=lambda: {"TW": set(), "EU": set()})
    answered: dict = field(default_factory=lambda: {"TW": set(), "EU": set()})
    events: set = field(default_factory=set)

    def as_dict(self) -> dict:
        return {
            **({"events": len(self.events)} if self.events else {}),
            "participants": len(self.participants), "meetings_scheduled": self.scheduled,
            "meetings_held": self.scheduled - self.not_held, "meetings_disputed": self.disputed,
            "ratings": {code: self.ratings[code] for code in IMMEDIATE},
            "follow_up": {"responses": sum(self.follow_up.values()), **{c: self.follow_up[c] for c in FOLLOW_UP}},
            "agreements": dict(sorted(self.agreements.items())),
            "value": {currency: f"{amount:.2f}" for currency, amount in sorted(self.value.items())},
            "response_rate": {side: (round(len(self.answered[side]) / len(regs), 2) if regs else None)
                              for side, regs in self.with_meetings.items()},
        }


def tally(*, events: list[int], year_of: dict[int, int], approved: dict[int, int], side_of: dict[int, str | None],
          meetings: list[MeetingRecord], keys_of: dict[int, dict], europe: frozenset,
          agreements: list[tuple[int, int | None, str, Decimal | None, str, dict[str, set]]]) -> dict:
    """events: ids in report order; year_of: event → year; approved: registration → event (the
    approved ones); side_of: registration → "TW", "EU" or None; keys_of: registration → its
    organisation's {"country": "FR", "sector": {...}, "ecosystem": {...}}; agreements: (event,
    meeting, kind, amount, currency, keys) with keys from `agreement_keys`.
    Returns {"events": {id: figures}, "year"|"country_pair"|"sector"|"ecosystem": {key: figures},
    "totals": figures} as dicts."""
    per_event = {e: Figures() for e in events}
    per_dim: dict[str, dict] = {d: defaultdict(Figures) for d in DIMENSIONS}
    totals = Figures()
    for reg, event in approved.items():
        per_event[event].participants.add(reg)
        per_dim["year"][year_of[event]].participants.add(reg)
        totals.participants.add(reg)
    for e in events:
        per_dim["year"][year_of[e]].events.add(e)
    for m in meetings:
        rows = [per_event[m.event], per_dim["year"][year_of[m.event]], totals]
        keys = meeting_keys(keys_of.get(m.first, {}), keys_of.get(m.second, {}), europe)
        rows += [per_dim[d][k] for d, ks in keys.items() for k in ks]
        rating, disputed = combined_rating(m.ratings, m.absent)
        for row in rows:
            row.scheduled += 1
            row.not_held += rating == "not_held"
            row.disputed += disputed
            if rating:
                row.ratings[rating] += 1
            for reg in (m.first, m.second):
                side = side_of.get(reg)
                if side:
                    row.with_meetings[side].add(reg)
                    if reg in m.answers:
                        row.answered[side].add(reg)
            for answer in m.answers.values():
                row.follow_up[answer] += 1
        for row in rows[3:]:
            row.participants.update((m.first, m.second))
    for event, _meeting, kind, amount, currency, keys in agreements:
        rows = [per_event[event], per_dim["year"][year_of[event]], totals]
        rows += [per_dim[d][k] for d, ks in keys.items() for k in ks]
        for row in rows:
            row.agreements[kind] += 1
            if amount is not None:
                row.value[currency] += amount
    return {"events": {e: f.as_dict() for e, f in per_event.items()},
            **{d: {k: f.as_dict() for k, f in sorted(per_dim[d].items())} for d in DIMENSIONS},
            "totals": totals.as_dict()}


def meeting_keys(a: dict, b: dict, europe: frozenset) -> dict[str, set]:
    """A meeting counts once under each sector and ecosystem either side has (a textile cluster
    meeting a chemicals association counts under both) and under its country pair, if any."""
    pair = country_pair(a.get("country", ""), b.get("country", ""), europe)
    return {"sector": set(a.get("sector", ())) | set(b.get("sector", ())),
            "ecosystem": set(a.get("ecosystem", ())) | set(b.get("ecosystem", ())),
            "country_pair": {pair} if pair else set()}


def agreement_keys(organisations: list[dict], europe: frozenset) -> dict[str, set]:
    """The keys an agreement counts under, from its organisations' keys: their sectors and
    ecosystems, and a pair for each European country when a Taiwanese organisation is party."""
    countries = {o.get("country", "") for o in organisations}
    return {"sector": set().union(*(o.get("sector", set()) for o in organisations)),
            "ecosystem": set().union(*(o.get("ecosystem", set()) for o in organisations)),
            "country_pair": {f"TW-{c}" for c in sorted(countries & europe)} if "TW" in countries else set()}


def country_pair(country_a: str, country_b: str, europe: frozenset) -> str | None:
    """'TW-DE' for a meeting between Taiwan and a European country; None otherwise."""
    if country_a == "TW" and country_b in europe:
        return f"TW-{country_b}"
    if country_b == "TW" and country_a in europe:
        return f"TW-{country_a}"
    return None


def under(keys: dict[str, set], year: int, dimension: str, key: str) -> bool:
    """Whether a meeting or agreement with these keys counts under the report row (dimension, key);
    no dimension means every row."""
    if not dimension:
        return True
    if dimension == "year":
        return str(year) == key
    return key in keys.get(dimension, ())


def counts(m: MeetingRecord, measure: str) -> bool:
    """Whether the report's figure `measure` counts this meeting."""
    rating, disputed = combined_rating(m.ratings, m.absent)
    if measure == "scheduled":
        return True
    if measure == "held":
        return rating != "not_held"
    if measure == "disputed":
        return disputed
    if measure in IMMEDIATE:
        return rating == measure
    if measure == "responses":
        return bool(m.answers)
    if measure in FOLLOW_UP:
        return measure in m.answers.values()
    return False
