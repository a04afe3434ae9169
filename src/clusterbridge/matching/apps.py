from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "clusterbridge.matching"
    label = "matching"

    def ready(self) -> None:
        # Every committed write to the directory (saves, imports, bulk loads)
        # sends directory_changed; the search documents that are out of date
        # are then analysed again in the background.
        from clusterbridge.directory.signals import directory_changed

        from clusterbridge.core.jobs import job_enqueue

        from .services import REFRESH_JOB

        def follow(**kwargs):
            job_enqueue(kind=REFRESH_JOB, unless_waiting=True)

        directory_changed.connect(follow, dispatch_uid="matching-follows-directory")
