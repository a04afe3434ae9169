"""The audit log: every change an officer or a platform administrator makes, recorded as it is saved.

The middleware remembers the request being served; model signals (pre_save, post_save, post_delete,
m2m_changed) then write one `AuditEntry` per changed row when the person acting holds an officer's
role, in the same transaction as the change (a rolled-back change leaves no entry). Every model is
covered unless it is listed in `NOT_AUDITED`, so a new model is audited without anyone remembering
to. Secrets are never copied into the log. Writes that bypass model signals (`QuerySet.update`,
`bulk_create`) are not seen; services that change people's data use `save()`. Background jobs (an
import, a scheduler run) are recorded by their own row in `core.Job` (who started it, when, what, its
result), not row by row, wherever they run; so the job table is not audited twice."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import re
import uuid

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

_request: contextvars.ContextVar = contextvars.ContextVar("audited_request", default=None)
_suspended: contextvars.ContextVar = contextvars.ContextVar("audit_suspended", default=False)

# Records that are the platform's own bookkeeping, not anybody's decision.
NOT_AUDITED = {
    "privacy.auditentry", "privacy.signin", "privacy.erasurerecord", "sessions.session", "admin.logentry",
    "contenttypes.contenttype", "auth.permission", "core.job", "matching.searchdocument",
    "accounts.contactdataview", "accounts.inboxmessage", "django_tasks_database.dbtaskresult",
}
# Fields the platform keeps up to date by itself (a sign-in's time, derived search text): not decisions.
DERIVED = {"last_login", "search_text", "updated_at", "modified_at"}
SECRET = re.compile(r"password|secret|token|digest|otp", re.IGNORECASE)
TEXT_LIMIT = 500


class AuditMiddleware:
    """Keeps the request at hand for the signal handlers (placed after authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


@contextlib.contextmanager
def audit_suspended():
    """For work that records itself otherwise (an erasure: its entry must not copy what it erases)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def acting_officer():
    """The officer or administrator acting in the current request, else None."""
    return _actor()


def _actor():
    from clusterbridge.core.jobs import running_job

    if _suspended.get() or running_job.get() is not None:
        return None  # a background job's writes are recorded on its own row (core.Job), whoever started it
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    if not getattr(user, "is_authenticated", False):
        return None
    from clusterbridge.accounts.rules import is_officer

    return user if is_officer(user) else None


def _label(model) -> str:
    return model._meta.label_lower


def _watched(sender) -> bool:
    return _label(sender) not in NOT_AUDITED and not sender._meta.proxy


def _plain(field, value):
    """A value as the log keeps it: JSON-safe, short, and never a secret."""
    if value is None:
        return None
    if SECRET.search(field.name):
        return "••••"
    if isinstance(value, (bytes, memoryview)):
        return f"<{len(bytes(value))} bytes>"
    if isinstance(value, (dt.date, dt.datetime, dt.time, decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, str) and len(value) > TEXT_LIMIT:
        return value[:TEXT_LIMIT] + "…"
    if isinstance(value, (str, int, float, bool, list, dict)):
        return value
    return str(value)


def _values(instance) -> dict:
    return {f.name: _plain(f, getattr(instance, f.attname)) for f in instance._meta.concrete_fields
            if not isinstance(f, models.AutoField) and f.name not in DERIVED and not getattr(f, "auto_now", False)}


def audit_write(actor, action: str, instance_or_model, object_id, object_repr: str, changes: dict) -> None:
    from .models import AuditEntry

    request = _request.get()
    AuditEntry.objects.create(
        actor=actor, actor_name=actor.get_username()[:150], action=action,
        model=_label(instance_or_model), object_id=str(object_id)[:64], object_repr=str(object_repr)[:200],
        changes=changes, path=(request.path if request is not None else "")[:300],
        request_id=(getattr(request, "request_id", "") or "")[:64])


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or not _watched(sender) or _actor() is None:
        return
    instance._audit_before = None
    if instance.pk is not None and not instance._state.adding:
        old = sender._base_manager.filter(pk=instance.pk).first()
        instance._audit_before = _values(old) if old is not None else None


def _after_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    actor = _actor()
    if raw or not _watched(sender) or actor is None:
        return
    now = _values(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        changes = {name: [None, value] for name, value in now.items() if value not in (None, "")}
        audit_write(actor, "create", instance, instance.pk, instance, changes)
        return
    changes = {name: [before.get(name), value] for name, value in now.items() if before.get(name) != value}
    if changes:
        audit_write(actor, "update", instance, instance.pk, instance, changes)


def _after_delete(sender, instance, **kwargs):
    actor = _actor()
    if actor is None or not _watched(sender):
        return
    values = {name: [value, None] for name, value in _values(instance).items() if value not in (None, "")}
    audit_write(actor, "delete", instance, instance.pk, instance, values)


def _m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    actor = _actor()
    if actor is None or not _watched(type(instance)):
        return
    field = next((f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender), None)
    if action == "pre_clear":
        manager = next((getattr(instance, f.name) for f in type(instance)._meta.many_to_many
                        if f.remote_field.through is sender), None)
        pk_set = set(manager.values_list("pk", flat=True)) if manager is not None else set()
    if not pk_set:
        return
    names = [str(o) for o in model._base_manager.filter(pk__in=pk_set)][:50]
    key = field or _label(model)
    changes = {key: [None, names]} if action == "post_add" else {key: [names, None]}
    audit_write(actor, "link" if action == "post_add" else "unlink", instance, instance.pk, instance, changes)


def connect() -> None:
    pre_save.connect(_before_save, dispatch_uid="privacy.audit.pre_save")
    post_save.connect(_after_save, dispatch_uid="privacy.audit.post_save")
    post_delete.connect(_after_delete, dispatch_uid="privacy.audit.post_delete")
    m2m_changed.connect(_m2m, dispatch_uid="privacy.audit.m2m")
