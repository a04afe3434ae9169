"""Searching the number of breaks from below with SAT solvers in child
processes: each child proves "no schedule with fewer than k breaks" for
k = low, low + 1, ... until it finds one with k, which is then optimal.

Children run in their own processes because a SAT call cannot be
interrupted from Python (PySAT's CaDiCaL has no interrupt): the parent
stops a child by ending its process, at the time limit, on cancellation or
when another child has answered. With two workers two different solvers
race (CaDiCaL reusing what it learnt between questions, Kissat asked
afresh each time), which evens out the luck of any one of them.

Messages a child puts on its queue, in order:
  ("upper", slot_of)      a schedule (the first one found, then an optimal one)
  ("lower", k)            proven: no schedule has fewer than k breaks
  ("infeasible",)         proven: no schedule at all
  ("done",)               the last schedule sent is optimal (its breaks
                          meet the last lower bound sent, or `low`)
  ("gave_up", reason)     the question left this encoding's reach
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
import time
from typing import Callable

from .problem import Problem
from .schedule import participant_breaks

# The solvers raced, in order of preference; CaDiCaL first (one worker).
SOLVERS = ("cadical195", "kissat404")


def child(problem: Problem, low: int, solver_name: str, out) -> None:
    from pysat.solvers import Solver

    from .satmodel import BreakSat

    model = BreakSat(problem)
    incremental = solver_name.startswith("cadical")
    solver = Solver(name=solver_name, bootstrap_with=model.clauses)
    if not solver.solve():
        out.put(("infeasible",))
        return
    slot_of = model.decode(solver.get_model())
    out.put(("upper", slot_of))
    breaks = participant_breaks(problem, slot_of)
    counted = [breaks[p] for p in model.busy]
    fair = problem.fairness is None or max(counted) - min(counted) <= problem.fairness
    best = sum(breaks.values()) if fair else len(problem.meetings) * len(problem.slots)
    k = low
    while k < best:
        if problem.fairness is not None and k >= model.active():
            out.put(("gave_up", "as many breaks as participants: fairness is left to CP-SAT"))
            return
        extra = model.bounded(k, problem.fairness)
        if incremental:
            selector = max(max((abs(v) for c in extra for v in c), default=0), model.pool.top) + 1
            model.pool.top = selector  # the next question's variables come after it
            solver.append_formula([c + [-selector] for c in extra])
            found = solver.solve(assumptions=[selector])
        else:
            solver.delete()
            solver = Solver(name=solver_name, bootstrap_with=model.clauses + extra)
            found = solver.solve()
        if found:
            out.put(("upper", model.decode(solver.get_model())))
            break
        k += 1
        out.put(("lower", k))
        if incremental:
            solver.add_clause([-selector])  # that question is settled for good
    out.put(("done",))


class Race:
    """Children racing on one problem; `poll` hands their messages over."""

    def __init__(self, problem: Problem, low: int, workers: int):
        # Never a plain fork of a parent that may run threads (a web worker,
        # CP-SAT): the fork server starts once, clean, and forks cheaply after.
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        self.queue = ctx.Queue()
        self.children = [ctx.Process(target=child, args=(problem, low, name, self.queue), daemon=True)
                         for name in SOLVERS[:max(1, min(workers, len(SOLVERS)))]]
        for p in self.children:
            p.start()
        self.finished = 0

    def poll(self, wait: float, handle: Callable[[tuple], None]) -> None:
        """Hand over the messages that arrive within `wait` seconds."""
        until = time.monotonic() + wait
        while True:
            try:
                message = self.queue.get(timeout=max(0.0, until - time.monotonic()))
            except queue_module.Empty:
                return
            if message[0] in ("done", "infeasible", "gave_up"):
                self.finished += 1
            handle(message)
            if time.monotonic() >= until:
                return

    def running(self) -> bool:
        return any(p.is_alive() for p in self.children) and self.finished < len(self.children)

    def stop(self) -> None:
        for p in self.children:
            if p.is_alive():
                p.terminate()
        for p in self.children:
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
                p.join()
        self.queue.close()
        self.queue.join_thread()
