"""Promotion-group meetings (推動小組會議), their decisions and the credit ledger (額度帳)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .agreements import Agreement, Contractor
from .cases import CasePlan
from .choices import BUCKET_CHOICES, DECISION_CHOICES, ENTRY_CHOICES, POINTS, UNIT_CHOICES


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
    chain = models.CharField(max_length=64, blank=True,
                             help_text="HMAC of this entry and the previous one of its case (offsets/chain.py)")

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
