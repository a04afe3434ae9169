"""Writes of the outcomes app."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from clusterbridge.accounts.notices import notice_kind
from clusterbridge.core.jobs import job_kind

from clusterbridge.events.models import Meeting
from clusterbridge.events.rules import speaks_for

from .models import (AgreementKind, CooperationAgreement, FollowUpAnswer, FollowUpRating, FollowUpRound,
                     ImmediateRating, MeetingRating)

COMMENT_LIMIT = 2000


@transaction.atomic
def meeting_rate(*, meeting: Meeting, by, rating: str, comment: str = "") -> MeetingRating:
    """The rating of the side `by` speaks for (changeable; the last one counts). Only a scheduled
    meeting whose time has come, only by its two parties."""
    if speaks_for(by, meeting.first):
        side = meeting.first
    elif speaks_for(by, meeting.second):
        side = meeting.second
    else:
        raise PermissionDenied("only the two parties rate a meeting")
    if meeting.status != Meeting.Status.SCHEDULED or meeting.slot is None:
        raise ValidationError("only a scheduled meeting can be rated")
    if meeting.slot.starts_at > timezone.now():
        raise ValidationError(f"this meeting is at {meeting.slot.starts_at:%Y-%m-%d %H:%M}; rate it afterwards")
    if rating not in ImmediateRating.values:
        raise ValidationError(f"{rating!r} is not on the scale ({', '.join(ImmediateRating.values)})")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_LIMIT:
        raise ValidationError(f"a comment holds at most {COMMENT_LIMIT} characters ({len(comment)} given)")
    record, _created = MeetingRating.objects.update_or_create(
        meeting=meeting, registration=side, defaults={"rating": rating, "comment": comment, "rated_by": by})
    return record


@transaction.atomic
def meeting_rating_withdraw(*, meeting: Meeting, by) -> bool:
    """Deletes the rating of the side `by` speaks for; True when there was one."""
    deleted, _ = MeetingRating.objects.filter(meeting=meeting, registration=_side(meeting, by)).delete()
    return bool(deleted)


@transaction.atomic
def follow_up_answer_withdraw(*, round: FollowUpRound, meeting: Meeting, by) -> bool:
    """Deletes the side's follow-up answer (an agreement recorded with it stays: it is a record of
    its own, which its parties or an officer change)."""
    deleted, _ = FollowUpAnswer.objects.filter(round=round, meeting=meeting, registration=_side(meeting, by)).delete()
    return bool(deleted)


def _side(meeting: Meeting, by):
    if speaks_for(by, meeting.first):
        return meeting.first
    if speaks_for(by, meeting.second):
        return meeting.second
    raise PermissionDenied("only the meeting's two parties answer for it")


@transaction.atomic
def follow_up_open(*, event, by, opens_on=None, kind: str = FollowUpRound.Kind.SIX_MONTHS) -> FollowUpRound:
    """The organisers open a follow-up; by default six months after the event's first session."""
    import datetime as dt

    from clusterbridge.events.rules import can_organise_event

    if not can_organise_event(by, event):
        raise PermissionDenied("only the event's organisers open a follow-up")
    if opens_on is None:
        first = event.sessions.order_by("starts_at").values_list("starts_at", flat=True).first()
        if first is None:
            raise ValidationError("the event has no session to count the six months from")
        opens_on = (first + dt.timedelta(days=182)).date()
    return FollowUpRound.objects.create(event=event, kind=kind, opens_on=opens_on, created_by=by)


@transaction.atomic
def follow_up_answer(*, round: FollowUpRound, meeting: Meeting, by, answer: str, comment: str = "",
                     agreement: dict | None = None) -> FollowUpAnswer:
    """One side's follow-up answer for one meeting (changeable). `agreement_reached` records the
    agreement given with it (kind, signed_on, amount, currency, summary_en/_zh, public), between
    the meeting's two organisations, in the same transaction."""
    side = _side(meeting, by)
    if meeting.event_id != round.event_id or meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError("this meeting is not one of the follow-up's")
    if round.opens_on > timezone.localdate():
        raise ValidationError(f"this follow-up opens on {round.opens_on:%Y-%m-%d}")
    if answer not in FollowUpRating.values:
        raise ValidationError(f"{answer!r} is not on the scale ({', '.join(FollowUpRating.values)})")
    if answer == FollowUpRating.AGREEMENT_REACHED and not meeting.agreements.exists():
        if not agreement:
            raise ValidationError("an agreement was reached: give its kind and a summary")
        agreement_record(by=by, event=meeting.event, meeting=meeting,
                         organisations=[meeting.first.organisation, meeting.second.organisation], **agreement)
    record, _created = FollowUpAnswer.objects.update_or_create(
        round=round, meeting=meeting, registration=side,
        defaults={"answer": answer, "comment": (comment or "").strip()[:COMMENT_LIMIT]})
    return record


@transaction.atomic
def agreement_record(*, by, kind: str, organisations, event=None, meeting=None, signed_on=None, amount=None,
                     currency: str = "", summary_en: str = "", summary_zh: str = "",
                     public: bool = False, case_plan: str = "") -> CooperationAgreement:
    """A cooperation agreement; refused with the field named when it is not one we can count. An
    agreement of kind `icp_case` names the ICP case plan it became (its number)."""
    from decimal import Decimal, InvalidOperation

    from clusterbridge.accounts.rules import is_member_of, is_officer

    organisations = list(organisations)
    if not (is_officer(by) or any(is_member_of(by, o) for o in organisations)):
        raise PermissionDenied("only the organisations' members or an officer record their agreement")
    errors: dict[str, list[str]] = {}
    if kind not in AgreementKind.values:
        errors["kind"] = [f"{kind!r} is not a kind of agreement ({', '.join(AgreementKind.values)})"]
    if len(organisations) < 2:
        errors["organisations"] = ["an agreement is between two organisations or more"]
    if amount not in (None, ""):
        if isinstance(amount, float):
            errors["amount"] = ["give the amount as a decimal number, not a float"]
        else:
            try:
                amount = Decimal(str(amount).replace(",", ""))
            except InvalidOperation:
                errors["amount"] = [f"{amount!r} is not an amount"]
            if not errors.get("amount") and amount < 0:
                errors["amount"] = ["an amount is not negative"]
        if len((currency or "").strip()) != 3:
            errors["currency"] = ["give the amount's currency as three letters (EUR, TWD, USD)"]
    else:
        amount = None
    if not (summary_en or "").strip() and not (summary_zh or "").strip():
        errors["summary_en"] = ["summarise the agreement in English or in Chinese"]
    plan = None
    number = str(getattr(case_plan, "number", case_plan) or "").strip()
    if kind == AgreementKind.ICP_CASE:
        from clusterbridge.offsets.models import CasePlan

        plan = CasePlan.objects.filter(number__iexact=number).first() if number else None
        if plan is None:
            errors["case_plan"] = [f"no ICP case plan numbered {number!r}" if number
                                   else "an ICP case agreement names its case plan (its number, e.g. IC-2011-053)"]
    elif number:
        errors["case_plan"] = ["only an agreement of kind icp_case names a case plan"]
    if errors:
        raise ValidationError(errors)
    record = CooperationAgreement.objects.create(
        kind=kind, event=event, meeting=meeting, signed_on=signed_on, amount=amount,
        currency=(currency or "").strip().upper(), summary_en=(summary_en or "").strip(),
        summary_zh=(summary_zh or "").strip(), public=bool(public), created_by=by, case_plan=plan)
    record.organisations.set(organisations)
    return record


FOLLOW_UP_JOB = "outcomes.follow_ups_announce"
FOLLOW_UP_OPEN = notice_kind(
    "outcomes.follow_up_open", subject=gettext_lazy("%(event)s: what came of your meetings?"),
    body=gettext_lazy("Some months have passed since %(event)s. Tell the organisers, meeting by meeting, whether "
                      "the contacts went on and whether an agreement came of them: it takes two minutes and "
                      "shows the programme what the meetings led to."))


def follow_ups_announce(*, today=None) -> int:
    """Tells the participants of every follow-up that opens today or opened before and was not
    announced yet; returns how many rounds were announced."""
    from clusterbridge.accounts.services import inbox_notify
    from clusterbridge.events.models import Registration
    from clusterbridge.events.notices import event_title

    today = today or timezone.localdate()
    done = 0
    for round_ in FollowUpRound.objects.filter(opens_on__lte=today, announced_at=None).select_related("event"):
        with transaction.atomic():
            if not FollowUpRound.objects.filter(pk=round_.pk, announced_at=None).update(announced_at=timezone.now()):
                continue  # another worker took it
            people = [r.person for r in Registration.objects.filter(
                event=round_.event, status=Registration.Status.APPROVED, bookings__isnull=False)
                .distinct().select_related("person")]
            inbox_notify(recipients=people, kind=FOLLOW_UP_OPEN, params={"event": event_title(round_.event)},
                         link=f"/outcomes/events/{round_.event.slug}/follow-up/")
            done += 1
    return done


@job_kind(FOLLOW_UP_JOB, label=gettext_lazy("Follow-up announcements"), every=3600)
def follow_ups_job(job, context) -> dict:
    return {"announced": follow_ups_announce()}
