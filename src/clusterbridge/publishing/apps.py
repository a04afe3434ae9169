from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "clusterbridge.publishing"
    verbose_name = "Publishing"

    def ready(self) -> None:
        from . import sections, sending  # noqa: F401 - the sending job kinds; the organisation page's section
