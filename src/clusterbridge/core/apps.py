from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clusterbridge.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from .text import text_fields_clean

        pre_save.connect(text_fields_clean, dispatch_uid="core-text-clean")  # every model, every writer
