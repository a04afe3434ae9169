"""Kempe-chain moves of the local search: they move a meeting where a partner is busy, keep every
side condition, and keep the search's own counts (breaks, weight, tables) true."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterbridge.scheduling import Assignment, check_schedule, problem_from_dict
from clusterbridge.scheduling.greedy import gap_aware_greedy
from clusterbridge.scheduling.local_search import LocalSearch
from clusterbridge.scheduling.locations import assign_locations
from clusterbridge.scheduling.schedule import participant_breaks

FORMAT = "clusterbridge.meeting-scheduling/1"


def event(meetings, n_slots=3, locations=3, **extra):
    people = sorted({p for m in meetings for p in m["participants"]})
    return problem_from_dict({"format": FORMAT, "slots": [{"id": str(i + 1)} for i in range(n_slots)],
                              "locations": locations, "participants": [{"id": p} for p in people],
                              "meetings": meetings, **extra})


def meeting(mid, a, b, slot=None, **extra):
    return {"id": mid, "participants": [a, b], **extra}


def test_a_chain_moves_a_meeting_where_the_partner_is_busy():
    # p meets a in slot 1 and q in slot 3: a gap in slot 2. q is busy in slot 2 with r, so pq cannot
    # simply move there; the chain {pq, qr} exchanges slots 2 and 3 and only p and r change their day.
    problem = event([meeting("pa", "p", "a"), meeting("pq", "p", "q"), meeting("qr", "q", "r")])
    ls = LocalSearch(problem, {"pa": 0, "pq": 2, "qr": 1}, set(), seed=1)
    assert ls.total == 1
    assert sorted(ls.chain("pq", 2, 1)) == ["pq", "qr"]
    assert ls.try_kempe("pq", 1, temperature=0)
    assert ls.slot_of == {"pa": 0, "pq": 1, "qr": 2}
    assert ls.total == 0 == sum(participant_breaks(problem, ls.slot_of).values())


def test_a_chain_stops_at_pinned_and_precedence_tied_meetings():
    problem = event([meeting("pa", "p", "a"), meeting("pq", "p", "q"), meeting("qr", "q", "r", fixed_slot="2")])
    ls = LocalSearch(problem, {"pa": 0, "pq": 2, "qr": 1}, set(), seed=1)
    assert ls.chain("pq", 2, 1) is None  # qr may only be in slot 2
    assert not ls.try_kempe("pq", 1, temperature=0)
    problem = event([meeting("pa", "p", "a"), meeting("pq", "p", "q"), meeting("qr", "q", "r"),
                     meeting("rs", "r", "s", after=["qr"])])
    ls = LocalSearch(problem, {"pa": 0, "pq": 2, "qr": 1, "rs": 2}, set(), seed=1)
    assert ls.chain("pq", 2, 1) is None


def test_a_full_slot_takes_a_chain_only_with_one_going_back():
    # One table. p meets a (slot 1) and q (slot 3); cd holds the only table of slot 2. Moving pq to
    # slot 2 needs cd to go to slot 3, a second chain in the other direction.
    problem = event([meeting("pa", "p", "a"), meeting("pq", "p", "q"), meeting("cd", "c", "d")], locations=1)
    ls = LocalSearch(problem, {"pa": 0, "pq": 2, "cd": 1}, set(), seed=1)
    assert ls.try_kempe("pq", 1, temperature=0)
    assert ls.slot_of == {"pa": 0, "pq": 1, "cd": 2}
    assert ls.state.pool_left == [0, 0, 0]
    assert ls.total == 0


def test_an_unscheduled_request_is_held_by_moving_a_partner_meeting_along_its_chain():
    # Two slots. a meets c in slot 1 and is free in slot 2; b meets d in slot 2 and is free in slot 1.
    # ab has no common free slot; moving bd to slot 1 would clash with nobody, freeing b in slot 2.
    problem = event([meeting("ac", "a", "c"), meeting("bd", "b", "d"), meeting("ab", "a", "b", required=False)],
                    n_slots=2)
    ls = LocalSearch(problem, {"ac": 0, "bd": 1}, set(), seed=1)
    assert ls.try_insert_kempe("ab")
    assert set(ls.slot_of) == {"ac", "bd", "ab"}
    assert ls.weight == 3
    assert check(problem, ls.slot_of) == []


def check(problem, slot_of):
    locations = assign_locations(problem, slot_of)
    assignments = [Assignment(mid, problem.slots[s].id, locations[mid]) for mid, s in slot_of.items()]
    return [v for v in check_schedule(problem, assignments).violations if "required but not scheduled" not in v]


@st.composite
def busy_events(draw):
    n_slots = draw(st.integers(3, 6))
    people = [f"p{i}" for i in range(draw(st.integers(4, 9)))]
    meetings = []
    pairs = draw(st.lists(st.tuples(st.sampled_from(people), st.sampled_from(people)), min_size=3, max_size=22))
    seen = set()
    for a, b in pairs:
        if a == b or frozenset((a, b)) in seen:
            continue
        seen.add(frozenset((a, b)))
        m = {"id": f"m{len(meetings)}", "participants": [a, b], "required": False, "weight": draw(st.integers(1, 3))}
        if draw(st.integers(0, 6)) == 0:
            m["fixed_slot"] = str(draw(st.integers(1, n_slots)))
        if meetings and draw(st.integers(0, 6)) == 0:
            m["after"] = [f"m{draw(st.integers(0, len(meetings) - 1))}"]
        if draw(st.integers(0, 6)) == 0:
            m["session"] = draw(st.sampled_from(["AM", "PM"]))
        meetings.append(m)
    participants = []
    for p in people:
        item = {"id": p, "unavailable": draw(st.lists(st.sampled_from([str(s + 1) for s in range(n_slots)]),
                                                      max_size=1, unique=True))}
        if draw(st.integers(0, 5)) == 0:
            item["max_meetings"] = draw(st.integers(1, 3))
        participants.append(item)
    locations = draw(st.integers(1, 4))
    if draw(st.booleans()):
        locations += 1
        participants[0]["location"] = str(locations)
    return {"format": FORMAT, "slots": [{"id": str(i + 1), "session": "AM" if i < n_slots // 2 else "PM"}
                                        for i in range(n_slots)],
            "locations": locations, "participants": participants, "meetings": meetings,
            "fairness": draw(st.sampled_from([None, None, 1, 2])), "seed": draw(st.integers(0, 10 ** 6))}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(busy_events())
def test_kempe_moves_keep_every_side_condition_and_the_counts_true(data):
    seed = data.pop("seed")
    problem = problem_from_dict(data)
    start = gap_aware_greedy(problem)
    if check(problem, start):
        return  # the greedy itself broke fairness: the local search never starts from such a schedule
    ls = LocalSearch(problem, start, set(), seed)
    pinned = {m.id: start[m.id] for m in problem.meetings if m.id in start and (m.after or any(
        m.id in o.after for o in problem.meetings))}
    rng = random.Random(seed)
    for _ in range(60):
        held = list(ls.slot_of)
        unheld = [m.id for m in problem.meetings if m.id not in ls.slot_of]
        what = rng.random()
        if what < 0.4 and held:
            ls.try_kempe(rng.choice(held), rng.randrange(len(problem.slots)), temperature=5.0)
        elif what < 0.7:
            ls.kempe_for(rng.choice([p.id for p in problem.participants]), temperature=5.0)
        elif unheld:
            ls.try_insert_kempe(rng.choice(unheld))
        assert check(problem, ls.slot_of) == []
        assert ls.total == sum(participant_breaks(problem, ls.slot_of).values())
        assert ls.weight == sum(m.weight for m in problem.meetings if m.id in ls.slot_of)
        assert all(ls.slot_of.get(mid) == s for mid, s in pinned.items())
        shared = len(problem.shared_locations())
        for s in range(len(problem.slots)):
            in_pool = sum(1 for mid, slot in ls.slot_of.items()
                          if slot == s and problem.location_of_meeting(problem.meetings[problem.meeting_index[mid]]) is None)
            assert ls.state.pool_left[s] == shared - in_pool
