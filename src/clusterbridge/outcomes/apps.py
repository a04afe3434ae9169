from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "clusterbridge.outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        from . import services, story_views, survey_services  # noqa: F401 - job kinds; the stories' page sections
