from django.db import models
from django.utils.translation import gettext_lazy as _

from clusterbridge.directory.models import Organisation


class SearchDocument(models.Model):
    """An organisation as the search index sees it: analysed once when the
    profile changes (segmentation and concept recognition are the slow
    part), so that each process builds its in-memory index in seconds."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, primary_key=True,
                                        related_name="search_document")
    country = models.CharField(max_length=2)
    published = models.BooleanField(default=True)
    words = models.TextField(blank=True, help_text=_("index tokens, repeated by field weight"))
    concepts = models.TextField(blank=True, help_text=_("concept codes, one per mention or tag"))
    offers = models.TextField(blank=True)
    requests = models.TextField(blank=True)
    spelling = models.TextField(blank=True)
    source_updated = models.DateTimeField(help_text=_("the profile's updated_at when it was analysed"))
    vector = models.BinaryField(null=True, blank=True, help_text=_("dense embedding (float32), when an encoder is on"))
    encoder = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
