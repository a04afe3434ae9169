"""Login rate limiting, password reset by e-mail, and "who viewed my data"."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from clusterbridge.accounts.models import ContactDataView, Membership, Profile, Role
from clusterbridge.directory.models import Contact
from tests.factories.directory import make_org


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def make_user(username="ana", role=Role.MEMBER, email="ana@cluster.eu"):
    user = get_user_model().objects.create_user(username, email=email, password="a-long-password-1")
    Profile.objects.create(user=user, role=role)
    return user


def test_login_is_refused_after_five_failures(client, db):
    make_user()
    for _ in range(5):
        assert client.post("/accounts/login/", {"username": "ana", "password": "wrong"}).status_code == 200
    blocked = client.post("/accounts/login/", {"username": "ana", "password": "a-long-password-1"})
    assert blocked.status_code == 429
    assert "Too many failed attempts. Try again in 15 minutes" in blocked.content.decode()


def test_successful_login_clears_failures(client, db):
    make_user()
    for _ in range(4):
        client.post("/accounts/login/", {"username": "ana", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "ana", "password": "a-long-password-1"}).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        client.post("/accounts/login/", {"username": "ana", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "ana", "password": "a-long-password-1"}).status_code == 302


def test_password_reset_by_email(client, db, mailoutbox):
    make_user()
    response = client.post("/accounts/password-reset/", {"email": "ana@cluster.eu"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "ClusterBridge: choose a new password"
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    post_to = form_page.redirect_chain[-1][0]
    done = client.post(post_to, {"new_password1": "another-long-pass-2", "new_password2": "another-long-pass-2"})
    assert done["Location"] == "/accounts/password-reset/done/"
    assert client.login(username="ana", password="another-long-pass-2")


def test_password_reset_for_unknown_address_sends_nothing(client, db, mailoutbox):
    response = client.post("/accounts/password-reset/", {"email": "nobody@nowhere.eu"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_contact_views_are_logged_and_readable_by_members(client, sectors):
    org = make_org("fr-1", name_en="Techtera")
    Contact.objects.create(organisation=org, name="Public Paul", email="paul@techtera.fr", public=True,
                           consent_at="2026-01-01T00:00:00Z")
    Contact.objects.create(organisation=org, name="Private Pia", phone="+33 1 23", public=False)
    client.get("/organisations/fr-1/")  # an anonymous visitor sees Paul only
    viewer = make_user("viewer", email="v@other.eu")
    client.force_login(viewer)
    client.get("/organisations/fr-1/")
    log = [(v.contact.name, v.viewer.username if v.viewer else None, v.fields, v.where)
           for v in ContactDataView.objects.order_by("id")]
    assert log == [("Public Paul", None, "name,email", "/organisations/fr-1/"),
                   ("Public Paul", "viewer", "name,email", "/organisations/fr-1/")]
    assert client.get("/organisations/fr-1/access-log/").status_code == 403
    member = make_user("member", email="m@techtera.fr")
    Membership.objects.create(user=member, organisation=org)
    client.force_login(member)
    page = client.get("/organisations/fr-1/access-log/").content.decode()
    assert page.count("Public Paul") == 2
    assert "a visitor who was not logged in" in page
    # The member sees Pia too; that display is logged as well.
    assert ContactDataView.objects.filter(contact__name="Private Pia", viewer=member).count() == 0
    client.get("/organisations/fr-1/")
    assert ContactDataView.objects.filter(contact__name="Private Pia", viewer=member).get().fields == "name,phone"
