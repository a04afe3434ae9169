"""The refusal every ICP write raises, and a save that checks the model's rules first."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class OffsetsError(ValidationError):
    """A write the programme's rules refuse; the message names what and where."""


def refuse(message: str):
    raise OffsetsError(message)


def save_checked(obj):
    obj.full_clean()
    obj.save()
    return obj
