"""Who may do what in the events app: one predicate per permission, asked by services, views and the API."""

from __future__ import annotations

from clusterbridge.accounts.rules import is_member_of, is_officer


def can_create_event(user) -> bool:
    return is_officer(user)


def can_organise_event(user, event) -> bool:
    """Programme officers and the event's own organisers."""
    if is_officer(user):
        return True
    return bool(getattr(user, "is_authenticated", False)) and event.organisers.filter(pk=user.pk).exists()


def can_register_organisation(user, organisation) -> bool:
    """A member registers their organisation; officers register anyone."""
    return is_officer(user) or is_member_of(user, organisation)


def speaks_for(user, registration) -> bool:
    """Access is per organisation: the person who registered it and their colleagues (the
    organisation's members) see its agenda and requests and act for it."""
    if getattr(user, "pk", None) is None:
        return False
    return user.pk == registration.person_id or is_member_of(user, registration.organisation_id)


def can_act_for_registration(user, registration) -> bool:
    """The organisation's people (requests, availability, withdrawal) and the organisers."""
    return speaks_for(user, registration) or can_organise_event(user, registration.event)


def can_answer_request(user, request) -> bool:
    return speaks_for(user, request.recipient)


def can_cancel_request(user, request) -> bool:
    return (speaks_for(user, request.sender) or speaks_for(user, request.recipient)
            or can_organise_event(user, request.event))


def can_see_participant_pages(user, event, registration) -> bool:
    """The participants' list, requests and agenda: approved participants and the organisers."""
    if can_organise_event(user, event):
        return True
    return registration is not None and registration.is_approved
