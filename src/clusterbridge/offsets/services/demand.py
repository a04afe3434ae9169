"""Demand items (工合需求項目): quarterly calls, panel seats, scores, classes, carry-over and the
promotion group's second review."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import review as rv
from ..models import DemandCall, DemandItem, DemandItemEvent, DemandScore, PanelSeat, PromotionGroupMeeting
from ..selectors import panel_problems
from .refusals import refuse, save_checked

# What a demand item may promise (programme-facts: benefit_dimensions).
BENEFITS = ["technology_transfer", "joint_rd_centre", "investment", "training", "international_marketing",
            "domestic_procurement"]


def demand_call_open(*, year: int, quarter: int) -> DemandCall:
    if not 1 <= quarter <= 4:
        refuse(f"quarter {quarter} is not 1–4")
    call, _created = DemandCall.objects.get_or_create(year=year, quarter=quarter)
    return call


def _next_call(call: DemandCall) -> DemandCall:
    year, quarter = (call.year, call.quarter + 1) if call.quarter < 4 else (call.year + 1, 1)
    return demand_call_open(year=year, quarter=quarter)


def panel_seat_assign(*, call: DemandCall, reviewer, affiliation: str) -> PanelSeat:
    if call.review_closed_at:
        refuse(f"the review of {call} is closed")
    affiliation = rv.Affiliation(affiliation).value
    wanted = rv.PANEL_COMPOSITION[rv.Affiliation(affiliation)]
    if call.seats.filter(affiliation=affiliation).count() >= wanted:
        refuse(f"the {call} panel already has its {wanted} from {affiliation.replace('_', ' ')}")
    try:
        with transaction.atomic():
            return save_checked(PanelSeat(call=call, reviewer=reviewer, affiliation=affiliation))
    except (IntegrityError, ValidationError):
        refuse(f"{reviewer} already sits on the {call} panel")


@transaction.atomic
def demand_item_submit(*, call: DemandCall, number: str, proposer_name: str, proposer_kind: str, basis: str,
                       field: str, title_en: str = "", title_zh: str = "", description_en: str = "",
                       description_zh: str = "", sector: str = "", benefits: list[str] = (), by=None) -> DemandItem:
    if call.review_closed_at:
        refuse(f"the review of {call} is closed; submit to the next quarter")
    if not (title_en.strip() or title_zh.strip()):
        refuse(f"demand item {number}: give a title (English or Chinese)")
    unknown = [b for b in benefits if b not in BENEFITS]
    if unknown:
        refuse(f"demand item {number}: unknown benefit {', '.join(unknown)}")
    item = save_checked(DemandItem(call=call, first_call=call, number=number, proposer_name=proposer_name,
                            proposer_kind=proposer_kind, basis=basis, field=field, title_en=title_en,
                            title_zh=title_zh, description_en=description_en, description_zh=description_zh,
                            sector=sector, benefits=list(benefits)))
    DemandItemEvent.objects.create(item=item, by=by, what="submitted", to_call=call)
    return item


def demand_score_record(*, item: DemandItem, reviewer, score, comment: str = "") -> DemandScore:
    """A panellist's score for an item of their quarter's call; they may revise it until the review closes."""
    item = DemandItem.objects.select_related("call").get(pk=item.pk)  # the caller's copy may predate a carry-over
    call = item.call
    if call.review_closed_at:
        refuse(f"the review of {call} is closed")
    if not call.seats.filter(reviewer=reviewer).exists():
        raise PermissionDenied(f"{reviewer} is not on the {call} panel")
    if item.status != DemandItem.Status.IN_REVIEW:
        refuse(f"demand item {item.number} is not in review")
    problems = panel_problems(call)
    if problems:
        refuse(f"the {call} panel is not complete: " + "; ".join(problems))
    try:
        value = rv.score_value(score)
    except rv.ReviewRuleError as error:
        refuse(f"demand item {item.number}: {error}")
    record, _created = DemandScore.objects.update_or_create(item=item, call=call, reviewer=reviewer,
                                                            defaults={"score": value, "comment": comment})
    return record


@transaction.atomic
def demand_review_close(*, call: DemandCall, by, reserved: list[DemandItem] = (),
                        withdrawn: dict[int, str] | None = None) -> dict[str, int]:
    """Closes a quarter's first review: each item is classed from its 7 scores, reserved
    to the next quarter (carried over explicitly, with its history) or withdrawn.
    Nothing changes unless every item can be settled."""
    call = DemandCall.objects.select_for_update().get(pk=call.pk)
    if call.review_closed_at:
        refuse(f"the review of {call} is already closed")
    problems = panel_problems(call)
    if problems:
        refuse(f"the {call} panel is not complete: " + "; ".join(problems))
    withdrawn = withdrawn or {}
    reserved_ids = {i.pk for i in reserved}
    counts = {"priority": 0, "general": 0, "excluded": 0, "reserved": 0, "withdrawn": 0}
    missing = []
    nxt = None
    for item in call.items.filter(status=DemandItem.Status.IN_REVIEW).order_by("number"):
        if item.pk in withdrawn:
            item.status = DemandItem.Status.WITHDRAWN
            item.save(update_fields=["status"])
            DemandItemEvent.objects.create(item=item, by=by, what="withdrawn", from_call=call, note=withdrawn[item.pk])
            counts["withdrawn"] += 1
            continue
        if item.pk in reserved_ids:
            nxt = nxt or _next_call(call)
            item.call = nxt
            item.save(update_fields=["call"])
            DemandItemEvent.objects.create(item=item, by=by, what="reserved", from_call=call, to_call=nxt,
                                           note=f"reserved in {call}, carried over to {nxt}")
            counts["reserved"] += 1
            continue
        scores = list(item.scores.filter(call=call).values_list("score", flat=True))
        if len(scores) != rv.PANEL_SIZE:
            missing.append(f"{item.number} has {len(scores)} of {rv.PANEL_SIZE} scores")
            continue
        item.score = rv.item_score(scores)
        item.item_class = rv.item_class(item.score).value
        item.status = (DemandItem.Status.EXCLUDED if item.item_class == rv.ItemClass.EXCLUDED
                       else DemandItem.Status.CLASSED)
        item.save(update_fields=["score", "item_class", "status"])
        DemandItemEvent.objects.create(item=item, by=by, what="classed", from_call=call,
                                       note=f"score {item.score}: {item.item_class}")
        counts[item.item_class] += 1
    if missing:
        refuse(f"the review of {call} cannot close: " + "; ".join(missing)
                + " (reserve or withdraw an item to settle it otherwise)")
    call.review_closed_at = timezone.now()
    call.save(update_fields=["review_closed_at"])
    return counts


@transaction.atomic
def demand_item_decide(*, item: DemandItem, meeting: PromotionGroupMeeting, approve: bool, by) -> DemandItem:
    """The promotion group's second review: approved items enter the database and the published list."""
    item = DemandItem.objects.select_for_update().get(pk=item.pk)
    if item.status != DemandItem.Status.CLASSED:
        refuse(f"demand item {item.number} is {item.get_status_display().lower()}; only a classed item "
                "goes to the promotion group")
    item.status = DemandItem.Status.APPROVED if approve else DemandItem.Status.REJECTED
    item.decided_at = meeting
    item.save(update_fields=["status", "decided_at"])
    DemandItemEvent.objects.create(item=item, by=by, what="approved" if approve else "rejected",
                                   note=f"promotion group {meeting}")
    return item
