"""Writes of the accounts app."""

from __future__ import annotations

from .models import ContactDataView

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
