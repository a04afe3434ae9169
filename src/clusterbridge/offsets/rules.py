"""Who may do what in the ICP: one predicate per permission, asked by services, views and the API."""

from __future__ import annotations

from clusterbridge.accounts.models import Role
from clusterbridge.accounts.rules import is_officer, role_of


def is_contractor(user) -> bool:
    return role_of(user) == Role.CONTRACTOR


def can_see_icp(user) -> bool:
    """The ICP's pages are open to its officers, reviewers and contractors (the public sees the
    published demand-item list only)."""
    return is_officer(user) or is_contractor(user) or role_of(user) == Role.REVIEWER


def can_manage_icp(user) -> bool:
    """Agreements, case plans, committees, decisions, the ledger and imports: the ICP office."""
    return is_officer(user)


def can_see_agreement(user, agreement) -> bool:
    """Officers see every agreement; a contractor's people see their own contractor's."""
    if is_officer(user):
        return True
    return is_contractor(user) and agreement.contractor.users.filter(pk=user.pk).exists()


def can_see_case(user, case) -> bool:
    return can_see_agreement(user, case.agreement)


def can_file_progress(user, case) -> bool:
    """Progress reports and checkpoints: the contractor's people and the officers."""
    return can_see_case(user, case)
