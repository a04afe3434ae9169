"""Limits on the actions that send e-mail to other people (specs/operations.md; issue "Run it for
real"): each is counted per person (or per account asked about, for a password reset) and per real
client address behind the proxies, in the cache — with Redis, every web process shares the counts.

A count lives in a fixed window (`window` seconds); the key names the window, so the answer's
Retry-After is exactly the time left in it. The per-address limits are generous on purpose: a
matchmaking event's whole hall often reaches the site through one address."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .client_address import client_address


@dataclass(frozen=True)
class Limit:
    action: str
    per_person: int
    per_address: int
    window: int  # seconds


EXPRESS_INTEREST = Limit("express-interest", per_person=10, per_address=100, window=3600)
PASSWORD_RESET = Limit("password-reset", per_person=3, per_address=20, window=3600)
MEETING_REQUESTS = Limit("meeting-requests", per_person=60, per_address=1200, window=3600)
INVITATIONS = Limit("invitations", per_person=20, per_address=100, window=3600)
SIGN_UP = Limit("sign-up", per_person=3, per_address=30, window=3600)  # the confirmation e-mail
SUBSCRIBE = Limit("subscribe", per_person=3, per_address=30, window=3600)  # a newsletter confirmation e-mail


class RateLimited(Exception):
    def __init__(self, limit: Limit, retry_after: int):
        super().__init__(f"{limit.action}: try again in {retry_after} s")
        self.limit, self.retry_after = limit, retry_after


def _count(key: str, window: int) -> int:
    cache.add(key, 0, window + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window + 5)
        return 1


def limit_hit(request, limit: Limit, *, person: str = "") -> None:
    """Count one use of the action; raise RateLimited when the person or the address is over its
    limit for the current window. `person` defaults to the logged-in user. settings.RATE_LIMITS may
    change a limit by its action's name: {"meeting-requests": {"per_person": 100}}."""
    from django.conf import settings

    limit = replace(limit, **getattr(settings, "RATE_LIMITS", {}).get(limit.action, {}))
    now = time.time()
    window_index = int(now // limit.window)
    retry_after = max(1, int(limit.window - now % limit.window))
    person = person or (str(request.user.pk) if getattr(request, "user", None) and request.user.is_authenticated else "")
    checks = [(f"clusterbridge:rate:{limit.action}:ip:{client_address(request)}:{window_index}", limit.per_address)]
    if person:
        checks.append((f"clusterbridge:rate:{limit.action}:person:{person[:200]}:{window_index}", limit.per_person))
    over = [key for key, most in checks if _count(key, limit.window) > most]
    if over:
        raise RateLimited(limit, retry_after)


def _wait_text(seconds: int) -> str:
    minutes = -(-seconds // 60)
    return ngettext("Try again in %(n)d minute.", "Try again in %(n)d minutes.", minutes) % {"n": minutes}


def rate_limited_page(request, error: RateLimited) -> HttpResponse:
    body = render_to_string("core/rate_limited.html", {"wait": _wait_text(error.retry_after)}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


def rate_limited_json(error: RateLimited) -> JsonResponse:
    response = JsonResponse({"detail": _("Too many requests of this kind from you or your network. ")
                             + _wait_text(error.retry_after)}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


def limited_posts(limit: Limit):
    """For a page view whose POSTs send e-mail: each POST counts; over the limit, the 429 page."""
    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                try:
                    limit_hit(request, limit)
                except RateLimited as error:
                    return rate_limited_page(request, error)
            return view(request, *args, **kwargs)
        return wrapped
    return decorate
