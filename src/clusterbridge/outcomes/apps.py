from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "clusterbridge.outcomes"
    verbose_name = "Outcomes"
