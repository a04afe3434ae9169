"""The ICP's records: demand items and their reviews, contractors, agreements,
case plans, committees and decisions, the credit ledger and progress.

The credit ledger (`CreditEntry`) is append-only: the database refuses
updates and deletes (triggers in migration 0002), and every entry carries the
case's balances after it, each held at or above zero by a check constraint.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .credits import Bucket, CaseStatus, Category, DecisionKind, EntryKind, Unit
from .review import Affiliation, ItemClass

POINTS = {"max_digits": 15, "decimal_places": 2}


class Field(models.TextChoices):
    DEFENCE = "defence", _("Defence")
    INDUSTRY = "industry", _("Industry")


UNIT_CHOICES = [(Unit.USD.value, _("USD points")), (Unit.TWD.value, _("TWD points"))]
CATEGORY_CHOICES = [
    (Category.DOMESTIC_INVESTMENT.value, _("Domestic investment")),
    (Category.TECHNOLOGY_TRANSFER.value, _("Technology transfer")),
    (Category.DOMESTIC_PROCUREMENT.value, _("Domestic procurement")),
    (Category.RESEARCH_AND_DEVELOPMENT.value, _("Joint research and development")),
    (Category.TRAINING.value, _("Training")),
    (Category.INTERNATIONAL_MARKETING.value, _("International marketing")),
    (Category.INTERNATIONAL_CERTIFICATION.value, _("International certification")),
    (Category.JOINT_CONTRACTING.value, _("Joint contracting")),
]
DECISION_CHOICES = [
    (DecisionKind.PRE_APPROVAL.value, _("Pre-approval")),
    (DecisionKind.PRE_APPROVAL_REJECTED.value, _("Pre-approval rejected")),
    (DecisionKind.ACTUAL_APPROVAL.value, _("Actual approval")),
    (DecisionKind.FOR_THE_RECORD.value, _("For the record")),
    (DecisionKind.CLOSURE.value, _("Closure")),
    (DecisionKind.CLOSURE_WITH_RETENTION.value, _("Closure with credit retention")),
    (DecisionKind.CREDIT_RETENTION.value, _("Credit retention")),
    (DecisionKind.EXTENSION.value, _("Extension")),
    (DecisionKind.WITHDRAWAL.value, _("Withdrawal")),
]
STATUS_CHOICES = [
    (CaseStatus.SUBMITTED.value, _("Submitted")),
    (CaseStatus.PRE_APPROVED.value, _("Pre-approved")),
    (CaseStatus.REJECTED.value, _("Pre-approval rejected")),
    (CaseStatus.IN_EXECUTION.value, _("In execution")),
    (CaseStatus.CLOSED.value, _("Closed")),
    (CaseStatus.WITHDRAWN.value, _("Withdrawn")),
]
ENTRY_CHOICES = [
    (EntryKind.PRE_APPROVED.value, _("Pre-approved")),
    (EntryKind.APPROVED.value, _("Approved")),
    (EntryKind.RETAINED.value, _("Retained")),
    (EntryKind.RELEASED.value, _("Released")),
    (EntryKind.REVERSED.value, _("Reversed")),
]
BUCKET_CHOICES = [(b.value, b.value) for b in Bucket]
CLASS_CHOICES = [(ItemClass.PRIORITY.value, _("Priority")), (ItemClass.GENERAL.value, _("General")),
                 (ItemClass.EXCLUDED.value, _("Excluded"))]
AFFILIATION_CHOICES = [
    (Affiliation.INDUSTRIAL_DEVELOPMENT_BUREAU.value, _("Industrial Development Bureau")),
    (Affiliation.DEPARTMENT_OF_INDUSTRIAL_TECHNOLOGY.value, _("Department of Industrial Technology")),
    (Affiliation.RESEARCH_INSTITUTE.value, _("Research institute")),
    (Affiliation.ACADEMIC.value, _("Academic")),
]


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------- demand items

class DemandCall(models.Model):
    """One quarter's call for demand items (工合需求項目) and its first review."""

    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    review_closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="demand_call_one_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="demand_call_quarter_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"


class PanelSeat(models.Model):
    """A first-review panellist for one quarter's call."""

    call = models.ForeignKey(DemandCall, on_delete=models.CASCADE, related_name="seats")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats")
    affiliation = models.CharField(max_length=40, choices=AFFILIATION_CHOICES)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "reviewer"], name="panel_seat_once_per_call")]


class DemandItem(models.Model):
    class ProposerKind(models.TextChoices):
        GOVERNMENT = "government", _("Government unit")
        PROMOTION_OFFICE = "promotion_office", _("Executive Yuan / MOEA promotion office")
        FOUNDATION = "foundation", _("Foundation or administrative corporation")
        ASSOCIATION = "association", _("Industry association")

    class Basis(models.TextChoices):
        EXECUTIVE_YUAN = "executive_yuan", _("Executive Yuan policy item")
        MINISTRY = "ministry", _("Ministry policy item")
        PRIVATE = "private", _("Private proposer's need")
        CONVENER = "convener", _("Approved by the steering committee convener")

    class Status(models.TextChoices):
        IN_REVIEW = "in_review", _("In first review")
        CLASSED = "classed", _("Classed, awaiting the promotion group")
        EXCLUDED = "excluded", _("Excluded")
        APPROVED = "approved", _("Approved and published")
        REJECTED = "rejected", _("Rejected by the promotion group")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    number = models.CharField(max_length=30, unique=True)
    call = models.ForeignKey(DemandCall, on_delete=models.PROTECT, related_name="items",
                             help_text="the quarter whose panel reviews it now")
    first_call = models.ForeignKey(DemandCall, on_delete=models.PROTECT, related_name="+")
    proposer_name = models.CharField(max_length=200)
    proposer_kind = models.CharField(max_length=30, choices=ProposerKind.choices)
    basis = models.CharField(max_length=30, choices=Basis.choices)
    title_en = models.CharField(max_length=300, blank=True)
    title_zh = models.CharField(max_length=300, blank=True)
    description_en = models.TextField(blank=True)
    description_zh = models.TextField(blank=True)
    field = models.CharField(max_length=10, choices=Field.choices)
    sector = models.CharField(max_length=120, blank=True)
    benefits = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_REVIEW)
    score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    item_class = models.CharField(max_length=10, choices=CLASS_CHOICES, blank=True)
    decided_at = models.ForeignKey("PromotionGroupMeeting", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="demand_items")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.CheckConstraint(condition=~Q(title_en="", title_zh=""), name="demand_item_has_title")]

    def __str__(self) -> str:
        return f"{self.number} {self.title_zh or self.title_en}"


class DemandScore(models.Model):
    item = models.ForeignKey(DemandItem, on_delete=models.CASCADE, related_name="scores")
    call = models.ForeignKey(DemandCall, on_delete=models.PROTECT, related_name="scores")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=4, decimal_places=1)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "call", "reviewer"], name="demand_score_once"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="demand_score_0_100"),
        ]


class DemandItemEvent(models.Model):
    """The item's history: scored, classed, reserved and carried to the next quarter, decided."""

    item = models.ForeignKey(DemandItem, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    what = models.CharField(max_length=30)
    from_call = models.ForeignKey(DemandCall, on_delete=models.PROTECT, null=True, related_name="+")
    to_call = models.ForeignKey(DemandCall, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


# ------------------------------------------------------ contractors and agreements

class Contractor(models.Model):
    name = models.CharField(max_length=200, unique=True)
    name_zh = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2)
    bad_record = models.BooleanField(default=False)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="contractors")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    """An industrial cooperation agreement (協議書) and its obligation."""

    number = models.CharField(max_length=30, unique=True)
    contractor = models.ForeignKey(Contractor, on_delete=models.PROTECT, related_name="agreements")
    purchase_en = models.CharField(max_length=300, blank=True)
    purchase_zh = models.CharField(max_length=300, blank=True)
    procuring_agency = models.CharField(max_length=200)
    obligation = models.DecimalField(**POINTS)
    unit = models.CharField(max_length=3, choices=UNIT_CHOICES)
    defence_share_target = models.PositiveSmallIntegerField(default=50)
    signed_on = models.DateField()
    briefing_held_on = models.DateField(null=True, blank=True)
    planned_items = models.ManyToManyField(DemandItem, blank=True, related_name="agreements")

    class Meta:
        ordering = ["-signed_on", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(obligation__gt=0), name="agreement_obligation_positive"),
            models.CheckConstraint(condition=Q(defence_share_target__lte=100), name="agreement_share_0_100"),
            models.CheckConstraint(condition=Q(unit__in=[u.value for u in Unit]), name="agreement_unit_known"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def briefing_due(self) -> dt.date:
        """The contractor's investment/technology briefing is due within 3 months of signing."""
        return add_months(self.signed_on, 3)


# ---------------------------------------------------------------- case plans

class Expert(models.Model):
    """The expert database from which subcommittees are drawn (officials are recorded too)."""

    name = models.CharField(max_length=120)
    affiliation = models.CharField(max_length=200, blank=True)
    is_expert = models.BooleanField(default=True, help_text="false for officials")
    sectors = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CasePlan(models.Model):
    """A case plan (個案計畫): what a contractor does with Taiwanese recipients for credits."""

    number = models.CharField(max_length=30, unique=True)
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="cases")
    title_en = models.CharField(max_length=300, blank=True)
    title_zh = models.CharField(max_length=300, blank=True)
    recipients = models.TextField(help_text="domestic recipients, one per line")
    field = models.CharField(max_length=10, choices=Field.choices)
    unit = models.CharField(max_length=3, choices=UNIT_CHOICES)
    claimed = models.DecimalField(**POINTS, default=0)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=CaseStatus.SUBMITTED.value)
    submitted_on = models.DateField()
    deadline = models.DateField(null=True, blank=True)
    ledger_seq = models.PositiveIntegerField(default=0, help_text="number of ledger entries; moved under a row lock")

    class Meta:
        ordering = ["-submitted_on", "number"]
        constraints = [models.CheckConstraint(condition=Q(claimed__gte=0), name="case_claimed_not_negative")]

    def __str__(self) -> str:
        return self.number


class CaseLine(models.Model):
    case = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(max_length=40, choices=CATEGORY_CHOICES)
    description = models.CharField(max_length=300, blank=True)
    value = models.DecimalField(**POINTS)
    multiplier = models.DecimalField(max_digits=5, decimal_places=2)
    credits = models.DecimalField(**POINTS)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="case_line_value_positive"),
            models.CheckConstraint(condition=Q(multiplier__gt=0, multiplier__lte=20), name="case_line_multiplier"),
        ]


class ChecklistItem(models.TextChoices):
    FORMAT = "format", _("Application and plan in the prescribed format")
    FEEDBACK_FEE = "feedback_fee", _("Domestic recipient's notarised feedback-fee commitment")
    EXPORT_CONTROL = "export_control", _("Export-control commitment (technology transfer)")
    NO_BAD_RECORD = "no_bad_record", _("Contractor has no bad record")
    MATCHES_PLAN = "matches_plan", _("Items match the agreement's plan")


class CheckRecord(models.Model):
    case = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="checks")
    item = models.CharField(max_length=20, choices=ChecklistItem.choices)
    passed = models.BooleanField()
    evidence = models.CharField(max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "item"], name="check_once_per_case")]


class SubcommitteeReview(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        PASSED = "passed", _("Passed")
        TO_GROUP = "to_group", _("Forwarded to the promotion group")
        MORE_INFORMATION = "more_information", _("More information needed")
        RETURNED = "returned", _("Returned")

    case = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="reviews")
    sector = models.CharField(max_length=120)
    held_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    reviewers = models.ManyToManyField(Expert, through="SubcommitteeSeat")


class SubcommitteeSeat(models.Model):
    review = models.ForeignKey(SubcommitteeReview, on_delete=models.CASCADE, related_name="seats")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "expert"], name="subcommittee_seat_once")]


class Conflict(models.Model):
    """A declared conflict of interest: the expert never sits on this case's subcommittee."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    case = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["expert", "case"], name="conflict_once")]


# ------------------------------------------------------ promotion group and ledger

class PromotionGroupMeeting(models.Model):
    """A quarterly ICP promotion group meeting (推動小組會議)."""

    held_on = models.DateField(unique=True)
    minutes_approved_on = models.DateField(null=True, blank=True)
    database_updated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on"]
        constraints = [models.CheckConstraint(
            condition=Q(minutes_approved_on__isnull=True) | Q(minutes_approved_on__gte=F("held_on")),
            name="meeting_minutes_after_meeting")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d}"

    UPDATE_DAYS = 5

    @property
    def database_due(self) -> dt.date | None:
        if self.minutes_approved_on is None:
            return None
        return self.minutes_approved_on + dt.timedelta(days=self.UPDATE_DAYS)

    def database_overdue(self, today: dt.date) -> bool:
        due = self.database_due
        return due is not None and self.database_updated_on is None and today > due


class Decision(models.Model):
    meeting = models.ForeignKey(PromotionGroupMeeting, on_delete=models.PROTECT, related_name="decisions")
    case = models.ForeignKey(CasePlan, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=30, choices=DECISION_CHOICES)
    amount = models.DecimalField(**POINTS, null=True, blank=True)
    new_deadline = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    applied = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case", "kind"], name="decision_once_per_meeting"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0), name="decision_amount_positive"),
        ]


class CreditEntry(models.Model):
    """One immutable movement of credits. Balances are sums of these, never typed in."""

    case = models.ForeignKey(CasePlan, on_delete=models.PROTECT, related_name="entries")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="entries")
    contractor = models.ForeignKey(Contractor, on_delete=models.PROTECT, related_name="entries")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=ENTRY_CHOICES)
    bucket = models.CharField(max_length=20, choices=BUCKET_CHOICES)
    amount = models.DecimalField(**POINTS)
    signed = models.DecimalField(**POINTS, help_text="amount with the sign of its effect on the bucket")
    unit = models.CharField(max_length=3, choices=UNIT_CHOICES)
    pre_approved_after = models.DecimalField(**POINTS)
    approved_after = models.DecimalField(**POINTS)
    retained_after = models.DecimalField(**POINTS)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="entries")
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="reversed_by")
    reason = models.CharField(max_length=300, blank=True)
    effective_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "seq"]
        indexes = [models.Index(fields=["agreement", "bucket"]), models.Index(fields=["effective_on"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="credit_entry_seq_per_case"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_entry_amount_positive"),
            models.CheckConstraint(condition=Q(signed=F("amount")) | Q(signed=-F("amount")),
                                   name="credit_entry_signed_is_amount"),
            models.CheckConstraint(condition=Q(pre_approved_after__gte=0, approved_after__gte=0,
                                               retained_after__gte=0), name="credit_balances_not_negative"),
            models.CheckConstraint(condition=Q(retained_after__lte=F("approved_after")),
                                   name="credit_retained_within_approved"),
            models.CheckConstraint(condition=Q(kind="reversed", reverses__isnull=False)
                                   | (~Q(kind="reversed") & Q(reverses__isnull=True)),
                                   name="credit_reversal_names_entry"),
            models.CheckConstraint(condition=~Q(kind="reversed") | Q(reason__gt=""), name="credit_reversal_has_reason"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("credit entries are immutable: record a reversal instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("credit entries are immutable: record a reversal instead")


# ---------------------------------------------------------------- progress

class Checkpoint(models.Model):
    case = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="checkpoints")
    due_on = models.DateField()
    description = models.CharField(max_length=300)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]


class ProgressReport(models.Model):
    """A contractor's quarterly progress report on a case."""

    case = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    percent_complete = models.PositiveSmallIntegerField()
    text = models.TextField()
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["case", "year", "quarter"], name="progress_report_once_per_quarter"),
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="progress_percent_0_100"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="progress_quarter_1_4"),
        ]


class SiteVisit(models.Model):
    case = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField()
    recipient = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class FeedbackFee(models.Model):
    """A domestic recipient's feedback-fee (回饋金) commitment, in TWD, and what was paid."""

    case = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="feedback_fees")
    recipient = models.CharField(max_length=200)
    committed_twd = models.DecimalField(**POINTS)
    notarised_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(committed_twd__gt=0), name="feedback_fee_positive")]


class FeedbackFeePayment(models.Model):
    fee = models.ForeignKey(FeedbackFee, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField()
    amount_twd = models.DecimalField(**POINTS)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount_twd__gt=0), name="feedback_payment_positive")]
