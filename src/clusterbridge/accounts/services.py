"""Writes of the accounts app."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import ContactDataView, InboxMessage

CONTACT_FIELDS = ("name", "role", "email", "phone")


def contact_views_record(*, viewer, contacts, where: str) -> int:
    """Log that these contacts' details were shown to `viewer` (None for an
    anonymous visitor), with the fields actually shown. Returns rows written."""
    viewer = viewer if getattr(viewer, "is_authenticated", False) else None
    rows = [ContactDataView(contact=c, viewer=viewer, where=where[:200],
                            fields=",".join(f for f in CONTACT_FIELDS if getattr(c, f)))
            for c in contacts]
    ContactDataView.objects.bulk_create(rows)
    return len(rows)


def inbox_notify(*, recipients, subject: str, body: str, link: str = "") -> int:
    """Put a notice in each recipient's inbox and e-mail it once the
    transaction commits (a rolled-back write sends nothing)."""
    recipients = [r for r in recipients if r is not None]
    InboxMessage.objects.bulk_create([InboxMessage(recipient=r, subject=subject[:200], body=body, link=link[:300])
                                      for r in recipients])
    addresses = sorted({r.email for r in recipients if r.email})
    if addresses:
        text = body + (f"\n\n{link}" if link else "")
        transaction.on_commit(lambda: send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, addresses))
    return len(recipients)


def inbox_mark_read(*, user, message_id: int) -> None:
    InboxMessage.objects.filter(recipient=user, id=message_id, read_at=None).update(read_at=timezone.now())
