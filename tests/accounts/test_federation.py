"""Which account a provider's person is (accounts/federation.py), without the protocol (the browser
test runs the whole flow against a real provider)."""

import pytest

from clusterbridge.accounts.federation import FederationRefused, federated_user_for
from clusterbridge.accounts.models import FederatedIdentity, Role
from tests.factories import events as f

pytestmark = pytest.mark.django_db
ISSUER = "https://sso.moea.gov.tw/realms/icp"


def _claims(email, verified=True, **more):
    return {"email": email, "email_verified": verified, **more}


def _person(name, email, **kwargs):
    user = f.person(name, **kwargs)
    user.email = email
    user.save()
    return user


def test_a_verified_address_links_once_and_the_subject_finds_the_account_after():
    officer = _person("chen", "chen@moea.gov.tw", role=Role.PROGRAMME_OFFICER)
    assert federated_user_for(issuer=ISSUER, subject="u-1", claims=_claims("CHEN@moea.gov.tw")) == officer
    assert federated_user_for(issuer=ISSUER, subject="u-1", claims=_claims("someone.else@moea.gov.tw")) == officer
    assert list(FederatedIdentity.objects.values_list("user", "subject", "email")) == [
        (officer.pk, "u-1", "chen@moea.gov.tw")]


@pytest.mark.parametrize("verified", [False, "false", None])
def test_an_address_the_provider_did_not_verify_links_nothing(verified):
    _person("ana", "ana@techtera.fr")
    with pytest.raises(FederationRefused) as refusal:
        federated_user_for(issuer=ISSUER, subject="x", claims=_claims("ana@techtera.fr", verified))
    assert str(refusal.value).startswith("Your identity provider did not confirm an e-mail address for you")
    assert FederatedIdentity.objects.count() == 0


def test_two_accounts_with_one_address_or_a_closed_account_are_refused():
    _person("a1", "shared@example.org")
    _person("a2", "shared@example.org")
    with pytest.raises(FederationRefused, match="Several accounts here have your e-mail address"):
        federated_user_for(issuer=ISSUER, subject="s", claims=_claims("shared@example.org"))
    closed = _person("gone", "gone@example.org")
    closed.is_active = False
    closed.save()
    with pytest.raises(FederationRefused, match="This account is closed"):
        federated_user_for(issuer=ISSUER, subject="g", claims=_claims("gone@example.org"))


def test_without_account_creation_a_newcomer_is_told_to_sign_up(settings):
    settings.OIDC_CREATE_USER = False
    with pytest.raises(FederationRefused, match="No account here has your e-mail address"):
        federated_user_for(issuer=ISSUER, subject="n", claims=_claims("new@example.org"))
    settings.OIDC_CREATE_USER = True
    _person("new", "old@example.org")  # the user name is taken: the new one gets another
    user = federated_user_for(issuer=ISSUER, subject="n", claims=_claims("new@example.org", name="Nina Weber"))
    assert (user.username, user.get_full_name(), user.profile.role) == ("new2", "Nina Weber", Role.MEMBER)


def test_the_same_subject_at_another_issuer_is_another_person():
    ana = _person("ana", "ana@techtera.fr")
    federated_user_for(issuer=ISSUER, subject="1", claims=_claims("ana@techtera.fr"))
    with pytest.raises(FederationRefused, match="did not confirm"):
        federated_user_for(issuer="https://login.other.example", subject="1", claims={"email_verified": True})
    assert FederatedIdentity.objects.get().user == ana
