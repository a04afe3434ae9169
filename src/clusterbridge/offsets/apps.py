from django.apps import AppConfig


class OffsetsConfig(AppConfig):
    name = "clusterbridge.offsets"
    label = "offsets"
    verbose_name = "Industrial Cooperation Programme"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from clusterbridge.core.db_roles import append_only

        from . import services  # noqa: F401 - registers the history import's job kind

        append_only("offsets_creditentry")  # the credit ledger: read and add, never change
