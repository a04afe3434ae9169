"""Who may do what with people's data."""

from clusterbridge.accounts.models import Role
from clusterbridge.accounts.rules import role_of


def is_platform_admin(user) -> bool:
    """The audit log, and acting on someone's request for their data, are for platform administrators."""
    return role_of(user) == Role.PLATFORM_ADMIN
