from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "clusterbridge.directory"
    label = "directory"

    def ready(self) -> None:
        # Any save of an organisation (services, the officers' admin, the shell)
        # invalidates cached counts and the in-memory index once it commits.
        # Bulk writes send no signals: the services that make them call
        # directory_changed themselves.
        from django.db import transaction
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .models import Organisation
        from .services import directory_changed

        def changed(**kwargs):
            transaction.on_commit(directory_changed)

        post_save.connect(changed, sender=Organisation, dispatch_uid="directory-changed-save")
        post_delete.connect(changed, sender=Organisation, dispatch_uid="directory-changed-delete")
        for through in (Organisation.sectors.through, Organisation.ecosystems.through,
                        Organisation.technology_tags.through):
            m2m_changed.connect(changed, sender=through, dispatch_uid=f"directory-changed-{through.__name__}")
