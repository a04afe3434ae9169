"""Events benchmark (issue "Matchmaking events"; figures in bench/RESULTS.md).

    python bench/events.py [--database-url postgres://postgres@127.0.0.1:5432/cb_bench_events]
                           [--participants 3000 --requests 20000 --time-limit 60]

Generates a directory of N organisations and an event with N approved registrations, 24 slots
in two sessions, a table per ten participants, 5 % unavailable slots and M accepted requests
(weights 1–3), as in the scheduler benchmark. Then times, end to end from the database and back:
building the scheduling problem, solving (the run's time limit), and publishing (meetings,
bookings, notices) — the same services the organiser's pages call. Then the p50/p95 of the
agenda page and the participant list for random participants, in process with Django's test client.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import time
import zoneinfo

from _django import django_for_bench, percentile  # noqa: E402 - bench/ is the script's folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--participants", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--time-limit", type=int, default=60)
    parser.add_argument("--pages", type=int, default=100)
    args = parser.parse_args()
    django_for_bench(args.database_url, "events")
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from clusterbridge.accounts.models import Membership, Profile, Role
    from clusterbridge.directory.models import Organisation
    from clusterbridge.directory.signals import directory_changed
    from clusterbridge.core.jobs import job_run_now
    from clusterbridge.events import selectors, services
    from clusterbridge.events.models import Event, Meeting, MeetingRequest, Registration

    directory_changed.disconnect(dispatch_uid="matching-follows-directory")
    rng = random.Random(2018)
    taipei = zoneinfo.ZoneInfo("Asia/Taipei")
    User = get_user_model()
    slug = f"bench-{args.participants}-{args.requests}"
    Meeting.objects.filter(event__slug=slug).delete()  # they hold their slots and tables (PROTECT)
    Event.objects.filter(slug=slug).delete()
    t0 = time.perf_counter()
    organiser, _ = User.objects.get_or_create(username="bench-organiser")
    Profile.objects.get_or_create(user=organiser, defaults={"role": Role.PROGRAMME_OFFICER})
    have = Organisation.objects.filter(external_id__startswith="bench-").count()
    Organisation.objects.bulk_create([
        Organisation(external_id=f"bench-{i:05d}", name_en=f"Bench organisation {i}",
                     kind="cluster_organisation" if i % 3 else "company", country="TW" if i % 2 else "FR",
                     offers="smart manufacturing", requests="industrial AI")
        for i in range(have, args.participants)], batch_size=5000)
    orgs = list(Organisation.objects.filter(external_id__startswith="bench-").order_by("external_id")
                [: args.participants])
    users = {u.username: u for u in User.objects.filter(username__startswith="bench-p")}
    new = [User(username=f"bench-p{o.pk}", password="!") for o in orgs if f"bench-p{o.pk}" not in users]
    User.objects.bulk_create(new, batch_size=5000)
    users = {u.username: u for u in User.objects.filter(username__startswith="bench-p")}
    Profile.objects.bulk_create([Profile(user=u, role=Role.MEMBER) for u in users.values()],
                                ignore_conflicts=True, batch_size=5000)
    Membership.objects.bulk_create([Membership(user=users[f"bench-p{o.pk}"], organisation=o) for o in orgs],
                                   ignore_conflicts=True, batch_size=5000)
    event = services.event_create(
        slug=slug, title_en=f"Benchmark event ({args.participants} participants)", kinds=["C2C", "B2B"],
        registration_opens=dt.datetime(2026, 1, 1, tzinfo=taipei), registration_closes=dt.datetime(2099, 1, 1, tzinfo=taipei),
        sessions=[{"name": "AM", "starts_at": dt.datetime(2099, 3, 8, 9, 0, tzinfo=taipei), "slot_minutes": 15,
                   "slot_count": 12},
                  {"name": "PM", "starts_at": dt.datetime(2099, 3, 8, 14, 0, tzinfo=taipei), "slot_minutes": 15,
                   "slot_count": 12}],
        tables=max(1, args.participants // 10), organiser=organiser, requests_need_acceptance=False)
    Registration.objects.bulk_create([Registration(event=event, organisation=o, person=users[f"bench-p{o.pk}"],
                                                   status=Registration.Status.APPROVED) for o in orgs],
                                     batch_size=5000)
    regs = list(event.registrations.all())
    slots = list(event.slots.all())
    through = Registration.unavailable.through
    through.objects.bulk_create([through(registration_id=r.pk, slot_id=s.pk) for r in regs for s in slots
                                 if rng.random() < 0.05], batch_size=10000)
    pairs = set()
    while len(pairs) < args.requests:
        a, b = rng.sample(range(len(regs)), 2)
        pairs.add((min(a, b), max(a, b)))
    requests = [MeetingRequest(event=event, sender=regs[a], recipient=regs[b], priority=rng.choice([1, 2, 3]),
                               status=MeetingRequest.Status.ACCEPTED) for a, b in sorted(pairs)]
    MeetingRequest.objects.bulk_create(requests, batch_size=5000)
    Meeting.objects.bulk_create([Meeting(event=event, request_id=r.pk, first_id=r.sender_id,
                                         second_id=r.recipient_id, weight=r.priority)
                                 for r in event.requests.all()], batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    generated = time.perf_counter() - t0

    t1 = time.perf_counter()
    selectors.scheduling_problem(event, keep_confirmed=False)
    problem_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    # The run's job builds the problem again, solves and stores the proposal.
    run = services.schedule_run_create(event=event, by=organiser, time_limit=args.time_limit)
    job_run_now(job_id=run.job_id)
    run.refresh_from_db()
    solve_s = time.perf_counter() - t2
    t3 = time.perf_counter()
    counts = services.schedule_publish(run=run, by=organiser)
    publish_s = time.perf_counter() - t3
    total = problem_s + solve_s + publish_s
    result = run.result

    client = Client()
    chosen = rng.sample(regs, min(args.pages, len(regs)))

    def timed(paths_users):
        out = []
        for path, user in paths_users:
            client.force_login(user)
            t = time.perf_counter()
            response = client.get(path)
            out.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        return out

    agenda = timed([(f"/events/{slug}/agenda/", r.person) for r in chosen])
    listing = timed([(f"/events/{slug}/participants/?page={rng.randint(1, 20)}", r.person) for r in chosen])

    p = percentile

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {connection.vendor}; generated in {generated:.0f} s", file=sys.stderr)
    print("| database | participants / meetings | status | scheduled / weight (bound) | breaks (bound) | problem s | "
          "run s (limit) | publish s | end to end s | agenda p50/p95 ms | participant list p50/p95 ms | peak MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    obj, bound = result.get("objective", {}), result.get("bound", {})
    print(f"| {connection.vendor} | {len(regs):,} / {len(requests):,} | {result.get('status')} | "
          f"{counts['scheduled']:,} / {obj.get('scheduled_weight')} ({bound.get('scheduled_weight', '–')}) | "
          f"{obj.get('breaks')} ({bound.get('breaks', '–')}) | {problem_s:.1f} | {solve_s:.1f} ({args.time_limit}) | "
          f"{publish_s:.1f} | {total:.1f} | {p(agenda, 50):.0f} / {p(agenda, 95):.0f} | "
          f"{p(listing, 50):.0f} / {p(listing, 95):.0f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
