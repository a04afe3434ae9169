"""What every write of the events app shares: its refusal, the name it gives a participant and
the organiser check (the predicate itself is `events.rules.can_organise_event`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from ..rules import can_organise_event


class EventError(ValidationError):
    """A write the event's rules refuse; the message says what and why."""


def refuse(message: str):
    raise EventError(message)


def display_name(registration) -> str:
    org = registration.organisation
    return org.name_en or org.name_zh


def require_organiser(by, event, what: str = "change the event") -> None:
    if not can_organise_event(by, event):
        raise PermissionDenied(f"only the event's organisers {what}")
