"""News, announcements and newsletters (specs/newsletter.md).

A `Post` is written in both languages (Markdown), by officers or by an organisation's members; a
member's post waits for an officer's approval. A `MailingList` is the weekly digest, an officers'
newsletter or a topic (a sector, an ecosystem, a country); a `Subscription` becomes active only
through its confirmation link and keeps its consent (wording, language, time). An `Issue` is one
sending of a list; a `Delivery` row per address and issue makes a retry never send twice."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _token() -> str:
    return secrets.token_urlsafe(24)


class Post(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        CALL_FOR_PARTNERS = "call_for_partners", _("Call for partners")
        EVENT = "event", _("Event")
        FUNDING_CALL = "funding_call", _("Funding call")
        SUCCESS_STORY = "success_story", _("Success story")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for approval")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Returned")

    slug = models.SlugField(max_length=90, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWS)
    title_en = models.CharField(max_length=200, blank=True)
    title_zh = models.CharField(max_length=200, blank=True)
    body_en = models.TextField(blank=True, help_text="Markdown")
    body_zh = models.TextField(blank=True, help_text="Markdown")
    organisation = models.ForeignKey("directory.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="posts", help_text="the member organisation that posts it")
    sectors = models.ManyToManyField("directory.Sector", blank=True, related_name="+")
    ecosystems = models.ManyToManyField("directory.Ecosystem", blank=True, related_name="+")
    technologies = models.ManyToManyField("directory.Technology", blank=True, related_name="+")
    image = models.ImageField(upload_to="posts/", blank=True)
    image_alt_en = models.CharField(max_length=200, blank=True)
    image_alt_zh = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    reject_reason = models.CharField(max_length=500, blank=True)
    publish_at = models.DateTimeField(default=timezone.now, help_text="shown from this time on (scheduled publishing)")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-publish_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title_en="") | ~Q(title_zh=""), name="post_has_a_title"),
            models.CheckConstraint(condition=Q(image="") | ~Q(image_alt_en="") | ~Q(image_alt_zh=""),
                                   name="post_image_has_alt_text"),
        ]

    def __str__(self) -> str:
        return self.title_en or self.title_zh


class MailingList(models.Model):
    class Kind(models.TextChoices):
        DIGEST = "digest", _("Weekly digest of what was published")
        ISSUES = "issues", _("Newsletter written by officers")
        TOPIC = "topic", _("Topic: what is published on a sector, an ecosystem or a country")

    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name_en = models.CharField(max_length=120)
    name_zh = models.CharField(max_length=120)
    description_en = models.CharField(max_length=300, blank=True)
    description_zh = models.CharField(max_length=300, blank=True)
    sector = models.ForeignKey("directory.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ecosystem = models.ForeignKey("directory.Ecosystem", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    country = models.CharField(max_length=2, blank=True)
    public = models.BooleanField(default=True, help_text="offered on the subscription page")

    class Meta:
        ordering = ["kind", "slug"]

    def __str__(self) -> str:
        return self.slug


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Address bounced")
        COMPLAINED = "complained", _("Marked as spam")

    mailing_list = models.ForeignKey(MailingList, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField()
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    token = models.CharField(max_length=40, unique=True, default=_token, help_text="unsubscribe and preferences")
    consent_wording = models.TextField(blank=True)
    consent_language = models.CharField(max_length=10, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_source = models.CharField(max_length=40, blank=True, help_text="form, import…")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["mailing_list", "email"], name="one_subscription_per_list_and_address"),
            models.CheckConstraint(condition=~Q(status="active") | Q(consent_at__isnull=False),
                                   name="active_subscription_has_consent"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.mailing_list}"


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    mailing_list = models.ForeignKey(MailingList, on_delete=models.PROTECT, related_name="issues")
    subject_en = models.CharField(max_length=200)
    subject_zh = models.CharField(max_length=200)
    body_en = models.TextField(blank=True, help_text="Markdown; a digest's is assembled from the period")
    body_zh = models.TextField(blank=True)
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["mailing_list", "period_start"],
                                               condition=Q(period_start__isnull=False), name="one_digest_per_period")]

    def __str__(self) -> str:
        return self.subject_en


class Delivery(models.Model):
    """One message of an issue to one address: written when the mail server took it, so a retry skips it."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Refused by the mail server")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Marked as spam")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    at = models.DateTimeField(auto_now_add=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "subscription"], name="one_delivery_per_address")]
