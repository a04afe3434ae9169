"""Writes of the outcomes app."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from clusterbridge.events.models import Meeting
from clusterbridge.events.rules import speaks_for

from .models import ImmediateRating, MeetingRating

COMMENT_LIMIT = 2000


@transaction.atomic
def meeting_rate(*, meeting: Meeting, by, rating: str, comment: str = "") -> MeetingRating:
    """The rating of the side `by` speaks for (changeable; the last one counts). Only a scheduled
    meeting whose time has come, only by its two parties."""
    if speaks_for(by, meeting.first):
        side = meeting.first
    elif speaks_for(by, meeting.second):
        side = meeting.second
    else:
        raise PermissionDenied("only the two parties rate a meeting")
    if meeting.status != Meeting.Status.SCHEDULED or meeting.slot is None:
        raise ValidationError("only a scheduled meeting can be rated")
    if meeting.slot.starts_at > timezone.now():
        raise ValidationError(f"this meeting is at {meeting.slot.starts_at:%Y-%m-%d %H:%M}; rate it afterwards")
    if rating not in ImmediateRating.values:
        raise ValidationError(f"{rating!r} is not on the scale ({', '.join(ImmediateRating.values)})")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_LIMIT:
        raise ValidationError(f"a comment holds at most {COMMENT_LIMIT} characters ({len(comment)} given)")
    record, _created = MeetingRating.objects.update_or_create(
        meeting=meeting, registration=side, defaults={"rating": rating, "comment": comment, "rated_by": by})
    return record
