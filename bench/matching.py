"""Partner search benchmark (issue "partner search"; figures in bench/RESULTS.md).

    python bench/matching.py quality            the relevance set over the demo directory
    python bench/matching.py scale --size 100000 [--database-url postgres://...]
    python bench/matching.py real               the relevance set over real organisations

quality: the 104 queries of bench/matching/queries.tsv (52 Chinese, 52
English; needs, technologies, kinds of organisation, misspelt and
Simplified ones) with the judgements of qrels.tsv (bench/matching/judge.py),
over the demo directory (`clusterbridge demo`'s 2,024 organisations).
Reports nDCG@10, recall@50 and cross-lingual recall@50 for ClusterBridge's
search and for plain substring search (the directory's keyword search before
partner search), which is the baseline.

  recall@50 = relevant in the first 50 / min(50, relevant), so that a query
  with 200 relevant profiles can reach 1.
  cross-lingual recall@50: the same, with the ranking and the relevant set
  restricted to the profiles written only in the other language (a Chinese
  query against the English-only profiles, an English query against the
  Chinese-only ones), as if the directory held only those.

scale: a generated directory of --size organisations; times the analysis of
every profile, the in-memory index build, search and recommendations
(p50/p95 over varied queries and organisations) and reports the memory the
index takes.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent / "matching"


def setup(database_url: str) -> None:
    tmp = tempfile.mkdtemp(prefix="cb-match-")
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["CLUSTERBRIDGE_DATA_DIR"] = tmp
    os.environ.setdefault("CLUSTERBRIDGE_TASKS", "inline")  # no job thread writing beside the loading
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbridge.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from clusterbridge.directory.services import ecosystems_load, sectors_load, technologies_load

    call_command("migrate", verbosity=0)
    sectors_load()
    ecosystems_load()
    technologies_load()


def read_tsv(name: str) -> list[dict]:
    with open(HERE / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** grades.get(e, 0) - 1) / math.log2(i + 2) for i, e in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str], relevant: set[str], k: int = 50) -> float:
    if not relevant:
        return float("nan")
    return len(set(ranked[:k]) & relevant) / min(k, len(relevant))


LATIN = re.compile(r"[A-Za-z]")
CJK = re.compile(r"[\u3400-\u9fff]")
ACRONYM = re.compile(r"\b[A-Z0-9][A-Z0-9.]*\b")


def written_in(org) -> str:
    """'en' when the profile has no Chinese, 'zh' when it has no English words
    (acronyms such as CNC or 5G aside), else 'both'."""
    text = " ".join([org.name_en, org.name_zh, org.description_en, org.description_zh, org.technologies,
                     org.offers, org.requests])
    has_zh = bool(CJK.search(text))
    has_en = bool(LATIN.search(ACRONYM.sub(" ", text)))
    return "en" if has_en and not has_zh else "zh" if has_zh and not has_en else "both"


def quality(args) -> None:
    setup(args.database_url)
    import numpy as np

    from clusterbridge.directory.demo import load_demo_cooperation, load_demo_directory
    from clusterbridge.directory.models import Organisation
    from clusterbridge.directory.selectors import DirectoryFilters, organisation_search as substring_search
    from clusterbridge.matching.selectors import search_index
    from clusterbridge.matching.services import search_documents_refresh

    from clusterbridge.matching.embeddings import configured_encoder

    load_demo_directory()
    load_demo_cooperation()
    t = time.perf_counter()
    search_documents_refresh(everything=True)
    index = search_index()
    build_s = time.perf_counter() - t
    encoder = configured_encoder()
    if encoder is not None:
        print(f"dense embeddings on: {encoder.name}")
    orgs = {o.id: o for o in Organisation.objects.filter(published=True)}
    external = {i: o.external_id for i, o in orgs.items()}
    language = {o.external_id: written_in(o) for o in orgs.values()}
    only = {lang: np.array([language[external[int(k)]] == lang for k in index.keys]) for lang in ("en", "zh")}
    print(f"demo directory: {len(orgs)} organisations, {sum(1 for v in language.values() if v == 'en')} "
          f"English-only, {sum(1 for v in language.values() if v == 'zh')} Chinese-only")
    grades: dict[str, dict[str, int]] = defaultdict(dict)
    for row in read_tsv("qrels.tsv"):
        grades[row["query"]][row["organisation"]] = int(row["grade"])
    per = defaultdict(lambda: defaultdict(list))  # system -> metric -> values
    groups = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))  # system -> group -> metric -> values
    latencies = []
    for q in read_tsv("queries.tsv"):
        g = grades[q["id"]]
        relevant = set(g)
        other = "en" if q["lang"] == "zh" else "zh"
        crossing = {e for e in relevant if language.get(e) == other}
        t = time.perf_counter()
        ours = [external[h.key] for h in index.search(q["query"], limit=50).hits]
        latencies.append((time.perf_counter() - t) * 1000)
        ours_cross = [external[h.key] for h in index.search(q["query"], allowed=only[other], limit=50).hits]
        base = [o.external_id for _, o, _ in substring_search(q=q["query"], filters=DirectoryFilters(), limit=5000)]
        base_cross = [e for e in base if language.get(e) == other]
        group = q["note"] or q["lang"]
        for system, ranked, cross in (("ClusterBridge", ours, ours_cross), ("substring", base, base_cross)):
            values = {"nDCG@10": ndcg(ranked, g), "recall@50": recall(ranked, relevant)}
            if crossing:
                values["cross-lingual recall@50"] = recall(cross, crossing)
            for metric, v in values.items():
                per[system][metric].append(v)
                groups[system][group][metric].append(v)
                groups[system][q["lang"] + " (all)"][metric].append(v)
    metrics = ["nDCG@10", "recall@50", "cross-lingual recall@50"]
    print("\n| system | " + " | ".join(metrics) + " |")
    print("|---|" + "---|" * len(metrics))
    for system in ("substring", "ClusterBridge"):
        print(f"| {system} | " + " | ".join(f"{statistics.mean(per[system][m]):.3f}" for m in metrics) + " |")
    print(f"\nanalysis and index build {build_s:.1f} s; search p50/p95 "
          f"{statistics.median(latencies):.1f} / {statistics.quantiles(latencies, n=20)[18]:.1f} ms")
    print("\nBy group (ClusterBridge / substring):\n")
    print("| queries | n | " + " | ".join(metrics) + " |")
    print("|---|---|" + "---|" * len(metrics))
    for group in sorted(groups["ClusterBridge"]):
        cells = []
        for m in metrics:
            ours_v, base_v = groups["ClusterBridge"][group][m], groups["substring"][group][m]
            cells.append(f"{statistics.mean(ours_v):.3f} / {statistics.mean(base_v):.3f}" if ours_v else "–")
        print(f"| {group} | {len(groups['ClusterBridge'][group]['nDCG@10'])} | " + " | ".join(cells) + " |")
    if args.verbose:
        for q in read_tsv("queries.tsv"):
            r = index.search(q["query"], limit=10)
            print(q["id"], q["query"], round(ndcg([external[h.key] for h in r.hits], grades[q["id"]]), 3), r.corrected)


def real(args) -> None:
    """bench/matching/real: 56 real organisations (the European ones described in English only, the
    Taiwanese ones in Chinese only, from their own pages and the press; sources in the file) and 40
    queries judged by reading. nDCG@10, recall@10 (relevant in the first 10 / min(10, relevant)),
    cross-lingual recall@10 (ranking and relevant set restricted to the other language's profiles)
    and precision@5."""
    setup(args.database_url)
    import numpy as np

    from clusterbridge.directory.models import Organisation
    from clusterbridge.matching.selectors import search_index
    from clusterbridge.matching.services import search_documents_refresh

    rows = read_tsv("real/organisations.tsv")
    Organisation.objects.bulk_create([Organisation(
        external_id=r["id"], country=r["country"], kind=r["kind"], published=True,
        **({"name_zh": r["name"], "description_zh": r["description"]} if r["country"] == "TW"
           else {"name_en": r["name"], "description_en": r["description"]})) for r in rows])
    search_documents_refresh(everything=True)
    index = search_index()
    if args.no_dictionary:
        index.dictionary = None
    if args.no_widen:
        index.widen = False
    if args.no_kinds:
        import clusterbridge.matching.index as index_module

        index_module.FILTERING = frozenset()
    external = dict(Organisation.objects.values_list("id", "external_id"))
    language = {r["id"]: "zh" if r["country"] == "TW" else "en" for r in rows}
    only = {lang: np.array([language[external[int(k)]] == lang for k in index.keys]) for lang in ("en", "zh")}
    grades: dict[str, dict[str, int]] = defaultdict(dict)
    for row in read_tsv("real/qrels.tsv"):
        grades[row["query"]][row["organisation"]] = int(row["grade"])
    per = defaultdict(list)
    groups = defaultdict(lambda: defaultdict(list))
    for q in read_tsv("real/queries.tsv"):
        g = grades[q["id"]]
        other = "en" if q["lang"] == "zh" else "zh"
        ranked = [external[h.key] for h in index.search(q["query"], limit=50).hits]
        cross = [external[h.key] for h in index.search(q["query"], allowed=only[other], limit=50).hits]
        crossing = {e for e in g if language[e] == other}
        values = {"nDCG@10": ndcg(ranked, g), "recall@10": recall(ranked, set(g), 10),
                  "P@5": len(set(ranked[:5]) & set(g)) / 5}
        if crossing:
            values["cross-lingual recall@10"] = recall(cross, crossing, 10)
        for metric, v in values.items():
            per[metric].append(v)
            groups[q["note"]][metric].append(v)
            groups[q["lang"]][metric].append(v)
        if args.verbose:
            missed = sorted(set(g) - set(ranked[:10]))
            print(f"{q['id']} {q['query']}: nDCG {values['nDCG@10']:.2f}, {len(ranked)} found, missed {missed}")
    metrics = ["nDCG@10", "recall@10", "cross-lingual recall@10", "P@5"]
    print(f"\nreal profiles: {len(rows)} organisations, {len(grades)} queries\n")
    print("| queries | n | " + " | ".join(metrics) + " |")
    print("|---|---|" + "---|" * len(metrics))
    print("| all | 40 | " + " | ".join(f"{statistics.mean(per[m]):.3f}" for m in metrics) + " |")
    for group in sorted(groups):
        print(f"| {group} | {len(groups[group]['nDCG@10'])} | " + " | ".join(
            f"{statistics.mean(groups[group][m]):.3f}" if groups[group][m] else "–" for m in metrics) + " |")


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale(args) -> None:
    setup(args.database_url)
    from django.db import connection

    from clusterbridge.directory.demo import generate
    from clusterbridge.directory.exchange import write_csv
    from clusterbridge.directory.models import Organisation
    from clusterbridge.directory.services import organisations_import
    from clusterbridge.directory.signals import directory_changed
    from clusterbridge.matching import selectors
    from clusterbridge.matching.analysis import shared_analyzer
    from clusterbridge.matching.services import search_documents_refresh

    # Import first, without following it, so that the analysis is timed on its own.
    directory_changed.disconnect(dispatch_uid="matching-follows-directory")
    Organisation.objects.all().delete()
    rows = generate(args.size, seed=7)
    for r in rows:
        r["sectors"] = ";".join(r["sectors"])
        r["ecosystems"] = ";".join(r.get("ecosystems", []))
    result = organisations_import(data=write_csv(rows), filename="bench.csv")
    assert result.ok, result.errors[:3]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    shared_analyzer()  # jieba's dictionary: loaded once per process, timed apart
    t = time.perf_counter()
    search_documents_refresh(everything=True)
    analyse_s = time.perf_counter() - t
    before = rss_mb()
    t = time.perf_counter()
    index = selectors.search_index()
    build_s = time.perf_counter() - t
    index_mb = rss_mb() - before
    queries = [q["query"] for q in read_tsv("queries.tsv")]
    from clusterbridge.directory.selectors import DirectoryFilters

    def timed(fn, items):
        times = []
        for item in items:
            t = time.perf_counter()
            fn(item)
            times.append((time.perf_counter() - t) * 1000)
        return statistics.median(times), statistics.quantiles(times, n=20)[18]

    core = timed(lambda q: index.search(q, limit=20), queries)
    full = timed(lambda q: selectors.organisation_search(q=q, filters=DirectoryFilters(), limit=20,
                                                         snippets=True), queries)
    filtered = timed(lambda q: selectors.organisation_search(q=q, filters=DirectoryFilters(country="DE"), limit=20),
                     queries)
    ids = list(Organisation.objects.order_by("id").values_list("id", flat=True)[: args.size: max(1, args.size // 100)])
    orgs = Organisation.objects.in_bulk(ids)
    recs = timed(lambda i: selectors.recommendations(organisation=orgs[i], limit=8), ids)
    sim = timed(lambda i: selectors.similar_organisations(organisation=orgs[i], limit=6), ids)
    print(f"| {connection.vendor} | {args.size:,} | {analyse_s:.1f} | {build_s:.1f} | {index_mb:.0f} | "
          f"{core[0]:.1f} / {core[1]:.1f} | {full[0]:.0f} / {full[1]:.0f} | {filtered[0]:.0f} / {filtered[1]:.0f} | "
          f"{recs[0]:.0f} / {recs[1]:.0f} | {sim[0]:.0f} / {sim[1]:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["quality", "scale", "real"])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--no-dictionary", action="store_true", help="real: without the CC-CEDICT layer")
    parser.add_argument("--no-widen", action="store_true", help="real: without widening short answers")
    parser.add_argument("--no-kinds", action="store_true", help="real: kinds of organisation read as words only")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    {"quality": quality, "scale": scale, "real": real}[args.what](args)


if __name__ == "__main__":
    main()
