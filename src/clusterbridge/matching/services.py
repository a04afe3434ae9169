"""Writes of partner search: the analysed search documents."""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q

from clusterbridge.directory.models import CooperationProfile, Organisation

from .analysis import shared_analyzer
from .index import Profile, analyse_profile
from .models import SearchDocument

VERSION_KEY = "clusterbridge:search:version"
OFFER_KINDS = {"business_offer", "technology_offer"}
BATCH = 2000


def profile_of(org: Organisation, board: list[CooperationProfile] = ()) -> Profile:
    """What search reads of an organisation; published offers and requests of
    the cooperation board count as its offers and requests."""
    offers = [org.offers] + [f"{p.title_en}\n{p.title_zh}\n{p.description_en}\n{p.description_zh}"
                             for p in board if p.kind in OFFER_KINDS]
    requests = [org.requests] + [f"{p.title_en}\n{p.title_zh}\n{p.description_en}\n{p.description_zh}"
                                 for p in board if p.kind not in OFFER_KINDS]
    sectors = list(org.sectors.all())
    taxonomy = [org.city] + [f"{s.label_en} {s.label_zh}" for s in sectors]
    tags = [f"nace:{s.code.split('.')[0]}" for s in sectors if s.level != "section"]
    tags += [f"tech:{t.code}" for t in org.technology_tags.all()]
    tags += [f"eco:{e.code}" for e in org.ecosystems.all()]
    return Profile(key=org.id, country=org.country, tags=tuple(dict.fromkeys(tags)), texts={
        "name": f"{org.name_en}\n{org.name_zh}", "technologies": org.technologies,
        "offers": "\n".join(t for t in offers if t), "requests": "\n".join(t for t in requests if t),
        "description": f"{org.description_en}\n{org.description_zh}", "taxonomy": "\n".join(taxonomy)})


def search_documents_refresh(*, ids: list[int] | None = None, everything: bool = False, progress=None) -> int:
    """Analyse again the organisations whose search document is missing or
    older than the profile (or `ids`, or `everything`); returns how many.
    Commits in batches: a document is only ever replaced whole."""
    if everything:
        todo = Organisation.objects.all()
    elif ids is not None:
        todo = Organisation.objects.filter(id__in=ids)
    else:
        todo = Organisation.objects.filter(
            Q(search_document__isnull=True) | Q(search_document__source_updated__lt=F("updated_at"))
            | ~Q(search_document__published=F("published")) | Q(cooperation_profiles__updated_at__gt=F(
                "search_document__source_updated"))).distinct()
    todo_ids = list(todo.order_by("id").values_list("id", flat=True))
    analyzer = shared_analyzer()
    for start in range(0, len(todo_ids), BATCH):
        chunk = todo_ids[start:start + BATCH]
        orgs = list(Organisation.objects.filter(id__in=chunk).prefetch_related("sectors", "technology_tags",
                                                                                "ecosystems"))
        board, latest = defaultdict(list), {}
        for p in CooperationProfile.objects.filter(organisation_id__in=chunk):
            latest[p.organisation_id] = max(latest.get(p.organisation_id, p.updated_at), p.updated_at)
            if p.status == CooperationProfile.Status.PUBLISHED:
                board[p.organisation_id].append(p)
        docs = []
        for org in orgs:
            a = analyse_profile(analyzer, profile_of(org, board[org.id]))
            docs.append(SearchDocument(organisation_id=org.id, country=org.country, published=org.published,
                                       words=a.words, concepts=a.concepts, offers=a.offers, requests=a.requests,
                                       spelling=a.spelling,
                                       source_updated=max(org.updated_at, latest.get(org.id, org.updated_at))))
        with transaction.atomic():
            SearchDocument.objects.filter(organisation_id__in=chunk).delete()
            SearchDocument.objects.bulk_create(docs, batch_size=1000)
        if progress:
            progress(min(len(todo_ids), start + BATCH), len(todo_ids))
    if todo_ids:
        search_changed()
    return len(todo_ids)


def search_changed() -> None:
    """Every process rebuilds its in-memory index on its next search."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
