"""The cooperation board: publishing, expiry, and interest reaching inbox and e-mail."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from clusterbridge.accounts.models import InboxMessage, Membership, Profile, Role
from clusterbridge.directory.models import CooperationProfile

from tests.factories.directory import make_org


def person(username, email, org=None):
    user = get_user_model().objects.create_user(username, email=email, password="a-long-password-1")
    Profile.objects.create(user=user, role=Role.MEMBER)
    if org:
        Membership.objects.create(user=user, organisation=org)
    return user


@pytest.fixture
def board(sectors):
    owner_org = make_org("fr-1", name_en="Techtera")
    owner = person("owner", "owner@techtera.fr", owner_org)
    live = CooperationProfile.objects.create(organisation=owner_org, kind="technology_offer",
                                             title_en="Recycled fibre know-how", status="published")
    CooperationProfile.objects.create(organisation=owner_org, kind="business_request", title_en="Old request",
                                      status="published", expires_on=datetime.date(2020, 1, 1))
    CooperationProfile.objects.create(organisation=owner_org, kind="business_offer", title_zh="草稿",
                                      status="draft")
    return owner_org, owner, live


def test_board_shows_only_published_unexpired_profiles(client, board):
    page = client.get("/cooperation/")
    assert [str(p) for p in page.context["page"]] == ["Recycled fibre know-how"]
    assert [str(p) for p in client.get("/cooperation/", {"kind": "business_offer"}).context["page"]] == []


def test_interest_reaches_the_owners_inbox_and_email(client, board, mailoutbox, django_capture_on_commit_callbacks):
    _, owner, live = board
    visitor = person("visitor", "ming@tw-textile.com.tw")
    client.force_login(visitor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cooperation/{live.id}/", {"message": "We make recycled polyester yarn."})
    assert response.status_code == 302
    notice = InboxMessage.objects.get(recipient=owner)
    assert notice.subject == "Interest in your profile: Recycled fibre know-how"
    assert notice.body == ("visitor (ming@tw-textile.com.tw) is interested in “Recycled fibre know-how” "
                           "and writes:\n\nWe make recycled polyester yarn.")
    assert [m.to for m in mailoutbox] == [["owner@techtera.fr"]]
    client.force_login(owner)
    inbox = client.get("/accounts/inbox/")
    assert inbox.context["unread"] == {notice.id}
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_interest_needs_login_and_a_message_and_not_own_profile(client, board, mailoutbox):
    _, owner, live = board
    assert client.post(f"/cooperation/{live.id}/", {"message": "hi"})["Location"] == (
        f"/accounts/login/?next=/cooperation/{live.id}/")
    client.force_login(person("v", "v@x.eu"))
    page = client.post(f"/cooperation/{live.id}/", {"message": ""})
    assert page.context["form"].errors == {"message": ["This field is required."]}
    client.force_login(owner)
    assert client.post(f"/cooperation/{live.id}/", {"message": "self"}).status_code == 403
    assert InboxMessage.objects.count() == 0


def test_member_publishes_a_profile_and_strangers_cannot(client, board):
    org, owner, _ = board
    client.force_login(person("stranger", "s@x.eu"))
    assert client.get("/organisations/fr-1/cooperation/new/").status_code == 403
    client.force_login(owner)
    missing = client.post("/organisations/fr-1/cooperation/new/", {"kind": "rd_partner", "status": "published"})
    assert missing.context["form"].non_field_errors() == ["Give the title in English or in Chinese."]
    done = client.post("/organisations/fr-1/cooperation/new/", {
        "kind": "rd_partner", "title_zh": "尋找智慧紡織研發夥伴", "status": "published"})
    created = CooperationProfile.objects.get(title_zh="尋找智慧紡織研發夥伴")
    assert done["Location"] == f"/cooperation/{created.id}/"
    assert created.organisation == org


def test_drafts_are_hidden_from_others(client, board):
    draft = CooperationProfile.objects.get(status="draft")
    assert client.get(f"/cooperation/{draft.id}/").status_code == 404


def test_interest_goes_to_the_programme_office_when_nobody_of_the_organisation_has_an_account(
        client, sectors, mailoutbox, django_capture_on_commit_callbacks):
    org = make_org("de-9", name_en="No Accounts GmbH", country="DE")
    profile = CooperationProfile.objects.create(organisation=org, kind="business_offer", title_en="Sensors",
                                                status="published")
    officer = get_user_model().objects.create_user("officer", email="icp@office.tw", password="a-long-password-1")
    Profile.objects.create(user=officer, role=Role.PROGRAMME_OFFICER)
    client.force_login(person("v", "v@x.eu"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cooperation/{profile.id}/", {"message": "Hello"})
    assert [m.recipient.username for m in InboxMessage.objects.all()] == ["officer"]
    assert [m.to for m in mailoutbox] == [["icp@office.tw"]]
