"""Execution of a case: checkpoints, quarterly progress reports, site visits and feedback fees."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .cases import CasePlan
from .choices import POINTS


class Checkpoint(models.Model):
    """A milestone of a case plan. The contractor reports it done; only an officer's check makes it verified.

    Who added it, who reported it done and who verified it are kept with the time (older rows have none).
    """

    case = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="checkpoints")
    due_on = models.DateField()
    description = models.CharField(max_length=300)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    added_at = models.DateTimeField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    done_reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    done_reported_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(verified_at__isnull=True) | Q(done_on__isnull=False),
                                              name="checkpoint_verified_only_when_done")]

    @property
    def unverified(self) -> bool:
        return self.done_on is not None and self.verified_at is None


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
