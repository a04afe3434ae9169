"""The site's own 403, 404, 500 and CSRF-failure pages: in the layout and language of the site,
saying why and what to do (Django's bare defaults named nothing and offered no way back)."""

from __future__ import annotations

import logging

from django.http import (HttpResponseBadRequest, HttpResponseForbidden, HttpResponseNotFound,
                         HttpResponsePermanentRedirect, HttpResponseServerError)
from django.templatetags.static import static
from django.template import loader
from django.utils.translation import gettext as _

from .errors import Refused

log = logging.getLogger(__name__)


def bad_request(request, exception=None):
    """400: the reason BadRequest carries (core/params.py names the field and what it takes)."""
    reason = str(exception) if exception is not None and exception.args else ""
    return HttpResponseBadRequest(loader.render_to_string("400.html", {"reason": reason, "path": request.path}, request))


def forbidden(request, exception=None):
    reason = getattr(exception, "reason", "") or (str(exception) if exception and exception.args else "")
    context = {"reason": reason, "next_url": getattr(exception, "next_url", ""),
               "next_label": getattr(exception, "next_label", ""), "path": request.path}
    return HttpResponseForbidden(loader.render_to_string("403.html", context, request))


def not_found(request, exception=None):
    return HttpResponseNotFound(loader.render_to_string("404.html", {"path": request.path}, request))


def server_error(request):
    # No context processors: whatever failed (the database, say) must not fail this page too.
    return HttpResponseServerError(loader.get_template("500.html").render({"path": request.path}))


def csrf_failure(request, reason=""):
    log.info("CSRF failure on %s: %s", request.path, reason)
    refused = Refused(_("This form had expired or came from another site, so nothing was saved. "
                        "Go back, reload the page and send it again."),
                      next_url=request.path, next_label=_("Reload the page"))
    return forbidden(request, refused)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the site's icon."""
    return HttpResponsePermanentRedirect(static("clusterbridge/favicon.svg"))
