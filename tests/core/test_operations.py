"""Running behind a TLS reverse proxy, rate limits that fit a shared address, and /healthz
(specs/operations.md; issue "Run it for real", first slice)."""

import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from clusterbridge.accounts.models import Profile, Role

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-1"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _user(name, role=Role.MEMBER):
    user = get_user_model().objects.create_user(name, email=f"{name}@example.org", password=PASSWORD)
    Profile.objects.create(user=user, role=role)
    return user


def test_the_proxy_settings_come_from_the_environment():
    env = {**os.environ, "CSRF_TRUSTED_ORIGINS": "https://cluster.example.org, https://www.cluster.example.org",
           "BEHIND_PROXY": "1", "TRUSTED_PROXY_COUNT": "2"}
    code = ("import json, clusterbridge.settings as s; print(json.dumps([s.CSRF_TRUSTED_ORIGINS, "
            "list(s.SECURE_PROXY_SSL_HEADER), s.TRUSTED_PROXY_COUNT]))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [["https://cluster.example.org", "https://www.cluster.example.org"],
                               ["HTTP_X_FORWARDED_PROTO", "https"], 2]
    plain = {k: v for k, v in env.items() if k not in ("BEHIND_PROXY", "CSRF_TRUSTED_ORIGINS", "TRUSTED_PROXY_COUNT")}
    code = "import clusterbridge.settings as s; print(hasattr(s, 'SECURE_PROXY_SSL_HEADER'), s.TRUSTED_PROXY_COUNT)"
    assert subprocess.run([sys.executable, "-c", code], env=plain, capture_output=True, text=True,
                          check=True).stdout.split() == ["False", "0"]


def _login_through_proxy(client, username, password):
    headers = {"HTTP_HOST": "cluster.example.org", "HTTP_X_FORWARDED_PROTO": "https"}
    client.get("/accounts/login/", **headers)
    return client.post("/accounts/login/", {"username": username, "password": password,
                                            "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
                       HTTP_ORIGIN="https://cluster.example.org",
                       HTTP_REFERER="https://cluster.example.org/accounts/login/", **headers)


def test_a_login_through_an_https_proxy(settings):
    _user("officer", Role.PROGRAMME_OFFICER)
    settings.ALLOWED_HOSTS = ["cluster.example.org"]
    refused = _login_through_proxy(Client(enforce_csrf_checks=True), "officer", PASSWORD)
    assert refused.status_code == 403  # as it was: the https origin is not the site's as it sees itself
    settings.CSRF_TRUSTED_ORIGINS = ["https://cluster.example.org"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    done = _login_through_proxy(Client(enforce_csrf_checks=True), "officer", PASSWORD)
    assert done.status_code == 302 and done.wsgi_request.is_secure()


def _post_login(client, username, password, client_address):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_address)  # through our one proxy


def test_five_wrong_passwords_lock_that_account_not_everybody_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    _user("anne")
    _user("officer", Role.PROGRAMME_OFFICER)
    client = Client()
    for _ in range(5):
        assert _post_login(client, "anne", "wrong", "203.0.113.5").status_code == 200
    locked = _post_login(client, "anne", PASSWORD, "198.51.100.7")  # the account, from anywhere
    assert locked.status_code == 429 and locked["Retry-After"] == "900"
    assert _post_login(Client(), "officer", PASSWORD, "198.51.100.7").status_code == 302  # everyone else: in
    assert _post_login(Client(), "officer", PASSWORD, "203.0.113.5").status_code == 302  # even from that office


def test_one_address_trying_many_accounts_is_stopped_and_cannot_hide_behind_a_forged_header(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    _user("officer", Role.PROGRAMME_OFFICER)
    client = Client()
    for i in range(30):  # a forged left part changes nothing: our proxy's entry is the rightmost
        _post_login(client, f"guess{i}", "wrong", f"192.0.2.{i}, 203.0.113.9")
    assert _post_login(Client(), "officer", PASSWORD, "203.0.113.9").status_code == 429
    assert _post_login(Client(), "officer", PASSWORD, "198.51.100.7").status_code == 302


def test_healthz_answers_without_login_and_names_what_fails(client, settings):
    settings.REDIS_URL = ""
    ok = client.get("/healthz")
    assert ok.status_code == 200 and ok.json() == {"status": "ok", "database": "ok", "queue": "off"}
    assert ok["Cache-Control"].startswith("max-age=0")
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    down = client.get("/healthz")
    assert down.status_code == 503
    assert down.json() == {"status": "error", "database": "ok", "queue": "unreachable", "failing": ["queue"]}
    if os.environ.get("REDIS_URL"):  # the CI's Redis run
        settings.REDIS_URL = os.environ["REDIS_URL"]
        assert client.get("/healthz").json()["queue"] == "ok"


def test_a_database_that_was_only_migrated_takes_an_organisation_file(tmp_path):
    """`migrate` loads the shipped taxonomy: the installer's first import works without another step."""
    env = {**os.environ, "CLUSTERBRIDGE_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/new.sqlite3"}
    env.pop("REDIS_URL", None)
    cli = [sys.executable, "-m", "clusterbridge.cli"]
    migrated = subprocess.run(cli + ["migrate"], env=env, capture_output=True, text=True, check=True).stdout
    assert "Shipped taxonomy: 996 NACE Rev. 2 entries, 14 ecosystems," in migrated
    members = tmp_path / "members.csv"
    members.write_text("external_id,name_en,name_zh,kind,country,sectors\n"
                       "tw-1,Taiwan Printed Circuit Association,台灣電路板協會,industry_association,TW,C26.1\n",
                       encoding="utf-8")
    imported = subprocess.run(cli + ["import-organisations", str(members)], env=env, capture_output=True, text=True)
    assert (imported.returncode, imported.stdout.strip()) == (0, "created 1, updated 0 organisation(s)")
    again = subprocess.run(cli + ["migrate", "-v", "0"], env=env, capture_output=True, text=True, check=True)
    assert again.stdout == ""  # a second migrate refreshes quietly, idempotent
    count = ("from clusterbridge.directory.models import Organisation, Sector; "
             "print(Sector.objects.count(), *Organisation.objects.get(external_id='tw-1').sectors.values_list("
             "'label_en', flat=True))")
    assert subprocess.run(cli + ["shell", "-v", "0", "-c", count], env=env, capture_output=True, text=True,
                          check=True).stdout.strip() == "996 Manufacture of electronic components and boards"
