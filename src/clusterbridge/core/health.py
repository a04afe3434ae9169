"""GET /healthz (specs/operations.md): whether the site can serve, for the proxy's and the
orchestrator's checks. No login, no personal data: it asks the database for `SELECT 1` and, when
the site runs its jobs through Redis, Redis for a PING."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as error:  # any failure means it cannot serve; the reason goes to the log only
        import logging

        logging.getLogger(__name__).warning("health: database: %s", type(error).__name__)
        return "unreachable"


def _queue() -> str:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return "off"  # jobs run in the web process: nothing to ask
    try:
        import redis

        from redis.backoff import NoBackoff
        from redis.retry import Retry

        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1, retry=Retry(NoBackoff(), 0)).ping()
        return "ok"
    except Exception as error:
        import logging

        logging.getLogger(__name__).warning("health: queue: %s", type(error).__name__)
        return "unreachable"


@never_cache
@require_GET
def healthz(request):
    database, queue = _database(), _queue()
    healthy = database == "ok" and queue in ("ok", "off")
    body = {"status": "ok" if healthy else "error", "database": database, "queue": queue}
    if not healthy:
        body["failing"] = [part for part, state in (("database", database), ("queue", queue))
                           if state not in ("ok", "off")]
    return JsonResponse(body, status=200 if healthy else 503)
