"""Choices and field settings shared by the ICP records."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..credits import Bucket, CaseStatus, Category, DecisionKind, EntryKind, Unit
from ..review import Affiliation, ItemClass

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
