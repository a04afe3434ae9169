"""Searching the number of breaks from below with SAT solvers in child
processes: each child asks "is there a schedule with at most k breaks?"
for k = low, low + 1, ... until the answer is yes; the first yes at the
proven lower bound is optimal.

Two children race with two workers (one worker runs only the first):
- the prover: CaDiCaL on the full encoding, reusing what it learnt between
  questions (each bound behind an assumption). The per-slot counter of busy
  participants makes its "no" answers fast (forum-13crafb: "at most 4
  breaks?" no in 15–21 s; 170–220 s without the counter).
- the finder: CaDiCaL on the encoding without that counter, which finds the
  schedules at the bound far faster on the instances with few tables
  (forum-13crafc: "at most 1?" yes in 5 s; 59 s with the counter), asked
  afresh each time with the bound as plain clauses (behind an assumption
  it took twice as long).
Each answer "no" raises a lower bound the two share, so neither asks a
question the other has settled; when the prover raises it past the question
the finder is working on, the parent starts the finder again at the new
bound (a SAT call cannot be interrupted from Python: PySAT's CaDiCaL has no
interrupt, so a child is stopped by ending its process). Each child writes
to a queue of its own, so ending one never leaves another's messages torn.

Messages a child puts on its queue:
  ("upper", slot_of)      a schedule (the prover's first one, then one at the bound)
  ("asking", k)           it starts on "at most k breaks?"
  ("lower", k)            proven: no schedule has fewer than k breaks
  ("infeasible",)         proven: no schedule at all
  ("done",)               it has answered (its last schedule is at its bound)
  ("gave_up", reason)     the question left this encoding's reach
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
import time
from typing import Callable

from .problem import Problem
from .schedule import participant_breaks

SOLVER = "cadical195"


def child(problem: Problem, low: int, busy_per_slot: bool, shared_low, shared_upper, out) -> None:
    from pysat.solvers import Solver

    from .satmodel import BreakSat

    model = BreakSat(problem, busy_per_slot=busy_per_slot)
    incremental = busy_per_slot  # the prover reuses what it learnt; the finder starts afresh
    solver = Solver(name=SOLVER, bootstrap_with=model.clauses) if incremental else None
    if busy_per_slot:  # the prover first settles whether any schedule exists
        # With fairness, first a schedule where nobody has more than d breaks (fair by construction, so
        # the parent has one to fall back on), by a solver of its own: the prover's own learning stays
        # as it was (sharing it made some climbs several times slower).
        fair = None
        if problem.fairness is not None:
            with Solver(name=SOLVER, bootstrap_with=model.clauses + model.fair_first(problem.fairness)) as first:
                if first.solve():
                    fair = model.decode(first.get_model())
        if not solver.solve():
            out.put(("infeasible",))
            return
        slot_of = fair or model.decode(solver.get_model())
        breaks = participant_breaks(problem, slot_of)
        counted = [breaks[p] for p in model.busy]
        if problem.fairness is None or max(counted) - min(counted) <= problem.fairness:
            with shared_upper.get_lock():
                shared_upper.value = min(shared_upper.value, sum(breaks.values()))
        out.put(("upper", slot_of))
    k = low
    while True:
        k = max(k, shared_low.value)
        if k >= shared_upper.value:
            break  # a schedule with k breaks is known already
        if problem.fairness is not None and k >= model.active():
            out.put(("gave_up", "as many breaks as participants: fairness is left to CP-SAT"))
            return
        out.put(("asking", k))
        extra = model.bounded(k, problem.fairness)
        if incremental:
            selector = max(max((abs(v) for c in extra for v in c), default=0), model.pool.top) + 1
            model.pool.top = selector  # the next question's variables come after it
            solver.append_formula([c + [-selector] for c in extra])
            found = solver.solve(assumptions=[selector])
        else:  # the bound as plain clauses, which the solver simplifies with
            if solver is not None:
                solver.delete()
            solver = Solver(name=SOLVER, bootstrap_with=model.clauses + extra)
            found = solver.solve()
        if found:
            slot_of = model.decode(solver.get_model())
            with shared_upper.get_lock():
                shared_upper.value = min(shared_upper.value, sum(participant_breaks(problem, slot_of).values()))
            out.put(("upper", slot_of))
            break
        k += 1
        with shared_low.get_lock():
            shared_low.value = max(shared_low.value, k)
        out.put(("lower", k))
        if incremental:
            solver.add_clause([-selector])  # that question is settled for good
    out.put(("done",))


class _Child:
    def __init__(self, ctx, problem: Problem, low: int, busy_per_slot: bool, shared_low, shared_upper):
        self.queue = ctx.Queue()
        self.asking = low
        self.finished = False
        self.process = ctx.Process(target=child, daemon=True,
                                   args=(problem, low, busy_per_slot, shared_low, shared_upper, self.queue))
        self.process.start()

    def end(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.queue.close()
        self.queue.cancel_join_thread()  # a torn message of an ended child is dropped, not waited for


class Race:
    """The prover and (with two workers or more) the finder on one problem;
    `poll` hands their messages over."""

    def __init__(self, problem: Problem, low: int, workers: int):
        # Never a plain fork of a parent that may run threads (a web worker,
        # CP-SAT): the fork server starts once, clean, and forks cheaply after.
        methods = multiprocessing.get_all_start_methods()
        self.ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        self.problem = problem
        self.low = low
        self.shared_low = self.ctx.Value("q", low)
        self.shared_upper = self.ctx.Value("q", len(problem.meetings) * len(problem.slots) + 1)
        self.prover = _Child(self.ctx, problem, low, True, self.shared_low, self.shared_upper)
        self.finder = (_Child(self.ctx, problem, low, False, self.shared_low, self.shared_upper)
                       if workers >= 2 else None)

    def children(self) -> list[_Child]:
        return [c for c in (self.prover, self.finder) if c is not None]

    def poll(self, wait: float, handle: Callable[[tuple], None]) -> None:
        """Hand over the messages that arrive within `wait` seconds."""
        until = time.monotonic() + wait
        while True:
            got = False
            for c in self.children():
                try:
                    message = c.queue.get_nowait()
                except queue_module.Empty:
                    continue
                got = True
                if message[0] == "asking":
                    c.asking = message[1]
                    continue
                if message[0] in ("done", "infeasible", "gave_up"):
                    c.finished = True
                if message[0] == "lower":
                    self.low = max(self.low, message[1])
                handle(message)
            # The shared lower bound is only ever raised by a proof. Read it too: a child ended by
            # `_restart_finder` may have raised it and been stopped before its message got through
            # (then the other child, seeing the bound, ends without saying it again).
            proven = self.shared_low.value
            if proven > self.low:
                self.low = proven
                handle(("lower", proven))
            self._restart_finder()
            if time.monotonic() >= until:
                return
            if not got:
                time.sleep(min(0.02, max(0.0, until - time.monotonic())))

    def _restart_finder(self) -> None:
        """The prover settled the finder's question: start it on the next one."""
        f = self.finder
        if f is None or f.finished or f.asking >= self.low or not f.process.is_alive():
            return
        f.end()
        self.finder = _Child(self.ctx, self.problem, self.low, False, self.shared_low, self.shared_upper)

    def running(self) -> bool:
        return any(c.process.is_alive() or not c.queue.empty() for c in self.children() if not c.finished)

    def stop(self) -> None:
        for c in self.children():
            c.end()
