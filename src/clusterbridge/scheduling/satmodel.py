"""A SAT encoding of "is there a schedule with at most k breaks?", for
events whose meetings are all required (the JAIR benchmark's kind).

CDCL SAT solvers (CaDiCaL and Kissat, through PySAT) find the low-break
schedules of the crafted benchmark instances far faster than CP-SAT's
search, and prove the bounds below them quickly; the MaxSAT results of
Bofill et al. (JAIR 74, 2022) rest on the same kind of solver.

Variables: x[m, s] (meeting m in slot s), busy[p, s], and e[p, s], "a
break of p ends in s" (p is busy in s, idle in s - 1 and busy before), so
p's breaks are the number of true e[p, s]. Implied constraints after the
paper: each participant is busy in exactly as many slots as they have
meetings (per session too, where meetings are tied to one); a participant
without breaks is busy in one window of consecutive slots. One more, ours,
matters most on the instances with few tables: every meeting in a slot
makes two participants busy there, so at most twice the tables are busy
per slot — a counter over the participants, which the solver branches on,
rather than only over the meetings (it took tic-14crafc from 30 s to 0.4 s).
That counter speeds up the proofs that no schedule has fewer breaks, but
can slow the search for a schedule that has them tenfold (forum-13crafc:
"at most 1 break" in 5 s without it, 59 s with it), so `sat_search` races
an encoding with it against one without (`busy_per_slot=False`).

Fairness d: when k is below the number of participants with meetings,
somebody has no break, so fairness says exactly "nobody has more than d".
"""

from __future__ import annotations

from collections import defaultdict

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.formula import IDPool

from .problem import Problem

# Measured on the JAIR instances: cardinality networks propagate the table
# and per-participant counters best; the totalizer suits the break total.
CARD = EncType.cardnetwrk


def applicable(problem: Problem) -> bool:
    """The encoding covers required meetings in shared tables with unavailable
    slots, sessions, fixed slots, precedences and fairness; anything else stays
    with CP-SAT."""
    return (bool(problem.meetings)
            and all(m.required for m in problem.meetings)
            and not problem.booth_of()
            and not any(p.max_meetings is not None for p in problem.participants))


class BreakSat:
    """The clauses of a problem; `bounded(k)` adds "at most k breaks"."""

    def __init__(self, problem: Problem, busy_per_slot: bool = True):
        self.problem = problem
        self.pool = IDPool()
        self.clauses: list[list[int]] = []
        n_slots = len(problem.slots)
        self.x: dict[str, dict[int, int]] = {}
        cells: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        per_slot: list[list[int]] = [[] for _ in range(n_slots)]
        mine: dict[str, list] = defaultdict(list)
        for m in problem.meetings:
            xs = {s: self.pool.id(("x", m.id, s)) for s in problem.allowed_slots(m)}
            self.x[m.id] = xs
            for p in m.participants:
                mine[p].append(m)
            if not xs:
                self.clauses.append([])  # cannot be placed at all
                continue
            self.clauses.append(list(xs.values()))
            self._at_most_one(list(xs.values()))
            for s, v in xs.items():
                per_slot[s].append(v)
                for p in m.participants:
                    cells[p][s].append(v)

        for m in problem.meetings:
            for first in m.after:
                self._precedes(first, m.id, n_slots)

        tables = len(problem.locations)
        for vs in per_slot:
            if len(vs) > tables:
                self._card(CardEnc.atmost(vs, tables, vpool=self.pool, encoding=CARD))

        self.busy: dict[str, dict[int, int]] = {}
        self.ends: dict[str, list[int]] = {}
        for p in sorted(cells, key=problem.participant_index.get):
            busy = {}
            for s in sorted(cells[p]):
                vs = cells[p][s]
                self._at_most_one(vs)
                if len(vs) == 1:
                    busy[s] = vs[0]
                else:
                    busy[s] = self._or(vs, ("busy", p, s))
            self.busy[p] = busy
            self._breaks(p, busy, n_slots)
            self._implied(p, busy, mine[p])

        for s in range(n_slots):
            lits = [busy[s] for busy in self.busy.values() if s in busy]
            if busy_per_slot and len(lits) > 2 * tables:
                self._card(CardEnc.atmost(lits, 2 * tables, vpool=self.pool, encoding=CARD))

    # --- clause helpers ----------------------------------------------------
    def _card(self, cnf) -> None:
        self.clauses.extend(cnf.clauses)

    def _at_most_one(self, lits: list[int]) -> None:
        if len(lits) <= 6:
            for i, a in enumerate(lits):
                for b in lits[i + 1:]:
                    self.clauses.append([-a, -b])
        else:
            self._card(CardEnc.atmost(lits, 1, vpool=self.pool, encoding=EncType.seqcounter))

    def _or(self, lits: list[int], name) -> int:
        if len(lits) == 1:
            return lits[0]
        v = self.pool.id(name)
        self.clauses.append([-v] + lits)
        for lit in lits:
            self.clauses.append([-lit, v])
        return v

    def _precedes(self, first: str, then: str, n_slots: int) -> None:
        """`first` is held in an earlier slot than `then` (both are placed once): `then` in slot s
        needs `first` somewhere before s, and `first` in slot t needs `then` somewhere after t. Both
        directions, through running ORs, so that placing either one prunes the other at once."""
        a, b = self.x[first], self.x[then]
        for lits, other, order, tag in ((a, b, range(n_slots), "earlier"), (b, a, range(n_slots - 1, -1, -1), "later")):
            run = None  # the meeting of `lits` is in a slot passed already
            for s in order:
                if s in other:
                    self.clauses.append([-other[s]] + ([run] if run is not None else []))
                if s in lits:
                    run = lits[s] if run is None else self._or([run, lits[s]], (tag, first, then, s))

    # --- breaks ------------------------------------------------------------
    def _breaks(self, p: str, busy: dict[int, int], n_slots: int) -> None:
        """e[p, s] <-> busy[s] and not busy[s-1] and busy in some slot before s-1."""
        pre: list[int | None] = [None]  # pre[t]: p is busy in some slot < t
        for t in range(n_slots):
            parts = [v for v in (pre[t], busy.get(t)) if v is not None]
            pre.append(self._or(parts, ("pre", p, t + 1)) if parts else None)
        ends = []
        for s in range(1, n_slots):
            cur, prev, before = busy.get(s), busy.get(s - 1), pre[s - 1]
            if cur is None or before is None:
                continue
            e = self.pool.id(("end", p, s))
            if prev is not None:
                self.clauses += [[-cur, prev, -before, e], [-e, cur], [-e, -prev], [-e, before]]
            else:
                self.clauses += [[-cur, -before, e], [-e, cur], [-e, before]]
            ends.append(e)
        self.ends[p] = ends

    def _implied(self, p: str, busy: dict[int, int], meetings: list) -> None:
        k = len(meetings)
        lits = list(busy.values())
        if len(lits) > k:
            self._card(CardEnc.equals(lits, k, vpool=self.pool, encoding=CARD))
        for session in sorted({m.session for m in meetings if m.session is not None}):
            tied = sum(1 for m in meetings if m.session == session)
            inside = [v for s, v in busy.items() if self.problem.slots[s].session == session]
            if all(m.session is not None for m in meetings):
                if len(inside) > tied:
                    self._card(CardEnc.equals(inside, tied, vpool=self.pool, encoding=CARD))
            elif len(inside) > tied:
                self._card(CardEnc.atleast(inside, tied, vpool=self.pool, encoding=CARD))
        if k >= 2 and self.ends[p]:
            # No break -> the k busy slots are one window.
            flag = self.pool.id(("nobreak", p))
            for e in self.ends[p]:
                self.clauses.append([-flag, -e])
            self.clauses.append([flag] + self.ends[p])
            windows = []
            for w in range(0, len(self.problem.slots) - k + 1):
                if all(s in busy for s in range(w, w + k)):
                    z = self.pool.id(("win", p, w))
                    self.clauses.extend([-z, busy[s]] for s in range(w, w + k))
                    windows.append(z)
            self.clauses.append([-flag] + windows)

    # --- questions ---------------------------------------------------------
    def active(self) -> int:
        """Participants with at least one meeting (those fairness compares)."""
        return len(self.busy)

    def fair_first(self, fairness: int) -> list[list[int]]:
        """Clauses for "nobody has more than `fairness` breaks": every schedule meeting them is fair."""
        return self._nobody_above(fairness, IDPool(start_from=self.pool.top + 1))

    def _nobody_above(self, fairness: int, pool: IDPool) -> list[list[int]]:
        extra: list[list[int]] = []
        for ends in self.ends.values():
            if len(ends) > fairness:
                extra += CardEnc.atmost(ends, fairness, vpool=pool, encoding=CARD).clauses
        return extra

    def bounded(self, k: int, fairness: int | None) -> list[list[int]]:
        """Extra clauses for "at most k breaks in all" (and fairness, which
        this encoding covers only for k below `active()`)."""
        if fairness is not None and k >= self.active():
            raise ValueError("fairness is encoded only for fewer breaks than participants")
        pool = IDPool(start_from=self.pool.top + 1)
        extra = self._nobody_above(fairness, pool) if fairness is not None else []
        lits = [e for ends in self.ends.values() for e in ends]
        if k == 0:
            extra += [[-e] for e in lits]
        elif len(lits) > k:
            tot = ITotalizer(lits, ubound=k, top_id=pool.top)
            extra += tot.cnf.clauses + [[-tot.rhs[k]]]
            tot.delete()
        return extra

    def decode(self, model: list[int]) -> dict[str, int]:
        true = {v for v in model if v > 0}
        out = {}
        for mid, xs in self.x.items():
            for s, v in xs.items():
                if v in true:
                    out[mid] = s
                    break
        return out
