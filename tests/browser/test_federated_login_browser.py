"""OpenID Connect login beside passwords, against a real provider the test starts on localhost
(django-oauth-toolkit in its own process): authorisation code flow with PKCE, the ID token checked
against the provider's published keys, accounts linked by verified e-mail, roles kept ours."""

import pytest

from clusterbridge.accounts.models import FederatedIdentity, Profile, Role
from tests.factories import events as f
from tests.oidc_provider.run import provider_start, provider_stop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(live_server, tmp_path, settings):
    started = provider_start(tmp_path, f"{live_server.url}/oidc/callback/")
    for name, value in started.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend",
                                        "clusterbridge.accounts.federation.FederatedBackend"]
    yield started
    provider_stop(started)


def _sign_in_at_the_provider(page, live_server, username, next_url="/"):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_role("link", name="Log in with Ministry SSO").click()
    page.wait_for_url("http://localhost:*/login/**")
    assert page.title() == "Ministry login"
    page.get_by_label("User").fill(username)
    page.get_by_label("Password").fill("provider-password-1")
    page.get_by_role("button", name="Sign in at the ministry").click()
    page.wait_for_load_state()


def test_an_officer_logs_in_through_the_provider_and_stays_an_officer(page, live_server, provider):
    officer = f.person("chen", role=Role.PROGRAMME_OFFICER)
    officer.email = "chen.yiting@moea.gov.tw"
    officer.save()
    provider.add_user("ychen", "Chen.YiTing@moea.gov.tw", "provider-password-1", "Yi-Ting", "Chen")

    _sign_in_at_the_provider(page, live_server, "ychen", "/outcomes/report/")
    assert page.url == f"{live_server.url}/outcomes/report/"  # an officer's page: the role is ours
    assert page.get_by_role("button", name="Log out (chen)").count() == 1
    identity = FederatedIdentity.objects.get()
    assert (identity.user, identity.email, identity.issuer) == (officer, "chen.yiting@moea.gov.tw",
                                                                provider.discovery["issuer"])
    assert Profile.objects.get(user=officer).role == Role.PROGRAMME_OFFICER

    # The e-mail address changes here; the provider's subject still finds the account.
    officer.email = "yiting.chen@moea.gov.tw"
    officer.save()
    page.context.clear_cookies(domain="127.0.0.1")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Log in with Ministry SSO").click()  # still signed in at the provider
    page.wait_for_url(f"{live_server.url}/")
    assert FederatedIdentity.objects.count() == 1
    assert FederatedIdentity.objects.get().last_login_at is not None


def test_an_unverified_address_is_never_linked_and_the_login_page_says_why(page, live_server, provider):
    member = f.person("ana")
    member.email = "ana@techtera.fr"
    member.save()
    provider.add_user("mallory", "ana@techtera.fr", "provider-password-1", "Mallory", "Unverified")
    _sign_in_at_the_provider(page, live_server, "mallory")
    assert page.url == f"{live_server.url}/accounts/login/"
    assert page.get_by_role("alert").filter(has_text="did not confirm an e-mail address").count() == 1
    assert FederatedIdentity.objects.count() == 0


def test_a_newcomer_gets_a_member_account_in_their_language(page, live_server, provider):
    provider.add_user("lin", "lin.meihua@itri.org.tw", "provider-password-1", "Mei-Hua", "Lin")
    _sign_in_at_the_provider(page, live_server, "lin")
    identity = FederatedIdentity.objects.select_related("user__profile").get()
    user = identity.user
    assert (user.username, user.email, user.get_full_name()) == ("lin.meihua", "lin.meihua@itri.org.tw", "Mei-Hua Lin")
    assert (user.profile.role, user.profile.preferred_language) == (Role.MEMBER, "zh-hant")
    assert not user.has_usable_password()
