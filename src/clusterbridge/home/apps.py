from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "clusterbridge.home"
    verbose_name = "Home page"
