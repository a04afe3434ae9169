from django.apps import AppConfig


class OffsetsConfig(AppConfig):
    name = "clusterbridge.offsets"
    label = "offsets"
    verbose_name = "Industrial Cooperation Programme"
    default_auto_field = "django.db.models.BigAutoField"
