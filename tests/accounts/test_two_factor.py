"""The optional second factor: TOTP per RFC 6238, set-up, login, replay, rate limit."""

import base64

import pytest
from django.contrib.auth import get_user_model

from clusterbridge.accounts.models import Profile, Role, TwoFactor
from clusterbridge.core import totp

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize("when,code", [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"),
                                       (2000000000, "69279037"), (20000000000, "65353130")])
def test_codes_match_the_rfc_6238_test_vectors(when, code):
    assert totp.code_at(RFC_SECRET, when // 30, digits=8) == code


def test_verify_allows_one_step_of_drift_and_refuses_reuse():
    secret = totp.new_secret()
    now = 1_700_000_000
    code = totp.code_at(secret, now // 30)
    assert totp.verify(secret, code, now=now) == now // 30
    assert totp.verify(secret, code[:3] + " " + code[3:], now=now + 30) == now // 30  # typed with a space, late
    assert totp.verify(secret, code, now=now + 90) is None  # too old
    assert totp.verify(secret, code, now=now, last_step=now // 30) is None  # used already
    assert totp.verify(secret, "12345", now=now) is None
    assert totp.provisioning_uri(secret, "ana@example.org").startswith("otpauth://totp/ClusterBridge%3Aana%40example.org?secret=")


@pytest.fixture
def member(db):
    user = get_user_model().objects.create_user("ana", password="a-long-password-1")
    Profile.objects.create(user=user, role=Role.MEMBER)
    return user


def test_setup_then_login_needs_the_code(client, member):
    client.force_login(member)
    page = client.get("/accounts/two-factor/")
    secret = client.session["clusterbridge:two-factor-secret"]
    assert "<svg" in page.content.decode() and secret in page.content.decode()
    import time
    valid = {totp.code_at(secret, int(time.time() // 30) + d) for d in (-1, 0, 1, 2)}
    wrong = client.post("/accounts/two-factor/", {"code": next(c for c in ("000000", "111111", "222222") if c not in valid)})
    assert "not right" in wrong.content.decode() and not TwoFactor.objects.exists()
    client.post("/accounts/two-factor/", {"code": totp.code_at(secret, int(time.time() // 30))})
    device = TwoFactor.objects.get(user=member)
    assert device.secret == secret
    client.logout()

    step1 = client.post("/accounts/login/", {"username": "ana", "password": "a-long-password-1",
                                             "next": "/organisations/"})
    assert step1.status_code == 302 and step1["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session  # not logged in yet
    # The code used to confirm the set-up cannot be used again.
    used = client.post("/accounts/login/code/", {"code": totp.code_at(secret, device.last_step)})
    assert used.status_code == 200 and "_auth_user_id" not in client.session
    device.last_step -= 2  # as if the set-up was a minute ago
    device.save()
    ok = client.post("/accounts/login/code/", {"code": totp.code_at(secret, int(time.time() // 30))})
    assert ok.status_code == 302 and ok["Location"] == "/organisations/"
    assert client.session["_auth_user_id"] == str(member.pk)


def test_code_step_is_rate_limited_and_needs_the_password_first(client, member):
    assert client.get("/accounts/login/code/").status_code == 302  # nothing pending
    TwoFactor.objects.create(user=member, secret=totp.new_secret())
    client.post("/accounts/login/", {"username": "ana", "password": "a-long-password-1"})
    for _ in range(5):
        assert client.post("/accounts/login/code/", {"code": "12345x"}).status_code == 200
    assert client.post("/accounts/login/code/", {"code": "123456"}).status_code == 429


def test_turning_off_needs_a_current_code(client, member):
    import time

    secret = totp.new_secret()
    TwoFactor.objects.create(user=member, secret=secret)
    client.force_login(member)
    client.post("/accounts/two-factor/", {"code": "abc"})
    assert TwoFactor.objects.filter(user=member).exists()
    client.post("/accounts/two-factor/", {"code": totp.code_at(secret, int(time.time() // 30))})
    assert not TwoFactor.objects.filter(user=member).exists()
