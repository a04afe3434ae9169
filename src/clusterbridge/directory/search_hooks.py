"""What the directory's pages and selectors ask of partner search, without importing it.

Partner search (`matching`) sits above the directory: it reads the directory, and registers its
answers here when the application starts (`MatchingConfig.ready`). The directory thus never
imports it, and still works without it: keywords then match names, descriptions and offers as
plain text, and profile pages show no suggestions."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class PartnerSearch:
    # Ids of the organisations a keyword query matches (both languages, concepts, typos).
    matching_ids: Callable[[str], Collection[int]]
    # Changes whenever search's view of the directory changes (cached counts follow it).
    version: Callable[[], str]
    # A ranked page: (q, filters, offset, limit, snippets) -> an object with .items, .total, .corrected.
    ranked_page: Callable[..., object] | None = None
    # Cooperation-board profiles matching (q, kind), best first.
    cooperation_search: Callable[..., object] | None = None
    # Suggestions on a profile page: (organisation, limit) -> suggestions with their reasons.
    partners: Callable[..., list] | None = None
    similar: Callable[..., list] | None = None


def _plain_ids(q: str) -> set[int]:
    from django.db.models import Q

    from .models import Organisation

    words = [w for w in q.split() if w][:10]
    query = Q()
    for word in words:
        query &= (Q(name_en__icontains=word) | Q(name_zh__icontains=word) | Q(description_en__icontains=word)
                  | Q(description_zh__icontains=word) | Q(offers__icontains=word) | Q(requests__icontains=word))
    return set(Organisation.objects.filter(query).values_list("id", flat=True)) if words else set()


PLAIN = PartnerSearch(matching_ids=_plain_ids, version=lambda: "plain")
_registered: list[PartnerSearch] = []


def partner_search_register(search: PartnerSearch) -> None:
    _registered[:] = [search]


def partner_search() -> PartnerSearch:
    return _registered[0] if _registered else PLAIN
