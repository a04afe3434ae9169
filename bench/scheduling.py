"""Meeting-scheduler benchmark (issue "meeting scheduler"; figures in bench/RESULTS.md).

    python bench/scheduling.py jair [--time-limit 60] [--only NAME]
    python bench/scheduling.py large [--time-limit 60] [--sizes 500:3000,1500:12000,3000:20000]
                                     [--people-per-table 10] [--required-share 0.05]
    python bench/scheduling.py reschedule [--time-limit 10] [--sizes 1500:12000,3000:20000] [--people-per-table 10]
    python bench/scheduling.py variants [--time-limit 20] [--only NAME]
    python bench/scheduling.py tables
    python bench/scheduling.py bounds [--sizes ...] [--people-per-table 10]

`jair` reads the 60 real instances from ../shared/bench/b2b-jair2022 when
that folder is there (it is not copied into this repository) and compares
with the best known optimum and the published UWrMaxSat times. `large`
generates events with fixed seeds and compares with first-come-first-served
and the LP upper bound on weight. `variants` makes, from the 20 originals, the
side-condition variants the JAIR paper describes (fixed meetings, precedences)
and solves them. Each run prints a Markdown table.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import random
import zlib
from collections import defaultdict
import resource
import sys
import time
from pathlib import Path

from clusterbridge.scheduling import (SolveOptions, check_schedule, load_problem,
                                      problem_from_dict, solve)
from clusterbridge.scheduling.bounds import weight_upper_bound
from clusterbridge.scheduling.generate import generate_event
from clusterbridge.scheduling.greedy import first_come_first_served
from clusterbridge.scheduling.locations import table_changes
from clusterbridge.scheduling.schedule import participant_breaks

JAIR = Path(__file__).resolve().parents[2] / "shared" / "bench" / "b2b-jair2022"


def peak_mb() -> int:
    """The larger of this process's peak and its largest child's (the SAT solvers)."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) // 1024


def solve_checked(problem, args, name: str):
    """Solve within the run's limit; every schedule passes the checker. Returns the schedule, the
    seconds, and its breaks and proven bound as the tables print them."""
    started = time.monotonic()
    schedule = solve(problem, SolveOptions(time_limit=args.time_limit, workers=args.workers))
    seconds = time.monotonic() - started
    if schedule.status in ("OPTIMAL", "FEASIBLE"):
        violations = check_schedule(problem, schedule.assignments).violations
        assert not violations, (name, violations[:3])
    ours = schedule.breaks_total if schedule.status in ("OPTIMAL", "FEASIBLE") else "–"
    bound = schedule.breaks_bound if schedule.breaks_bound is not None else "–"
    schedule.table_changes = "–"
    if schedule.assignments:
        slot_of = {a.meeting: problem.slot_index[a.slot] for a in schedule.assignments}
        schedule.table_changes = table_changes(problem, slot_of, {a.meeting: a.location for a in schedule.assignments})
    return schedule, seconds, ours, bound


def jair(args) -> None:
    if not JAIR.exists():
        print(f"skipped: {JAIR} is not there")
        return
    best = {r["instance"]: r for r in csv.DictReader(open(JAIR / "best-known.csv", encoding="utf-8"))}
    rows, ours_total, theirs_total, at_optimum, solved = [], 0.0, 0.0, 0, 0
    for path in sorted((JAIR / "instances").glob("*.json")):
        name = path.name[:-5]
        if args.only and args.only not in name:
            continue
        problem = load_problem(str(path))
        schedule, seconds, ours, bound = solve_checked(problem, args, name)
        known = best[name]["best_known_breaks"]
        hit = (known == "infeasible" and schedule.status == "INFEASIBLE") or \
              (schedule.status == "OPTIMAL" and known != "infeasible" and schedule.breaks_total == int(known))
        at_optimum += hit
        solved += schedule.status in ("OPTIMAL", "INFEASIBLE")
        ours_total += seconds
        theirs_total += float(best[name]["maxsat_s"])
        rows.append(f"| {name} | {schedule.status} | {ours} | {bound} | {known} | {seconds:.1f} | "
                    f"{best[name]['maxsat_s']} | {schedule.table_changes} |")
        print(rows[-1], flush=True)
    print()
    print("| instance | status | breaks | proven bound | best known | seconds | UWrMaxSat s (paper) | table changes |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"\n{at_optimum} of {len(rows)} at the best known result and proven; {solved} proven "
          f"(optimal or infeasible); total {ours_total:.0f} s here against {theirs_total:.0f} s "
          f"published for UWrMaxSat; peak memory {peak_mb()} MB")


# Side-condition variants of the 20 originals, made the JAIR paper's way from a known optimal schedule
# (so each stays feasible with the original's optimum): a share of the meetings fixed to their slot in
# it, or a share of each participant's meetings ordered as it holds them; the "+forbidden" ones also
# forbid each participant a fifth of the slots where the known schedule leaves them free (late
# arrivals, other duties), which the fixed meetings then have to live with.
VARIANTS = [("fixed20", "fixed", 0.20), ("fixed40", "fixed", 0.40), ("prec15", "after", 0.15),
            ("prec25", "after", 0.25), ("fixed20+forbidden", "fixed+forbidden", 0.20),
            ("fixed40+forbidden", "fixed+forbidden", 0.40)]
FORBIDDEN_SHARE = 0.2
BASE = Path(__file__).resolve().parent / "scheduling-variants-base.json"  # the known schedules, kept


def variant(data: dict, slot_of: dict[str, str], kind: str, share: float, seed: int) -> dict:
    rng = random.Random(seed)
    data = copy.deepcopy(data)
    meetings = data["meetings"]
    order = {s["id"]: i for i, s in enumerate(data["slots"])}
    if kind.startswith("fixed"):
        for i in sorted(rng.sample(range(len(meetings)), round(share * len(meetings)))):
            meetings[i]["fixed_slot"] = slot_of[meetings[i]["id"]]
        if kind.endswith("+forbidden"):
            busy = defaultdict(set)
            for m in meetings:
                for p in m["participants"]:
                    busy[p].add(slot_of[m["id"]])
            for person in data["participants"]:
                blocked = set(person.get("unavailable", []))
                free = [s["id"] for s in data["slots"] if s["id"] not in busy[person["id"]] and s["id"] not in blocked]
                extra = rng.sample(free, round(FORBIDDEN_SHARE * len(free)))
                if extra:
                    person["unavailable"] = sorted(blocked | set(extra), key=order.get)
        return data
    mine = defaultdict(list)
    for m in meetings:
        for p in m["participants"]:
            mine[p].append(m)
    after = defaultdict(set)
    for person in sorted(mine):
        k = round(share * len(mine[person]))
        if k < 2:
            continue
        chosen = sorted(rng.sample(mine[person], k), key=lambda m: order[slot_of[m["id"]]])
        for first, then in zip(chosen, chosen[1:]):
            after[then["id"]].add(first["id"])
    for m in meetings:
        if after[m["id"]]:
            m["after"] = sorted(after[m["id"]])
    return data


def variants(args) -> None:
    if not JAIR.exists():
        print(f"skipped: {JAIR} is not there")
        return
    best = {r["instance"]: r for r in csv.DictReader(open(JAIR / "best-known.csv", encoding="utf-8"))}
    base = json.loads(BASE.read_text()) if BASE.exists() else {}
    rows, total, at_optimum, proven, worst = [], 0.0, 0, 0, 0.0
    for path in sorted((JAIR / "instances").glob("*.original.json")):
        name = path.name[:-len(".original.json")]
        if args.only and args.only not in name:
            continue
        data = json.loads(path.read_text())
        if name not in base:  # one worker: the same known schedule on every run
            schedule = solve(problem_from_dict(data), SolveOptions(time_limit=300, workers=1))
            assert schedule.status == "OPTIMAL", (name, schedule.status)
            base[name] = {a.meeting: a.slot for a in schedule.assignments}
            BASE.write_text(json.dumps(base, sort_keys=True, indent=0) + "\n")
        optimum = int(best[f"{name}.original"]["best_known_breaks"])
        for tag, kind, share in VARIANTS:
            instance = variant(data, base[name], kind, share, zlib.crc32(f"{name}.{tag}".encode()))
            problem = problem_from_dict(instance)
            schedule, seconds, ours, bound = solve_checked(problem, args, f"{name}.{tag}")
            hit = schedule.status == "OPTIMAL" and schedule.breaks_total == optimum
            at_optimum += hit
            proven += schedule.status in ("OPTIMAL", "INFEASIBLE")
            total += seconds
            worst = max(worst, seconds)
            rows.append(f"| {name}.{tag} | {schedule.status} | {ours} | {bound} | {optimum} | {seconds:.1f} | "
                        f"{schedule.table_changes} |")
            print(rows[-1], flush=True)
    print()
    print("| instance | status | breaks | proven bound | optimum (the original's) | seconds | table changes |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"\n{at_optimum} of {len(rows)} at the optimum and proven; {proven} proven; total {total:.0f} s, "
          f"worst {worst:.1f} s; peak memory {peak_mb()} MB")


def tables(args) -> None:
    """Table changes (a participant going to another table between two consecutive meetings) on the
    20 originals' known optimal schedules: tables given in meeting order (as before) against the
    assignment that keeps people where they sat. The slots, and so the breaks, are the same."""
    from clusterbridge.scheduling.locations import assign_locations

    base = json.loads(BASE.read_text())
    print("| instance | breaks | table changes, meeting order | table changes, kept where they sat | ratio |")
    print("|---|---|---|---|---|")
    totals = [0, 0]
    for name, slots in sorted(base.items()):
        problem = problem_from_dict(json.loads((JAIR / "instances" / f"{name}.original.json").read_text()))
        slot_of = {mid: problem.slot_index[s] for mid, s in slots.items()}
        in_order = {}
        for s in sorted(set(slot_of.values())):
            held = sorted((m for m in slot_of if slot_of[m] == s), key=problem.meeting_index.get)
            in_order.update(zip(held, problem.shared_locations()))
        before = table_changes(problem, slot_of, in_order)
        after = table_changes(problem, slot_of, assign_locations(problem, slot_of))
        totals[0] += before
        totals[1] += after
        breaks = sum(participant_breaks(problem, slot_of).values())
        print(f"| {name} | {breaks} | {before} | {after} | {after / before:.2f} |")
    print(f"| total | | {totals[0]} | {totals[1]} | {totals[1] / totals[0]:.2f} |")


def generated(size: str, args) -> tuple[int, int, dict]:
    """The generated event of a `participants:requests` size with the run's table ratio and required share."""
    n, r = (int(x) for x in size.split(":"))
    return n, r, generate_event(n, r, seed=1, people_per_table=args.people_per_table,
                                required_share=args.required_share)


def large(args) -> None:
    print("| participants | requests | solver | scheduled | weight | weight / LP bound | breaks | "
          "breaks / FCFS | seconds | peak MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        n, r, data = generated(size, args)
        problem = problem_from_dict(data)
        bound = weight_upper_bound(problem)
        started = time.monotonic()
        fcfs = first_come_first_served(problem)
        fcfs_seconds = time.monotonic() - started
        fcfs_weight = sum(problem.meetings[problem.meeting_index[m]].weight for m in fcfs)
        fcfs_breaks = sum(participant_breaks(problem, fcfs).values())
        print(f"| {n} | {r} | first come, first served | {len(fcfs)} | {fcfs_weight} | "
              f"{fcfs_weight / bound:.4f} | {fcfs_breaks} | 1.00 | {fcfs_seconds:.1f} | {peak_mb()} |", flush=True)
        started = time.monotonic()
        schedule = solve(problem, SolveOptions(time_limit=args.time_limit, workers=args.workers))
        seconds = time.monotonic() - started
        assert check_schedule(problem, schedule.assignments).violations == []
        print(f"| {n} | {r} | ClusterBridge ({schedule.status}) | {len(schedule.assignments)} | "
              f"{schedule.scheduled_weight} | {schedule.scheduled_weight / bound:.4f} | {schedule.breaks_total} | "
              f"{schedule.breaks_total / max(1, fcfs_breaks):.2f} | {seconds:.1f} | {peak_mb()} |", flush=True)


def bounds(args) -> None:
    """The two weight bounds of the generated events side by side: the aggregate LP that table 2
    divides by, and the slot-by-slot LP of the time-indexed model (tighter, slower)."""
    from clusterbridge.scheduling.bounds import slot_weight_upper_bound

    print("| participants | requests | people per table | aggregate LP bound | s | slot-by-slot LP bound | s |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        n, r, data = generated(size, args)
        problem = problem_from_dict(data)
        started = time.monotonic()
        aggregate = weight_upper_bound(problem)
        middle = time.monotonic()
        by_slot = slot_weight_upper_bound(problem)
        print(f"| {n} | {r} | {args.people_per_table} | {aggregate:.1f} | {middle - started:.1f} | {by_slot:.1f} | "
              f"{time.monotonic() - middle:.1f} |", flush=True)


def reschedule(args) -> None:
    print("| event | people per table | cancelled | kept meetings moved | new meetings placed | "
          "weight before → after | breaks before → after | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        n, r, problem_data = generated(size, args)
        problem = problem_from_dict(problem_data)
        first = solve(problem, SolveOptions(time_limit=60, workers=args.workers))
        rng = random.Random(5)
        held = [a.meeting for a in first.assignments]
        cancelled = set(rng.sample(held, len(held) // 20))
        problem_data["meetings"] = [m for m in problem_data["meetings"] if m["id"] not in cancelled]
        changed = problem_from_dict(problem_data)
        started = time.monotonic()
        second = solve(changed, SolveOptions(time_limit=args.time_limit, workers=args.workers,
                                             start=[a for a in first.assignments if a.meeting not in cancelled]))
        seconds = time.monotonic() - started
        assert check_schedule(changed, second.assignments).violations == []
        before = {a.meeting: a.slot for a in first.assignments if a.meeting not in cancelled}
        after = {a.meeting: a.slot for a in second.assignments}
        moved = sum(1 for m, s in before.items() if after.get(m) != s)
        added = sum(1 for m in after if m not in before)
        print(f"| {n}/{r} | {args.people_per_table} | {len(cancelled)} | {moved} | {added} | "
              f"{first.scheduled_weight} → {second.scheduled_weight} | {first.breaks_total} → "
              f"{second.breaks_total} | {seconds:.1f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["jair", "large", "reschedule", "variants", "tables", "bounds"])
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default="")
    parser.add_argument("--sizes", default=None,
                        help="participants:requests,... (large: 500:3000,1500:12000,3000:20000; "
                             "reschedule: 1500:12000,3000:20000)")
    parser.add_argument("--people-per-table", type=int, default=10,
                        help="large: one table per this many participants (4 makes people's time bind)")
    parser.add_argument("--required-share", type=float, default=0.05, help="large: share of required requests")
    args = parser.parse_args()
    if args.sizes is None:
        args.sizes = "1500:12000,3000:20000" if args.what == "reschedule" else "500:3000,1500:12000,3000:20000"
    if args.time_limit is None:
        args.time_limit = {"reschedule": 10.0, "variants": 20.0}.get(args.what, 60.0)
    {"jair": jair, "large": large, "reschedule": reschedule, "variants": variants,
     "tables": tables, "bounds": bounds}[args.what](args)


if __name__ == "__main__":
    sys.exit(main())
