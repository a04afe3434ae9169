from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "clusterbridge.directory"
    label = "directory"
