"""The search itself, for `solver.solve`: the best schedule so far and how it was improved (greedy
seed, CP-SAT on the whole model, the SAT climb, large-neighbourhood search), with the proven
bound, progress reports and cancellation."""


import random
import threading
import time
from dataclasses import dataclass, replace
from typing import Callable

from ortools.sat.python import cp_model

from .greedy import gap_aware_greedy
from .local_search import LocalSearch
from .model import Frame, SlotModel
from .problem import Meeting, Problem
from .sat_search import Race
from .schedule import (
    Assignment,
    participant_breaks,
)

Progress = Callable[[float, dict], None]

# Above this many meeting-slot pairs the whole model is too big to be worth
# building: the search starts from the greedy schedule and improves by parts.
FULL_MODEL_LIMIT = 60_000


@dataclass
class SolveOptions:
    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    start: list[Assignment] | None = None
    progress: Progress | None = None
    cancel: threading.Event | None = None
    explain_infeasible: bool = True


@dataclass
class Best:
    slot_of: dict[str, int]
    key: tuple[int, int, int]  # (kept, weight, -breaks)


class Search:
    def __init__(self, problem: Problem, options: SolveOptions, keep: dict[str, int]):
        self.problem = problem
        self.options = options
        self.keep = keep
        self.started = time.monotonic()
        self.deadline = self.started + options.time_limit
        self.rng = random.Random(options.seed)
        self.lower_bounds: dict[str, int] = {}
        self.bound: tuple[int, int, int] | None = None  # proven upper bound on the key
        self.best: Best | None = None
        self.by_person: dict[str, list[Meeting]] = {p.id: [] for p in problem.participants}
        for m in problem.meetings:
            for p in m.participants:
                self.by_person[p].append(m)

    # --- bookkeeping -----------------------------------------------------
    def left(self) -> float:
        return self.deadline - time.monotonic()

    def cancelled(self) -> bool:
        return self.options.cancel is not None and self.options.cancel.is_set()

    def key_of(self, slot_of: dict[str, int]) -> tuple[int, int, int]:
        kept = sum(1 for mid, s in self.keep.items() if slot_of.get(mid) == s)
        weight = sum(self.problem.meetings[self.problem.meeting_index[mid]].weight for mid in slot_of)
        breaks = sum(participant_breaks(self.problem, slot_of).values())
        return (kept, weight, -breaks)

    def fair(self, slot_of: dict[str, int]) -> bool:
        if self.problem.fairness is None:
            return True
        breaks = participant_breaks(self.problem, slot_of)
        busy = {p for mid in slot_of for p in self.problem.meetings[self.problem.meeting_index[mid]].participants}
        counted = [b for p, b in breaks.items() if p in busy]
        return not counted or max(counted) - min(counted) <= self.problem.fairness

    def offer(self, slot_of: dict[str, int]) -> bool:
        """Take a complete, fair schedule if it is at least as good as the best."""
        if not self.complete(slot_of) or not self.fair(slot_of):
            return False
        key = self.key_of(slot_of)
        if self.best is None or key > self.best.key:
            self.best = Best(dict(slot_of), key)
            self.report()
            return True
        if key == self.best.key:
            self.best = Best(dict(slot_of), key)  # a plateau move keeps the search moving
        return False

    def report(self, fraction: float | None = None) -> None:
        if self.options.progress is None or self.best is None:
            return
        if fraction is None:
            fraction = (time.monotonic() - self.started) / max(self.options.time_limit, 1e-6)
        self.options.progress(min(0.99, fraction), {"breaks": -self.best.key[2],
                                                    "scheduled_weight": self.best.key[1]})

    def proven_optimal(self) -> bool:
        return self.best is not None and self.bound is not None and self.best.key >= self.bound

    def complete(self, slot_of: dict[str, int]) -> bool:
        return all(m.id in slot_of for m in self.problem.meetings if m.required)

    # --- the pieces --------------------------------------------------------
    def solver(self, seconds: float, workers: int) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = self.options.seed
        return solver

    def per_participant_bounds(self, budget: float) -> None:
        """Each participant's fewest breaks with only their own meetings: a
        proven lower bound that the full model then starts from."""
        stop = time.monotonic() + budget
        for p in self.problem.participants:
            mine = self.by_person[p.id]
            # Optional meetings could fill gaps, so only all-required days give a bound.
            if len(mine) < 2 or not all(m.required for m in mine) or time.monotonic() > stop:
                continue
            # Precedences on other people's meetings are left out: fewer conditions, still a bound.
            ids = {m.id for m in mine}
            mine = [replace(m, after=tuple(a for a in m.after if a in ids)) for m in mine]
            sub = Problem(slots=self.problem.slots, locations=self.problem.locations,
                          participants=self.problem.participants, meetings=mine, fairness=None)
            model = SlotModel(sub, Frame(free=mine, fixed={}, keep={}, pinned={}, full=False))
            model.m.minimize(model.breaks[p.id])  # only p's breaks count here
            solver = self.solver(min(1.0, stop - time.monotonic()), 1)
            if solver.solve(model.m) == cp_model.OPTIMAL:
                self.lower_bounds[p.id] = int(solver.objective_value)

    def full_model(self, seconds: float, hard_keep: bool) -> int:
        problem = self.problem
        frame = Frame(free=list(problem.meetings), fixed={}, keep=self.keep,
                      pinned=dict(self.keep) if hard_keep else {}, full=True)
        model = SlotModel(problem, frame, self.lower_bounds)
        model.hint(self.best.slot_of if self.best else gap_aware_greedy(problem, keep=self.keep))
        solver = self.solver(seconds, max(1, self.options.workers))
        code = self._run(solver, model)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.offer(model.read(solver))
            if model.has_objective:
                self.tighten(self._key_bound(model, solver, code))
            else:
                self.tighten(self.best.key)
        return code

    def _key_bound(self, model: SlotModel, solver: cp_model.CpSolver, code: int) -> tuple[int, int, int]:
        if code == cp_model.OPTIMAL:
            return self.best.key
        bound = int(solver.best_objective_bound + 1e-6)
        kept, weight, neg_breaks = self.best.key
        if bound >= model.k_scale * (kept + 1):
            return (kept + 1, 0, 0) if self.keep else (kept, weight + 1, 0)
        rest = bound - model.k_scale * kept
        # Every schedule has 0 <= breaks < w_scale, so w_scale * weight <= rest.
        weight_bound = max(weight, rest // model.w_scale)
        if weight_bound > weight:
            return (kept, weight_bound, 0)
        return (kept, weight, min(0, rest - model.w_scale * weight))

    def _run(self, solver: cp_model.CpSolver, model: SlotModel) -> int:
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.25):
                if self.cancelled() or time.monotonic() > self.deadline + 1:
                    solver.stop_search()
                self.report()

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            return solver.solve(model.m)
        finally:
            done.set()
            watcher.join()

    def local_search(self, until: float) -> None:
        frozen = {mid for mid, s in self.keep.items() if self.best.slot_of.get(mid) == s}
        ls = LocalSearch(self.problem, self.best.slot_of, frozen, self.options.seed)
        target = sum(self.lower_bounds.values()) if self.bound is None else -self.bound[2]
        self.offer(ls.run(until, on_progress=lambda key: self.report(), target_breaks=target, stop=self.cancelled))

    def tighten(self, bound: tuple[int, int, int]) -> None:
        """Keep the tighter of two proven upper bounds on the key."""
        self.bound = bound if self.bound is None else min(self.bound, bound)

    def breaks_at_most(self, limit: int, seconds: float) -> int:
        """Is there a schedule with at most `limit` breaks? A feasibility
        problem, far easier than optimising; a schedule found is offered."""
        problem = self.problem
        model = SlotModel(problem, Frame(free=list(problem.meetings), fixed={}, keep={}, pinned={}, full=True),
                          self.lower_bounds)
        model.m.clear_objective()
        # Per-participant counts propagate far better than the sum of literals.
        model.m.add(sum(model.breaks.values()) <= limit)
        if self.best is not None:
            model.hint(self.best.slot_of)
        solver = self.solver(seconds, max(1, self.options.workers))
        code = self._run(solver, model)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.offer(model.read(solver))
        return code

    def ascend(self, until: float) -> bool:
        """Search on the number of breaks from below: is there a schedule with
        as many breaks as the proven lower bound (where most real events have
        their optimum)? Raise it while that is proven impossible; the first
        feasible one is optimal. Returns True when no schedule exists at all."""
        problem = self.problem
        if self.keep or any(not m.required for m in problem.meetings):
            return False  # the lexicographic weight objective comes first there
        if self.best is None:  # first any schedule at all, or a proof that none exists
            model = SlotModel(problem, Frame(free=list(problem.meetings), fixed={}, keep={}, pinned={}, full=True))
            model.m.clear_objective()
            solver = self.solver(until - time.monotonic(), max(1, self.options.workers))
            code = self._run(solver, model)
            if code == cp_model.INFEASIBLE:
                return True
            if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return False
            self.offer(model.read(solver))
        weight = self.best.key[1]
        low = sum(self.lower_bounds.values())
        if self.bound is not None:
            low = max(low, -self.bound[2])
        # A quick first try at the lower bound, where many events have their optimum.
        if -self.best.key[2] > low:
            code = self.breaks_at_most(low, (until - time.monotonic()) * 0.2)
            if code == cp_model.INFEASIBLE:
                low += 1
        # Otherwise a better schedule to start from makes each step easier.
        if -self.best.key[2] > low:
            self.local_search(until=time.monotonic() + (until - time.monotonic()) * 0.3)
        while time.monotonic() < until and not self.cancelled():
            self.tighten((0, weight, -low))
            if -self.best.key[2] <= low:
                return False
            code = self.breaks_at_most(low, until - time.monotonic())
            if code != cp_model.INFEASIBLE:
                break  # found (then optimal), or out of time: the bound stays proven up to `low`
            low += 1
        self.tighten((0, weight, -low))
        return False

    def sat_ascend(self, until: float) -> bool:
        """The same climb from below with SAT solvers in child processes
        (`sat_search`), for events whose meetings are all required. Returns
        True when no schedule exists at all."""
        problem = self.problem
        weight = sum(m.weight for m in problem.meetings)
        low = sum(self.lower_bounds.values())
        if self.bound is not None:
            low = max(low, -self.bound[2])
        self.tighten((0, weight, -low))
        infeasible = False

        def handle(message: tuple) -> None:
            nonlocal infeasible
            if message[0] == "upper":
                self.offer(message[1])
            elif message[0] == "lower":
                self.tighten((0, weight, -message[1]))
            elif message[0] == "infeasible":
                infeasible = True

        race = Race(problem, low, self.options.workers)
        # Never "no schedule": with nothing found by half the time, the exact climb gives way so that
        # CP-SAT, the local search and the neighbourhoods find one to improve.
        half = self.started + self.options.time_limit / 2
        try:
            while (time.monotonic() < until and not self.cancelled() and not infeasible
                   and not self.proven_optimal() and race.running()
                   and not (self.best is None and time.monotonic() > half)):
                race.poll(min(0.25, max(0.0, until - time.monotonic())), handle)
                self.report()
        finally:
            race.stop()
        return infeasible

    # --- large-neighbourhood search ----------------------------------------
    def neighbourhood(self, size: int) -> list[Meeting]:
        problem, slot_of = self.problem, self.best.slot_of
        if self.rng.random() < 0.35:
            width = self.rng.randint(3, max(3, min(8, len(problem.slots))))
            first = self.rng.randrange(0, max(1, len(problem.slots) - width + 1))
            window = range(first, first + width)
            chosen = [m for m in problem.meetings if slot_of.get(m.id) in window]
            self.rng.shuffle(chosen)
            unplaced = [m for m in problem.meetings if m.id not in slot_of]
            self.rng.shuffle(unplaced)
            return (chosen + unplaced)[:size]
        breaks = participant_breaks(problem, slot_of)
        broken = [p for p, b in breaks.items() if b > 0]
        if broken and self.rng.random() < 0.8:
            seed = self.rng.choice(broken)
        else:
            seed = self.rng.choice(problem.participants).id
        # Scheduled meetings of the seed, then of its partners, breadth first;
        # then the unscheduled requests among the people touched, which can
        # be added without disturbing anyone else.
        chosen: dict[str, Meeting] = {}
        touched = {seed}
        frontier = [seed]
        while frontier and len(chosen) < size:
            p = frontier.pop(0)
            mine = [m for m in self.by_person[p] if m.id in slot_of and m.id not in chosen]
            self.rng.shuffle(mine)
            for m in mine:
                if len(chosen) >= size:
                    break
                chosen[m.id] = m
                for q in m.participants:
                    if q not in touched:
                        touched.add(q)
                        frontier.append(q)
        extra = [m for p in touched for m in self.by_person[p]
                 if m.id not in slot_of and m.participants[0] in touched and m.participants[1] in touched]
        self.rng.shuffle(extra)
        return list(chosen.values()) + extra[: max(5, size // 3)]

    def lns(self, until: float) -> None:
        problem = self.problem
        size = min(len(problem.meetings), 25)
        stall = 0
        while time.monotonic() < until and not self.cancelled() and not self.proven_optimal():
            free = self.neighbourhood(size)
            if not free:
                continue  # e.g. a participant with no meeting held: draw again
            free_ids = {m.id for m in free}
            fixed = {mid: s for mid, s in self.best.slot_of.items() if mid not in free_ids}
            breaks_range = None
            if problem.fairness is not None:
                others = participant_breaks(problem, fixed)
                touched = {p for m in free for p in m.participants}
                counted = [b for p, b in others.items() if p not in touched
                           and any(m.id in fixed for m in self.by_person[p])]
                if counted:
                    breaks_range = (max(counted) - problem.fairness, min(counted) + problem.fairness)
                else:
                    breaks_range = (0, problem.fairness)
            frame = Frame(free=free, fixed=fixed, keep={k: v for k, v in self.keep.items() if k in free_ids},
                          pinned={}, breaks_range=breaks_range, full=False)
            model = SlotModel(problem, frame, self.lower_bounds)
            model.hint(self.best.slot_of)
            seconds = min(0.3, max(0.05, until - time.monotonic()))
            solver = self.solver(seconds, 1)
            code = solver.solve(model.m)
            if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                candidate = dict(fixed)
                candidate.update(model.read(solver))
                improved = self.offer(candidate)
                stall = 0 if improved else stall + 1
                if code == cp_model.OPTIMAL and solver.wall_time < 0.1:
                    size = min(len(problem.meetings), int(size * 1.1) + 1)
                elif code != cp_model.OPTIMAL:
                    size = max(10, int(size * 0.8))
            else:
                stall += 1
                size = max(10, int(size * 0.8))
            if stall > 30:
                size = min(len(problem.meetings), size + 10)
                stall = 0
            self.report()
