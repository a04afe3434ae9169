"""The client's address as the site sees it behind its reverse proxies (specs/operations.md,
TRUSTED_PROXY_COUNT): each trusted proxy appends the address it received the request from to
X-Forwarded-For, so the real client is the entry that many places from the right. Entries to its
left were written by the client itself and are never believed."""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if proxies <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < proxies:
        return remote  # not through all our proxies: the nearest address is the only one we know
    return chain[-proxies][:64]
