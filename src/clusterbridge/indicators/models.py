"""Innovation indicators by country and year (specs/indicators.md): the catalogue, the values with
their flags, and every value a re-import replaced."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.Model):
    class Dimension(models.TextChoices):
        INPUTS = "inputs", _("Innovation inputs")
        OUTPUTS = "outputs", _("Innovation outputs")
        FRAMEWORK = "framework", _("Framework conditions")

    class Measure(models.TextChoices):
        """What kind of number it is, which says which views make sense: a count or an amount can be
        shown per inhabitant (and an amount in national currency as a share of GDP, a count as a share
        of the chosen countries' total); a ratio or a rank is shown as published."""

        COUNT = "count", _("Count")
        AMOUNT = "amount", _("Amount in national currency")
        RATIO = "ratio", _("Ratio")
        RANK = "rank", _("Rank")

    code = models.CharField(max_length=60, unique=True)
    name_en = models.CharField(max_length=200)
    name_zh = models.CharField(max_length=200)
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    unit = models.CharField(max_length=60)
    higher_is_better = models.BooleanField(default=True)
    definition_en = models.TextField(blank=True)
    definition_zh = models.TextField(blank=True)
    source = models.CharField(max_length=200, blank=True)
    origin = models.CharField(max_length=60, blank=True, help_text="the framework it comes from (EIS, IMD) or ours")
    measure = models.CharField(max_length=6, choices=Measure.choices, default=Measure.RATIO)

    class Meta:
        ordering = ["dimension", "code"]

    def __str__(self) -> str:
        return self.code


class Observation(models.Model):
    """One value: an indicator, a country (ISO alpha-2; EU for the Union), a year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    country = models.CharField(max_length=2, db_index=True)
    year = models.PositiveSmallIntegerField()
    value = models.FloatField()
    flag = models.CharField(max_length=8, blank=True, help_text="p provisional, e estimated, b break in series")
    unit = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now=True)
    generated = models.BooleanField(default=False, help_text="made up for the demo, and shown so")

    class Meta:
        ordering = ["indicator", "country", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "country", "year"], name="one_value_per_year")]


class ObservationChange(models.Model):
    """What a re-import replaced: the history of a value."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="history")
    value = models.FloatField()
    flag = models.CharField(max_length=8, blank=True)
    source = models.CharField(max_length=200, blank=True)
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-replaced_at", "-id"]


class ReferenceEdit(models.Model):
    """An officer's hand on the reference list of one technology: an organisation pinned to the top or
    removed, with a note; kept when the list is computed again."""

    class Action(models.TextChoices):
        PIN = "pin", _("Pinned")
        REMOVE = "remove", _("Removed")
        NOTE = "note", _("Note only")

    term = models.CharField(max_length=120, db_index=True, help_text="the technology, as its list key")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=6, choices=Action.choices, default=Action.NOTE)
    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "organisation"], name="one_edit_per_term_and_organisation")]


class ReferenceVersion(models.Model):
    """The list of one technology as published for a year: what it said, frozen."""

    term = models.CharField(max_length=120)
    year = models.PositiveSmallIntegerField()
    rows = models.JSONField(default=list)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "term"]
        constraints = [models.UniqueConstraint(fields=["term", "year"], name="one_published_list_per_year")]
