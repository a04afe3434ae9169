"""Contractors (foreign suppliers) and their industrial cooperation agreements (工業合作協議書)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..credits import Unit
from .choices import POINTS, UNIT_CHOICES, add_months
from .demand import DemandItem


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
