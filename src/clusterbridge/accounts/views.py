"""Login with rate limiting and an optional second step (TOTP); the rest of
the account pages are Django's."""

from __future__ import annotations

import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterbridge.core import totp

from .models import TwoFactor
from .services import (api_token_create, profile_language_set, api_token_revoke, two_factor_check, two_factor_confirm,
                       two_factor_disable)

# Failed logins allowed in the window per account, and per client address (the real one behind the
# proxies, core/client_address.py): an office behind one address is not locked out by a colleague's
# five mistakes, while one address trying many accounts is stopped. Counted in the cache, so with
# Redis every process shares the counts.
MAX_FAILURES = 5
MAX_FAILURES_PER_ADDRESS = 30
WINDOW_SECONDS = 15 * 60


def _keys(request, username: str | None = None) -> list[tuple[str, int]]:
    from clusterbridge.core.client_address import client_address

    username = (username if username is not None else request.POST.get("username") or "").strip().lower()[:150]
    return [(f"clusterbridge:login-failures:ip:{client_address(request)}", MAX_FAILURES_PER_ADDRESS),
            (f"clusterbridge:login-failures:user:{username}", MAX_FAILURES)]


def login_blocked(request, username: str | None = None) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(request, username))


def login_failed(request, username: str | None = None) -> None:
    for key, _limit in _keys(request, username):
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)


class RateLimitedLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs):
        from .federation import federation_enabled

        context = super().get_context_data(**kwargs)
        if federation_enabled():
            context["federation_name"] = settings.OIDC_PROVIDER_NAME
        return context

    def post(self, request, *args, **kwargs):
        if login_blocked(request):
            return _blocked_response(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        login_failed(self.request)
        return super().form_invalid(form)

    def form_valid(self, form):
        user = form.get_user()
        if TwoFactor.objects.filter(user=user).exists():
            # The password was right; the session is not logged in until the code is.
            self.request.session[PENDING] = {"user": user.pk, "backend": user.backend,
                                             "next": self.get_success_url(), "at": int(time.time())}
            return redirect("accounts:login_code")
        cache.delete(_keys(self.request)[1][0])  # the account's count; the address keeps its own
        return super().form_valid(form)


class LimitedPasswordResetView(auth_views.PasswordResetView):
    """The reset e-mail goes to whoever owns the address typed in: limited per address typed and per
    client address (core/rate_limits.py), whether an account has that address or not."""

    def form_valid(self, form):
        from clusterbridge.core.rate_limits import PASSWORD_RESET, RateLimited, limit_hit, rate_limited_page

        try:
            limit_hit(self.request, PASSWORD_RESET, person="reset:" + form.cleaned_data["email"].strip().lower())
        except RateLimited as error:
            return rate_limited_page(self.request, error)
        return super().form_valid(form)


PENDING = "clusterbridge:two-factor-pending"
PENDING_SECONDS = 5 * 60


def _blocked_response(request):
    body = render_to_string("accounts/login_blocked.html", {"minutes": WINDOW_SECONDS // 60}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def login_code(request):
    """Second step of a login for people with an authenticator app."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.info(request, _("Please log in again."))
        return redirect("accounts:login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    error = ""
    if request.method == "POST":
        if login_blocked(request, user.get_username()):
            return _blocked_response(request)
        if two_factor_check(user=user, code=request.POST.get("code", "")[:20]):
            del request.session[PENDING]
            cache.delete(_keys(request, user.get_username())[1][0])
            auth_login(request, user, backend=pending["backend"])
            target = pending["next"]
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                target = "/"
            return redirect(target)
        login_failed(request, user.get_username())
        error = _("That code is not right, or it was used already. Enter the code your app shows now.")
    return render(request, "accounts/login_code.html", {"error": error})


@login_required
def two_factor(request):
    """Turn the authenticator-app second factor on (scan, confirm with a code) or off."""
    device = TwoFactor.objects.filter(user=request.user).first()
    error = ""
    if device is None:
        secret = request.session.get("clusterbridge:two-factor-secret") or totp.new_secret()
        request.session["clusterbridge:two-factor-secret"] = secret
        if request.method == "POST":
            if two_factor_confirm(user=request.user, secret=secret, code=request.POST.get("code", "")[:20]):
                del request.session["clusterbridge:two-factor-secret"]
                messages.success(request, _("Two-step login is on. From now on, log in with your password and a code from your app."))
                return redirect("accounts:two_factor")
            error = _("That code is not right. Check that your phone's clock is correct and enter the code your app shows now.")
        uri = totp.provisioning_uri(secret, request.user.get_username())
        qr = segno.make(uri, error="m").svg_inline(scale=4, dark="#1b2430", title=_("QR code for your authenticator app"))
        return render(request, "accounts/two_factor.html", {"device": None, "secret": secret, "qr": qr,
                                                            "uri": uri, "error": error})
    if request.method == "POST":
        username = request.user.get_username()
        if login_blocked(request, username):  # guessing codes here counts like guessing at login
            return _blocked_response(request)
        if two_factor_disable(user=request.user, code=request.POST.get("code", "")[:20]):
            messages.success(request, _("Two-step login is off."))
            return redirect("accounts:two_factor")
        login_failed(request, username)
        error = _("That code is not right, or it was used already.")
    return render(request, "accounts/two_factor.html", {"device": device, "error": error})




@login_required
def inbox(request):
    """The person's notices, newest first; opening the page marks them read."""
    from .models import InboxMessage

    notices = list(InboxMessage.objects.filter(recipient=request.user)[:200])
    language = translation.get_language() or "en"
    for notice in notices:  # in the language of the page, whatever the language it was sent in
        notice.subject, notice.body = notice.rendered(language)
    unread = [n.id for n in notices if n.read_at is None]
    profile = getattr(request.user, "profile", None)
    response = render(request, "accounts/inbox.html", {
        "notices": notices, "unread": set(unread), "languages": settings.LANGUAGES,
        "notice_language": profile.preferred_language if profile else "en"})
    InboxMessage.objects.filter(id__in=unread).update(read_at=timezone.now())
    return response


@login_required
def api_tokens(request):
    """Personal API keys: make one (shown once), see when each was last used, revoke."""
    from .models import ApiScope, ApiToken

    new_key = ""
    if request.method == "POST":
        if request.POST.get("revoke"):
            if api_token_revoke(user=request.user, token_id=int(request.POST["revoke"]) if request.POST["revoke"].isdigit() else 0):
                messages.success(request, _("The key is revoked; programs using it are refused from now on."))
            return redirect("accounts:api_tokens")
        days = request.POST.get("days", "")
        try:
            new_key = api_token_create(user=request.user, name=request.POST.get("name", ""),
                                       scopes=request.POST.getlist("scopes"),
                                       days=int(days) if days.isdigit() else None)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/api_tokens.html", {"tokens": tokens, "new_key": new_key,
                                                        "scopes": ApiScope.choices})


def set_language(request):
    """The language switch (Django's), which also becomes the language of a signed-in person's
    notices and e-mails: people choose it where they choose the site's language."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        profile_language_set(user=request.user, language=language)
    return response


@login_required
@require_POST
def notice_language(request):
    """Chosen on the inbox page: the language of notices and e-mails, apart from the site's."""
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        profile_language_set(user=request.user, language=language)
        messages.success(request, _("Your notices and e-mails will be in %(l)s.") % {
            "l": dict(settings.LANGUAGES)[language]})
    return redirect("accounts:inbox")
