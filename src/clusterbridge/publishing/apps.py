from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "clusterbridge.publishing"
    verbose_name = "Publishing"

    def ready(self) -> None:
        from . import sending  # noqa: F401 - the sending job kind
