"""Command line: `python -m clusterbridge.scheduling solve|check ...`.

Exit codes (specs/meeting-scheduling.md): solve gives 0 for OPTIMAL or
FEASIBLE, 1 INFEASIBLE, 2 invalid input, 3 UNKNOWN; check gives 0 when the
schedule is feasible, 1 when it is not, 2 for invalid input.
"""

from __future__ import annotations

import argparse
import json
import sys

from .check import check_schedule
from .problem import ProblemError, load_problem
from .schedule import FEASIBLE, INFEASIBLE, OPTIMAL, ScheduleError, load_schedule
from .solver import SolveOptions, solve

EXIT = {OPTIMAL: 0, FEASIBLE: 0, INFEASIBLE: 1}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m clusterbridge.scheduling",
                                     description="Optimal one-to-one meeting schedules.")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("solve", help="find the best schedule for a problem")
    s.add_argument("problem", metavar="PROBLEM.json")
    s.add_argument("--out", metavar="SCHEDULE.json", help="write the schedule here instead of printing it")
    s.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS")
    s.add_argument("--workers", type=int, default=2, metavar="N")
    s.add_argument("--seed", type=int, default=0, metavar="N")
    s.add_argument("--start", metavar="SCHEDULE.json", help="a previous schedule to keep as much of as possible")
    s.add_argument("--quiet", action="store_true", help="no progress on standard error")
    c = sub.add_parser("check", help="verify a schedule independently")
    c.add_argument("problem", metavar="PROBLEM.json")
    c.add_argument("schedule", metavar="SCHEDULE.json")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        problem = load_problem(args.problem)
        if args.command == "check":
            assignments = load_schedule(args.schedule)
        else:
            assignments = load_schedule(args.start) if args.start else None
    except (ProblemError, ScheduleError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    if args.command == "check":
        result = check_schedule(problem, assignments)
        for v in result.violations:
            print(f"violation: {v}")
        print(json.dumps({"feasible": result.feasible,
                          "objective": {"scheduled_weight": result.scheduled_weight,
                                        "breaks": result.breaks_total}}))
        return 0 if result.feasible else 1

    if args.time_limit <= 0 or args.workers < 1:
        print("error: --time-limit must be positive and --workers at least 1", file=sys.stderr)
        return 2

    def progress(fraction: float, best: dict) -> None:
        if not args.quiet and sys.stderr.isatty():
            print(f"\r{fraction:4.0%} best so far: {best}", end="", file=sys.stderr, flush=True)

    schedule = solve(problem, SolveOptions(time_limit=args.time_limit, workers=args.workers,
                                           seed=args.seed, start=assignments, progress=progress))
    if not args.quiet and sys.stderr.isatty():
        print(file=sys.stderr)
    text = schedule.to_json()
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        print(f"{schedule.status}: written to {args.out}", file=sys.stderr)
    else:
        print(text)
    if schedule.reason:
        print(f"{schedule.status}: {schedule.reason}", file=sys.stderr)
    return EXIT.get(schedule.status, 3)


if __name__ == "__main__":
    sys.exit(main())
