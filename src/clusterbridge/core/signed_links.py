"""Links that carry their own proof (sign-up confirmation, invitations): signed, expiring, and
refused with the reader's words for an expired or an altered one."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError


def link_token(data: dict, *, salt: str) -> str:
    return signing.dumps(data, salt=salt, compress=True)


def link_data(token: str, *, salt: str, days: int, expired: str, invalid: str) -> dict:
    """What the token carries; ValidationError(expired) past `days`, ValidationError(invalid) when it
    was altered or cut short."""
    try:
        return signing.loads(token, salt=salt, max_age=days * 24 * 3600)
    except signing.SignatureExpired:
        raise ValidationError(expired) from None
    except signing.BadSignature:
        raise ValidationError(invalid) from None
