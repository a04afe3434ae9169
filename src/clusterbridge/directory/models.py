"""Organisations, their contacts and the sector taxonomy."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CLUSTER_ORGANISATION = "cluster_organisation", _("Cluster organisation")
    INDUSTRY_ASSOCIATION = "industry_association", _("Industry association")
    COMPANY = "company", _("Company")
    UNIVERSITY = "university", _("University")
    RESEARCH_CENTRE = "research_centre", _("Research centre")
    PUBLIC_AGENCY = "public_agency", _("Public agency")
    PROGRAMME_OFFICE = "programme_office", _("Programme office")


class Label(models.TextChoices):
    NONE = "", _("No label")
    ESCA_GOLD = "esca_gold", _("ESCA Gold")
    ESCA_SILVER = "esca_silver", _("ESCA Silver")
    ESCA_BRONZE = "esca_bronze", _("ESCA Bronze")


class ValueChainRole(models.TextChoices):
    """Where an organisation sits in its value chain."""

    NONE = "", _("Not given")
    MATERIALS = "materials", _("Materials supplier")
    COMPONENTS = "components", _("Parts and components supplier")
    EQUIPMENT = "equipment", _("Machinery and equipment maker")
    MANUFACTURER = "manufacturer", _("Contract manufacturer")
    INTEGRATOR = "integrator", _("System integrator")
    BRAND = "brand", _("Brand owner or OEM")
    SOFTWARE = "software", _("Software and digital services")
    SERVICES = "services", _("Engineering, testing and other services")
    RESEARCH = "research", _("Research and development")
    DISTRIBUTION = "distribution", _("Distributor or trader")
    USER = "user", _("End user or operator")
    INTERMEDIARY = "intermediary", _("Intermediary (cluster, association, agency)")


class Sector(models.Model):
    """A NACE Rev. 2 entry (section, division, group or class), labelled in
    both languages. `section` (the letter, for every level) lets a filter on
    a section reach organisations filed under any of its classes."""

    code = models.CharField(max_length=8, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    level = models.CharField(max_length=10)
    section = models.CharField(max_length=1, db_index=True, default="")
    label_en = models.CharField(max_length=200)
    label_zh = models.CharField(max_length=200)
    synonyms = models.TextField(blank=True, default="", help_text=_("terms separated by ;"))

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label_en}"


class Ecosystem(models.Model):
    """One of the EU's 14 industrial ecosystems, labelled in both languages."""

    code = models.CharField(max_length=40, unique=True)
    label_en = models.CharField(max_length=120)
    label_zh = models.CharField(max_length=120)
    synonyms = models.TextField(blank=True, help_text=_("terms separated by ;, either language"))

    class Meta:
        ordering = ["label_en"]

    def __str__(self) -> str:
        return self.label_en


class Technology(models.Model):
    """An entry of the shipped technology list, labelled in both languages."""

    code = models.CharField(max_length=40, unique=True)
    label_en = models.CharField(max_length=120)
    label_zh = models.CharField(max_length=120)
    synonyms = models.TextField(blank=True, help_text=_("terms separated by ;"))

    class Meta:
        ordering = ["label_en"]
        verbose_name_plural = "technologies"

    def __str__(self) -> str:
        return self.label_en

    def names(self) -> list[str]:
        return [self.label_en, self.label_zh, *self.synonym_list]

    @property
    def synonym_list(self) -> list[str]:
        return [s.strip() for s in self.synonyms.split(";") if s.strip()]


class Organisation(models.Model):
    external_id = models.CharField(max_length=100, unique=True)
    name_en = models.CharField(max_length=300, blank=True)
    name_zh = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    country = models.CharField(max_length=2, db_index=True)
    city = models.CharField(max_length=120, blank=True)
    website = models.URLField(max_length=500, blank=True)
    year_founded = models.PositiveSmallIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True, help_text=_("members or employees"))
    label = models.CharField(max_length=20, choices=Label.choices, blank=True, default="")
    sectors = models.ManyToManyField(Sector, blank=True, related_name="organisations")
    ecosystems = models.ManyToManyField(Ecosystem, blank=True, related_name="organisations")
    technologies = models.TextField(blank=True, help_text=_("terms separated by ;"))
    value_chain_role = models.CharField(max_length=20, choices=ValueChainRole.choices, blank=True, default="")
    # The entries of the technology list that `technologies` mentions (services keep them in step).
    technology_tags = models.ManyToManyField(Technology, blank=True, related_name="organisations")
    description_en = models.TextField(blank=True)
    description_zh = models.TextField(blank=True)
    offers = models.TextField(blank=True)
    requests = models.TextField(blank=True)
    published = models.BooleanField(default=True)
    # A square-ish PNG at most 400 px wide, re-encoded on upload (directory/logos.py).
    logo = models.ImageField(upload_to="logos/", blank=True)
    # Lower-cased text of the fields keyword search looks at, kept in step by
    # save() and by the bulk writers (import, demo): one column to scan
    # instead of eight case-folded ones.
    search_text = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_en", "name_zh"]
        constraints = [
            models.CheckConstraint(condition=~Q(name_en="") | ~Q(name_zh=""), name="organisation_has_a_name",
                                   violation_error_message=_("Give the name in English or in Chinese.")),
            models.CheckConstraint(condition=Q(kind__in=[k for k, _ in Kind.choices]), name="organisation_kind_known"),
        ]
        indexes = [models.Index(fields=["published", "country", "kind"])]

    def __str__(self) -> str:
        return self.name_en or self.name_zh

    SEARCHED_FIELDS = ("name_en", "name_zh", "city", "technologies", "description_en", "description_zh",
                       "offers", "requests")

    def refresh_search_text(self) -> None:
        self.search_text = "\n".join(getattr(self, f) or "" for f in self.SEARCHED_FIELDS).lower()

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def technology_list(self) -> list[str]:
        return [t.strip() for t in self.technologies.split(";") if t.strip()]

    @property
    def offer_list(self) -> list[str]:
        return split_items(self.offers)

    @property
    def request_list(self) -> list[str]:
        return split_items(self.requests)


def split_items(text: str) -> list[str]:
    out = []
    for line in text.replace("\r", "").split("\n"):
        out.extend(part.strip() for part in line.split(";"))
    return [x for x in out if x]


class Contact(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    public = models.BooleanField(default=False, help_text=_("the person allowed public display"))
    consent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(public=False) | Q(consent_at__isnull=False),
                                              name="public_contact_needs_consent")]

    def __str__(self) -> str:
        return self.name


class CooperationProfile(models.Model):
    """An offer or a request an organisation publishes on the cooperation board."""

    class Kind(models.TextChoices):
        BUSINESS_OFFER = "business_offer", _("Business offer")
        BUSINESS_REQUEST = "business_request", _("Business request")
        TECHNOLOGY_OFFER = "technology_offer", _("Technology offer")
        TECHNOLOGY_REQUEST = "technology_request", _("Technology request")
        RD_PARTNER = "rd_partner", _("R&D partner search")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cooperation_profiles")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title_en = models.CharField(max_length=200, blank=True)
    title_zh = models.CharField(max_length=200, blank=True)
    description_en = models.TextField(blank=True)
    description_zh = models.TextField(blank=True)
    expires_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(title_en="") | ~Q(title_zh=""),
                                              name="cooperation_profile_has_a_title",
                                              violation_error_message=_("Give the title in English or in Chinese."))]

    def __str__(self) -> str:
        return self.title_en or self.title_zh

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_expired(self, today=None) -> bool:
        from django.utils import timezone

        return self.expires_on is not None and self.expires_on < (today or timezone.localdate())


class JoinRequest(models.Model):
    """A person asks to be a member of an organisation; its members or an officer decide."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(blank=True)
    # The requester's e-mail domain is the organisation's website's: a hint for whoever decides.
    domain_matches = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], condition=Q(status="pending"),
                                               name="one_pending_join_request")]


class Invitation(models.Model):
    """A member invites a colleague by e-mail; the signed link makes them a member."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
