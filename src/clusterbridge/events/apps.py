from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "clusterbridge.events"
    label = "events"
    verbose_name = "Matchmaking events"
    default_auto_field = "django.db.models.BigAutoField"
