"""Who may do what, platform-wide: one predicate per permission, asked alike by services,
views and the API. Each app has its own `rules.py` for its own objects."""

from __future__ import annotations

from .models import Membership, Role


def role_of(user) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.PLATFORM_ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile else Role.MEMBER


def is_officer(user) -> bool:
    """Programme officers and platform administrators run the programmes."""
    return role_of(user) in (Role.PLATFORM_ADMIN, Role.PROGRAMME_OFFICER)


def is_member_of(user, organisation) -> bool:
    """`organisation` may be an Organisation or its primary key."""
    if not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


def can_edit_organisation(user, organisation) -> bool:
    """Officers edit every organisation; members only their own."""
    return is_officer(user) or is_member_of(user, organisation)
