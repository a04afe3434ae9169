"""`clusterbridge backup` / `restore` (specs/operations.md): a round trip on the database the suite runs
on (SQLite in the README's run, PostgreSQL in CI's) loses nothing: every table's rows, the ledger's
balances, the uploads."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from clusterbridge.core.backup import table_counts
from tests.factories import events as ef
from tests.factories import offsets as of
from tests.factories.directory import make_org

CLI = [sys.executable, "-m", "clusterbridge.cli"]
BALANCES = ("import json; from clusterbridge.offsets.models import Agreement; "
            "from clusterbridge.offsets.selectors import agreement_balances; "
            "print(json.dumps({a.number: [str(b.pre_approved), str(b.approved), str(b.retained), str(b.obligation)] "
            "for a, b in zip(Agreement.objects.order_by('pk'), "
            "agreement_balances(Agreement.objects.order_by('pk')).values())}))")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def _programme(media: Path) -> None:
    """A bit of everything: organisations with an uploaded logo, an event with participants and a
    schedule, an ICP agreement whose ledger has pre-approved, approved and retained credits."""
    org = make_org("fr-0001", name_zh="里昂集群", description_en="Rail and ✓ unicode")
    org.logo.save("fr-0001.png", ContentFile(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8))
    officer = ef.person("officer", role="programme_officer")
    ev = ef.event(officer)
    a, b = ef.participant(ev, officer, "FR"), ef.participant(ev, officer, "TW")
    ef.agreed(a, b)
    ef.schedule(ev, officer)
    icp_officer = of.user()
    case = of.case(of.agreement(obligation="500000"), value="2000", ready_by=icp_officer)
    of.decide(case, "pre_approval", "1500", by=icp_officer)
    of.decide(case, "actual_approval", "1200", by=icp_officer)
    of.decide(case, "closure_with_retention", "200", by=icp_officer)


def _rows_here() -> dict[str, list[str]]:
    out = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in sorted(table_counts(connection)):
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT t::text FROM {quote(name)} t")
                out[name] = sorted(row[0] for row in cursor.fetchall())
            else:
                cursor.execute(f"SELECT * FROM {quote(name)}")
                out[name] = sorted(repr(row) for row in cursor.fetchall())
    return out


def _rows_there(target: dict) -> dict[str, list[str]]:
    if connection.vendor == "postgresql":
        import psycopg

        with psycopg.connect(target["dsn"]) as db:
            db.execute("SET TIME ZONE 'UTC'")
            names = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
            return {name: sorted(r[0] for r in db.execute(f'SELECT t::text FROM "{name}" t')) for name in sorted(names)}
    db = sqlite3.connect(target["path"], detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                          "AND name NOT LIKE 'sqlite_%'")]
        return {name: sorted(repr(r) for r in db.execute(f'SELECT * FROM "{name}"')) for name in sorted(names)}
    finally:
        db.close()


@pytest.fixture
def target(tmp_path):
    """An empty database of the suite's kind, and the environment that points the command at it."""
    env = {**os.environ, "CLUSTERBRIDGE_DATA_DIR": str(tmp_path / "restored")}
    env.pop("REDIS_URL", None)
    if connection.vendor == "postgresql":
        import psycopg

        settings_dict = connection.settings_dict
        name = f"cb_restore_{uuid.uuid4().hex[:10]}"
        admin = {"host": settings_dict["HOST"], "port": settings_dict["PORT"] or 5432,
                 "user": settings_dict["USER"], "password": settings_dict["PASSWORD"] or None, "autocommit": True}
        with psycopg.connect(dbname="postgres", **admin) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        url = f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT'] or 5432}/{name}"
        yield {"env": {**env, "DATABASE_URL": url}, "dsn": url}
        with psycopg.connect(dbname="postgres", **admin) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path / "restored.sqlite3"
        yield {"env": {**env, "DATABASE_URL": f"sqlite:///{path}"}, "path": path}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_has_every_row_balance_and_upload(media, target, tmp_path,
                                                                                    sectors, mailoutbox):
    _programme(media)
    archive = tmp_path / "site.tar.gz"
    for _ in range(20):  # a background refresh may still be finishing: back up what stands still
        before_rows = _rows_here()
        call_command("backup", str(archive), stdout=io.StringIO())
        if _rows_here() == before_rows:
            break
        time.sleep(0.5)
    from clusterbridge.offsets.models import Agreement
    from clusterbridge.offsets.selectors import agreement_balances

    agreements = Agreement.objects.order_by("pk")
    here = {a.number: [str(b.pre_approved), str(b.approved), str(b.retained), str(b.obligation)]
            for a, b in zip(agreements, agreement_balances(agreements).values())}

    done = subprocess.run(CLI + ["restore", str(archive)], env=target["env"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "every count matches the backup" in done.stdout

    assert _rows_there(target) == before_rows
    assert sum(len(rows) for rows in before_rows.values()) > 100  # the comparison compared something
    there = subprocess.run(CLI + ["shell", "-v", "0", "-c", BALANCES], env=target["env"], capture_output=True, text=True,
                           check=True).stdout
    assert json.loads(there) == here
    assert [[Decimal(x) for x in balance] for balance in here.values()] == [[0, 1200, 200, 500000]]
    restored_media = tmp_path / "restored" / "media"
    uploaded = sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())
    assert uploaded == ["logos/fr-0001.png"]
    assert [(p, (restored_media / p).read_bytes()) for p in uploaded] == [(p, (media / p).read_bytes()) for p in uploaded]

    # The restored site goes on: a new row gets a fresh key (PostgreSQL's sequences came back too).
    create = ("from clusterbridge.directory.models import Organisation; "
              "o = Organisation.objects.create(external_id='de-9', name_en='New', kind='company', country='DE'); "
              "print(o.pk > max(Organisation.objects.exclude(pk=o.pk).values_list('pk', flat=True)))")
    assert subprocess.run(CLI + ["shell", "-v", "0", "-c", create], env=target["env"], capture_output=True, text=True,
                          check=True).stdout.strip() == "True"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty_and_writes_nothing(media, tmp_path):
    make_org("fr-0001")
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    rows = table_counts(connection)
    with pytest.raises(CommandError) as error:
        call_command("restore", str(archive))
    assert str(error.value).startswith("the database is not empty (")
    assert str(error.value).endswith("restore into a new, empty database")
    assert table_counts(connection) == rows


@pytest.mark.django_db
def test_restore_names_what_is_wrong_with_the_file(tmp_path, media):
    missing = tmp_path / "nothing.tar.gz"
    with pytest.raises(CommandError) as error:
        call_command("restore", str(missing))
    assert str(error.value) == f"{missing} does not exist"
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(b"not an archive at all")
    with pytest.raises(CommandError) as error:
        call_command("restore", str(damaged))
    assert str(error.value).startswith(f"{damaged} cannot be read as a backup: ")
    with pytest.raises(CommandError) as error:
        call_command("backup", str(tmp_path))
    assert str(error.value) == f"{tmp_path} is a folder: name the backup file, e.g. {tmp_path / 'clusterbridge.tar.gz'}"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_of_the_other_engine(media, tmp_path, target):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    other = ({**target["env"], "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}"}
             if connection.vendor == "postgresql" else
             {**target["env"], "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cb_never_created"})
    done = subprocess.run(CLI + ["restore", str(archive)], env=other, capture_output=True, text=True)
    assert done.returncode == 1
    engine, other_engine = (("postgresql", "sqlite") if connection.vendor == "postgresql" else ("sqlite", "postgresql"))
    assert f"CommandError: this backup holds a {engine} database and this site uses {other_engine}" in done.stderr
