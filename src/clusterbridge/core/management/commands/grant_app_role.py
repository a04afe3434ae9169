"""clusterbridge grant-app-role NAME [--create] [--password-env VAR]: the site's PostgreSQL role without
power over the tables (core/db_roles.py). Run with the owner's DATABASE_URL."""

import os

from django.core.management.base import BaseCommand, CommandError

from clusterbridge.core.db_roles import app_role_grant


class Command(BaseCommand):
    help = "Grant (or --create) the site's PostgreSQL role: no TRUNCATE, no ALTER, the ledger append-only."

    def add_arguments(self, parser):
        parser.add_argument("role")
        parser.add_argument("--create", action="store_true", help="create the role (LOGIN) if it does not exist")
        parser.add_argument("--password-env", default="", help="the environment variable holding its password")

    def handle(self, *args, role, create=False, password_env="", **options):
        password = os.environ.get(password_env) if password_env else None
        if password_env and not password:
            raise CommandError(f"{password_env} is not set")
        try:
            statements = app_role_grant(role, create=create, password=password)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        for statement in statements:
            self.stdout.write(statement.replace(password, "…") if password else statement)
        self.stdout.write(self.style.SUCCESS(f"{role}: {len(statements)} statements; connect the site as this role"))
