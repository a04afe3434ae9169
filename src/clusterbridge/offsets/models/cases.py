"""Case plans (個案計畫), their lines and checklist, experts, subcommittee reviews and conflicts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..credits import CaseStatus
from .agreements import Agreement
from .choices import CATEGORY_CHOICES, POINTS, STATUS_CHOICES, UNIT_CHOICES, Field


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
