from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "clusterbridge.outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        from . import services, story_views  # noqa: F401 - the follow-ups' job kind; the stories' page sections
