"""The site's own database role on PostgreSQL: one that owns nothing, so that it cannot TRUNCATE,
ALTER a table, switch a trigger off or set `session_replication_role`, and that may only read and
add to the append-only tables (the credit ledger). `migrate` and `restore` keep the owner's role.

`clusterbridge grant-app-role NAME [--create]` sets it up; with `DATABASE_APP_ROLE=NAME` in the
owner's environment, every `migrate` grants it again (post_migrate), so tables a later version adds
are covered the moment they exist (docs/deploy.md)."""

from __future__ import annotations

from django.db import connection
from psycopg import sql

# Tables the site may only read and add to; apps name theirs in their AppConfig.ready().
APPEND_ONLY: set[str] = set()


def append_only(table: str) -> None:
    APPEND_ONLY.add(table)


def app_role_grant(role: str, *, create: bool = False, password: str | None = None, using=None) -> list[str]:
    """Grants (and with `create`, first makes) `role`; returns the statements run. PostgreSQL only."""
    conn = using or connection
    if conn.vendor != "postgresql":
        raise RuntimeError("a separate application role is a PostgreSQL set-up; SQLite has no roles")
    name = sql.Identifier(role)
    statements = []
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        exists = cursor.fetchone() is not None
        if not exists and not create:
            raise RuntimeError(f"there is no role {role!r}: run with --create, or create it first")
        if not exists:
            statements.append(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT").format(name)
                              if password is None else
                              sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD {}")
                              .format(name, sql.Literal(password)))
        database = sql.Identifier(conn.settings_dict["NAME"])
        statements += [
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, name),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(name),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
            sql.SQL("REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {}").format(name),
            sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}")
            .format(name),
            sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {}").format(name),
        ]
        statements += [sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(sql.Identifier(table), name)
                       for table in sorted(APPEND_ONLY) if table in conn.introspection.table_names(cursor)]
        for statement in statements:
            cursor.execute(statement)
        return [statement.as_string(cursor.connection) for statement in statements]


def grant_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: keeps DATABASE_APP_ROLE's grants up to date (once per migrate, after the last app)."""
    from django.apps import apps
    from django.conf import settings
    from django.db import connections

    role = getattr(settings, "DATABASE_APP_ROLE", "")
    last = list(apps.get_app_configs())[-1]
    if role and sender is last and connections[using].vendor == "postgresql":
        app_role_grant(role, using=connections[using])
