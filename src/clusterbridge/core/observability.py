"""Logs that an operator can search: one JSON object per line (LOG_FORMAT=json, the production
default) with the request id on every line written while a request is served, one line per request
(method, path, status, duration), and an error's traceback once, inside its own line.

The request id comes from the proxy's X-Request-ID when the site is behind one (nginx:
`proxy_set_header X-Request-ID $request_id;`), else it is made here; the answer carries it back in
X-Request-ID, so that a person's "it failed at 10:02" can be found in the log."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import traceback
import uuid

from django.conf import settings

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
requests_log = logging.getLogger("clusterbridge.requests")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (empty outside a request: jobs, commands)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, request_id, the fields passed with `extra=`, and an error's
    traceback as one string (so one error is one line)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": record.getMessage(),
                "request_id": getattr(record, "request_id", "")}
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            line["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        elif record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False)


def logging_config(*, json_lines: bool, level: str = "INFO") -> dict:
    """LOGGING for settings.py: everything through one handler on standard error; Django's own
    loggers propagate to it instead of printing a second copy."""
    formatter = ({"()": "clusterbridge.core.observability.JsonFormatter"} if json_lines else
                 {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"})
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "clusterbridge.core.observability.RequestIdFilter"}},
        "formatters": {"line": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["request_id"]}},
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            "django.server": {"handlers": [], "level": "WARNING", "propagate": True},  # runserver: our line instead
            "clusterbridge": {"handlers": [], "level": level, "propagate": True},
        },
    }


def _request_id(request) -> str:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):  # behind our proxy: its id joins both logs
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        if _ACCEPTED_ID.fullmatch(given):
            return given
    return uuid.uuid4().hex


QUIET_PATHS = ("/healthz", "/metrics")


class RequestLogMiddleware:
    """First in the chain: gives the request its id, times it, writes its line and its metrics."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = _request_id(request)
        token = request_id_var.set(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        elapsed = time.perf_counter() - started
        response["X-Request-ID"] = request.request_id
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "unmatched"
        from .metrics import request_observed

        request_observed(method=request.method, view=view, status=response.status_code, seconds=elapsed)
        token = request_id_var.set(request.request_id)
        try:
            quiet = request.path in QUIET_PATHS and response.status_code < 400
            requests_log.log(logging.DEBUG if quiet else logging.INFO, "%s %s %s %.1f ms", request.method,
                             request.path, response.status_code, elapsed * 1000,
                             extra={"method": request.method, "path": request.path, "view": view,
                                    "status": response.status_code, "duration_ms": round(elapsed * 1000, 1),
                                    "user_id": getattr(getattr(request, "user", None), "pk", None)})
        finally:
            request_id_var.reset(token)
        return response
