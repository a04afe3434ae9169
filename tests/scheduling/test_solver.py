"""The solver: optimal on hand-made and random small problems (against
brute force), always accepted by the checker, honest about infeasibility."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterbridge.scheduling import (Assignment, SolveOptions, check_schedule, problem_from_dict,
                                      solve)
from clusterbridge.scheduling.greedy import first_come_first_served, gap_aware_greedy
from clusterbridge.scheduling.locations import assign_locations

FORMAT = "clusterbridge.meeting-scheduling/1"
FAST = SolveOptions(time_limit=20, workers=2)


def slots(n, sessions=None):
    return [{"id": str(i + 1), **({"session": sessions[i]} if sessions else {})} for i in range(n)]


def test_solve_finds_zero_break_chain():
    # a meets b, c, d: the optimum puts a's three meetings back to back.
    p = problem_from_dict({
        "format": FORMAT, "slots": slots(5), "locations": 1,
        "participants": [{"id": x} for x in "abcd"],
        "meetings": [{"id": f"m{x}", "participants": ["a", x]} for x in "bcd"],
    })
    s = solve(p, FAST)
    assert s.status == "OPTIMAL"
    assert s.breaks_total == 0
    assert s.breaks_bound == 0
    assert check_schedule(p, s.assignments).violations == []
    placed = sorted(int(a.slot) for a in s.assignments)
    assert placed[2] - placed[0] == 2


def test_solve_keeps_heavier_optional_meetings_first():
    # One table, one slot: the weight-3 meeting wins over the weight-1 one.
    p = problem_from_dict({
        "format": FORMAT, "slots": slots(1), "locations": 1,
        "participants": [{"id": x} for x in "abcd"],
        "meetings": [{"id": "light", "participants": ["a", "b"], "required": False, "weight": 1},
                     {"id": "heavy", "participants": ["c", "d"], "required": False, "weight": 3}],
    })
    s = solve(p, FAST)
    assert s.status == "OPTIMAL"
    assert [a.meeting for a in s.assignments] == ["heavy"]
    assert s.unscheduled == [{"meeting": "light",
                              "reason": "no table was free in the slots both could attend; heavier meetings took them"}]
    assert s.scheduled_weight == 3


def test_solve_reports_participant_with_too_many_required_meetings():
    p = problem_from_dict({
        "format": FORMAT, "slots": slots(2), "locations": 5,
        "participants": [{"id": "66"}] + [{"id": str(i)} for i in range(1, 4)],
        "meetings": [{"id": f"m{i}", "participants": ["66", str(i)]} for i in range(1, 4)],
    })
    s = solve(p, FAST)
    assert s.status == "INFEASIBLE"
    assert s.reason == 'participant "66" has 3 required meetings but 2 available slots'


def test_solve_explains_infeasibility_with_a_small_core():
    # A triangle of required meetings in two slots: each person has only two
    # meetings, so the counting arguments pass; the core names the triangle.
    p = problem_from_dict({
        "format": FORMAT, "slots": slots(2), "locations": 5,
        "participants": [{"id": x} for x in "abcxy"],
        "meetings": [{"id": "ab", "participants": ["a", "b"]}, {"id": "bc", "participants": ["b", "c"]},
                     {"id": "ca", "participants": ["c", "a"]}, {"id": "xy", "participants": ["x", "y"]}],
    })
    s = solve(p, FAST)
    assert s.status == "INFEASIBLE"
    assert s.reason == ('these 3 required meetings cannot all be placed together: "ab" (a with b), '
                        '"bc" (b with c), "ca" (c with a) (participants involved: a, b, c)')


def test_solve_respects_precedence_fixed_slot_and_booth():
    p = problem_from_dict({
        "format": FORMAT, "slots": slots(4), "locations": [{"id": "T1"}, {"id": "booth"}],
        "participants": [{"id": "a", "location": "booth"}, {"id": "b"}, {"id": "c"}],
        "meetings": [{"id": "first", "participants": ["b", "c"], "fixed_slot": "3"},
                     {"id": "then", "participants": ["a", "b"], "after": ["first"]}],
    })
    s = solve(p, FAST)
    assert s.status == "OPTIMAL"
    got = {a.meeting: (a.slot, a.location) for a in s.assignments}
    assert got == {"first": ("3", "T1"), "then": ("4", "booth")}


def test_rescheduling_keeps_unaffected_meetings_in_place():
    base = {
        "format": FORMAT, "slots": slots(4), "locations": 2,
        "participants": [{"id": x} for x in "abcdef"],
        "meetings": [{"id": "ab", "participants": ["a", "b"]}, {"id": "cd", "participants": ["c", "d"]},
                     {"id": "ef", "participants": ["e", "f"]}, {"id": "ac", "participants": ["a", "c"]}],
    }
    first = solve(problem_from_dict(base), FAST)
    assert first.status == "OPTIMAL"
    # "ef" is cancelled and "b" becomes unavailable in the slot of "ab".
    ab_slot = next(a.slot for a in first.assignments if a.meeting == "ab")
    changed = dict(base, meetings=[m for m in base["meetings"] if m["id"] != "ef"],
                   participants=[{"id": "b", "unavailable": [ab_slot]}] +
                                [{"id": x} for x in "acdef"])
    p2 = problem_from_dict(changed)
    second = solve(p2, SolveOptions(time_limit=20, start=first.assignments))
    before = {a.meeting: a.slot for a in first.assignments}
    after = {a.meeting: a.slot for a in second.assignments}
    assert check_schedule(p2, second.assignments).violations == []
    assert after["cd"] == before["cd"]
    assert after["ac"] == before["ac"]
    assert after["ab"] != before["ab"]
    assert [m["meeting"] for m in second.moved] == ["ab"]


def test_solve_is_deterministic_for_same_seed_and_workers():
    p = problem_from_dict({
        "format": FORMAT, "slots": slots(6), "locations": 2,
        "participants": [{"id": str(i)} for i in range(8)],
        "meetings": [{"id": f"m{i}", "participants": [str(i % 8), str((i * 3 + 1) % 8)], "required": False,
                      "weight": 1 + i % 3} for i in range(12) if i % 8 != (i * 3 + 1) % 8],
    })
    runs = [solve(p, SolveOptions(time_limit=20, workers=1, seed=7)).to_dict() for _ in range(2)]
    for r in runs:
        r.pop("seconds")
    assert runs[0] == runs[1]


def test_progress_callback_reaches_one():
    seen = []
    p = problem_from_dict({"format": FORMAT, "slots": slots(3), "locations": 1,
                           "participants": [{"id": "a"}, {"id": "b"}],
                           "meetings": [{"id": "m", "participants": ["a", "b"]}]})
    solve(p, SolveOptions(time_limit=5, progress=lambda f, best: seen.append((f, best))))
    assert seen[-1] == (1.0, {"breaks": 0, "scheduled_weight": 1})


# --- random small problems against brute force --------------------------

@st.composite
def small_problems(draw):
    """Every side condition the format has, in any combination: required and optional meetings,
    weights, precedences, unavailable slots, sessions, fixed slots, meeting caps, an owned stand,
    a table limit and fairness."""
    n_slots = draw(st.integers(2, 4))
    n_people = draw(st.integers(2, 5))
    people = [str(i) for i in range(n_people)]
    pairs = list(itertools.combinations(people, 2))
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=5, unique=True))
    sessions = ["AM" if i < n_slots // 2 else "PM" for i in range(n_slots)] if draw(st.booleans()) else None
    meetings = []
    for i, pair in enumerate(chosen):
        meetings.append({"id": f"m{i}", "participants": list(pair),
                         "required": draw(st.booleans()), "weight": draw(st.integers(1, 3))})
        if i and draw(st.integers(0, 4)) == 0:  # a precedence on an earlier meeting: never a cycle
            meetings[-1]["after"] = [f"m{draw(st.integers(0, i - 1))}"]
        if sessions and draw(st.integers(0, 3)) == 0:
            meetings[-1]["session"] = draw(st.sampled_from(["AM", "PM"]))
        if draw(st.integers(0, 5)) == 0:
            meetings[-1]["fixed_slot"] = str(draw(st.integers(1, n_slots)))
    participants = [{"id": p, "unavailable": draw(st.lists(st.sampled_from([str(s + 1) for s in range(n_slots)]),
                                                              max_size=1, unique=True))} for p in people]
    for p in participants:
        if draw(st.integers(0, 4)) == 0:
            p["max_meetings"] = draw(st.integers(1, 2))
    n_locations = draw(st.integers(1, 2))
    if draw(st.integers(0, 3)) == 0:  # the first participant has a stand of their own
        n_locations += 1
        participants[0]["location"] = str(n_locations)
    return {"format": FORMAT, "slots": slots(n_slots, sessions), "locations": n_locations,
            "participants": participants, "meetings": meetings,
            "fairness": draw(st.sampled_from([None, 0, 1]))}


def brute_force(problem):
    """Best (weight, -breaks) over every slot choice, or None if infeasible."""
    options = [[None] + problem.allowed_slots(m) if not m.required else problem.allowed_slots(m)
               for m in problem.meetings]
    best = None
    for choice in itertools.product(*options):
        slot_of = {m.id: s for m, s in zip(problem.meetings, choice) if s is not None}
        try:
            locations = assign_locations(problem, slot_of)
        except ValueError:
            continue
        assignments = [Assignment(mid, problem.slots[s].id, locations[mid]) for mid, s in slot_of.items()]
        result = check_schedule(problem, assignments)
        if result.feasible:
            key = (result.scheduled_weight, -result.breaks_total)
            best = key if best is None or key > best else best
    return best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_solver_matches_brute_force_on_small_problems(data):
    problem = problem_from_dict(data)
    expected = brute_force(problem)
    s = solve(problem, SolveOptions(time_limit=10, workers=1))
    if expected is None:
        assert s.status == "INFEASIBLE"
        assert s.reason
    else:
        assert s.status == "OPTIMAL"
        assert check_schedule(problem, s.assignments).violations == []
        assert (s.scheduled_weight, -s.breaks_total) == expected


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_greedy_schedules_always_pass_the_checker_apart_from_missing_required(data):
    problem = problem_from_dict(data)
    for build in (first_come_first_served, gap_aware_greedy):
        slot_of = build(problem)
        locations = assign_locations(problem, slot_of)
        assignments = [Assignment(mid, problem.slots[s].id, locations[mid]) for mid, s in slot_of.items()]
        violations = check_schedule(problem, assignments).violations
        assert [v for v in violations if "required but not scheduled" not in v and "fairness" not in v] == []


def test_tables_keep_people_where_they_sat_and_never_change_the_breaks():
    from clusterbridge.scheduling.locations import table_changes

    # a meets b, c, d in turn; b, c and d each meet someone else next. Kept at one table, a never moves.
    problem = problem_from_dict({
        "format": FORMAT, "slots": slots(4), "locations": 3, "fairness": None,
        "participants": [{"id": p} for p in "abcdef"],
        "meetings": [{"id": "ab", "participants": ["a", "b"], "fixed_slot": "1"},
                     {"id": "ef", "participants": ["e", "f"], "fixed_slot": "1"},
                     {"id": "ce", "participants": ["c", "e"], "fixed_slot": "2"},
                     {"id": "ac", "participants": ["a", "c"], "fixed_slot": "3"},
                     {"id": "bf", "participants": ["b", "f"], "fixed_slot": "3"},
                     {"id": "ad", "participants": ["a", "d"], "fixed_slot": "4"}]})
    s = solve(problem, SolveOptions(time_limit=5, workers=1))
    assert s.status == "OPTIMAL" and check_schedule(problem, s.assignments).violations == []
    table = {a.meeting: a.location for a in s.assignments}
    assert table["ab"] == table["ac"] == table["ad"]  # a stays put
    assert table["ce"] == table["ac"] or table["ce"] == table["ef"]  # c or e stays where they were
    slot_of = {a.meeting: problem.slot_index[a.slot] for a in s.assignments}
    assert table_changes(problem, slot_of, table) <= 3
