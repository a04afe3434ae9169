"""Reads of accounts (who may do what is in `rules.py`)."""

from __future__ import annotations


def contact_access_log(*, organisation, limit: int = 500):
    """Who saw the contact details of this organisation's people, newest first."""
    from .models import ContactDataView

    return (ContactDataView.objects.filter(contact__organisation=organisation)
            .select_related("contact", "viewer")[:limit])


def programme_officers():
    """The active people who run the programmes (officers and platform administrators)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from .models import Role

    return (get_user_model().objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(profile__role__in=[Role.PROGRAMME_OFFICER, Role.PLATFORM_ADMIN]))
            .distinct())


def members_of(organisations):
    """The active people who speak for any of the organisations."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, memberships__organisation__in=organisations).distinct()
