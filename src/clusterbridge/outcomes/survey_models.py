"""Event feedback surveys: built by the organisers in both languages, sent to the event's
participants, answered named or anonymously. An anonymous response keeps no link to its person:
who has answered is kept apart (SurveyParticipation, without time), the response carries only its
day and the hash of a receipt code that its author alone holds, to read or withdraw it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Survey(models.Model):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="surveys")
    title_en = models.CharField(max_length=200, blank=True)
    title_zh = models.CharField(max_length=200, blank=True)
    intro_en = models.TextField(blank=True)
    intro_zh = models.TextField(blank=True)
    anonymous = models.BooleanField(default=False, help_text="answers keep no link to their person")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    remind_at = models.DateTimeField(null=True, blank=True, help_text="those who have not answered are reminded")
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")),
                                              name="survey_closes_after_it_opens")]


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        SCALE = "scale", _("Scale 1–5")
        YES_NO = "yes_no", _("Yes or no")
        NUMBER = "number", _("Number")
        TEXT = "text", _("Text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text_en = models.CharField(max_length=300, blank=True)
    text_zh = models.CharField(max_length=300, blank=True)
    help_en = models.CharField(max_length=300, blank=True)
    help_zh = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=True)
    choices = models.JSONField(default=list, blank=True, help_text='[{"en": ..., "zh": ...}, ...]')
    min_choices = models.PositiveSmallIntegerField(null=True, blank=True)
    max_choices = models.PositiveSmallIntegerField(null=True, blank=True)
    number_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    number_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]


class SurveyParticipation(models.Model):
    """A person asked to answer, and whether they have (no time kept: it would point at the response)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey("events.Registration", on_delete=models.CASCADE, related_name="+")
    answered = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="one_participation_per_person")]


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    registration = models.ForeignKey("events.Registration", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")  # named surveys only
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")  # named surveys only
    answered_on = models.DateField()  # the day only
    receipt_hash = models.CharField(max_length=64, blank=True, db_index=True)  # anonymous surveys only

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], condition=models.Q(person__isnull=False),
                                    name="one_named_response_per_person"),
            models.CheckConstraint(condition=models.Q(person__isnull=True) | models.Q(receipt_hash=""),
                                   name="response_named_or_anonymous"),
        ]


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()  # choice indexes (list), 1–5, true/false, a number as text, text

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]
