"""`python -m clusterbridge.scheduling`: exit codes and messages of the spec."""

import json
import subprocess
import sys

import pytest

from clusterbridge.scheduling.__main__ import main

FORMAT = "clusterbridge.meeting-scheduling/1"

GOOD = {
    "format": FORMAT, "name": "two tables",
    "slots": [{"id": "1", "session": "PM"}, {"id": "2", "session": "PM"}, {"id": "3", "session": "PM"}],
    "locations": 2,
    "participants": [{"id": "p1"}, {"id": "p2"}, {"id": "p3", "unavailable": ["1"]}],
    "meetings": [{"id": "m1", "participants": ["p1", "p2"]},
                 {"id": "m2", "participants": ["p1", "p3"]},
                 {"id": "m3", "participants": ["p2", "p3"], "required": False, "weight": 2}],
    "fairness": 2,
}


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_solve_then_check_round_trip(tmp_path, capsys):
    problem = write(tmp_path, "p.json", GOOD)
    out = str(tmp_path / "s.json")
    assert main(["solve", problem, "--out", out, "--time-limit", "10", "--quiet"]) == 0
    with open(out, encoding="utf-8") as fh:
        schedule = json.load(fh)
    assert schedule["format"] == "clusterbridge.meeting-schedule/1"
    assert schedule["status"] == "OPTIMAL"
    # p3 is away in slot 1, so one of p1 and p2 waits a slot: one break.
    assert schedule["objective"] == {"scheduled_weight": 4, "breaks": 1}
    assert schedule["bound"]["breaks"] == 1
    capsys.readouterr()
    assert main(["check", problem, out]) == 0
    assert json.loads(capsys.readouterr().out) == {"feasible": True,
                                                   "objective": {"scheduled_weight": 4, "breaks": 1}}


def test_check_reports_violations_with_exit_1(tmp_path, capsys):
    problem = write(tmp_path, "p.json", GOOD)
    bad = write(tmp_path, "s.json", {"format": "clusterbridge.meeting-schedule/1", "assignments": [
        {"meeting": "m1", "slot": "1", "location": "1"}, {"meeting": "m2", "slot": "1", "location": "2"}]})
    assert main(["check", problem, bad]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == ['violation: meeting "m2": participant "p3" is unavailable in slot "1"',
                                    'violation: participant "p1" has 2 meetings in slot "1": "m1", "m2"']


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["meetings"][1].update(participants=["p1", "p99"]),
     'error: meetings[1]: participant "p99" is not defined'),
    (lambda d: d.update(format="other/1"),
     "error: format: must be \"clusterbridge.meeting-scheduling/1\", not 'other/1'"),
    (lambda d: d["participants"][2].update(unavailable=["9"]),
     'error: participants[2].unavailable[0]: slot "9" is not defined'),
    (lambda d: d["meetings"][0].update(participants=["p1"]),
     "error: meetings[0].participants: a meeting has exactly two participants, not 1"),
    (lambda d: d["meetings"][2].update(weight=-1),
     "error: meetings[2].weight: must be a non-negative integer, not -1"),
    (lambda d: d["meetings"].append({"id": "m1", "participants": ["p2", "p3"]}),
     'error: meetings[3]: meeting id "m1" is defined twice'),
    (lambda d: d["meetings"][0].update(session="AM"),
     "error: meetings[0].session: session 'AM' has no slots"),
])
def test_invalid_problem_exits_2_naming_the_item(tmp_path, capsys, mutate, message):
    data = json.loads(json.dumps(GOOD))
    mutate(data)
    assert main(["solve", write(tmp_path, "p.json", data), "--quiet"]) == 2
    assert capsys.readouterr().err.strip() == message


def test_not_json_exits_2(tmp_path, capsys):
    path = write(tmp_path, "p.json", "{not json")
    assert main(["solve", path]) == 2
    assert capsys.readouterr().err.strip() == f"error: {path}: not valid JSON (line 1, column 2: Expecting property name enclosed in double quotes)"


def test_infeasible_exits_1_with_reason(tmp_path, capsys):
    data = json.loads(json.dumps(GOOD))
    data["participants"][0]["unavailable"] = ["1", "2"]
    assert main(["solve", write(tmp_path, "p.json", data), "--quiet"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == 'INFEASIBLE: participant "p1" has 2 required meetings but 1 available slots'


def test_module_runs_as_a_program(tmp_path):
    problem = write(tmp_path, "p.json", GOOD)
    done = subprocess.run([sys.executable, "-m", "clusterbridge.scheduling", "solve", problem, "--quiet",
                           "--time-limit", "10"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert json.loads(done.stdout)["status"] == "OPTIMAL"
