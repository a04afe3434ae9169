"""Upper bounds on the scheduled weight: never below the best schedule (brute force on small events
with every side condition), and the slot-by-slot bound never above the aggregate one."""

from hypothesis import HealthCheck, given, settings

from clusterbridge.scheduling import problem_from_dict
from clusterbridge.scheduling.bounds import slot_weight_upper_bound, weight_upper_bound

from .test_solver import FORMAT, brute_force, slots, small_problems


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_bounds_hold_and_the_slot_bound_is_the_tighter(data):
    problem = problem_from_dict(data)
    best = brute_force(problem)
    slot_bound = slot_weight_upper_bound(problem)
    if best is None:
        return  # no schedule: nothing to bound
    aggregate = weight_upper_bound(problem)
    assert slot_bound is not None and aggregate is not None
    assert best[0] <= slot_bound + 1e-6 <= aggregate + 2e-6


def test_the_slot_bound_sees_what_the_aggregate_one_cannot():
    # One table. Two meetings fixed to slot 1, and c and d free only in slot 2 for a third:
    # at most two meetings are held (one in each slot), weight 3 + 2 = 5.
    problem = problem_from_dict({
        "format": FORMAT, "slots": slots(2), "locations": 1,
        "participants": [{"id": "a"}, {"id": "b"}, {"id": "c", "unavailable": ["1"]}, {"id": "d"},
                         {"id": "e"}, {"id": "f"}],
        "meetings": [{"id": "ab", "participants": ["a", "b"], "fixed_slot": "1", "required": False, "weight": 3},
                     {"id": "ef", "participants": ["e", "f"], "fixed_slot": "1", "required": False, "weight": 3},
                     {"id": "cd", "participants": ["c", "d"], "required": False, "weight": 2}]})
    assert weight_upper_bound(problem) == 6  # one table in each of two slots: the two heaviest
    assert slot_weight_upper_bound(problem) == 5
    assert brute_force(problem) == (5, 0)


def test_the_slot_bound_knows_precedences():
    # b must come after a; both only in slot 1 (b's partner is away in slot 2): only one is held.
    problem = problem_from_dict({
        "format": FORMAT, "slots": slots(2), "locations": 2,
        "participants": [{"id": "p"}, {"id": "q", "unavailable": ["2"]}, {"id": "r", "unavailable": ["2"]}],
        "meetings": [{"id": "a", "participants": ["p", "q"], "required": False},
                     {"id": "b", "participants": ["r", "q"], "required": False, "after": ["a"]}]})
    assert slot_weight_upper_bound(problem) == 1
    assert brute_force(problem) == (1, 0)
