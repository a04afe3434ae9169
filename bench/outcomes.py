"""Outcomes benchmark (issue "Outcomes"; figures in bench/RESULTS.md).

    python bench/outcomes.py [--database-url postgres://postgres@127.0.0.1:5432/cb_bench_outcomes]

Generates ten years of programme history (2016–2025): 40 events of 1,500 scheduled meetings each
(60,000 meetings) among 3,000 organisations of Taiwan and 20 European countries with NACE sections
and industrial ecosystems, both sides' immediate ratings (~96,000), a six-month and a yearly
follow-up (~100,000 answers) and the agreements they report (~4,000). Rows are bulk-inserted under
the models' constraints; going through the services one answer at a time would measure nothing
asked here.

Then it times the results report (the selector over all ten years and over single years), the
report page, the results API (p50/p95 over repeated requests of random year ranges, in process
with Django's test client), a drill-down page, and peak memory. Uses its own database: a temporary
SQLite file by default.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import sys
import time
from decimal import Decimal

EU = ["DE", "FR", "NL", "BE", "IT", "ES", "AT", "CZ", "PL", "SE", "FI", "DK", "IE", "PT", "HU", "SI", "SK", "EE",
      "LT", "LV"]

from _django import django_for_bench, percentile  # noqa: E402 - bench/ is the script's folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--meetings-per-event", type=int, default=1500)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    django_for_bench(args.database_url, "outcomes")
    from django.db import connection
    from django.test import Client

    started = time.perf_counter()
    counts = generate(args.events, args.meetings_per_event)
    generated = time.perf_counter() - started
    print(f"database: {connection.vendor}; generated {counts} in {generated:.1f} s", file=sys.stderr)

    from django.contrib.auth import get_user_model

    from clusterbridge.outcomes.selectors import outcomes_report

    from django.core.cache import cache as figures_cache

    figures_cache.clear()
    t = time.perf_counter()
    everything = outcomes_report(year_from=2016, year_to=2025)
    whole = time.perf_counter() - t
    assert len(everything["events"]) == args.events and everything["totals"]["meetings_scheduled"] == \
        args.events * args.meetings_per_event
    t = time.perf_counter()
    outcomes_report(year_from=2016, year_to=2025)
    again = time.perf_counter() - t
    single = []
    figures_cache.clear()  # one year at a time, counted from the rows
    for year in range(2016, 2026):
        t = time.perf_counter()
        outcomes_report(year_from=year, year_to=year)
        single.append(time.perf_counter() - t)

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-officer"))
    rng = random.Random(7)

    def timed(paths):
        out = []
        for path in paths:
            t = time.perf_counter()
            response = client.get(path)
            out.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        return out

    def span():
        a = rng.randint(2016, 2025)
        b = rng.randint(a, min(2025, a + 3))
        return a, b

    from django.core.cache import cache

    cold = []
    for a, b in (span() for _ in range(10)):  # nothing kept: every event counted from its rows
        cache.clear()
        cold += timed([f"/api/v1/outcomes/report?from={a}&to={b}"])
    api = timed([f"/api/v1/outcomes/report?from={a}&to={b}" for a, b in (span() for _ in range(args.requests))])
    api_all = timed(["/api/v1/outcomes/report?from=2016&to=2025"] * 10)
    page = timed(["/outcomes/report/?from=2016&to=2025"] * 10)
    drill = timed([f"/outcomes/report/meetings/?from={y}&to={y}&dimension=country_pair&key=TW-DE&measure=held"
                   for y in (rng.randint(2016, 2025) for _ in range(20))])

    p = percentile

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| database | history | generate s | report, ten years (selector) s, first / again | report, one year s "
          "(min / median / max) | results API (1–4 years) p50/p95 ms | same, nothing kept (cold) p50/p95 ms | "
          "results API (ten years) p50/p95 ms | "
          "report page (ten years) p50/p95 ms | drill-down page p50/p95 ms | peak MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    single.sort()
    print(f"| {connection.vendor} | {counts} | {generated:.0f} | {whole:.2f} / {again:.2f} | {single[0]:.2f} / "
          f"{statistics.median(single):.2f} / {single[-1]:.2f} | {p(api, 50):.0f} / {p(api, 95):.0f} | "
          f"{p(cold, 50):.0f} / {p(cold, 95):.0f} | "
          f"{p(api_all, 50):.0f} / {p(api_all, 95):.0f} | {p(page, 50):.0f} / {p(page, 95):.0f} | "
          f"{p(drill, 50):.0f} / {p(drill, 95):.0f} | {peak:.0f} |")


def generate(n_events: int, per_event: int) -> str:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from clusterbridge.accounts.models import Profile, Role
    from clusterbridge.directory.models import Ecosystem, Organisation, Sector
    from clusterbridge.directory.services import ecosystems_load, sectors_load
    from clusterbridge.events.models import Event, Meeting, Registration, Session, Slot, Table
    from clusterbridge.outcomes.models import (CooperationAgreement, FollowUpAnswer, FollowUpRound, MeetingRating)

    if Event.objects.exists():
        return (f"{Event.objects.count()} events, {Meeting.objects.count()} meetings, "
                f"{FollowUpAnswer.objects.count()} follow-up answers (reused)")
    sectors_load()
    ecosystems_load()
    rng = random.Random(2016)
    User = get_user_model()
    officer = User.objects.create_user("bench-officer", password="x" * 12)
    Profile.objects.create(user=officer, role=Role.PROGRAMME_OFFICER)
    person = User.objects.create_user("bench-person")
    sections = list(Sector.objects.filter(level="section"))
    ecosystems = list(Ecosystem.objects.all())
    with transaction.atomic():
        orgs = Organisation.objects.bulk_create([
            Organisation(external_id=f"bench-{i:05d}", name_en=f"Organisation {i}", kind="cluster_organisation",
                         country="TW" if i % 2 else rng.choice(EU), published=True) for i in range(3000)])
        Organisation.sectors.through.objects.bulk_create([
            Organisation.sectors.through(organisation_id=o.pk, sector_id=s.pk)
            for o in orgs for s in rng.sample(sections, rng.randint(1, 2))])
        Organisation.ecosystems.through.objects.bulk_create([
            Organisation.ecosystems.through(organisation_id=o.pk, ecosystem_id=e.pk)
            for o in orgs for e in rng.sample(ecosystems, 1)])
    tw = [o for o in orgs if o.country == "TW"]
    eu = [o for o in orgs if o.country != "TW"]
    ratings = ["not_held", "insufficient_interest", "informative_no_cooperation", "cooperation_possible"]
    follow = ["no_further_contact", "no_contact_knowledge_gained", "valuable_contact", "negotiation_started",
              "agreement_reached"]
    kinds = ["commercial", "technology_transfer", "joint_rnd", "joint_project_proposal", "investment",
             "subcontracting", "cluster_mou"]
    answers_total = 0
    for e in range(n_events):
        year = 2016 + e * 10 // n_events
        start = dt.datetime(year, 1 + (e % 4) * 3, 15, 9, 0, tzinfo=dt.timezone.utc)
        with transaction.atomic():
            event = Event.objects.create(slug=f"bench-{e:02d}", title_en=f"Matchmaking {e}", kinds=["C2C"],
                                         venue="Somewhere", status=Event.Status.PUBLISHED, time_zone="UTC",
                                         registration_opens=start - dt.timedelta(days=60),
                                         registration_closes=start - dt.timedelta(days=5))
            session = Session.objects.create(event=event, name="Day", starts_at=start, slot_count=30)
            slots = Slot.objects.bulk_create([
                Slot(event=event, session=session, index=i + 1, starts_at=start + dt.timedelta(minutes=20 * i),
                     ends_at=start + dt.timedelta(minutes=20 * i + 20)) for i in range(30)])
            tables = Table.objects.bulk_create([Table(event=event, name=f"T{i}") for i in range(per_event // 30 + 1)])
            side_tw = rng.sample(tw, 150)
            side_eu = rng.sample(eu, 150)
            regs = Registration.objects.bulk_create([
                Registration(event=event, organisation=o, person=person, status=Registration.Status.APPROVED)
                for o in side_tw + side_eu])
            regs_tw, regs_eu = regs[:150], regs[150:]
            pairs = set()
            while len(pairs) < per_event:
                pairs.add((rng.choice(regs_eu), rng.choice(regs_tw)))
            meetings = Meeting.objects.bulk_create([
                Meeting(event=event, first=a, second=b, status=Meeting.Status.SCHEDULED, slot=slots[i % 30],
                        table=tables[i // 30], first_present=False if rng.random() < 0.01 else None)
                for i, (a, b) in enumerate(sorted(pairs, key=lambda p: (p[0].pk, p[1].pk)))], batch_size=5000)
            rating_rows, answer_rows, agreements = [], [], []
            six = FollowUpRound.objects.create(event=event, opens_on=(start + dt.timedelta(days=182)).date(),
                                               announced_at=start + dt.timedelta(days=182))
            yearly = FollowUpRound.objects.create(event=event, kind="yearly",
                                                  opens_on=(start + dt.timedelta(days=365)).date(),
                                                  announced_at=start + dt.timedelta(days=365))
            for m in meetings:
                base = rng.choices(ratings, weights=[4, 14, 36, 46])[0]
                for side in (m.first, m.second):
                    if rng.random() < 0.8:
                        rating_rows.append(MeetingRating(meeting=m, registration=side, rating=base))
                    if base != "not_held" and rng.random() < 0.7:
                        answer = rng.choices(follow, weights=[35, 20, 28, 10, 7])[0]
                        answer_rows.append(FollowUpAnswer(round=six, meeting=m, registration=side, answer=answer))
                        if rng.random() < 0.25:
                            answer_rows.append(FollowUpAnswer(round=yearly, meeting=m, registration=side,
                                                              answer=rng.choice(follow)))
                        if answer == "agreement_reached" and side is m.first:
                            agreements.append((m, rng.choice(kinds)))
            MeetingRating.objects.bulk_create(rating_rows, batch_size=5000)
            FollowUpAnswer.objects.bulk_create(answer_rows, batch_size=5000)
            answers_total += len(answer_rows)
            made = CooperationAgreement.objects.bulk_create([
                CooperationAgreement(kind=kind, event=event, meeting=m, signed_on=start.date() + dt.timedelta(days=300),
                                     amount=Decimal(rng.randrange(10, 900) * 1000) if rng.random() < 0.4 else None,
                                     currency="EUR", summary_en="Generated") for m, kind in agreements])
            CooperationAgreement.organisations.through.objects.bulk_create([
                CooperationAgreement.organisations.through(cooperationagreement_id=a.pk, organisation_id=o)
                for a, (m, _k) in zip(made, agreements) for o in (m.first.organisation_id, m.second.organisation_id)])
    return (f"{n_events} events, {Meeting.objects.count():,} meetings, {MeetingRating.objects.count():,} ratings, "
            f"{answers_total:,} follow-up answers, {CooperationAgreement.objects.count():,} agreements")


if __name__ == "__main__":
    main()
