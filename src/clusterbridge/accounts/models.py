"""People's roles and their memberships of organisations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    MEMBER = "member", _("Organisation member")
    REVIEWER = "reviewer", _("Reviewer")
    CONTRACTOR = "contractor", _("Contractor")


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.MEMBER)
    preferred_language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class TwoFactor(models.Model):
    """A confirmed authenticator app (TOTP) for a person: once it exists, a
    login needs its code after the password."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(auto_now_add=True)
    last_step = models.BigIntegerField(default=-1, help_text="last time step used; a code works once")

    def __str__(self) -> str:
        return f"two-factor for {self.user}"


class ApiScope(models.TextChoices):
    """What a key may do, per app: reading is implied by writing."""

    DIRECTORY_WRITE = "directory:write", _("Directory: update my organisations and their offers")
    EVENTS_READ = "events:read", _("Events: read my registrations, requests and agenda")
    EVENTS_WRITE = "events:write", _("Events: send and answer meeting requests; organisers run the scheduler")
    ICP_READ = "icp:read", _("ICP: read agreements, cases and balances I may see")
    OUTCOMES_READ = "outcomes:read", _("Outcomes: read the results report and the agreements I may see")


class ApiToken(models.Model):
    """A personal key for the API (`Authorization: Bearer <key>`), limited to its scopes and,
    when set, to a date. Only its SHA-256 is stored; the key is shown once, when it is made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="first characters, to tell keys apart")
    scopes = models.JSONField(default=list, blank=True, help_text="ApiScope values")
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def allows(self, scope: str) -> bool:
        """A write scope includes reading the same app."""
        app, _sep, action = scope.partition(":")
        return scope in self.scopes or (action == "read" and f"{app}:write" in self.scopes)


class Membership(models.Model):
    """A person belongs to one or more organisations and may edit them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                     related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_pair")]


class ContactDataView(models.Model):
    """One display of a person's contact details to someone else: who saw
    which fields, when and where ("who viewed my data")."""

    contact = models.ForeignKey("directory.Contact", on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    fields = models.CharField(max_length=200)
    where = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]


class InboxMessage(models.Model):
    """A notice in a person's in-app inbox (also sent by e-mail)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")
    # What happened and its parameters (accounts/notices.py): rendered in the reader's language.
    kind = models.CharField(max_length=64, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # As first sent, in English: kept for the record and for kinds a later version no longer knows.
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def rendered(self, language: str) -> tuple[str, str]:
        from .notices import notice_render

        return (notice_render(self.kind, self.params, language) if self.kind else None) or (self.subject, self.body)


class FederatedIdentity(models.Model):
    """A person's account at an OpenID Connect provider (the ministry's or the federation's login),
    linked to their ClusterBridge account: found again by the provider's stable subject, first linked
    through an e-mail address the provider had verified. Roles stay ClusterBridge's."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="federated_identities")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    email = models.EmailField(help_text="the verified address it was linked through")
    linked_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="one_account_per_federated_identity")]

    def __str__(self) -> str:
        return f"{self.user} at {self.issuer}"
