"""The audit log: officers' and administrators' changes, who and when, old → new; readable by platform
administrators only (issue 17, people's rights)."""

import json

import pytest

from clusterbridge.accounts.models import Role
from clusterbridge.privacy.models import AuditEntry
from tests.factories import events as ef
from tests.factories.directory import make_org


@pytest.fixture
def people(db):
    org = make_org("fr-audit", name_en="Techtera", city="Lyon")
    return {"officer": ef.person("olivia", role=Role.PROGRAMME_OFFICER),
            "admin": ef.person("ada", role=Role.PLATFORM_ADMIN),
            "member": ef.person("mia", organisation=org), "org": org}


def _edit(client, org, **changes):
    page = f"/organisations/{org.external_id}/edit/"
    form = client.get(page).context["form"]
    data = {name: (form.initial.get(name) if form.initial.get(name) is not None else "") for name in form.fields}
    data["sectors"] = [s.pk for s in org.sectors.all()]
    data.update({"contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0", **changes})
    return client.post(page, {k: v for k, v in data.items() if v not in (None, False)})


def test_an_officers_change_is_recorded_with_old_and_new_values(client, people):
    client.force_login(people["officer"])
    response = _edit(client, people["org"], city="Grenoble")
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(model="directory.organisation", action="update")
    assert (entry.actor, entry.actor_name, entry.object_id) == (people["officer"], "olivia", str(people["org"].pk))
    assert entry.changes["city"] == ["Lyon", "Grenoble"]
    assert entry.path == f"/organisations/{people['org'].external_id}/edit/" and entry.request_id


def test_a_members_own_edits_are_not_officers_actions(client, people):
    client.force_login(people["member"])
    assert _edit(client, people["org"], city="Grenoble").status_code == 302
    assert not AuditEntry.objects.exists()


def test_api_writes_with_an_officers_key_are_recorded_and_secrets_never_are(client, people):
    from clusterbridge.accounts.models import ApiScope
    from clusterbridge.accounts.services import api_token_create

    from clusterbridge.accounts.models import ApiToken

    key = api_token_create(user=people["officer"], name="sync", scopes=[ApiScope.DIRECTORY_WRITE])
    token = ApiToken.objects.get(user=people["officer"])
    answer = client.patch(f"/api/v1/organisations/{people['org'].external_id}", {"city": "Nice"},
                          content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 200, answer.content
    entry = AuditEntry.objects.get(model="directory.organisation")
    assert entry.actor == people["officer"] and entry.changes["city"] == ["Lyon", "Nice"]
    client.force_login(people["admin"])
    client.post("/accounts/api-keys/", {"name": "other", "scopes": ["directory:write"]})
    made = AuditEntry.objects.get(model="accounts.apitoken", action="create")
    assert made.changes["digest"][1] == "••••" and made.changes["name"][1] == "other"
    other = ApiToken.objects.get(name="other")
    text = json.dumps(list(AuditEntry.objects.values("changes")))
    assert token.digest not in text and other.digest not in text and key not in text


def test_deletions_and_links_are_recorded(client, people):
    officer = people["officer"]
    ev = ef.event(officer)
    client.force_login(officer)
    from clusterbridge.privacy.audit import _request

    class Request:  # what the middleware keeps: the request being served
        user, path, request_id = officer, "/shell", ""

    token = _request.set(Request())
    try:
        ev.organisers.add(people["member"])
        contact = people["org"].contacts.create(name="Anne Martin", email="anne@techtera.org")
        contact.delete()
    finally:
        _request.reset(token)
    link = AuditEntry.objects.get(action="link")
    assert link.model == "events.event" and link.changes["organisers"][1] == ["mia"]
    gone = AuditEntry.objects.get(action="delete")
    assert gone.model == "directory.contact" and gone.changes["email"] == ["anne@techtera.org", None]


def test_only_platform_administrators_read_the_log_with_filters_and_csv(client, people):
    client.force_login(people["officer"])
    _edit(client, people["org"], city="Grenoble")
    assert client.get("/privacy/audit/").status_code == 403
    client.force_login(people["member"])
    assert client.get("/privacy/audit/").status_code == 403
    client.force_login(people["admin"])
    html = client.get("/privacy/audit/", {"actor": "olivia", "model": "directory.organisation"}).content.decode()
    assert "Grenoble" in html and "olivia" in html
    assert "Grenoble" not in client.get("/privacy/audit/", {"actor": "nobody"}).content.decode()
    assert client.get("/privacy/audit/", {"since": "2026-13-45"}).status_code == 200  # a bad date is a message
    csv = b"".join(client.get("/privacy/audit/", {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("at,who,action") and "Grenoble" in csv
