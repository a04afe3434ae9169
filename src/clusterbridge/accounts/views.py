"""Login with rate limiting; the rest of the account pages are Django's."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.template.loader import render_to_string

# Failed logins allowed per user name and per client address in the window.
MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _keys(request) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "unknown")
    username = (request.POST.get("username") or "").strip().lower()[:150]
    return [f"clusterbridge:login-failures:ip:{address}", f"clusterbridge:login-failures:user:{username}"]


def login_blocked(request) -> bool:
    return any((cache.get(k) or 0) >= MAX_FAILURES for k in _keys(request))


def login_failed(request) -> None:
    for key in _keys(request):
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)


class RateLimitedLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def post(self, request, *args, **kwargs):
        if login_blocked(request):
            body = render_to_string("accounts/login_blocked.html", {
                "minutes": WINDOW_SECONDS // 60}, request=request)
            return HttpResponse(body, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        login_failed(self.request)
        return super().form_invalid(form)

    def form_valid(self, form):
        for key in _keys(self.request):
            cache.delete(key)
        return super().form_valid(form)




@login_required
def inbox(request):
    """The person's notices, newest first; opening the page marks them read."""
    from .models import InboxMessage

    notices = list(InboxMessage.objects.filter(recipient=request.user)[:200])
    unread = [n.id for n in notices if n.read_at is None]
    response = render(request, "accounts/inbox.html", {"notices": notices, "unread": set(unread)})
    InboxMessage.objects.filter(id__in=unread).update(read_at=timezone.now())
    return response
