from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clusterbridge.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_save

        from .db_roles import grant_after_migrate
        from .text import text_fields_clean

        pre_save.connect(text_fields_clean, dispatch_uid="core-text-clean")  # every model, every writer
        post_migrate.connect(grant_after_migrate, dispatch_uid="core-app-role-grants")
