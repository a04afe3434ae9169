"""Reads of the ICP: who sees what, balances from the ledger, the year report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.db.models import Count, QuerySet, Sum

from clusterbridge.accounts.rules import is_officer

from . import credits as cr
from . import review as rv
from .models import (Agreement, CaseLine, CasePlan, ChecklistItem, Contractor, CreditEntry, Decision, DemandCall, DemandItem,
                     DemandScore, PromotionGroupMeeting)
from .rules import is_contractor

ZERO = Decimal("0.00")


# ------------------------------------------------------------ who sees what

def cases_visible_to(user) -> QuerySet[CasePlan]:
    qs = CasePlan.objects.select_related("agreement__contractor")
    if is_officer(user):
        return qs
    if is_contractor(user):
        return qs.filter(agreement__contractor__users=user)
    return qs.none()


def agreements_visible_to(user) -> QuerySet[Agreement]:
    qs = Agreement.objects.select_related("contractor")
    if is_officer(user):
        return qs
    if is_contractor(user):
        return qs.filter(contractor__users=user)
    return qs.none()


# ------------------------------------------------------------ balances

def _sums(qs) -> dict:
    out = defaultdict(lambda: defaultdict(lambda: ZERO))
    for key, bucket, total in qs:
        out[key][cr.Bucket(bucket)] = total or ZERO
    return out


def agreement_balances(agreements) -> dict[int, cr.Balance]:
    """Balances of many agreements in one grouped query."""
    agreements = list(agreements)
    sums = _sums(CreditEntry.objects.filter(agreement__in=[a.pk for a in agreements])
                 .values_list("agreement_id", "bucket").annotate(total=Sum("signed")).order_by())
    return {a.pk: cr.balance(cr.Unit(a.unit), a.obligation, sums[a.pk]) for a in agreements}


def agreement_balance(agreement: Agreement) -> cr.Balance:
    return agreement_balances([agreement])[agreement.pk]


def contractor_balances(contractor: Contractor) -> list[cr.Balance]:
    """One balance per unit (USD and TWD points are never added together)."""
    agreements = list(contractor.agreements.all())
    by_unit: dict[str, list[cr.Balance]] = defaultdict(list)
    for a, b in zip(agreements, agreement_balances(agreements).values()):
        by_unit[a.unit].append(b)
    out = []
    for unit, balances in sorted(by_unit.items()):
        out.append(cr.Balance(unit=cr.Unit(unit), obligation=sum((b.obligation for b in balances), ZERO),
                              pre_approved=sum((b.pre_approved for b in balances), ZERO),
                              approved=sum((b.approved for b in balances), ZERO),
                              retained=sum((b.retained for b in balances), ZERO)))
    return out


def case_balances(cases) -> dict[int, cr.CaseCredits]:
    cases = list(cases)
    sums = _sums(CreditEntry.objects.filter(case__in=[c.pk for c in cases])
                 .values_list("case_id", "bucket").annotate(total=Sum("signed")).order_by())
    return {c.pk: cr.CaseCredits(claimed=c.claimed, status=cr.CaseStatus(c.status),
                                 pre_approved=sums[c.pk][cr.Bucket.PRE_APPROVED],
                                 approved=sums[c.pk][cr.Bucket.APPROVED],
                                 retained=sums[c.pk][cr.Bucket.RETAINED]) for c in cases}


def ledger(*, case: CasePlan | None = None, agreement: Agreement | None = None) -> QuerySet[CreditEntry]:
    qs = CreditEntry.objects.select_related("case", "decision__meeting", "recorded_by", "reverses", "reversed_by")
    if case is not None:
        qs = qs.filter(case=case)
    if agreement is not None:
        qs = qs.filter(agreement=agreement)
    return qs.order_by("effective_on", "case_id", "seq")


# ------------------------------------------------------------ what is late

@dataclass
class Overdue:
    meetings: list = field(default_factory=list)        # credit database not updated 5 days after the minutes
    briefings: list = field(default_factory=list)       # no briefing 3 months after signing
    reports: list = field(default_factory=list)         # cases in execution without last quarter's report
    reports_total: int = 0
    checkpoints: list = field(default_factory=list)
    to_verify: list = field(default_factory=list)       # checkpoints reported done, not yet verified by an officer


def previous_quarter(today: dt.date) -> tuple[int, int]:
    q = (today.month - 1) // 3 + 1
    return (today.year, q - 1) if q > 1 else (today.year - 1, 4)


def overdue(*, today: dt.date, contractor: Contractor | None = None, limit: int = 8) -> Overdue:
    out = Overdue()
    if contractor is None:
        out.meetings = [m for m in PromotionGroupMeeting.objects.filter(minutes_approved_on__isnull=False,
                                                                        database_updated_on__isnull=True)
                        if m.database_overdue(today)]
    agreements = Agreement.objects.select_related("contractor").filter(briefing_held_on__isnull=True)
    cases = CasePlan.objects.select_related("agreement__contractor").filter(
        status__in=[cr.CaseStatus.PRE_APPROVED, cr.CaseStatus.IN_EXECUTION])
    if contractor is not None:
        agreements = agreements.filter(contractor=contractor)
        cases = cases.filter(agreement__contractor=contractor)
    out.briefings = [a for a in agreements.order_by("signed_on")[: limit * 4] if a.briefing_due < today][:limit]
    year, quarter = previous_quarter(today)
    missing = (cases.exclude(reports__year=year, reports__quarter=quarter)
               .filter(submitted_on__lt=dt.date(year, 3 * quarter - 2, 1)))
    out.reports = list(missing.order_by("number")[:limit])
    out.reports_total = missing.count() if len(out.reports) == limit else len(out.reports)
    from .models import Checkpoint

    checkpoints = Checkpoint.objects.select_related("case").filter(done_on__isnull=True, due_on__lt=today)
    if contractor is not None:
        checkpoints = checkpoints.filter(case__agreement__contractor=contractor)
    out.checkpoints = list(checkpoints.order_by("due_on")[:limit])
    reported = Checkpoint.objects.select_related("case").filter(done_on__isnull=False, verified_at__isnull=True)
    if contractor is not None:
        reported = reported.filter(case__agreement__contractor=contractor)
    out.to_verify = list(reported.order_by("done_reported_at", "id")[:limit])
    return out


# ------------------------------------------------------------ reports

@lru_cache(maxsize=1)
def published_figures() -> dict:
    """The programme's published figures (programme-facts), to show beside the computed ones."""
    import yaml

    return yaml.safe_load((Path(__file__).parent / "data" / "published.yaml").read_text(encoding="utf-8"))


def _by_unit() -> dict[str, Decimal]:
    return {u.value: ZERO for u in cr.Unit}


@dataclass
class MeetingFigures:
    meeting: PromotionGroupMeeting
    counts: dict[str, int]              # decision kind → cases
    points: dict[str, dict[str, Decimal]]  # decision kind → unit → points
    overdue: bool
    days_to_update: int | None
    published: list = field(default_factory=list)  # (figure, computed, published)

    @property
    def as_published(self) -> bool | None:
        if not self.published:
            return None
        return all(mine == theirs for _k, mine, theirs in self.published)


def meeting_figures(meetings) -> list[MeetingFigures]:
    meetings = list(meetings)
    rows = (Decision.objects.filter(meeting__in=meetings, applied=True)
            .values_list("meeting_id", "kind", "case__unit").annotate(n=Count("id"), total=Sum("amount")).order_by())
    counts = defaultdict(lambda: defaultdict(int))
    points = defaultdict(lambda: defaultdict(_by_unit))
    for meeting_id, kind, unit, n, total in rows:
        counts[meeting_id][kind] += n
        points[meeting_id][kind][unit] += total or ZERO
    today = dt.date.today()
    out = []
    for m in meetings:
        days = ((m.database_updated_on - m.minutes_approved_on).days
                if m.database_updated_on and m.minutes_approved_on else None)
        late = (days is not None and days > m.UPDATE_DAYS) or m.database_overdue(today)
        out.append(MeetingFigures(m, dict(counts[m.pk]), {k: dict(v) for k, v in points[m.pk].items()}, late, days))
    return out


PUBLISHED_COUNTS = {  # published key → decision kind it counts
    "pre_approval_rejected": cr.DecisionKind.PRE_APPROVAL_REJECTED, "closure": cr.DecisionKind.CLOSURE,
    "extension": cr.DecisionKind.EXTENSION, "for_the_record": cr.DecisionKind.FOR_THE_RECORD,
    "withdrawal": cr.DecisionKind.WITHDRAWAL, "closure_with_retention": cr.DecisionKind.CLOSURE_WITH_RETENTION,
    "credit_retention": cr.DecisionKind.CREDIT_RETENTION, "actually_approved_cases": cr.DecisionKind.ACTUAL_APPROVAL,
}


def published_comparison(figures: MeetingFigures, published: dict | None) -> list[tuple[str, Decimal, Decimal]]:
    """(figure, computed, published) for every figure the programme published for this meeting.

    Published "pre-approved cases" at some meetings include the rejected ones ("9, of which
    rejected 2"); the comparison counts them the same way there."""
    if not published:
        return []
    c, p = figures.counts, figures.points
    rows = []
    for key, value in published.items():
        if key in PUBLISHED_COUNTS:
            mine = Decimal(c.get(PUBLISHED_COUNTS[key], 0))
        elif key == "pre_approved_cases":
            mine = Decimal(c.get(cr.DecisionKind.PRE_APPROVAL, 0))
            if "pre_approval_rejected_of_which" in published:
                mine += c.get(cr.DecisionKind.PRE_APPROVAL_REJECTED, 0)
        elif key == "pre_approval_rejected_of_which":
            mine = Decimal(c.get(cr.DecisionKind.PRE_APPROVAL_REJECTED, 0))
        elif key.endswith("_points"):
            kind = cr.DecisionKind.PRE_APPROVAL if key.startswith("pre_") else cr.DecisionKind.ACTUAL_APPROVAL
            mine = p.get(kind, {}).get("TWD" if "_twd_" in key else "USD", ZERO)
        else:
            continue
        rows.append((key, mine, Decimal(value)))
    return rows


@dataclass
class YearReport:
    year: int
    meetings: list[MeetingFigures]
    totals_counts: dict[str, int]
    totals_points: dict[str, dict[str, Decimal]]
    agreements_signed: int
    agreements_points: dict[str, Decimal]
    by_category: list[tuple[str, Decimal, float]]       # category, pre-approved points (USD), share
    by_field: dict[str, Decimal]                        # field → points pre-approved in the year (USD)
    defence_share: float | None
    defence_target: int | None
    cumulative: dict[str, dict[str, Decimal]]          # approved / pre-approved to the year's end, by unit
    cumulative_agreements: int
    in_execution: int
    in_execution_points: dict[str, Decimal]
    published: dict | None
    differences: list[tuple] = field(default_factory=list)  # what, computed, published, rounded?, difference


def year_report(year: int) -> YearReport:
    """Everything from the records: decisions applied at the year's meetings, agreements signed in it,
    and the ledger up to its last day. Published figures, where the programme has them, are shown
    beside the computed ones with the difference."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    meetings = list(PromotionGroupMeeting.objects.filter(held_on__range=(start, end)).order_by("held_on"))
    figures = meeting_figures(meetings)
    published_meetings = (published_figures().get("years", {}).get(year) or {}).get("meetings", {})
    for f in figures:
        f.published = published_comparison(f, published_meetings.get(f.meeting.held_on))
    totals_counts: dict[str, int] = defaultdict(int)
    totals_points: dict[str, dict[str, Decimal]] = defaultdict(_by_unit)
    for f in figures:
        for kind, n in f.counts.items():
            totals_counts[kind] += n
        for kind, units in f.points.items():
            for unit, v in units.items():
                totals_points[kind][unit] += v
    signed = Agreement.objects.filter(signed_on__range=(start, end))
    agreements_points = _by_unit()
    for unit, total in signed.values_list("unit").annotate(t=Sum("obligation")).order_by():
        agreements_points[unit] += total
    # Shares: the year's pre-approved points spread over each case's lines in proportion to their credits.
    pre = (Decision.objects.filter(meeting__in=meetings, applied=True, kind=cr.DecisionKind.PRE_APPROVAL,
                                   case__unit=cr.Unit.USD)
           .values_list("case_id", "case__field", "amount"))
    pre = list(pre)
    lines = defaultdict(list)
    for case_id, category, credits in CaseLine.objects.filter(case_id__in=[p[0] for p in pre]).values_list(
            "case_id", "category", "credits"):
        lines[case_id].append((category, credits))
    by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_field: dict[str, Decimal] = {"defence": ZERO, "industry": ZERO}
    for case_id, case_field, amount in pre:
        by_field[case_field] += amount
        claimed = sum((c for _cat, c in lines[case_id]), ZERO)
        for category, credits in lines[case_id]:
            by_category[category] += (amount * credits / claimed) if claimed else ZERO
    total_pre = sum(by_category.values(), ZERO)
    categories = [(c.value, by_category.get(c.value, ZERO).quantize(cr.CENT),
                   float(by_category.get(c.value, ZERO) / total_pre) if total_pre else 0.0) for c in cr.Category]
    fields_total = by_field["defence"] + by_field["industry"]
    published = published_figures().get("years", {}).get(year)
    cumulative = defaultdict(_by_unit)
    for unit, bucket, total in (CreditEntry.objects.filter(effective_on__lte=end)
                                .values_list("unit", "bucket").annotate(t=Sum("signed")).order_by()):
        cumulative[bucket][unit] += Decimal(total).quantize(cr.CENT)
    in_exec = CasePlan.objects.filter(status__in=[cr.CaseStatus.PRE_APPROVED, cr.CaseStatus.IN_EXECUTION],
                                      submitted_on__lte=end)
    in_exec_points = _by_unit()
    for unit, total in in_exec.values_list("unit").annotate(t=Sum("claimed")).order_by():
        in_exec_points[unit] += total
    report = YearReport(
        year=year, meetings=figures, totals_counts=dict(totals_counts),
        totals_points={k: dict(v) for k, v in totals_points.items()}, agreements_signed=signed.count(),
        agreements_points=agreements_points, by_category=categories, by_field=by_field,
        defence_share=float(by_field["defence"] / fields_total) if fields_total else None,
        defence_target=(published or {}).get("defence_share_target_pct"),
        cumulative={k: dict(v) for k, v in cumulative.items()},
        cumulative_agreements=Agreement.objects.filter(signed_on__lte=end).count(),
        in_execution=in_exec.count(), in_execution_points=in_exec_points, published=published)
    if published:
        report.differences = _differences(report, published)
    return report


def _differences(report: YearReport, published: dict) -> list[tuple[str, Decimal, Decimal, bool, Decimal]]:
    computed = {
        "pre_approved_cases": Decimal(report.totals_counts.get(cr.DecisionKind.PRE_APPROVAL, 0)),
        "pre_approved_usd_points": report.totals_points.get(cr.DecisionKind.PRE_APPROVAL, {}).get("USD", ZERO),
        "actually_approved_cases": Decimal(report.totals_counts.get(cr.DecisionKind.ACTUAL_APPROVAL, 0)),
        "actually_approved_usd_points": report.totals_points.get(cr.DecisionKind.ACTUAL_APPROVAL, {}).get("USD", ZERO),
        "agreements_signed": Decimal(report.agreements_signed),
        "agreements_usd_points": report.agreements_points["USD"],
    }
    out = []
    for key, value in published.get("totals", {}).items():
        if key not in computed:
            continue
        mine = computed[key]
        theirs = Decimal(str(value["value"]))
        rounded = "about" in value.get("as_published", "") or "億" in value.get("as_published", "")
        out.append((key, mine, theirs, rounded, mine - theirs))
    return out


def years_with_records() -> list[int]:
    years = {d.year for d in PromotionGroupMeeting.objects.dates("held_on", "year")}
    years |= {d.year for d in Agreement.objects.dates("signed_on", "year")}
    return sorted(years, reverse=True)


# ------------------------------------------------------------ demand items

def demand_items_published() -> QuerySet[DemandItem]:
    """Priority items first, then general ones, each in number order."""
    from django.db.models import Case, IntegerField, Value, When

    return (DemandItem.objects.filter(status=DemandItem.Status.APPROVED).select_related("decided_at")
            .annotate(rank=Case(When(item_class="priority", then=Value(0)), default=Value(1),
                                output_field=IntegerField()))
            .order_by("rank", "number"))


def demand_items_for_reviewer(user) -> QuerySet[DemandItem]:
    """Only the items of the calls whose panel the reviewer sits on."""
    if is_officer(user):
        return DemandItem.objects.select_related("call")
    return DemandItem.objects.filter(call__seats__reviewer=user).select_related("call")


def demand_scores_visible(*, item: DemandItem, user) -> list[DemandScore]:
    """Other panellists' scores stay hidden until the review closes; officers see all."""
    scores = item.scores.select_related("reviewer", "call").order_by("call__year", "call__quarter", "id")
    if is_officer(user) or item.call.review_closed_at:
        return list(scores)
    return [s for s in scores if s.reviewer_id == user.pk]


def demand_call_summary(call: DemandCall) -> dict[str, int]:
    """The quarter's first review as the programme publishes it: reviewed, by class, reserved."""
    from .models import DemandItemEvent

    classed = DemandItemEvent.objects.filter(from_call=call, what="classed").values_list("item__item_class")
    counts = {"priority": 0, "general": 0, "excluded": 0}
    for (klass,) in classed:
        counts[klass] += 1
    counts["reserved"] = DemandItemEvent.objects.filter(from_call=call, what="reserved").count()
    counts["withdrawn"] = DemandItemEvent.objects.filter(from_call=call, what="withdrawn").count()
    counts["carried_in"] = DemandItemEvent.objects.filter(to_call=call, what="reserved").count()
    counts["reviewed"] = counts["priority"] + counts["general"] + counts["excluded"] + counts["reserved"]
    return counts


# ------------------------------------------------------------ what services ask before writing

def case_credits(case: CasePlan) -> cr.CaseCredits:
    """The case's credits from its latest ledger entry (balances are carried on each entry)."""
    last = case.entries.order_by("-seq").first()
    zero = Decimal("0.00")
    return cr.CaseCredits(claimed=case.claimed, status=cr.CaseStatus(case.status),
                          pre_approved=last.pre_approved_after if last else zero,
                          approved=last.approved_after if last else zero,
                          retained=last.retained_after if last else zero)


def checklist_problems(case: CasePlan) -> list[str]:
    """What still stands between the case and a pre-approval decision."""
    needed = {ChecklistItem.FORMAT, ChecklistItem.FEEDBACK_FEE, ChecklistItem.NO_BAD_RECORD,
              ChecklistItem.MATCHES_PLAN}
    if case.lines.filter(category=cr.Category.TECHNOLOGY_TRANSFER.value).exists():
        needed.add(ChecklistItem.EXPORT_CONTROL)
    records = {r.item: r for r in case.checks.all()}
    out = []
    for item in ChecklistItem:
        if item not in needed:
            continue
        record = records.get(item.value)
        if record is None:
            out.append(f"check not recorded: {item.label}")
        elif not record.passed:
            out.append(f"check failed: {item.label}")
    if case.agreement.contractor.bad_record:
        out.append("the contractor has a bad record")
    return out


def panel_problems(call: DemandCall) -> list[str]:
    return rv.panel_problems(list(call.seats.values_list("affiliation", flat=True)))


def cases_ready_for(meeting: PromotionGroupMeeting, *, limit: int = 50) -> list[CasePlan]:
    """Submitted cases a subcommittee passed or forwarded that this meeting has not decided yet."""
    from .models import SubcommitteeReview

    outcomes = [SubcommitteeReview.Outcome.PASSED, SubcommitteeReview.Outcome.TO_GROUP]
    return list(CasePlan.objects.filter(status=cr.CaseStatus.SUBMITTED.value, reviews__outcome__in=outcomes)
                .exclude(decisions__meeting=meeting).distinct().order_by("number")[:limit])
