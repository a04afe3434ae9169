"""`clusterbridge serve` runs the real WSGI server (gunicorn) with WEB_WORKERS workers."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_health_and_pages_with_its_workers(tmp_path):
    env = {**os.environ, "CLUSTERBRIDGE_DATA_DIR": str(tmp_path), "WEB_WORKERS": "2", "LOG_FORMAT": "json",
           "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env.pop("REDIS_URL", None)
    cli = [sys.executable, "-m", "clusterbridge.cli"]
    subprocess.run(cli + ["migrate", "-v0"], env=env, check=True)
    port = _free_port()
    server = subprocess.Popen(cli + ["serve", "--bind", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        body = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = json.loads(response.read())
                break
            except OSError:
                time.sleep(0.25)
        assert body == {"status": "ok", "database": "ok", "queue": "off"}
        request_ids = []
        for _ in range(12):  # enough for both workers to answer some
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
                assert response.status == 200 and b"ClusterBridge" in response.read()
                request_ids.append(response.headers["X-Request-ID"])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            metrics = response.read().decode()
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert "with 2 workers" in output and output.count("Booting worker") == 2
    lines = [json.loads(line) for line in output.splitlines()[1:]]  # after the banner, every line is JSON
    served = [line for line in lines if line["logger"] == "clusterbridge.requests"]
    assert [(line["path"], line["status"]) for line in served] == [("/accounts/login/", 200)] * 12
    assert [line["request_id"] for line in served] == request_ids and len(set(request_ids)) == 12
    assert {line["logger"] for line in lines} == {"gunicorn.error", "clusterbridge.requests"}
    # the metrics of both workers are added up
    assert 'clusterbridge_http_requests_total{method="GET",status="200",view="accounts:login"} 12.0' in metrics


def test_production_static_files_are_hashed_compressed_and_cached_for_a_year(tmp_path):
    env = {**os.environ, "CLUSTERBRIDGE_ENV": "production", "SECRET_KEY": "x" * 50, "CLUSTERBRIDGE_DATA_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite3", "ALLOWED_HOSTS": "testserver"}
    env.pop("REDIS_URL", None)
    cli = [sys.executable, "-m", "clusterbridge.cli"]
    subprocess.run(cli + ["collectstatic", "--noinput", "-v", "0"], env=env, check=True)
    code = ("import re, json; from django.test import Client; c = Client(); "
            "page = c.get('/accounts/login/', secure=True).content.decode(); "
            "css = re.search(r'href=\"(/static/clusterbridge/site\\.[0-9a-f]{12}\\.css)\"', page).group(1); "
            "r = c.get(css, secure=True, HTTP_ACCEPT_ENCODING='br, gzip'); "
            "print(json.dumps([css, r.status_code, r['Cache-Control'], r.get('Content-Encoding')]))")
    out = subprocess.run(cli + ["shell", "-v", "0", "-c", code], env=env, capture_output=True, text=True, check=True)
    css, status, cache_control, encoding = json.loads(out.stdout.strip().splitlines()[-1])
    assert (status, cache_control, encoding) == (200, "max-age=315360000, public, immutable", "br")
    assert css.startswith("/static/clusterbridge/site.")
