"""Limits on the actions that send e-mail to other people (core/rate_limits.py): per person and per
real client address, a clear message in the reader's language, Retry-After, and nothing sent."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from clusterbridge.accounts.services import api_token_create
from clusterbridge.core.rate_limits import Limit, RateLimited, limit_hit
from tests.directory.test_cooperation import board, person  # noqa: F401 (a fixture)
from tests.factories import events as ef

pytestmark = pytest.mark.django_db


def _retry_after(response) -> int:
    seconds = int(response["Retry-After"])
    assert 1 <= seconds <= 3600
    return seconds


def test_interest_is_limited_per_person_and_nothing_is_sent_past_the_limit(client, board, settings, mailoutbox,
                                                                            django_capture_on_commit_callbacks):
    settings.RATE_LIMITS = {"express-interest": {"per_person": 2}}
    _, _, live = board
    client.force_login(person("visitor", "ming@tw-textile.com.tw"))
    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(f"/cooperation/{live.id}/", {"message": f"Message {n}"}) for n in range(2)]
        over = client.post(f"/zh-hant/cooperation/{live.id}/", {"message": "Message 3"})
    assert [a.status_code for a in answers] == [302, 302]
    assert over.status_code == 429
    _retry_after(over)
    page = over.content.decode()
    assert "請求次數過多" in page and "這次沒有寄出任何東西" in page
    assert len(mailoutbox) == 2
    other = person("colleague", "lin@tw-textile.com.tw")  # a colleague has a limit of their own
    client.force_login(other)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/cooperation/{live.id}/", {"message": "Hello"}).status_code == 302
    assert len(mailoutbox) == 3


def _request(user=None, forwarded="", remote="10.0.0.2"):
    request = RequestFactory().post("/x/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    request.user = user or AnonymousUser()
    return request


def test_the_address_limit_reads_the_real_client_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    limit = Limit("t", per_person=2, per_address=3, window=60)
    ana, ben = person("ana", "ana@example.org"), person("ben", "ben@example.org")
    hall = "192.0.2.7"  # the event hall's one address, as the proxy appended it
    limit_hit(_request(ana, hall), limit)
    limit_hit(_request(ana, hall), limit)
    with pytest.raises(RateLimited):  # ana: 3 > 2 for the person
        limit_hit(_request(ana, hall), limit)
    with pytest.raises(RateLimited):  # the hall: ben's first is the address's fourth
        limit_hit(_request(ben, f"6.6.6.6, {hall}"), limit)  # what the client wrote to the left is not believed
    limit_hit(_request(ben, "198.51.100.9"), limit)  # ben from another network
    error = pytest.raises(RateLimited, limit_hit, _request(ana, "198.51.100.10"), limit).value
    assert 1 <= error.retry_after <= 60  # ana herself stays over, wherever she is


def test_password_reset_is_limited_per_address_typed_whether_or_not_an_account_has_it(client, settings, mailoutbox):
    settings.RATE_LIMITS = {"password-reset": {"per_person": 2}}
    person("ana", "ana@cluster.eu")
    sent = [client.post("/accounts/password-reset/", {"email": "ANA@cluster.eu"}).status_code for _ in range(2)]
    over = client.post("/accounts/password-reset/", {"email": "ana@cluster.eu"})
    assert sent == [302, 302] and over.status_code == 429
    assert "Too many requests" in over.content.decode()
    assert len(mailoutbox) == 2
    for _ in range(3):
        client.post("/accounts/password-reset/", {"email": "nobody@cluster.eu"})
    assert client.post("/accounts/password-reset/", {"email": "nobody@cluster.eu"}).status_code == 429
    assert len(mailoutbox) == 2


def test_meeting_requests_through_the_api_answer_429_with_retry_after(client, settings):
    settings.RATE_LIMITS = {"meeting-requests": {"per_person": 1}}
    organiser = ef.person("organiser")
    ev = ef.event(organiser)
    a, b, c = (ef.participant(ev, organiser, name=n) for n in ("Techtera", "TPCA", "ITRI"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=a.person, name='crm', scopes=['events:write'])}"}
    first = client.post(f"/api/v1/events/{ev.slug}/requests", {"recipient": b.pk}, content_type="application/json",
                        **auth)
    second = client.post(f"/api/v1/events/{ev.slug}/requests", {"recipient": c.pk}, content_type="application/json",
                         **auth)
    assert (first.status_code, second.status_code) == (201, 429)
    _retry_after(second)
    assert second.json()["detail"].startswith("Too many requests of this kind from you or your network. Try again in ")
    assert list(a.sent_requests.values_list("recipient", flat=True)) == [b.pk]


def test_meeting_request_pages_share_the_limit(client, settings):
    settings.RATE_LIMITS = {"meeting-requests": {"per_person": 1}}
    organiser = ef.person("organiser")
    ev = ef.event(organiser)
    a, b, c = (ef.participant(ev, organiser, name=n) for n in ("Techtera", "TPCA", "ITRI"))
    client.force_login(a.person)
    url = f"/events/{ev.slug}/participants/"
    assert client.post(url, {"recipient": b.pk, "priority": "1"}).status_code == 302
    over = client.post(url, {"recipient": c.pk, "priority": "1"})
    assert over.status_code == 429
    _retry_after(over)
    assert list(a.sent_requests.values_list("recipient", flat=True)) == [b.pk]
