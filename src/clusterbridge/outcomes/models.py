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


class FollowUpRating(models.TextChoices):
    """specs/outcomes.md, "Scales": about six months later, per meeting (keep the codes)."""

    NO_FURTHER_CONTACT = "no_further_contact", _("No further contact")
    NO_CONTACT_KNOWLEDGE_GAINED = "no_contact_knowledge_gained", _("No contact since, but knowledge gained")
    VALUABLE_CONTACT = "valuable_contact", _("A valuable contact")
    NEGOTIATION_STARTED = "negotiation_started", _("Negotiations started")
    AGREEMENT_REACHED = "agreement_reached", _("An agreement was reached")


class AgreementKind(models.TextChoices):
    """specs/outcomes.md: kinds of cooperation agreement (keep the codes)."""

    COMMERCIAL = "commercial", _("Commercial (distribution, supply, trade intermediary)")
    TECHNOLOGY_TRANSFER = "technology_transfer", _("Technology transfer (licence, know-how)")
    JOINT_RND = "joint_rnd", _("Joint research and development")
    JOINT_PROJECT_PROPOSAL = "joint_project_proposal", _("Joint project proposal (e.g. Horizon Europe)")
    INVESTMENT = "investment", _("Investment (joint venture, equity)")
    SUBCONTRACTING = "subcontracting", _("Subcontracting")
    CLUSTER_MOU = "cluster_mou", _("Cluster-to-cluster MoU or letter of intent")
    ICP_CASE = "icp_case", _("Became an Industrial Cooperation Programme case plan")


class FollowUpRound(models.Model):
    """A follow-up the organisers open for an event's meetings (six months after, or yearly)."""

    class Kind(models.TextChoices):
        SIX_MONTHS = "six_months", _("Six months after")
        YEARLY = "yearly", _("Is it still active? (yearly)")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SIX_MONTHS)
    opens_on = models.DateField()
    announced_at = models.DateTimeField(null=True, blank=True)  # participants told (on the day, by a job)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["opens_on", "id"]


class FollowUpAnswer(models.Model):
    round = models.ForeignKey(FollowUpRound, on_delete=models.CASCADE, related_name="answers")
    meeting = models.ForeignKey("events.Meeting", on_delete=models.CASCADE, related_name="follow_up_answers")
    registration = models.ForeignKey("events.Registration", on_delete=models.CASCADE, related_name="follow_up_answers")
    answer = models.CharField(max_length=32, choices=FollowUpRating.choices)
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "meeting", "registration"],
                                               name="one_follow_up_answer_per_side")]


class CooperationAgreement(models.Model):
    """A cooperation that came of the programme: entered by participants or officers, linked to the
    organisations, the event and the meeting where it began."""

    kind = models.CharField(max_length=32, choices=AgreementKind.choices)
    organisations = models.ManyToManyField("directory.Organisation", related_name="cooperation_agreements")
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="agreements")
    meeting = models.ForeignKey("events.Meeting", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="agreements")
    signed_on = models.DateField(null=True, blank=True)
    amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    summary_en = models.TextField(blank=True)
    summary_zh = models.TextField(blank=True)
    public = models.BooleanField(default=False, help_text="the organisations agree that it is published")
    case_plan = models.ForeignKey("offsets.CasePlan", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="cooperation_agreements", help_text="kind icp_case: the ICP case plan")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__isnull=True) | ~models.Q(currency=""),
                                              name="agreement_amount_has_currency"),
                       models.CheckConstraint(condition=models.Q(kind="icp_case", case_plan__isnull=False)
                                              | (~models.Q(kind="icp_case") & models.Q(case_plan__isnull=True)),
                                              name="icp_case_agreement_has_its_case_plan")]


class SuccessStory(models.Model):
    """A cooperation told for the public, drafted from an agreement, in both languages. It is
    published only with every party organisation's consent and after an officer's review; "invite
    to present" puts it on an event's programme."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned for changes")

    agreement = models.ForeignKey(CooperationAgreement, on_delete=models.PROTECT, related_name="stories")
    title_en = models.CharField(max_length=200, blank=True)
    title_zh = models.CharField(max_length=200, blank=True)
    body_en = models.TextField(blank=True)
    body_zh = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_note = models.TextField(blank=True, help_text="why it was returned")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    present_at = models.ForeignKey("events.Event", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="invited_stories", help_text="invited to present at this event")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name_plural = "success stories"


class StoryConsent(models.Model):
    """One party organisation's consent to publishing a story, with the wording it agreed to."""

    story = models.ForeignKey(SuccessStory, on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="+")
    wording = models.TextField()
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    on_behalf_note = models.CharField(max_length=300, blank=True,
                                      help_text="an officer recording a consent given in writing says where it is")
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["story", "organisation"], name="one_consent_per_party")]


from .survey_models import (Question, Survey, SurveyAnswer, SurveyParticipation,  # noqa: E402,F401
                            SurveyResponse)
