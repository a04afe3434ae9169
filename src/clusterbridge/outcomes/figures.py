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
from itertools import chain
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
    """The figures of one row of the report (an event, a year, a country pair…). Registrations
    belong to one event, so the figures of several events add up: a year's or a country pair's
    row is the sum of its events' rows."""

    participants: int = 0
    scheduled: int = 0
    not_held: int = 0
    disputed: int = 0
    ratings: Counter = field(default_factory=Counter)
    follow_up: Counter = field(default_factory=Counter)
    agreements: Counter = field(default_factory=Counter)
    value: defaultdict = field(default_factory=lambda: defaultdict(Decimal))
    with_meetings: Counter = field(default_factory=Counter)  # side → participants with meetings
    answered: Counter = field(default_factory=Counter)  # side → of them, those who answered a follow-up
    events: int = 0

    def add(self, other: "Figures") -> None:
        self.participants += other.participants
        self.scheduled += other.scheduled
        self.not_held += other.not_held
        self.disputed += other.disputed
        self.events += other.events
        for mine, theirs in ((self.ratings, other.ratings), (self.follow_up, other.follow_up),
                             (self.agreements, other.agreements), (self.with_meetings, other.with_meetings),
                             (self.answered, other.answered)):
            mine.update(theirs)
        for currency, amount in other.value.items():
            self.value[currency] += amount

    def as_dict(self) -> dict:
        return {
            **({"events": self.events} if self.events else {}),
            "participants": self.participants, "meetings_scheduled": self.scheduled,
            "meetings_held": self.scheduled - self.not_held, "meetings_disputed": self.disputed,
            "ratings": {code: self.ratings[code] for code in IMMEDIATE},
            "follow_up": {"responses": sum(self.follow_up.values()), **{c: self.follow_up[c] for c in FOLLOW_UP}},
            "agreements": dict(sorted(self.agreements.items())),
            "value": {currency: f"{amount:.2f}" for currency, amount in sorted(self.value.items())},
            "response_rate": {side: (round(self.answered[side] / self.with_meetings[side], 2)
                                     if self.with_meetings[side] else None) for side in ("TW", "EU")},
        }


def _group_figures(indexes: list[int], facts, side_of: dict) -> Figures:
    """The figures of some meetings of one event (indexes into facts' parallel lists)."""
    rating, disputed, answers, regs, answered_by = facts
    f = Figures(scheduled=len(indexes))
    f.ratings = Counter(rating[i] for i in indexes)
    f.ratings.pop(None, None)
    f.not_held = f.ratings["not_held"]
    f.disputed = sum(disputed[i] for i in indexes)
    f.follow_up = Counter(chain.from_iterable(answers[i] for i in indexes))
    people = set(chain.from_iterable(regs[i] for i in indexes))
    answering = set(chain.from_iterable(answered_by[i] for i in indexes))
    f.participants = len(people)
    for reg in people:
        side = side_of.get(reg)
        if side:
            f.with_meetings[side] += 1
            f.answered[side] += reg in answering
    return f


def event_bundle(meetings: list[MeetingRecord], approved: int, agreements: list, side_of: dict, keys_of: dict,
                 europe: frozenset) -> tuple[Figures, dict[tuple[str, str], Figures]]:
    """One event's figures: its own row and its rows per (dimension, key) but the year."""
    combined = [combined_rating(m.ratings, m.absent) for m in meetings]
    facts = ([c[0] for c in combined], [c[1] for c in combined], [tuple(m.answers.values()) for m in meetings],
             [(m.first, m.second) for m in meetings], [tuple(m.answers) for m in meetings])
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, m in enumerate(meetings):
        for d, ks in meeting_keys(keys_of.get(m.first, {}), keys_of.get(m.second, {}), europe).items():
            for k in ks:
                groups[(d, k)].append(i)
    row = _group_figures(list(range(len(meetings))), facts, side_of)
    row.participants = approved
    dims = {key: _group_figures(indexes, facts, side_of) for key, indexes in groups.items()}
    for _e, _meeting, kind, amount, currency, keys in agreements:
        targets = [row]
        for d, ks in keys.items():
            for k in ks:
                if (d, k) not in dims:
                    dims[(d, k)] = Figures()
                targets.append(dims[(d, k)])
        for target in targets:
            target.agreements[kind] += 1
            if amount is not None:
                target.value[currency] += amount
    return row, dims


def bundle_to_raw(bundle) -> dict:
    """A bundle as plain data (for the cache)."""
    row, dims = bundle

    def raw(f: Figures) -> list:
        return [f.participants, f.scheduled, f.not_held, f.disputed, dict(f.ratings), dict(f.follow_up),
                dict(f.agreements), {c: str(a) for c, a in f.value.items()}, dict(f.with_meetings), dict(f.answered)]
    return {"row": raw(row), "dims": [[d, k, raw(f)] for (d, k), f in dims.items()]}


def bundle_from_raw(data: dict):
    def figures(raw: list) -> Figures:
        f = Figures(participants=raw[0], scheduled=raw[1], not_held=raw[2], disputed=raw[3], ratings=Counter(raw[4]),
                    follow_up=Counter(raw[5]), agreements=Counter(raw[6]), with_meetings=Counter(raw[8]),
                    answered=Counter(raw[9]))
        for currency, amount in raw[7].items():
            f.value[currency] = Decimal(amount)
        return f
    return figures(data["row"]), {(d, k): figures(raw) for d, k, raw in data["dims"]}


def combine(events: list[int], year_of: dict[int, int], bundles: dict) -> dict:
    """The report's rows from each event's bundle: events as they are; years, country pairs, sectors,
    ecosystems and the totals as sums of events (registrations belong to one event)."""
    per_dim: dict[str, dict] = {d: defaultdict(Figures) for d in DIMENSIONS}
    totals = Figures()
    for e in events:
        row, dims = bundles[e]
        year = Figures(events=1)
        year.add(row)
        per_dim["year"][year_of[e]].add(year)
        totals.add(row)
        for (d, k), f in dims.items():
            per_dim[d][k].add(f)
    return {"events": {e: bundles[e][0].as_dict() for e in events},
            **{d: {k: f.as_dict() for k, f in sorted(per_dim[d].items())} for d in DIMENSIONS},
            "totals": totals.as_dict()}


def event_bundles(*, events: list[int], approved: dict[int, int], side_of: dict[int, str | None],
                  meetings: list[MeetingRecord], keys_of: dict[int, dict], europe: frozenset,
                  agreements: list[tuple[int, int | None, str, Decimal | None, str, dict[str, set]]]) -> dict:
    """Each event's bundle (`event_bundle`). approved: registration → event (the approved ones);
    side_of: registration → "TW", "EU" or None; keys_of: registration → its organisation's
    {"country": "FR", "sector": {...}, "ecosystem": {...}}; agreements: (event, meeting, kind,
    amount, currency, keys) with keys from `agreement_keys`."""
    by_event: dict[int, list[MeetingRecord]] = {e: [] for e in events}
    for m in meetings:
        by_event[m.event].append(m)
    approved_count = Counter(approved.values())
    agreements_of: dict[int, list] = defaultdict(list)
    for row in agreements:
        agreements_of[row[0]].append(row)
    return {e: event_bundle(by_event[e], approved_count[e], agreements_of.get(e, []), side_of, keys_of, europe)
            for e in events}


def tally(*, events: list[int], year_of: dict[int, int], **records) -> dict:
    """The whole report from the records (arguments of `event_bundles`): {"events": {id: figures},
    "year"|"country_pair"|"sector"|"ecosystem": {key: figures}, "totals": figures} as dicts."""
    return combine(events, year_of, event_bundles(events=events, **records))


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
