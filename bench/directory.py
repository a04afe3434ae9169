"""Directory benchmark (issue "foundation"; figures in bench/RESULTS.md).

    python bench/directory.py --sizes 10000,100000 [--database-url postgres://postgres@127.0.0.1:5432/cb_bench]

For each size: import a generated organisation file of that many rows
(through the same service as the command and the page), then time the
filtered directory page, the keyword search page and the search API in
process with Django's test client (p50/p95 over repeated requests with
varying filters). Uses its own database: a temporary SQLite file by default.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from _django import django_for_bench  # noqa: E402 - bench/ is the script's folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    django_for_bench(args.database_url, "directory")
    from django.db import connection
    from django.test import Client

    from clusterbridge.directory.demo import generate
    from clusterbridge.directory.exchange import write_csv
    from clusterbridge.directory.models import Organisation
    from clusterbridge.directory.services import ecosystems_load, organisations_import, sectors_load, technologies_load

    # The import is timed alone; partner search analyses the profiles after it
    # (in a worker in production), timed in its own column.
    from clusterbridge.directory.signals import directory_changed
    from clusterbridge.matching.services import search_documents_refresh

    directory_changed.disconnect(dispatch_uid="matching-follows-directory")
    sectors_load()
    ecosystems_load()
    technologies_load()
    engine = connection.vendor
    print("| database | organisations | import s | list p50/p95 ms, first ask | list p50/p95 ms, again | "
          "keyword page p50/p95 ms | search API p50/p95 ms | index build s | search analysis + index s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size in [int(s) for s in args.sizes.split(",")]:
        Organisation.objects.all().delete()
        rows = generate(size, seed=7)
        for r in rows:
            r["sectors"] = ";".join(r["sectors"])
            r["ecosystems"] = ";".join(r.get("ecosystems", []))
        data = write_csv(rows)
        started = time.perf_counter()
        result = organisations_import(data=data, filename="bench.csv")
        import_s = time.perf_counter() - started
        if engine == "postgresql":  # what autovacuum does within a minute of a large import
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        assert result.ok and result.created == size, result.errors[:3]
        from clusterbridge.directory import selectors

        started = time.perf_counter()
        selectors.facet_index()  # built by the first request after a change; timed here on its own
        index_s = time.perf_counter() - started
        started = time.perf_counter()
        search_documents_refresh(everything=True)
        from clusterbridge.matching.selectors import search_index

        search_index()
        search_s = time.perf_counter() - started
        client = Client()
        countries = ["DE", "FR", "TW", "IT", "NL", "PL"]
        sectors = ["C", "26", "28", "J", "35", "M"]
        words = ["machine", "5G", "wind", "半導體", "recycling", "sensor"]

        def timed(urls):
            """(p50, p95) in ms over the URLs, each asked once (cold counts),
            then (p50, p95) over the same URLs asked again (counts cached)."""
            out = []
            for _ in range(2):
                times = []
                for url in urls:
                    t = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - t) * 1000)
                    assert response.status_code == 200, (url, response.status_code)
                out += [statistics.median(times), statistics.quantiles(times, n=20)[18]]
            return out

        n = args.requests
        lists = [f"/organisations/?country={countries[i % 6]}&sector={sectors[(i // 6) % 6]}&page={1 + (i // 36) % 3}"
                 for i in range(n)]
        keyword = [f"/organisations/?q={words[i % 6]}&page={1 + i % 2}" for i in range(n)]
        api = [f"/api/v1/organisations/search?q={words[i % 6]}&limit=20" for i in range(n)]
        l50, l95, w50, w95 = timed(lists)
        k50, k95, _, _ = timed(keyword)
        a50, a95, _, _ = timed(api)
        print(f"| {engine} | {size:,} | {import_s:.1f} | {l50:.0f} / {l95:.0f} | {w50:.0f} / {w95:.0f} | "
              f"{k50:.0f} / {k95:.0f} | {a50:.0f} / {a95:.0f} | {index_s:.1f} | {search_s:.1f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
