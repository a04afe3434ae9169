"""clusterbridge serve [--bind HOST:PORT]: the production web server (specs/operations.md).

Gunicorn runs the site's WSGI application with WEB_WORKERS worker processes (default: two per core
plus one, at most 9), each with a few threads so that a slow request does not hold a whole process.
Each request's line is written by the site itself (core/observability.py: JSON with the request id),
so gunicorn's own access log is off and its messages go through the same formatter; static files are
served by the site (WhiteNoise, compressed and cached) or by the proxy in front. Metrics of all
workers meet in PROMETHEUS_MULTIPROC_DIR (cli.py makes a fresh one for each start)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, 9)


def _child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


class Command(BaseCommand):
    help = "Run the production web server (gunicorn) on --bind, with WEB_WORKERS workers."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=None, help="default: WEB_WORKERS or 2 × cores + 1")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
        parser.add_argument("--timeout", type=int, default=60, help="seconds before a stuck worker is restarted")

    def handle(self, *args, **options):
        from gunicorn.app.base import BaseApplication

        from clusterbridge.wsgi import application

        workers = options["workers"] or int(os.environ.get("WEB_WORKERS", "0") or 0) or default_workers()
        from django.conf import settings

        logging_config = {**settings.LOGGING, "loggers": {
            **settings.LOGGING["loggers"], "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}}}
        config = {"bind": options["bind"], "workers": workers, "threads": options["threads"],
                  "timeout": options["timeout"], "accesslog": None, "errorlog": "-", "graceful_timeout": 30,
                  "logconfig_dict": logging_config, "child_exit": _child_exit,
                  "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")}

        class Server(BaseApplication):
            def load_config(self):
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        self.stdout.write(f"serving on http://{options['bind']}/ with {workers} workers (Ctrl-C stops)")
        Server().run()
