"""Member writes through the API with a personal key; cooperation profiles."""

import json

import pytest
from django.contrib.auth import get_user_model

from clusterbridge.accounts.models import ApiToken, Membership, Profile, Role
from clusterbridge.accounts.services import api_token_create
from clusterbridge.directory.models import CooperationProfile, Organisation
from tests.factories.directory import make_org


@pytest.fixture
def setup(sectors):
    own = make_org("tw-1", name_en="Fab One", country="TW")
    other = make_org("de-1", name_en="Other", country="DE")
    user = get_user_model().objects.create_user("ana", password="a-long-password-1")
    Profile.objects.create(user=user, role=Role.MEMBER)
    Membership.objects.create(user=user, organisation=own)
    return own, other, api_token_create(user=user, name="crm")


def patch(client, path, body, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.patch(path, json.dumps(body), content_type="application/json", **headers)


def test_member_updates_own_organisation_with_a_key(client, setup):
    own, other, key = setup
    assert patch(client, "/api/v1/organisations/tw-1", {"city": "Hsinchu"}).status_code == 401
    assert patch(client, "/api/v1/organisations/tw-1", {"city": "Hsinchu"}, "cb_wrong").status_code == 401
    response = patch(client, "/api/v1/organisations/tw-1", {
        "city": "Hsinchu", "name_zh": "第一晶圓", "sectors": ["C26.11", "26.1"], "technologies": ["半導體", "chiplets"],
        "offers": ["wafer-level packaging"]}, key)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["city"], body["name_zh"], body["sectors"], body["technologies"], body["offers"]) == (
        "Hsinchu", "第一晶圓", ["26.1", "26.11"], ["半導體", "chiplets"], ["wafer-level packaging"])
    own.refresh_from_db()
    assert sorted(own.technology_tags.values_list("code", flat=True)) == ["advanced_packaging", "semiconductors"]
    assert ApiToken.objects.get().last_used_at is not None
    assert patch(client, "/api/v1/organisations/de-1", {"city": "Berlin"}, key).status_code == 403
    assert patch(client, "/api/v1/organisations/nope", {"city": "Berlin"}, key).status_code == 404


def test_bad_input_is_refused_field_by_field_and_nothing_changes(client, setup):
    own, _other, key = setup
    response = patch(client, "/api/v1/organisations/tw-1", {"website": "javascript:alert(1)", "city": "X"}, key)
    assert response.status_code == 422 and list(response.json()["detail"]) == ["website"]
    response = patch(client, "/api/v1/organisations/tw-1", {"sectors": ["Z99", "26", "A26"]}, key)
    assert response.json() == {"detail": {"sectors": ["not NACE Rev. 2 codes: Z99, A26"]}}
    nulls = patch(client, "/api/v1/organisations/tw-1", {"technologies": None, "offers": None, "sectors": None,
                                                          "year_founded": None, "published": None}, key)
    assert nulls.status_code == 422 and list(nulls.json()["detail"]) == ["published"]
    response = patch(client, "/api/v1/organisations/tw-1", {"name_en": "", "name_zh": ""}, key)
    assert response.status_code == 422
    own.refresh_from_db()
    assert (own.city, own.name_en) == ("Lyon", "Fab One")


def test_member_publishes_a_profile_that_the_public_then_reads(client, setup):
    _own, _other, key = setup
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    response = client.post("/api/v1/organisations/tw-1/cooperation-profiles", json.dumps({
        "kind": "technology_offer", "title_en": "Wafer-level packaging", "title_zh": "晶圓級封裝",
        "status": "draft"}), content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    pid = response.json()["id"]
    assert client.get("/api/v1/cooperation-profiles").json()["count"] == 0  # a draft is not public
    assert patch(client, f"/api/v1/cooperation-profiles/{pid}", {"status": "published"}, key).status_code == 200
    listing = client.get("/api/v1/cooperation-profiles", {"kind": "technology_offer", "country": "TW"}).json()
    assert [(p["id"], p["organisation"], p["title_zh"]) for p in listing["items"]] == [(pid, "tw-1", "晶圓級封裝")]
    assert client.get(f"/api/v1/cooperation-profiles/{pid}").json()["title_en"] == "Wafer-level packaging"
    untitled = client.post("/api/v1/organisations/tw-1/cooperation-profiles", json.dumps({"kind": "business_offer"}),
                           content_type="application/json", **headers)
    assert untitled.status_code == 422
    assert client.post("/api/v1/organisations/de-1/cooperation-profiles", json.dumps({
        "kind": "business_offer", "title_en": "x"}), content_type="application/json", **headers).status_code == 403
    assert CooperationProfile.objects.count() == 1


def test_keys_are_made_once_listed_and_revoked(client, setup):
    _own, _other, key = setup
    user = get_user_model().objects.get(username="ana")
    client.force_login(user)
    page = client.post("/accounts/api-keys/", {"name": "ERP", "scopes": ["directory:write"], "days": "90"})
    new_key = page.context["new_key"]
    assert new_key.startswith("cb_") and new_key in page.content.decode()
    assert new_key not in client.get("/accounts/api-keys/").content.decode()  # shown only once
    token = ApiToken.objects.get(name="ERP")
    assert token.digest != new_key and len(token.digest) == 64
    client.post("/accounts/api-keys/", {"revoke": str(token.id)})
    assert patch(client, "/api/v1/organisations/tw-1", {"city": "X"}, new_key).status_code == 401
    assert Organisation.objects.get(external_id="tw-1").city == "Lyon"
