from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "clusterbridge.indicators"
    verbose_name = "Innovation indicators"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import import_views  # noqa: F401 - the import job kind
        from .catalogue import catalogue_load

        post_migrate.connect(lambda sender, **kw: catalogue_load() if sender is self else None, weak=False,
                             dispatch_uid="indicators-catalogue")
