"""ICP benchmark (issue "Industrial Cooperation Programme"; figures in bench/RESULTS.md).

    python bench/offsets.py [--database-url postgres://postgres@127.0.0.1:5432/cb_bench_icp]

Generates 30 years of history (1996–2025: 120 promotion-group meetings, 2,000 agreements,
20,000 case plans with their lines, ~120,000 decisions, 200,000 ledger entries). The entries
are computed by the same pure rules the services use (`offsets.credits.decide`), then
bulk-inserted, so every check constraint and trigger of the ledger still applies; going
through the services one decision at a time would take long and measure nothing asked here.

Then it times the year report (every year, through the selector), the agreement balance
page, the case page and the agreement list in process with Django's test client
(p50/p95 over repeated requests), and peak memory. Uses its own database: a temporary
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

from _django import django_for_bench, percentile  # noqa: E402 - bench/ is the script's folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--agreements", type=int, default=2000)
    parser.add_argument("--cases-per-agreement", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    django_for_bench(args.database_url, "icp")
    from django.db import connection
    from django.test import Client

    started = time.perf_counter()
    counts = generate(args.agreements, args.cases_per_agreement)
    generated = time.perf_counter() - started
    print(f"database: {connection.vendor}; generated {counts} in {generated:.1f} s", file=sys.stderr)

    from clusterbridge.offsets import selectors as sel
    from clusterbridge.offsets.models import Agreement, CasePlan

    times = {}
    for year in range(1996, 2026):
        t = time.perf_counter()
        report = sel.year_report(year)
        times[year] = time.perf_counter() - t
        assert report.meetings, year
    t0 = time.perf_counter()
    sel.year_report(2025)
    again = time.perf_counter() - t0
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-officer"))
    rng = random.Random(7)
    numbers = list(Agreement.objects.values_list("number", flat=True))
    case_numbers = list(CasePlan.objects.values_list("number", flat=True))

    def timed(paths):
        out = []
        for path in paths:
            t = time.perf_counter()
            response = client.get(path)
            out.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        return out

    balance = timed([f"/icp/agreements/{rng.choice(numbers)}/" for _ in range(args.requests)])
    case = timed([f"/icp/cases/{rng.choice(case_numbers)}/" for _ in range(args.requests)])
    listing = timed(["/icp/agreements/"] * 20)
    report_page = timed([f"/icp/reports/{rng.randint(1996, 2025)}/" for _ in range(20)])
    home = timed(["/icp/"] * 20)

    p = percentile

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| database | history | generate s | year report s (min / median / max over 30 years) | "
          "balance page p50/p95 ms | case page p50/p95 ms | agreement list (first page of 2,000) p50/p95 ms | "
          "report page p50/p95 ms | ICP home p50/p95 ms | peak MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    yearly = sorted(times.values())
    print(f"| {connection.vendor} | {counts} | {generated:.0f} | {yearly[0]:.2f} / {statistics.median(yearly):.2f} / "
          f"{yearly[-1]:.2f} (again: {again:.2f}) | {p(balance, 50):.0f} / {p(balance, 95):.0f} | "
          f"{p(case, 50):.0f} / {p(case, 95):.0f} | {p(listing, 50):.0f} / {p(listing, 95):.0f} | "
          f"{p(report_page, 50):.0f} / {p(report_page, 95):.0f} | {p(home, 50):.0f} / {p(home, 95):.0f} | "
          f"{peak:.0f} |")


def generate(n_agreements: int, cases_per: int) -> str:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from clusterbridge.accounts.models import Profile, Role
    from clusterbridge.offsets import credits as cr
    from clusterbridge.offsets.models import (Agreement, CaseLine, CasePlan, Contractor, CreditEntry, Decision,
                                              PromotionGroupMeeting)

    if Agreement.objects.exists():
        return (f"{Agreement.objects.count()} agreements, {CasePlan.objects.count()} cases, "
                f"{CreditEntry.objects.count()} entries (reused)")
    rng = random.Random(1996)
    User = get_user_model()
    officer = User.objects.create_user("bench-officer", password="x" * 12)
    Profile.objects.create(user=officer, role=Role.PROGRAMME_OFFICER)
    with transaction.atomic():
        meetings = PromotionGroupMeeting.objects.bulk_create([
            PromotionGroupMeeting(held_on=dt.date(y, m, 10), minutes_approved_on=dt.date(y, m, 18),
                                  database_updated_on=dt.date(y, m, 22))
            for y in range(1996, 2026) for m in (3, 6, 9, 12)])
        contractors = Contractor.objects.bulk_create([
            Contractor(name=f"Contractor {i:03d}", country=rng.choice(["FR", "DE", "US", "GB", "IT", "SE", "JP"]))
            for i in range(150)])
        agreements = Agreement.objects.bulk_create([
            Agreement(number=f"A-{i:05d}", contractor=rng.choice(contractors), procuring_agency="Agency",
                      purchase_en=f"Purchase {i}", obligation=Decimal(rng.randint(20, 800) * 1_000_000),
                      unit="TWD" if i % 10 == 0 else "USD",
                      signed_on=dt.date(1996 + i * 25 // n_agreements, rng.randint(1, 12), rng.randint(1, 28)),
                      briefing_held_on=None if i % 50 == 0 else dt.date(1996 + i * 25 // n_agreements, 12, 30))
            for i in range(n_agreements)], batch_size=2000)
        cases, lines = [], []
        for a in agreements:
            for j in range(cases_per):
                claimed = Decimal(rng.randint(1, 60) * 100_000)
                cases.append(CasePlan(number=f"{a.number}-{j:02d}", agreement=a, title_en=f"Case {j}",
                                      recipients="Recipient", field=rng.choice(["defence", "industry"]),
                                      unit=a.unit, claimed=claimed, submitted_on=a.signed_on))
        CasePlan.objects.bulk_create(cases, batch_size=5000)
        categories = list(cr.Category)
        for c in cases:
            split = [c.claimed * Decimal(share) for share in ("0.6", "0.4")]
            for part in split:
                lines.append(CaseLine(case=c, category=rng.choice(categories), value=part, multiplier=1,
                                      credits=part))
        CaseLine.objects.bulk_create(lines, batch_size=10000)
        by_year = {}
        for m in meetings:
            by_year.setdefault(m.held_on.year, []).append(m)
        decisions, entries = [], []
        for c in cases:
            year = c.submitted_on.year
            pool = [m for y in range(year, min(year + 6, 2026)) for m in by_year[y] if m.held_on > c.submitted_on]
            if len(pool) < 6:
                pool = [m for m in meetings if m.held_on > c.submitted_on][:6] or meetings[-6:]
            steps = sorted(rng.sample(pool, 6), key=lambda m: m.held_on)
            quarter = (c.claimed / 4).quantize(cr.CENT, rounding="ROUND_DOWN")
            # pre-approval, four approvals (each also releases what it earns), closure retaining 5 %:
            # 1 + 4 × 2 + 1 = 10 entries per case.
            kinds = [(cr.DecisionKind.PRE_APPROVAL, c.claimed)] + [(cr.DecisionKind.ACTUAL_APPROVAL, quarter)] * 4 + [
                (cr.DecisionKind.CLOSURE_WITH_RETENTION, (c.claimed / 20).quantize(cr.CENT))]
            state = cr.CaseCredits(claimed=c.claimed)
            seq = 0
            for meeting, (kind, amount) in zip(steps, kinds):
                outcome = cr.decide(state, kind, amount)
                d = Decision(meeting=meeting, case=c, kind=kind.value, amount=amount, recorded_by=officer,
                             applied=True)
                decisions.append(d)
                for move in outcome.moves:
                    state = state.after(move.bucket, move.sign * move.amount)
                    seq += 1
                    entries.append((d, CreditEntry(
                        case=c, agreement_id=c.agreement_id, contractor_id=c.agreement.contractor_id, seq=seq,
                        kind=move.kind.value, bucket=move.bucket.value, amount=move.amount,
                        signed=move.sign * move.amount, unit=c.unit, pre_approved_after=state.pre_approved,
                        approved_after=state.approved, retained_after=state.retained,
                        effective_on=meeting.database_updated_on, recorded_by=officer)))
                if outcome.status:
                    state = cr.CaseCredits(state.claimed, state.pre_approved, state.approved, state.retained,
                                           outcome.status)
            c.status, c.ledger_seq = state.status.value, seq
        Decision.objects.bulk_create(decisions, batch_size=10000)
        for d, e in entries:
            e.decision = d
        CreditEntry.objects.bulk_create([e for _d, e in entries], batch_size=10000)
        CasePlan.objects.bulk_update(cases, ["status", "ledger_seq"], batch_size=5000)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return (f"{len(agreements):,} agreements, {len(cases):,} cases, {len(decisions):,} decisions, "
            f"{len(entries):,} entries")


if __name__ == "__main__":
    main()
