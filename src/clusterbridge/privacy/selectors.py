"""Reads of the privacy app: the audit log with its filters, a person's overview."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import AuditEntry, ErasureRecord, SignIn


def audit_entries(*, actor: str = "", model: str = "", object_id: str = "", since: dt.date | None = None,
                  until: dt.date | None = None, q: str = ""):
    rows = AuditEntry.objects.all()
    if actor:
        rows = rows.filter(actor_name__iexact=actor)
    if model:
        rows = rows.filter(model=model)
    if object_id:
        rows = rows.filter(object_id=object_id)
    if since:
        rows = rows.filter(at__date__gte=since)
    if until:
        rows = rows.filter(at__date__lte=until)
    if q:
        rows = rows.filter(Q(object_repr__icontains=q) | Q(path__icontains=q))
    return rows


def audit_models() -> list[str]:
    return list(AuditEntry.objects.order_by("model").values_list("model", flat=True).distinct())


def audit_actors() -> list[str]:
    return list(AuditEntry.objects.order_by("actor_name").values_list("actor_name", flat=True).distinct())


def people_find(q: str, limit: int = 20):
    q = q.strip()
    if not q:
        return []
    return list(get_user_model().objects.filter(Q(username__icontains=q) | Q(email__icontains=q)
                                                | Q(first_name__icontains=q) | Q(last_name__icontains=q))
                .order_by("username")[:limit])


def export_jobs(user, *, by=None):
    from clusterbridge.core.models import Job

    from .export import EXPORT_JOB

    jobs = Job.objects.filter(kind=EXPORT_JOB, params__subject=user.pk)
    if by is not None:
        jobs = jobs.filter(created_by=by)
    return jobs.order_by("-created_at")[:5]


def recent_sign_ins(user, limit: int = 10):
    return SignIn.objects.filter(user=user)[:limit]


def contact_views_of(user, limit: int = 10):
    from clusterbridge.accounts.models import ContactDataView

    if not user.email:
        return []
    return (ContactDataView.objects.filter(contact__email__iexact=user.email)
            .select_related("viewer", "contact__organisation")[:limit])


def erasures(*, subject=None, limit: int = 50):
    rows = ErasureRecord.objects.select_related("subject", "requested_by")
    if subject is not None:
        rows = rows.filter(subject=subject)
    return rows[:limit]
