"""Reads of accounts (who may do what is in `rules.py`)."""

from __future__ import annotations


def contact_access_log(*, organisation, limit: int = 500):
    """Who saw the contact details of this organisation's people, newest first."""
    from .models import ContactDataView

    return (ContactDataView.objects.filter(contact__organisation=organisation)
            .select_related("contact", "viewer")[:limit])
