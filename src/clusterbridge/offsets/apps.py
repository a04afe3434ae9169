from django.apps import AppConfig


class OffsetsConfig(AppConfig):
    name = "clusterbridge.offsets"
    label = "offsets"
    verbose_name = "Industrial Cooperation Programme"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import services  # noqa: F401 - registers the history import's job kind
