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
