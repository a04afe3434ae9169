"""Requests that no database can store are refused at the door."""

from __future__ import annotations

from django.http import HttpResponseBadRequest


class RejectNulMiddleware:
    """A NUL character (U+0000) in the address, the query, a form field or a
    JSON body is refused with 400 and a plain message. PostgreSQL cannot hold
    it in text, so letting it through would end in a server error there (and
    nobody types it on purpose)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = self._where(request)
        if where:
            return HttpResponseBadRequest(f"The request has a NUL character in {where}; remove it and try again.",
                                          content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _where(request) -> str:
        if "\x00" in request.path:
            return "the address"
        if any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists()):
            return "the query"
        if request.method in ("POST", "PUT", "PATCH"):
            kind = request.content_type or ""
            if kind == "application/json":
                if b"\\u0000" in request.body or b"\x00" in request.body:
                    return "the body"
            elif kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
                if any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.POST.lists()):
                    return "a form field"
        return ""


CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'",
    "style-src-attr 'unsafe-inline'",  # the charts' bar widths; no style or script element is inline
    "img-src 'self' data:", "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'self'",
    "form-action 'self'", "frame-ancestors 'none'",
])
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
# The API's documentation page is django-ninja's Swagger UI, which loads from its CDN with an inline script.
POLICY_EXEMPT_PREFIXES = ("/api/v1/docs",)


class SecurityHeadersMiddleware:
    """A Content-Security-Policy (scripts and styles only from the site: site.js and site.css) and a
    Permissions-Policy on every page, in every profile, so that the browser tests run under them.
    Written here rather than with django-csp: one fixed policy, no nonces needed; Django 6's own
    CSP middleware can replace it on upgrade."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(POLICY_EXEMPT_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
