"""Meeting scheduling for matchmaking events: plain Python, no Django.

The problem and schedule formats are the contract of
`specs/meeting-scheduling.md`; `solve` finds the best schedule, `check`
verifies one independently.
"""

from .check import CheckResult, check_schedule
from .problem import Problem, ProblemError, load_problem, problem_from_dict, problem_to_dict
from .schedule import Assignment, Schedule, ScheduleError, assignments_from_dict, load_schedule
from .solver import SolveOptions, solve

__all__ = [
    "Assignment", "CheckResult", "Problem", "ProblemError", "Schedule", "ScheduleError", "SolveOptions",
    "assignments_from_dict", "check_schedule", "load_problem", "load_schedule", "problem_from_dict",
    "problem_to_dict", "solve",
]
