"""The site's own PostgreSQL role (issue 17, defect 6): it reads and writes its tables, adds to the
ledger, and can neither change the ledger nor switch its checks off."""

import os
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)
ROLE = f"cb_app_test_{os.getpid()}"


@pytest.fixture
def app_role():
    if connection.vendor != "postgresql":
        pytest.skip("roles are a PostgreSQL set-up")
    out = StringIO()
    call_command("grant_app_role", ROLE, "--create", stdout=out)
    settings = connection.settings_dict
    conn = psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432, user=ROLE,
                           dbname=settings["NAME"], autocommit=True)
    try:
        yield conn, out.getvalue()
    finally:
        conn.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{ROLE}"')
            cursor.execute(f'DROP ROLE "{ROLE}"')


def _refused(conn, statement: str) -> bool:
    try:
        conn.execute(statement)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def test_the_app_role_works_but_has_no_power_over_the_ledger(app_role):
    conn, printed = app_role
    assert "REVOKE UPDATE, DELETE ON" in printed and "offsets_creditentry" in printed
    conn.execute("SELECT count(*) FROM offsets_creditentry").fetchone()
    conn.execute("INSERT INTO core_job (kind, status, params, filename, data, done, total, progress_extra, result, "
                 "errors, cancel_requested, created_at, dispatch_error, task_id) VALUES ('x', 'done', '{}', '', '', "
                 "0, 0, '{}', '{}', '[]', false, now(), '', '')")
    conn.execute("DELETE FROM core_job WHERE kind = 'x'")
    assert _refused(conn, "UPDATE offsets_creditentry SET chain = chain")
    assert _refused(conn, "DELETE FROM offsets_creditentry")
    assert _refused(conn, "TRUNCATE offsets_creditentry")
    assert _refused(conn, "TRUNCATE core_job")
    try:
        conn.execute("ALTER TABLE offsets_creditentry DISABLE TRIGGER USER")
        altered = True
    except psycopg.errors.InsufficientPrivilege:
        altered = False
    assert not altered
    assert _refused(conn, "SET session_replication_role = replica")


def test_the_command_refuses_a_missing_role_without_create(db):
    from django.core.management.base import CommandError

    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("grant_app_role", "nobody_here")
        return
    with pytest.raises(CommandError, match="no role"):
        call_command("grant_app_role", "nobody_here_at_all")


def test_migrate_grants_the_configured_role_again(app_role, settings):
    from django.apps import apps

    from clusterbridge.core.db_roles import grant_after_migrate

    conn, _printed = app_role
    with connection.cursor() as cursor:
        cursor.execute(f'REVOKE SELECT ON core_job FROM "{ROLE}"')  # as a table added since would be
    assert _refused(conn, "SELECT count(*) FROM core_job")
    settings.DATABASE_APP_ROLE = ROLE
    grant_after_migrate(sender=list(apps.get_app_configs())[-1])
    assert conn.execute("SELECT count(*) FROM core_job").fetchone()[0] >= 0
    assert _refused(conn, "DELETE FROM offsets_creditentry")
