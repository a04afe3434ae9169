from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "clusterbridge.privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from . import audit, export, retention, signins  # noqa: F401 - signal handlers; job kinds

        audit.connect()
        signins.connect()
