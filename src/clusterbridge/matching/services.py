"""Writes of partner search: the analysed search documents."""

from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clusterbridge.core.cache import shared_version_bump
from clusterbridge.core.jobs import job_kind
from clusterbridge.directory.models import CooperationProfile, Organisation

from .analysis import shared_analyzer
from .embeddings import configured_encoder, profile_text, to_bytes
from .index import Profile, analyse_profile
from .kinds import kind_tag
from .models import SearchDocument

VERSION_KEY = "clusterbridge:search:version"
OFFER_KINDS = {"business_offer", "technology_offer"}
BATCH = 2000
PARALLEL_FROM = 4000  # profiles; below this, forking costs more than it saves


FIELDS = ("id", "country", "kind", "published", "updated_at", "city", "name_en", "name_zh", "technologies",
          "offers", "requests", "description_en", "description_zh")


def profile_of(org: dict, sectors=(), technologies=(), ecosystems=(), board=()) -> Profile:
    """What search reads of an organisation (a row of FIELDS); `sectors` as
    (code, level, label_en, label_zh). Published offers and requests of the
    cooperation board count as its offers and requests."""
    offers = [org["offers"]] + [f"{p.title_en}\n{p.title_zh}\n{p.description_en}\n{p.description_zh}"
                                for p in board if p.kind in OFFER_KINDS]
    requests = [org["requests"]] + [f"{p.title_en}\n{p.title_zh}\n{p.description_en}\n{p.description_zh}"
                                    for p in board if p.kind not in OFFER_KINDS]
    taxonomy = [org["city"]] + [f"{en} {zh}" for _, _, en, zh in sectors]
    tags = [f"nace:{code.split('.')[0]}" for code, level, _, _ in sectors if level != "section"]
    tags += [f"tech:{t}" for t in technologies] + [f"eco:{e}" for e in ecosystems]
    tags += [t for t in [kind_tag(org.get("kind", ""))] if t]
    return Profile(key=org["id"], country=org["country"], tags=tuple(dict.fromkeys(tags)), texts={
        "name": f"{org['name_en']}\n{org['name_zh']}", "technologies": org["technologies"],
        "offers": "\n".join(t for t in offers if t), "requests": "\n".join(t for t in requests if t),
        "description": f"{org['description_en']}\n{org['description_zh']}", "taxonomy": "\n".join(taxonomy)})


def _analyse(profile: Profile):
    return analyse_profile(shared_analyzer(), profile)


def search_documents_refresh(*, everything: bool = False, progress=None) -> int:
    """Analyse again the organisations whose search document is missing or
    older than the profile (or `everything`); returns how many. Large runs
    use every core (forked workers that only analyse text). Commits in
    batches: a document is only ever replaced whole. Every call moves the
    search version on: a deleted organisation leaves nothing to analyse, but
    the indexes must still drop it."""
    if everything:
        todo = Organisation.objects.all()
    else:
        encoder = configured_encoder()
        todo = Organisation.objects.filter(
            Q(search_document__isnull=True) | Q(search_document__source_updated__lt=F("updated_at"))
            | ~Q(search_document__encoder=encoder.name if encoder else "")
            | ~Q(search_document__published=F("published")) | Q(cooperation_profiles__updated_at__gt=F(
                "search_document__source_updated"))).distinct()
    todo_ids = list(todo.order_by("id").values_list("id", flat=True))
    shared_analyzer()  # loaded before any fork, so that workers inherit it
    pool = None
    workers = min(os.cpu_count() or 1, getattr(settings, "SEARCH_ANALYSIS_PROCESSES", 4))
    if len(todo_ids) >= PARALLEL_FROM and workers > 1:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    try:
        for start in range(0, len(todo_ids), BATCH):
            chunk = todo_ids[start:start + BATCH]
            _refresh_batch(chunk, pool)
            if progress:
                progress(min(len(todo_ids), start + BATCH), len(todo_ids))
    finally:
        if pool is not None:
            pool.shutdown()
    search_changed()
    return len(todo_ids)


def _refresh_batch(chunk: list[int], pool) -> None:
    rows = list(Organisation.objects.filter(id__in=chunk).values(*FIELDS))
    sectors, technologies, ecosystems = defaultdict(list), defaultdict(list), defaultdict(list)
    for oid, *sector in Organisation.sectors.through.objects.filter(organisation_id__in=chunk).values_list(
            "organisation_id", "sector__code", "sector__level", "sector__label_en", "sector__label_zh"):
        sectors[oid].append(tuple(sector))
    for oid, code in Organisation.technology_tags.through.objects.filter(organisation_id__in=chunk).values_list(
            "organisation_id", "technology__code"):
        technologies[oid].append(code)
    for oid, code in Organisation.ecosystems.through.objects.filter(organisation_id__in=chunk).values_list(
            "organisation_id", "ecosystem__code"):
        ecosystems[oid].append(code)
    board, latest = defaultdict(list), {}
    for p in CooperationProfile.objects.filter(organisation_id__in=chunk):
        latest[p.organisation_id] = max(latest.get(p.organisation_id, p.updated_at), p.updated_at)
        if p.status == CooperationProfile.Status.PUBLISHED:
            board[p.organisation_id].append(p)
    profiles = [profile_of(r, sectors[r["id"]], technologies[r["id"]], ecosystems[r["id"]], board[r["id"]])
                for r in rows]
    analysed = list(pool.map(_analyse, profiles, chunksize=100)) if pool else [_analyse(p) for p in profiles]
    encoder = configured_encoder()
    vectors = encoder.encode([profile_text(p.texts) for p in profiles]) if encoder and profiles else None
    docs = [SearchDocument(organisation_id=r["id"], country=r["country"], published=r["published"],
                           words=a.words, concepts=a.concepts, offers=a.offers, requests=a.requests,
                           spelling=a.spelling, source_updated=max(r["updated_at"], latest.get(r["id"], r["updated_at"])),
                           vector=to_bytes(vectors[i]) if vectors is not None else None,
                           encoder=encoder.name if encoder else "")
            for i, (r, a) in enumerate(zip(rows, analysed))]
    with transaction.atomic():
        SearchDocument.objects.filter(organisation_id__in=chunk).delete()
        SearchDocument.objects.bulk_create(docs, batch_size=1000)


def search_changed() -> None:
    """Every process rebuilds its in-memory index on its next search."""
    shared_version_bump(VERSION_KEY)


REFRESH_JOB = "matching.refresh"


@job_kind(REFRESH_JOB, label=_("Partner search follows the directory"))
def search_documents_refresh_job(job, context) -> dict:
    """Analyses every profile that changed since the last refresh (one waiting job covers them all)."""
    return {"analysed": search_documents_refresh(progress=context.progress)}
