"""The independent checker on hand-made schedules, one rule at a time."""

from clusterbridge.scheduling import Assignment, check_schedule, problem_from_dict

FORMAT = "clusterbridge.meeting-scheduling/1"


def make(**overrides):
    data = {
        "format": FORMAT,
        "slots": [{"id": "1", "session": "AM"}, {"id": "2", "session": "AM"},
                  {"id": "3", "session": "PM"}, {"id": "4", "session": "PM"}],
        "locations": 2,
        "participants": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}],
        "meetings": [
            {"id": "m1", "participants": ["a", "b"]},
            {"id": "m2", "participants": ["a", "c"]},
            {"id": "m3", "participants": ["c", "d"], "required": False},
        ],
    }
    data.update(overrides)
    return problem_from_dict(data)


def A(meeting, slot, location):
    return Assignment(meeting=meeting, slot=slot, location=location)


def test_check_accepts_a_valid_schedule_and_counts_breaks():
    p = make()
    result = check_schedule(p, [A("m1", "1", "1"), A("m2", "3", "1"), A("m3", "1", "2")])
    assert result.violations == []
    assert result.breaks == {"a": 1, "b": 0, "c": 1, "d": 0}
    assert result.scheduled_weight == 3


def test_check_finds_double_booking():
    result = check_schedule(make(), [A("m1", "1", "1"), A("m2", "1", "2")])
    assert result.violations == ['participant "a" has 2 meetings in slot "1": "m1", "m2"']


def test_check_finds_location_clash():
    result = check_schedule(make(), [A("m1", "1", "1"), A("m2", "2", "1"), A("m3", "1", "1")])
    assert result.violations == ['location "1" hosts 2 meetings in slot "1"']


def test_check_finds_unavailable_slot():
    p = make(participants=[{"id": "a", "unavailable": ["2"]}, {"id": "b"}, {"id": "c"}, {"id": "d"}])
    result = check_schedule(p, [A("m1", "2", "1"), A("m2", "1", "1")])
    assert result.violations == ['meeting "m1": participant "a" is unavailable in slot "2"']


def test_check_finds_session_and_fixed_slot_violations():
    p = make(meetings=[
        {"id": "m1", "participants": ["a", "b"], "session": "PM"},
        {"id": "m2", "participants": ["a", "c"], "fixed_slot": "4"},
    ])
    result = check_schedule(p, [A("m1", "1", "1"), A("m2", "3", "1")])
    assert result.violations == [
        'meeting "m1": slot "1" is not in session "PM"',
        'meeting "m2": fixed to slot "4" but placed in "3"',
    ]


def test_check_finds_precedence_violation():
    p = make(meetings=[
        {"id": "m1", "participants": ["a", "b"]},
        {"id": "m2", "participants": ["a", "c"], "after": ["m1"]},
    ])
    result = check_schedule(p, [A("m1", "3", "1"), A("m2", "2", "1")])
    assert result.violations == ['meeting "m2": must come after "m1"']


def test_check_finds_fairness_violation():
    p = make(fairness=0, slots=[{"id": str(i)} for i in range(1, 6)])
    result = check_schedule(p, [A("m1", "1", "1"), A("m2", "3", "1")])
    assert result.violations == ["fairness: breaks range from 0 to 1, more than 0 apart"]


def test_check_finds_max_meetings_exceeded():
    p = make(participants=[{"id": "a", "max_meetings": 1}, {"id": "b"}, {"id": "c"}, {"id": "d"}])
    result = check_schedule(p, [A("m1", "1", "1"), A("m2", "2", "1")])
    assert result.violations == ['participant "a" has 2 meetings, more than max_meetings 1']


def test_check_enforces_own_booth():
    p = make(locations=[{"id": "T1"}, {"id": "booth-a"}],
             participants=[{"id": "a", "location": "booth-a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}])
    result = check_schedule(p, [A("m1", "1", "T1"), A("m2", "2", "booth-a"), A("m3", "1", "booth-a")])
    assert result.violations == [
        'meeting "m1": must take place at booth "booth-a", not "T1"',
        'meeting "m3": location "booth-a" is another participant\'s booth',
    ]


def test_check_finds_missing_required_meeting_and_unknown_items():
    result = check_schedule(make(), [A("m1", "1", "1"), A("zz", "1", "1"), A("m1", "2", "2")])
    assert result.violations == [
        'assignments[1]: meeting "zz" is not in the problem',
        'assignments[2]: meeting "m1" is assigned twice',
        'meeting "m2": required but not scheduled',
    ]
