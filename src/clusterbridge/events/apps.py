from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "clusterbridge.events"
    label = "events"
    verbose_name = "Matchmaking events"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .services import scheduling  # noqa: F401 - registers the scheduler's job kind
