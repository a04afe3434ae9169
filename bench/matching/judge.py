"""Judge the relevance set: which demo organisations answer each query.

    python bench/matching/judge.py   (writes bench/matching/qrels.tsv)

Each query of queries.tsv names its evidence: the phrases, in English and in
Chinese, that a person reading a profile recognises as answering it (the
demo directory writes a fixed vocabulary per theme, in one language or the
other), and for some queries the kinds of organisation wanted. A profile is
relevant when any evidence phrase appears in it, in either language; grade 2
when it appears in its name, technologies or description (what the
organisation is about), grade 1 when only in its offers or requests. The
search engine is not consulted: the judgement reads the profiles only.
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "src"))


def demo_rows() -> list[dict]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbridge.settings")
    import django

    django.setup()
    from clusterbridge.directory.demo import generate, real_organisations

    return real_organisations() + generate(2000, 2018)  # what load_demo_directory loads


def queries() -> list[dict]:
    with open(HERE / "queries.tsv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def grade(row: dict, evidence: list[str]) -> int:
    about = " ".join(row.get(f, "") or "" for f in ("name_en", "name_zh", "technologies", "description_en",
                                                     "description_zh"))
    deals = " ".join(row.get(f, "") or "" for f in ("offers", "requests"))

    def has(text: str) -> bool:
        low = text.lower()
        return any(e.lower() in low for e in evidence)

    return 2 if has(about) else 1 if has(deals) else 0


def main() -> None:
    rows = demo_rows()
    out = []
    for q in queries():
        evidence = q["evidence"].split("|")
        kinds = set(filter(None, q["kinds"].split("|")))
        for r in rows:
            g = grade(r, evidence)
            if g and (not kinds or r["kind"] in kinds):
                out.append((q["id"], r["external_id"], g))
    with open(HERE / "qrels.tsv", "w", encoding="utf-8", newline="") as fh:
        fh.write("query\torganisation\tgrade\n")
        for qid, ext, g in out:
            fh.write(f"{qid}\t{ext}\t{g}\n")
    print(f"{len(out)} judgements for {len({o[0] for o in out})} queries")


if __name__ == "__main__":
    main()
