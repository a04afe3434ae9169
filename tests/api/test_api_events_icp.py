"""Events and the ICP through the API: the same services and rules as the pages, behind scoped,
expiring keys."""

import datetime as dt

import pytest
from django.utils import timezone

from clusterbridge.accounts.models import ApiToken, Role
from clusterbridge.accounts.services import api_token_create
from tests.factories import events as ef
from tests.factories import offsets as of

pytestmark = pytest.mark.django_db


def _auth(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_api_participants_request_accept_and_the_organiser_schedules_and_publishes(
        client, django_capture_on_commit_callbacks):
    organiser = ef.person("organiser")
    ev = ef.event(organiser, slots=3, tables=2)
    a, b = ef.participant(ev, organiser, name="Techtera"), ef.participant(ev, organiser, name="TPCA", country="TW")
    key_a = api_token_create(user=a.person, name="crm", scopes=["events:write"])
    key_b = api_token_create(user=b.person, name="crm", scopes=["events:write"], days=30)
    key_org = api_token_create(user=organiser, name="ops", scopes=["events:write"])

    listed = client.get(f"/api/v1/events/{ev.slug}/participants", **_auth(key_a)).json()
    assert sorted(p["name"] for p in listed) == ["TPCA", "Techtera"]
    sent = client.post(f"/api/v1/events/{ev.slug}/requests", {"recipient": b.pk, "message": "Smart textiles?"},
                       content_type="application/json", **_auth(key_a))
    assert (sent.status_code, sent.json()["status"]) == (201, "pending")
    again = client.post(f"/api/v1/events/{ev.slug}/requests", {"recipient": b.pk},
                        content_type="application/json", **_auth(key_a))
    assert (again.status_code, again.json()) == (422, {"detail": {"__all__": ["a request between you and TPCA is already open"]}})
    not_mine = client.post(f"/api/v1/events/{ev.slug}/requests/{sent.json()['id']}/accept", **_auth(key_a))
    assert (not_mine.status_code, not_mine.json()) == (403, {"detail": "only the person asked can answer"})
    accepted = client.post(f"/api/v1/events/{ev.slug}/requests/{sent.json()['id']}/accept", **_auth(key_b))
    assert (accepted.status_code, accepted.json()["status"]) == (200, "accepted")

    assert client.post(f"/api/v1/events/{ev.slug}/schedule-runs", {"time_limit": 5},
                       content_type="application/json", **_auth(key_a)).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/api/v1/events/{ev.slug}/schedule-runs", {"time_limit": 5},
                              content_type="application/json", **_auth(key_org))
    assert (started.status_code, started.json()["state"]) == (201, "queued")
    run = client.get(f"/api/v1/events/{ev.slug}/schedule-runs/{started.json()['id']}", **_auth(key_org)).json()
    assert (run["state"], run["percent"], run["scheduled"], run["unscheduled"], run["breaks"], run["result_status"]) == (
        "done", 100, 1, 0, 0, "OPTIMAL")
    published = client.post(f"/api/v1/events/{ev.slug}/schedule-runs/{run['id']}/publish", **_auth(key_org))
    assert published.json() == {"scheduled": 1, "unscheduled": 0, "notified": 2}
    agenda = client.get(f"/api/v1/events/{ev.slug}/agenda", **_auth(key_a)).json()
    assert [item["other_party"] for item in agenda if item["meeting"]] == ["TPCA"]
    assert len(agenda) == 3


def test_api_keys_are_held_to_their_scopes_and_dates(client):
    organiser = ef.person("organiser")
    ev = ef.event(organiser, slots=2, tables=1)
    a = ef.participant(ev, organiser)
    reader = api_token_create(user=a.person, name="r", scopes=["events:read"])
    directory_only = api_token_create(user=a.person, name="d")
    assert client.get(f"/api/v1/events/{ev.slug}/agenda", **_auth(reader)).status_code == 200
    assert client.get(f"/api/v1/events/{ev.slug}/agenda", **_auth(directory_only)).status_code == 401
    assert client.post(f"/api/v1/events/{ev.slug}/requests", {"recipient": a.pk},
                       content_type="application/json", **_auth(reader)).status_code == 401
    ApiToken.objects.filter(name="r").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(f"/api/v1/events/{ev.slug}/agenda", **_auth(reader)).status_code == 401
    with pytest.raises(Exception) as error:
        api_token_create(user=a.person, name="x", scopes=["events:admin"])
    assert error.value.messages == ["not an API scope: events:admin"]


def test_api_icp_shows_each_caller_what_they_may_see(client):
    officer = of.user("icp")
    mine, theirs = of.agreement(), of.agreement()
    contractor_user = of.user("acme", role=Role.CONTRACTOR)
    mine.contractor.users.add(contractor_user)
    c = of.case(mine, value="1000", ready_by=officer)
    of.decide(c, "pre_approval", "1000", by=officer)
    key = api_token_create(user=contractor_user, name="erp", scopes=["icp:read"])
    listed = client.get("/api/v1/icp/agreements", **_auth(key)).json()
    assert [a["number"] for a in listed] == [mine.number]
    assert client.get(f"/api/v1/icp/agreements/{theirs.number}", **_auth(key)).status_code == 404
    detail = client.get(f"/api/v1/icp/agreements/{mine.number}", **_auth(key)).json()
    assert (detail["cases"], detail["balance"]["pre_approved"], detail["balance"]["unit"]) == (
        [c.number], "1000.00", "USD")
    ledger = client.get(f"/api/v1/icp/cases/{c.number}/ledger", **_auth(key)).json()
    assert [(e["seq"], e["bucket"], e["amount"], e["pre_approved_after"]) for e in ledger] == [
        (1, "pre_approved", "1000.00", "1000.00")]
    assert client.get(f"/api/v1/icp/cases/{c.number}", **_auth(key)).json()["status"] == "pre_approved"
    assert client.get("/api/v1/icp/agreements").status_code == 401
    assert client.get("/api/v1/icp/demand-items").status_code == 200


def test_api_keys_page_makes_a_key_with_the_ticked_scopes_and_a_date(client):
    person = ef.person("ana")
    client.force_login(person)
    response = client.post("/accounts/api-keys/", {"name": "agenda sync", "scopes": ["events:read"], "days": "30"})
    token = ApiToken.objects.get(user=person)
    assert (response.status_code, token.scopes, (token.expires_at - timezone.now()).days) == (200, ["events:read"], 29)
    refused = client.post("/accounts/api-keys/", {"name": "nothing", "days": "30"}, follow=True)
    assert "choose at least one thing the key may do" in refused.content.decode()
    assert ApiToken.objects.filter(user=person).count() == 1


def test_api_leaves_draft_events_out_as_the_events_page_does(client):
    organiser = ef.person("organiser")
    shown, draft = ef.event(organiser), ef.event(organiser)
    draft.status = draft.Status.DRAFT
    draft.save(update_fields=["status"])
    assert [e["slug"] for e in client.get("/api/v1/events").json()] == [shown.slug]
    assert client.get(f"/api/v1/events/{draft.slug}").status_code == 404
    assert client.get(f"/api/v1/events/{shown.slug}").status_code == 200
