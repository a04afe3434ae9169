"""How long each kind of record about people is kept, applied every day.

Each rule names a kind of record, its period in days (`settings.RETENTION_DAYS` overrides the
defaults) and the function that removes what is older. The daily job (`every` a day, started by the
job sweep of `clusterbridge serve` or a worker) or `clusterbridge apply-retention` (from cron) runs them
all; `--dry-run` counts without removing. The periods are shown on the privacy notice page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterbridge.core.jobs import job_kind

RETENTION_JOB = "privacy.retention"


@dataclass(frozen=True)
class Rule:
    key: str
    label: object
    days: int | Callable[[], int]
    apply: Callable[[dt.datetime, bool], int]  # (cutoff, dry_run) -> rows removed (or that would be)

    @property
    def period(self) -> int:
        default = self.days() if callable(self.days) else self.days
        return int(getattr(settings, "RETENTION_DAYS", {}).get(self.key, default))


RULES: dict[str, Rule] = {}


def retention_rule(key: str, *, label, days: int):
    def register(function):
        RULES[key] = Rule(key, label, days, function)
        return function

    return register


def _remove(queryset, dry_run: bool) -> int:
    if dry_run:
        return queryset.count()
    return queryset.delete()[0]


@retention_rule("sign_ins", label=_("Sign-ins to an account (the access log)"), days=180)
def _sign_ins(cutoff, dry_run):
    from .models import SignIn

    return _remove(SignIn.objects.filter(at__lt=cutoff), dry_run)


@retention_rule("contact_views", label=_("Records of who saw a person's contact details"), days=730)
def _contact_views(cutoff, dry_run):
    from clusterbridge.accounts.models import ContactDataView

    return _remove(ContactDataView.objects.filter(at__lt=cutoff), dry_run)


@retention_rule("read_inbox", label=_("Inbox notices already read"), days=365)
def _read_inbox(cutoff, dry_run):
    from clusterbridge.accounts.models import InboxMessage

    return _remove(InboxMessage.objects.filter(read_at__isnull=False, created_at__lt=cutoff), dry_run)


@retention_rule("unconfirmed_accounts", label=_("Accounts whose e-mail address was never confirmed"), days=30)
def _unconfirmed(cutoff, dry_run):
    from django.contrib.auth import get_user_model

    from clusterbridge.events.models import Registration

    users = (get_user_model().objects.filter(is_active=False, last_login__isnull=True, date_joined__lt=cutoff)
             .exclude(username__startswith="erased-")
             .exclude(Exists(Registration.objects.filter(person=OuterRef("pk")))))
    if dry_run:
        return users.count()
    removed = 0
    for user in users:
        try:
            with transaction.atomic():
                user.delete()
                removed += 1
        except ProtectedError:
            continue  # something the programmes keep points at it: it stays, closed
    return removed


@retention_rule("declined_registrations", label=_("Refused or withdrawn event registrations without meetings"),
                days=730)
def _declined(cutoff, dry_run):
    from clusterbridge.events.models import Meeting, Registration

    met = Meeting.objects.filter(Q(first=OuterRef("pk")) | Q(second=OuterRef("pk")))
    rows = (Registration.objects.filter(status__in=[Registration.Status.REJECTED, Registration.Status.WITHDRAWN],
                                        created_at__lt=cutoff).exclude(Exists(met)))
    return _remove(rows, dry_run)


@retention_rule("unconfirmed_subscriptions", label=_("Newsletter subscriptions never confirmed"), days=30)
def _unconfirmed_subscriptions(cutoff, dry_run):
    from clusterbridge.publishing.models import Subscription

    return _remove(Subscription.objects.filter(status=Subscription.Status.PENDING, created_at__lt=cutoff), dry_run)


@retention_rule("data_exports", label=_("Personal data export files"), days=lambda: settings.EXPORT_LINK_DAYS)
def _exports(cutoff, dry_run):
    from clusterbridge.core.models import Job

    from .export import EXPORT_JOB, export_dir

    removed = 0
    for job in Job.objects.filter(kind=EXPORT_JOB, finished_at__lt=cutoff, result__has_key="file"):
        removed += 1
        if not dry_run:
            (export_dir() / job.result["file"]).unlink(missing_ok=True)
            job.result = {**{k: v for k, v in job.result.items() if k != "file"}, "expired": True}
            job.save(update_fields=["result"])
    return removed


@retention_rule("finished_jobs", label=_("Finished background jobs and their uploads"), days=90)
def _jobs(cutoff, dry_run):
    from clusterbridge.core.models import Job

    from .export import EXPORT_JOB

    rows = (Job.objects.filter(finished_at__lt=cutoff).exclude(status__in=Job.ACTIVE)
            .exclude(kind=EXPORT_JOB, result__has_key="file"))
    return _remove(rows, dry_run)


@retention_rule("audit_log", label=_("The audit log of officers' actions"), days=3650)
def _audit(cutoff, dry_run):
    from .models import AuditEntry

    return _remove(AuditEntry.objects.filter(at__lt=cutoff), dry_run)


def retention_apply(*, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Rows removed (or, dry, that would be) per rule, each rule in its own transaction."""
    now = now or timezone.now()
    out = {}
    for rule in RULES.values():
        with transaction.atomic():
            out[rule.key] = rule.apply(now - dt.timedelta(days=rule.period), dry_run)
    return out


@job_kind(RETENTION_JOB, label=_("Retention periods"), every=24 * 3600)
def retention_run(job, context) -> dict:
    return {"removed": retention_apply()}
