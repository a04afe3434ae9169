"""Indicators benchmark (issue 20; figures in bench/RESULTS.md).

    python bench/indicators.py [--database-url postgres://postgres@127.0.0.1:5432/cb_bench_indicators]

200 indicators × 50 countries × 30 years (300,000 values, bulk-inserted), then the comparison page
as officers use it: 1 to 4 random indicators, the default 12 countries or 5 to 20 random ones, random
year ranges, with its charts, tables, ranks, briefing and composite index; and the API series. p50
and p95 over repeated requests in process (Django's test client); goal: the page's p95 ≤ 200 ms.
Also the import of the same 300,000 values as one simple CSV file (all or nothing, in one transaction).
Uses its own database: a temporary SQLite file by default."""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

os.environ.setdefault("CLUSTERBRIDGE_TASKS", "inline")  # no background thread writing beside the benchmark

from _django import django_for_bench, percentile  # noqa: E402 - bench/ is the script's folder

COUNTRIES = ["TW", "EU", "DE", "FR", "NL", "BE", "IT", "ES", "AT", "CZ", "PL", "SE", "FI", "DK", "IE", "PT", "HU",
             "SI", "SK", "EE", "LT", "LV", "LU", "MT", "CY", "GR", "HR", "RO", "BG", "NO", "CH", "IS", "GB", "US",
             "JP", "KR", "CN", "SG", "IL", "CA", "AU", "NZ", "MX", "TR", "IN", "BR", "ZA", "CL", "CO", "AR"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--no-import", action="store_true", help="skip the import timing")
    args = parser.parse_args()
    django_for_bench(args.database_url, "indicators")
    from django.test import Client

    from clusterbridge.indicators.catalogue import catalogue_load
    from clusterbridge.indicators.imports import values_import
    from clusterbridge.indicators.models import Indicator, Observation

    catalogue_load()
    rng = random.Random(20)
    extra = [Indicator(code=f"BENCH_{n:03d}", name_en=f"Generated indicator {n}", name_zh=f"產生的指標 {n}",
                       dimension=rng.choice(["inputs", "outputs", "framework"]), unit="index",
                       higher_is_better=rng.random() < 0.8, origin="bench",
                       measure=rng.choice(["count", "amount", "ratio", "ratio"]))
             for n in range(args.indicators - Indicator.objects.count())]
    Indicator.objects.bulk_create(extra)
    indicators = list(Indicator.objects.all())
    first_year = 2025 - args.years
    started = time.perf_counter()
    rows = [Observation(indicator=i, country=c, year=y, value=round(rng.uniform(0.5, 5) + (y - first_year) * 0.03, 3),
                        source="bench") for i in indicators for c in COUNTRIES for y in range(first_year, 2025)]
    Observation.objects.bulk_create(rows, batch_size=10_000)
    print(f"{len(rows):,} values in {time.perf_counter() - started:.1f} s", flush=True)
    codes = [i.code for i in indicators]
    client = Client()
    page, api, brief = [], [], []
    for n in range(args.requests):
        chosen = rng.sample(codes, rng.randint(1, 4))
        countries = [] if n % 2 else rng.sample(COUNTRIES, rng.randint(5, 20))
        start = rng.randint(first_year, 2018)
        query = {"indicator": chosen, "country": countries, "from": start, "to": rng.randint(start + 3, 2024),
                 "view": rng.choice(["published", "per_capita", "gdp", "share"])}
        t = time.perf_counter()
        answer = client.get("/indicators/", query)
        page.append((time.perf_counter() - t) * 1000)
        assert answer.status_code == 200 and b"<svg" in answer.content, answer.status_code
        t = time.perf_counter()
        answer = client.get("/indicators/briefing/", {**query, "indicator": chosen[0], "country": countries + ["TW"]})
        brief.append((time.perf_counter() - t) * 1000)
        assert answer.status_code == 200 and b"<svg" in answer.content, (query, answer.content.decode()[-3000:])
        t = time.perf_counter()
        answer = client.get(f"/api/v1/indicators/{chosen[0]}", {"countries": ",".join(countries or COUNTRIES[:12]),
                                                                 "from": start})
        api.append((time.perf_counter() - t) * 1000)
        assert answer.status_code == 200
    print(f"comparison page  p50 {percentile(page, 50):.0f} ms  p95 {percentile(page, 95):.0f} ms  "
          f"({args.requests} requests, 1–4 indicators, 5–20 countries, a random view)")
    print(f"briefing page    p50 {percentile(brief, 50):.0f} ms  p95 {percentile(brief, 95):.0f} ms")
    print(f"API series       p50 {percentile(api, 50):.0f} ms  p95 {percentile(api, 95):.0f} ms")
    if args.no_import:
        return
    lines = ["indicator,country,year,value,unit,source,flag"] + [
        f"{codes[k % len(codes)]},{COUNTRIES[(k // len(codes)) % len(COUNTRIES)]},{first_year + k // (len(codes) * len(COUNTRIES))},"
        f"{k % 97 / 10},,reimport," for k in range(len(rows))]
    t = time.perf_counter()
    result = values_import("\n".join(lines).encode())
    print(f"import of {len(rows):,} values (all replaced, history kept): {time.perf_counter() - t:.1f} s, "
          f"{result.replaced:,} replaced, {len(result.errors)} errors")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
