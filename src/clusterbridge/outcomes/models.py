"""What the meetings led to (specs/outcomes.md). First slice: each side's rating of each of its
meetings right after the event, on the immediate scale."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmediateRating(models.TextChoices):
    """specs/outcomes.md, "Scales": right after the event, per meeting (keep the codes)."""

    NOT_HELD = "not_held", _("The meeting did not take place")
    INSUFFICIENT_INTEREST = "insufficient_interest", _("Not enough common interest")
    INFORMATIVE_NO_COOPERATION = "informative_no_cooperation", _("Informative, no cooperation in sight")
    COOPERATION_POSSIBLE = "cooperation_possible", _("Cooperation possible")


class MeetingRating(models.Model):
    """One side's rating of one meeting; seen by the event's organisers only."""

    meeting = models.ForeignKey("events.Meeting", on_delete=models.CASCADE, related_name="ratings")
    registration = models.ForeignKey("events.Registration", on_delete=models.CASCADE, related_name="ratings")
    rating = models.CharField(max_length=32, choices=ImmediateRating.choices)
    comment = models.TextField(blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "registration"], name="one_rating_per_side"),
            models.CheckConstraint(condition=models.Q(rating__in=[c for c, _ in ImmediateRating.choices]),
                                   name="rating_on_the_scale"),
        ]
