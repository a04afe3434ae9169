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
    env = {**os.environ, "CLUSTERBRIDGE_DATA_DIR": str(tmp_path), "WEB_WORKERS": "2",
           "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3"}
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
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
            assert response.status == 200 and b"ClusterBridge" in response.read()
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert "with 2 workers" in output and output.count("Booting worker") == 2
    assert '"GET /healthz HTTP/1.1" 200' in output  # the access log
