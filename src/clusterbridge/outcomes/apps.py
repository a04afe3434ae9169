from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "clusterbridge.outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        from . import services  # noqa: F401 - registers the follow-up announcements' job kind
