"""Recommendations over the search index (index.SearchIndex mixes this in): partners that are
complementary (what one requests, the other offers, both ways) or alike (shared concepts and sectors),
Taiwan-EU pairs first, every score with the concepts that made it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

PAIR_BONUS = 1.3  # Taiwan <-> EU pairs first, as the programmes want


@dataclass
class Recommendation:
    key: int
    score: float
    they_offer: list[str]  # concepts the organisation requests and they offer
    they_request: list[str]  # concepts they request and the organisation offers
    shared: list[str]  # concepts (and NACE codes, "nace:28") both have


class Recommending:
    def recommend(self, key: int, limit: int = 10, allowed: np.ndarray | None = None) -> list[Recommendation]:
        """Partners for `key`: complementary first, then alike; within `allowed` if given."""
        i = self.position.get(key)
        if i is None:
            return []
        wants = self.requests.getrow(i).multiply(self.idf)
        gives = self.offers.getrow(i).multiply(self.idf)
        they_offer = np.asarray((self.offers @ wants.T).todense()).ravel()
        they_request = np.asarray((self.requests @ gives.T).todense()).ravel()
        alike = np.asarray((self.profile_vectors @ self.profile_vectors.getrow(i).T).todense()).ravel()
        score = 1.0 * they_offer + 0.7 * they_request + 3.0 * alike
        if self.taiwan[i]:
            score = np.where(self.eu, score * PAIR_BONUS, score)
        elif self.eu[i]:
            score = np.where(self.taiwan, score * PAIR_BONUS, score)
        score[i] = 0.0
        if allowed is not None:
            score = np.where(allowed, score, 0.0)
        return self._top(i, score, limit, complementary=True)

    def similar(self, key: int, limit: int = 6) -> list[Recommendation]:
        """Organisations most like `key` by concepts and sectors (cosine of tf-idf vectors)."""
        i = self.position.get(key)
        if i is None:
            return []
        score = np.asarray((self.profile_vectors @ self.profile_vectors.getrow(i).T).todense()).ravel()
        score[i] = 0.0
        return self._top(i, score, limit, complementary=False)

    def _top(self, i: int, score: np.ndarray, limit: int, complementary: bool) -> list[Recommendation]:
        candidates = np.flatnonzero(score > 0)
        if candidates.size > limit:
            candidates = candidates[np.argpartition(-score[candidates], limit - 1)[:limit]]
        order = sorted(candidates.tolist(), key=lambda j: (-float(score[j]), int(self.keys[j])))
        mine = self.concepts_of(int(self.keys[i])) & self.topical
        my_offers, my_requests = self._codes(self.offers, i), self._codes(self.requests, i)
        out = []
        for j in order:
            theirs = self.concepts_of(int(self.keys[j]))
            their_offers, their_requests = self._codes(self.offers, j), self._codes(self.requests, j)
            out.append(Recommendation(
                key=int(self.keys[j]), score=round(float(score[j]), 4),
                they_offer=self._by_idf(my_requests & their_offers) if complementary else [],
                they_request=self._by_idf(their_requests & my_offers) if complementary else [],
                shared=self._by_idf(mine & theirs)[:6]))
        return out

    def _codes(self, matrix: sparse.csr_matrix, i: int) -> set[str]:
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        return {self.concept_codes[j] for j in matrix.indices[start:end]}

    def _by_idf(self, codes: set[str]) -> list[str]:
        """Rarest first: they say most about a pair."""
        return sorted(codes, key=lambda c: (-self.idf[self.concept_col[c]], c))


