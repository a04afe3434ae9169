from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`clusterbridge demo`: the demo data of every app, loaded in order, and the server.
    It sits above every app (nothing imports it)."""

    name = "clusterbridge.demo"
    label = "demo"
