from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clusterbridge.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import services  # noqa: F401 - registers the notice e-mails' job kind
