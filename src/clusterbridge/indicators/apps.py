from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "clusterbridge.indicators"
    verbose_name = "Innovation indicators"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import import_views  # noqa: F401 - the import job kind
        from .catalogue import catalogue_load

        def load(sender, **kwargs):
            if sender is not self:
                return
            from django.db import OperationalError

            try:
                catalogue_load()
            except OperationalError:  # SQLite busy with a background job: the pages load it when first asked
                pass

        post_migrate.connect(load, weak=False, dispatch_uid="indicators-catalogue")
