"""GET /metrics: Prometheus metrics (prometheus-client, written here rather than with
django-prometheus, whose database and cache wrappers we do not need).

- `clusterbridge_http_requests_total{method,view,status}` and
  `clusterbridge_http_request_duration_seconds{view}` from every request (core/observability.py);
- `clusterbridge_jobs{kind,status}`: the job table by kind and state (queued, running, done, failed,
  cancelled), read when scraped, so it covers jobs run by every worker on every machine;
- `clusterbridge_queue_length`: jobs waiting in Redis (absent when jobs run in the web process).

Under `clusterbridge serve` each worker process writes its counts to PROMETHEUS_MULTIPROC_DIR and a
scrape adds them up. Who may read: anyone who sends `Authorization: Bearer $METRICS_TOKEN` when that
is set; else only a scraper on this machine that does not come through the proxy."""

from __future__ import annotations

import hmac
import logging
import os

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter("clusterbridge_http_requests_total", "Requests answered", ["method", "view", "status"])
LATENCY = Histogram("clusterbridge_http_request_duration_seconds", "Time to answer a request", ["view"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10))


def request_observed(*, method: str, view: str, status: int, seconds: float) -> None:
    method = method if method in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS") else "other"
    REQUESTS.labels(method, view, str(status)).inc()
    LATENCY.labels(view).observe(seconds)


class _JobsCollector:
    def collect(self):
        from django.db.models import Count

        from .models import Job

        jobs = GaugeMetricFamily("clusterbridge_jobs", "Jobs in the job table by kind and state", labels=["kind", "status"])
        try:
            for row in Job.objects.values("kind", "status").annotate(n=Count("id")).order_by():
                jobs.add_metric([row["kind"], row["status"]], row["n"])
        except Exception as error:  # a scrape never fails the scraper; the log says why
            logging.getLogger(__name__).warning("metrics: job table: %s", type(error).__name__)
        yield jobs
        if settings.REDIS_URL:
            try:
                import django_rq

                yield GaugeMetricFamily("clusterbridge_queue_length", "Jobs waiting in Redis",
                                        value=django_rq.get_queue("default").count)
            except Exception as error:
                logging.getLogger(__name__).warning("metrics: queue: %s", type(error).__name__)


def _allowed(request) -> bool:
    token = os.environ.get("METRICS_TOKEN", "")
    if token:
        given = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    local = request.META.get("REMOTE_ADDR", "") in ("127.0.0.1", "::1")
    return local and "HTTP_X_FORWARDED_FOR" not in request.META


@never_cache
@require_GET
def metrics(request):
    if not _allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # under `clusterbridge serve`: every worker's counts
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    return HttpResponse(generate_latest(registry) + generate_latest(_jobs_registry()), content_type=CONTENT_TYPE_LATEST)


def _jobs_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(_JobsCollector())
    return registry
