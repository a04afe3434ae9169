"""Historical records from a workbook: past agreements, cases and decisions replayed through the
same services and rules, all or nothing, as a background job."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clusterbridge.core.jobs import JobFailed, job_enqueue, job_kind

from ..models import Agreement, CasePlan, Contractor, PromotionGroupMeeting
from ..rules import can_manage_icp
from .agreements import agreement_create, contractor_create
from .cases import case_plan_create
from .committees import decision_record, meeting_create, meeting_minutes_approve
from .ledger import meeting_decisions_apply
from .refusals import OffsetsError


@dataclass
class HistoryResult:
    counts: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


def history_import(*, data: bytes, by, dry_run: bool = False, progress=None) -> HistoryResult:
    """Imports past agreements, case plans and promotion-group decisions from a workbook
    (`offsets.exchange`). All or nothing: any row-level error, or any decision the credit
    rules refuse, leaves the database as it was and is reported with its sheet and row.
    A dry run does the whole import and rolls it back, so it finds every refusal too."""
    from ..exchange import parse_history

    parsed = parse_history(data)
    result = HistoryResult(dry_run=dry_run, errors=list(parsed.errors))
    numbers = {a["number"] for a in parsed.agreements}
    known = set(Agreement.objects.filter(number__in=numbers).values_list("number", flat=True))
    for a in parsed.agreements:
        if a["number"] in known:
            result.errors.append(f"agreements row {a['_row']}, column number: {a['number']} is already recorded")
    in_file = numbers | set(Agreement.objects.filter(
        number__in={c["agreement"] for c in parsed.cases}).values_list("number", flat=True))
    for c in parsed.cases:
        if c["agreement"] and c["agreement"] not in in_file:
            result.errors.append(f"cases row {c['_row']}, column agreement: no agreement {c['agreement']} "
                                 "in the file or the database")
    existing_cases = set(CasePlan.objects.filter(number__in={c["number"] for c in parsed.cases})
                         .values_list("number", flat=True))
    for c in parsed.cases:
        if c["number"] in existing_cases:
            result.errors.append(f"cases row {c['_row']}, column number: {c['number']} is already recorded")
    case_numbers = {c["number"] for c in parsed.cases}
    case_numbers |= set(CasePlan.objects.filter(number__in={d["case"] for d in parsed.decisions})
                        .values_list("number", flat=True))
    for d in parsed.decisions:
        if d["case"] and d["case"] not in case_numbers:
            result.errors.append(f"decisions row {d['_row']}, column case: no case {d['case']} in the file "
                                 "or the database")
    if result.errors:
        return result
    total, done = parsed.rows, 0

    def step():
        nonlocal done
        done += 1
        if progress and (done % 200 == 0 or done == total):
            progress(done, total)

    try:
        with transaction.atomic():
            contractors = {c.name: c for c in Contractor.objects.all()}
            agreements = {}
            for a in parsed.agreements:
                where = f"agreements row {a['_row']}"
                contractor = contractors.get(a["contractor"])
                if contractor is None:
                    contractor = contractors[a["contractor"]] = contractor_create(
                        name=a["contractor"], country=a["contractor_country"])
                agreements[a["number"]] = _row(where, agreement_create, number=a["number"], contractor=contractor,
                                               procuring_agency=a["procuring_agency"], obligation=a["obligation"],
                                               unit=a["unit"].upper(), signed_on=a["signed_on"],
                                               purchase_en=a.get("purchase_en") or "",
                                               purchase_zh=a.get("purchase_zh") or "",
                                               briefing_held_on=a.get("briefing_held_on"),
                                               defence_share_target=int(a.get("defence_share_target") or 50))
                step()
            missing = {c["agreement"] for c in parsed.cases} - set(agreements)
            agreements.update({a.number: a for a in Agreement.objects.filter(number__in=missing)})
            cases = {}
            for c in parsed.cases:
                cases[c["number"]] = _row(
                    f"cases row {c['_row']}", case_plan_create, agreement=agreements[c["agreement"]],
                    number=c["number"], field=c["field"].lower(), recipients=c["recipients"],
                    submitted_on=c["submitted_on"], title_en=c.get("title_en") or "", title_zh=c.get("title_zh") or "",
                    deadline=c.get("deadline"), lines=[{k: v for k, v in line.items() if k != "_row"}
                                                       for line in c["lines"]])
                step()
            missing = {d["case"] for d in parsed.decisions} - set(cases)
            cases.update({c.number: c for c in CasePlan.objects.filter(number__in=missing)})
            by_meeting: dict[dt.date, list[dict]] = {}
            for d in parsed.decisions:
                by_meeting.setdefault(d["meeting"], []).append(d)
            for day in sorted(by_meeting):
                rows = by_meeting[day]
                meeting = PromotionGroupMeeting.objects.filter(held_on=day).first() or meeting_create(held_on=day)
                for d in rows:
                    _row(f"decisions row {d['_row']}", decision_record, meeting=meeting, case=cases[d["case"]],
                         kind=d["decision"], amount=d.get("amount"), new_deadline=d.get("new_deadline"),
                         note=d.get("note") or "", by=by, historical=True)
                    step()
                minutes = next((d["minutes_approved_on"] for d in rows if d.get("minutes_approved_on")), day)
                updated = next((d["database_updated_on"] for d in rows if d.get("database_updated_on")), minutes)
                where = f"decisions row {rows[0]['_row']}"
                if meeting.minutes_approved_on is None:
                    _row(where, meeting_minutes_approve, meeting=meeting, on=minutes)
                _row(where, meeting_decisions_apply, meeting=meeting, on=updated, by=by)
            result.counts = {"agreements": len(parsed.agreements), "cases": len(parsed.cases),
                             "decisions": len(parsed.decisions), "meetings": len(by_meeting)}
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except OffsetsError as error:
        result.errors.append(" ".join(error.messages))
        result.counts = {}
    return result


def _row(where: str, service, **kwargs):
    try:
        with transaction.atomic():
            return service(**kwargs)
    except ValidationError as error:
        messages = error.messages if hasattr(error, "messages") else [str(error)]
        raise OffsetsError(f"{where}: {' '.join(messages)}") from None


HISTORY_JOB = "offsets.history_import"


def history_import_create(*, data: bytes, filename: str, dry_run: bool, by):
    """Stores the upload as a background job; its import runs once this transaction commits."""
    return job_enqueue(kind=HISTORY_JOB, by=by, data=data, filename=filename, params={"dry_run": dry_run})


@job_kind(HISTORY_JOB, label=_("ICP history import"), visible_to=lambda user, job: can_manage_icp(user))
def history_import_run(job, context) -> dict:
    """Imports the job's workbook with progress, all or nothing; a stop rolls it back."""

    def progress(done: int, total: int) -> None:
        context.progress(done, total)
        context.raise_if_stopped()

    result = history_import(data=bytes(job.data), by=job.created_by, dry_run=job.params.get("dry_run", False),
                            progress=progress)
    outcome = {"counts": result.counts, "dry_run": result.dry_run}
    if not result.ok:
        raise JobFailed(result.errors, outcome)
    return outcome
