"""The error shape every API operation answers with (`{"detail": ...}`), shared by the apps' `api.py`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from ninja import Schema, Status


class ErrorOut(Schema):
    detail: str | dict[str, list[str]]


def invalid(error: ValidationError) -> Status:
    """422 with what is wrong, by field (or `__all__`)."""
    detail = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return Status(422, {"detail": {k: [str(m) for m in v] for k, v in detail.items()}})
