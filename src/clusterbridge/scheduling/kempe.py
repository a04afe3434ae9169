"""Kempe-chain moves for the local search: exchange the slots of a whole
chain of meetings, so that a meeting can move to a slot where its partner is
busy.

Take two slots s and t. Everyone has at most one meeting in each, so the
meetings held in s or t form paths and cycles through the people they share
(timetabling's Kempe chains). Moving every meeting of one chain from s to t
and from t to s keeps everyone in at most one meeting per slot, and only the
people at the two ends of a path change their day: the others are busy in
both slots before and after. So a move that closes a gap in someone's day is
priced by recounting two people, however long the chain.

When every table of the receiving slot is taken, a chain that brings one
meeting more into it is paired with a chain that takes one out.
"""

from __future__ import annotations

from .schedule import breaks_of

CHAIN_LIMIT = 40  # longer chains are rare and rarely worth it


class KempeMoves:
    """Mixed into `LocalSearch`, whose state (slot_of, person_at, at, busy,
    frozen, allowed, pool) it reads and changes."""

    def chain(self, mid: str, s: int, t: int) -> list[str] | None:
        """The meetings linked to `mid` (held in s or t) through shared people, or None when
        one of them cannot move (pinned, tied by precedence, at an owned stand, not allowed in the
        other slot) or the chain is too long."""
        found = {mid}
        stack = [mid]
        while stack:
            m = stack.pop()
            here = self.slot_of[m]
            there = t if here == s else s
            if m in self.frozen or there not in self.allowed_set[m] or self.state.booth(self.meetings[m]) is not None:
                return None
            for p in self.meetings[m].participants:
                n = self.person_at.get((p, there))
                if n is not None and n not in found:
                    if len(found) >= CHAIN_LIMIT:
                        return None
                    found.add(n)
                    stack.append(n)
        return list(found)

    def _chain_effect(self, chain: list[str], s: int, t: int) -> tuple[dict[str, int], int]:
        """New break counts of the people whose day changes, and how many meetings the chain
        brings into t (negative: into s)."""
        seen: dict[str, int] = {}
        into_t = 0
        for m in chain:
            here = self.slot_of[m]
            into_t += 1 if here == s else -1
            for p in self.meetings[m].participants:
                seen[p] = seen.get(p, 0) + 1
        new = {}
        for m in chain:
            here = self.slot_of[m]
            there = t if here == s else s
            for p in self.meetings[m].participants:
                if seen[p] == 1:  # an end of the path: this person's day changes
                    new[p] = self._breaks_with(p, here, there)
        return new, into_t

    def _swap_chains(self, chains: list[list[str]], s: int, t: int, new: dict[str, int]) -> None:
        moved = [(m, t if self.slot_of[m] == s else s) for chain in chains for m in chain]
        for m, _ in moved:
            self._remove(m)
        for m, there in moved:
            self._place(m, there)
        self._commit(new)

    def try_kempe(self, mid: str, t: int, temperature: float) -> bool:
        """Move meeting `mid` to slot t by exchanging its chain between its slot and t."""
        s = self.slot_of[mid]
        if s == t:
            return False
        chain = self.chain(mid, s, t)
        if chain is None:
            return False
        new, into_t = self._chain_effect(chain, s, t)
        chains = [chain]
        if into_t > self.state.pool_left[t] or -into_t > self.state.pool_left[s]:
            # The receiving slot is full: pair with a chain going the other way, the best of a few.
            full, other = (t, s) if into_t > 0 else (s, t)
            need = abs(into_t) - self.state.pool_left[full]
            in_chain = set(chain)
            best = None
            for _ in range(6):
                pick = self.at[full].choice(self.rng)
                if pick is None or pick in in_chain:
                    continue
                partner = self.chain(pick, s, t)
                if partner is None:
                    continue
                extra, partner_into_t = self._chain_effect(partner, s, t)
                back = -partner_into_t if full == t else partner_into_t
                if back < need or back - abs(into_t) > self.state.pool_left[other]:
                    continue
                delta = sum(v - self.breaks[p] for p, v in extra.items())
                if best is None or delta < best[0]:
                    best = (delta, partner, extra)
            if best is None:
                return False
            chains.append(best[1])
            new = {**new, **best[2]}
        delta = sum(v - self.breaks[p] for p, v in new.items())
        if not (self._accept(delta, temperature) and self._fair_after(new)):
            return False
        self._swap_chains(chains, s, t, new)
        return True

    def try_insert_kempe(self, mid: str) -> bool:
        """Hold an unscheduled request in a slot where one of its two people is busy, by moving
        that person's meeting there to one of their free slots along its chain (the augmenting
        step of edge colouring): nothing is dropped."""
        m = self.meetings[mid]
        if any(self.state.count[p] >= self.state.cap[p] for p in m.participants):
            return False
        for s in self.rng.sample(self.allowed[mid], len(self.allowed[mid])):
            busy = [p for p in m.participants if s in self.state.busy[p]]
            if len(busy) != 1 or (self.state.booth(m) is None and self.state.pool_left[s] <= 0):
                continue
            blocker = self.person_at[(busy[0], s)]
            free = [t for t in self.allowed[blocker] if t not in self.state.busy[busy[0]]]
            for t in self.rng.sample(free, min(3, len(free))):
                chain = self.chain(blocker, s, t)
                if chain is None:
                    continue
                _, into_t = self._chain_effect(chain, s, t)
                if into_t > self.state.pool_left[t] or -into_t > self.state.pool_left[s] - 1:
                    continue
                touched = {p for c in chain for p in self.meetings[c].participants} | set(m.participants)
                self._swap_chains([chain], s, t, {})
                if self.state.can_place(m, s):
                    self._place(mid, s)
                    new = {p: breaks_of(self.state.busy[p]) for p in touched}
                    if self._fair_after(new):
                        self._commit(new)
                        self.weight += m.weight
                        return True
                    self._remove(mid)
                self._swap_chains([chain], s, t, {})  # back as it was
        return False

    def kempe_for(self, p: str, temperature: float) -> bool:
        """A Kempe move aimed at one of p's gaps: the first or last meeting of p's day (sometimes
        any of p's meetings) moves into the gap, its chain going the other way."""
        busy = sorted(self.state.busy[p])
        if len(busy) < 2:
            return False
        gaps = [g for g in range(busy[0] + 1, busy[-1]) if g not in self.state.busy[p]]
        if not gaps:
            return False
        g = self.rng.choice(gaps)
        source = self.rng.choice((busy[0], busy[-1], self.rng.choice(busy)))
        mid = self.person_at.get((p, source))
        if mid is None or g not in self.allowed_set[mid]:
            return False
        return self.try_kempe(mid, g, temperature)

