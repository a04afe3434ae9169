"""Logging in through an OpenID Connect provider beside passwords (mozilla-django-oidc does the
protocol: authorisation code flow, state, nonce, the ID token's signature against the provider's
keys). What is ours: which ClusterBridge account a provider's person is.

- An identity seen before (issuer + subject) is its linked account.
- A first login is linked to the account whose e-mail address the provider says it has verified;
  without a verified address nothing is linked or made.
- Nobody with that address: an account is made (a member, like a sign-up) unless OIDC_CREATE_USER
  is off. Roles are never taken from the provider: an officer is made an officer here.

Set by the environment (settings.py): OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_AUTHORIZATION_ENDPOINT,
OIDC_TOKEN_ENDPOINT, OIDC_USERINFO_ENDPOINT, OIDC_JWKS_ENDPOINT, OIDC_PROVIDER_NAME. The provider
registers https://<site>/oidc/callback/ as the redirect address."""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .models import FederatedIdentity, Profile, Role

logger = logging.getLogger(__name__)


class FederationRefused(Exception):
    """Why a provider's person cannot log in here, said to them."""


def federation_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def _verified(claims: dict) -> bool:
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _new_username(email: str) -> str:
    User = get_user_model()
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:140] or "user"
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


@transaction.atomic
def federated_user_for(*, issuer: str, subject: str, claims: dict):
    """The account for the provider's person (linking or making it as the module says), or
    FederationRefused with the reason."""
    if not issuer or not subject:
        raise FederationRefused(_("The identity provider's answer lacks who you are (issuer and subject)."))
    now = timezone.now()
    identity = FederatedIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if identity is not None:
        if not identity.user.is_active:
            raise FederationRefused(_("This account is closed. Ask a programme officer."))
        FederatedIdentity.objects.filter(pk=identity.pk).update(last_login_at=now)
        return identity.user
    email = (claims.get("email") or "").strip().lower()
    if not email or not _verified(claims):
        raise FederationRefused(_("Your identity provider did not confirm an e-mail address for you, so your "
                                  "login cannot be linked to an account here. Log in with your password."))
    User = get_user_model()
    users = list(User.objects.filter(email__iexact=email)[:2])
    if len(users) > 1:
        raise FederationRefused(_("Several accounts here have your e-mail address. Ask a programme officer "
                                  "to merge them."))
    if users:
        user = users[0]
        if not user.is_active:
            raise FederationRefused(_("This account is closed. Ask a programme officer."))
    elif getattr(settings, "OIDC_CREATE_USER", True):
        user = User.objects.create_user(_new_username(email), email=email)  # no password: logs in through the provider
        user.first_name = (claims.get("given_name") or "")[:150]
        user.last_name = (claims.get("family_name") or "")[:150]
        if not (user.first_name or user.last_name):
            user.first_name, _sep, user.last_name = (claims.get("name") or "").partition(" ")
            user.first_name, user.last_name = user.first_name[:150], user.last_name[:150]
        user.save()
        language = "zh-hant" if str(claims.get("locale", "")).lower().startswith("zh") else "en"
        Profile.objects.create(user=user, role=Role.MEMBER, preferred_language=language)
    else:
        raise FederationRefused(_("No account here has your e-mail address. Sign up first, or ask a programme "
                                  "officer."))
    FederatedIdentity.objects.create(user=user, issuer=issuer, subject=subject, email=email, last_login_at=now)
    logger.info("federated identity linked", extra={"user_id": user.pk, "issuer": issuer})
    return user


class FederatedBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with our account rules; it answers only the provider's callback."""

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        subject = str(payload.get("sub") or "")
        if claims.get("sub") and str(claims["sub"]) != subject:  # OIDC Core 5.3.2: must match the ID token
            self.request.federation_refusal = _("The identity provider's answers disagree about who you are.")
            return None
        try:
            return federated_user_for(issuer=str(payload.get("iss") or ""), subject=subject, claims=claims)
        except FederationRefused as refusal:
            self.request.federation_refusal = str(refusal)
            return None


class FederatedLoginStart(OIDCAuthenticationRequestView):
    """GET /oidc/authenticate/?next=...: off to the provider (404 when none is configured)."""

    def __init__(self, *args, **kwargs):
        if federation_enabled():
            super().__init__(*args, **kwargs)

    def get(self, request):
        if not federation_enabled():
            raise Http404
        return super().get(request)


class FederatedLoginCallback(OIDCAuthenticationCallbackView):
    """GET /oidc/callback/: back from the provider; on refusal, the login page says why."""

    def get(self, request):
        if not federation_enabled():
            raise Http404
        return super().get(request)

    def login_failure(self):
        reason = getattr(self.request, "federation_refusal", "") or _(
            "The login through your identity provider did not complete. Try again, or log in with your password.")
        messages.error(self.request, reason)
        return HttpResponseRedirect(reverse("accounts:login"))
