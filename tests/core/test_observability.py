"""JSON logs with the request id on every line, one error one line, and the Prometheus metrics."""

import io
import json
import logging

import pytest

from clusterbridge.core.models import Job
from clusterbridge.core.observability import JsonFormatter, RequestIdFilter, request_id_var

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """What the site's loggers write, through the production formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_every_request_gets_an_id_and_one_json_line(client, json_log):
    response = client.get("/accounts/login/")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = [line for line in json_log() if line["logger"] == "clusterbridge.requests"]
    assert {k: line[k] for k in ("level", "message", "request_id", "method", "path", "view", "status")} == {
        "level": "INFO", "message": f"GET /accounts/login/ 200 {line['duration_ms']:.1f} ms",
        "request_id": request_id, "method": "GET", "path": "/accounts/login/", "view": "accounts:login",
        "status": 200}
    assert client.get("/accounts/login/")["X-Request-ID"] != request_id


def test_the_proxys_request_id_is_kept_only_behind_the_proxy(client, settings):
    given = {"HTTP_X_REQUEST_ID": "5f0c6e0e2b7a4c1d9e8f7a6b5c4d3e2f"}
    assert client.get("/healthz", **given)["X-Request-ID"] != given["HTTP_X_REQUEST_ID"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/healthz", **given)["X-Request-ID"] == given["HTTP_X_REQUEST_ID"]
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_an_error_is_one_line_with_its_traceback_and_request_id(json_log):
    token = request_id_var.set("abc123def456")
    try:
        try:
            {}["missing"]
        except KeyError:
            logging.getLogger("clusterbridge.test").exception("could not do %s", "the thing")
    finally:
        request_id_var.reset(token)
    [line] = json_log()
    assert (line["level"], line["message"], line["request_id"]) == ("ERROR", "could not do the thing", "abc123def456")
    assert line["exception"].startswith("Traceback (most recent call last):")
    assert line["exception"].endswith("KeyError: 'missing'")


def test_metrics_count_requests_and_jobs_for_local_scrapers_only(client, monkeypatch):
    client.get("/accounts/login/")
    Job.objects.create(kind="directory.import", status=Job.Status.QUEUED)
    Job.objects.create(kind="directory.import", status=Job.Status.FAILED)
    Job.objects.create(kind="directory.import", status=Job.Status.FAILED)
    page = client.get("/metrics")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/plain")
    text = page.content.decode()
    assert 'clusterbridge_jobs{kind="directory.import",status="failed"} 2.0' in text
    assert 'clusterbridge_jobs{kind="directory.import",status="queued"} 1.0' in text
    assert 'clusterbridge_http_request_duration_seconds_bucket{le="0.3",view="accounts:login"}' in text
    # through the proxy (an X-Forwarded-For), or from elsewhere: nothing to see
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5").status_code == 404
    monkeypatch.setenv("METRICS_TOKEN", "s3cret-token-for-prometheus")
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5",
                      HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus").status_code == 200


def test_errors_reach_sentry_when_a_dsn_is_set(tmp_path):
    """A Sentry endpoint of the test's own (plain HTTP on 127.0.0.1) receives the error's envelope."""
    import gzip
    import http.server
    import os
    import subprocess
    import sys
    import threading

    received = []

    class Sentry(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            encoding = self.headers.get("Content-Encoding", "")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "br":  # sentry-sdk's choice when brotli is installed
                import brotli

                body = brotli.decompress(body)
            received.append((self.path, body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sentry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_address[1]}/42",
           "CLUSTERBRIDGE_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite3"}
    code = ("import logging\ntry:\n    1 / 0\nexcept ZeroDivisionError:\n"
            "    logging.getLogger('clusterbridge.ledger').exception('posting failed')")
    try:
        subprocess.run([sys.executable, "-m", "clusterbridge.cli", "shell", "-v", "0", "-c", code], env=env,
                       check=True, capture_output=True, timeout=60)
    finally:
        server.shutdown()
        server.server_close()
    assert [path for path, _ in received] == ["/api/42/envelope/"]
    items = [json.loads(part) for part in received[0][1].splitlines() if part.startswith(b"{")]
    event = next(item for item in items if "exception" in item)
    assert event["logentry"]["message"] == "posting failed"
    assert event["exception"]["values"][-1]["type"] == "ZeroDivisionError"
    assert event["environment"] == "development"
