"""The access log: each sign-in to an account, which the person can read and export."""

from __future__ import annotations

import ipaddress

from django.contrib.auth.signals import user_logged_in


def _signed_in(sender, request, user, **kwargs):
    from clusterbridge.core.client_address import client_address

    from .models import SignIn

    if request is None or not getattr(user, "pk", None):
        return
    backend = getattr(user, "backend", "") or ""
    method = "single sign-on" if "oidc" in backend.lower() or "federation" in backend.lower() else "password"
    try:
        address = str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        address = None
    SignIn.objects.create(user=user, address=address,
                          user_agent=request.META.get("HTTP_USER_AGENT", "")[:300], method=method)


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="privacy.signins")
