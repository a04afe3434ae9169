"""Who may do what. One place, so pages, the API and tests agree."""

from __future__ import annotations

from .models import Membership, Role


def user_role(user) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.PLATFORM_ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile else Role.MEMBER


def user_is_officer(user) -> bool:
    return user_role(user) in (Role.PLATFORM_ADMIN, Role.PROGRAMME_OFFICER)


def user_can_edit_organisation(user, organisation) -> bool:
    """Officers edit every organisation; members only their own."""
    if user_is_officer(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


def contact_access_log(*, organisation, limit: int = 500):
    """Who saw the contact details of this organisation's people, newest first."""
    from .models import ContactDataView

    return (ContactDataView.objects.filter(contact__organisation=organisation)
            .select_related("contact", "viewer")[:limit])
