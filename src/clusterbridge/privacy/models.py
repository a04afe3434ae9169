"""What the platform keeps about handling people's data: officers' actions (the audit log), sign-ins
(the access log), and what each erasure did."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change an officer or an administrator made: who, when, which record, which fields (old → new)."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        LINK = "link", _("linked")
        UNLINK = "unlink", _("unlinked")
        ERASE = "erase", _("erased")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The account stays (people are anonymised, not deleted); the name is the one it had then.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=Action.choices)
    model = models.CharField(max_length=100, help_text="app_label.ModelName")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="field: [old, new]")
    path = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"], name="audit_object"),
                   models.Index(fields=["actor", "at"], name="audit_actor")]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.model} #{self.object_id}"


class SignIn(models.Model):
    """A sign-in to a person's account: the access log they can read and export."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_ins")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    method = models.CharField(max_length=20, blank=True, help_text="password, single sign-on…")

    class Meta:
        ordering = ["-at", "-id"]


class ErasureRecord(models.Model):
    """What an erasure did, kept for the programme's records without the person's data."""

    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                help_text="the anonymised account")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", help_text="the person, or the administrator acting on their request")
    by_the_person = models.BooleanField(default=True)
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=list, help_text="[{record, action, count}]")

    class Meta:
        ordering = ["-at", "-id"]
