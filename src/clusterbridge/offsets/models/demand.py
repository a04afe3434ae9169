"""Demand items (工合需求項目): quarterly calls, panel seats, items, scores and their history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import AFFILIATION_CHOICES, CLASS_CHOICES, Field


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
