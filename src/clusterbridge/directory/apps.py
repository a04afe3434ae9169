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
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from .models import Organisation
        from .services import directory_changed

        def changed(**kwargs):
            transaction.on_commit(directory_changed)

        post_save.connect(changed, sender=Organisation, dispatch_uid="directory-changed-save")
        post_delete.connect(changed, sender=Organisation, dispatch_uid="directory-changed-delete")
        for through in (Organisation.sectors.through, Organisation.ecosystems.through,
                        Organisation.technology_tags.through):
            m2m_changed.connect(changed, sender=through, dispatch_uid=f"directory-changed-{through.__name__}")
        post_migrate.connect(taxonomy_after_migrate, sender=self, dispatch_uid="directory-taxonomy-load")


def taxonomy_after_migrate(sender, *, using: str, plan=None, verbosity: int = 1, stdout=None, **kwargs) -> None:
    """Every `migrate` loads (or refreshes) the shipped NACE Rev. 2, ecosystems and technology list, so
    that a database that was only migrated can take an organisation file, and a release whose data
    files changed brings them in with its upgrade. Not on `flush` (plan is None there), not while the
    directory's own migrations are only partly applied, and not when settings turn it off (the tests
    load the taxonomy where they need it)."""
    from django.conf import settings
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    if plan is None or not getattr(settings, "TAXONOMY_LOAD_ON_MIGRATE", True):
        return
    executor = MigrationExecutor(connections[using])
    leaves = executor.loader.graph.leaf_nodes(sender.label)
    if any(leaf not in executor.loader.applied_migrations for leaf in leaves):
        return
    from .services import ecosystems_load, sectors_load, technologies_load

    counts = sectors_load(), ecosystems_load(), technologies_load()
    if verbosity >= 1 and stdout is not None:
        stdout.write("  Shipped taxonomy: {} NACE Rev. 2 entries, {} ecosystems, {} technologies\n".format(*counts))
