"""clusterbridge serve [--bind HOST:PORT]: the production web server (specs/operations.md).

Gunicorn runs the site's WSGI application with WEB_WORKERS worker processes (default: two per core
plus one, at most 9), each with a few threads so that a slow request does not hold a whole process.
Access lines go to standard output, errors to standard error; static files are served by the site
(WhiteNoise, compressed and cached) or by the proxy in front."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, 9)


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
        config = {"bind": options["bind"], "workers": workers, "threads": options["threads"],
                  "timeout": options["timeout"], "accesslog": "-", "errorlog": "-", "graceful_timeout": 30,
                  "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")}

        class Server(BaseApplication):
            def load_config(self):
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        self.stdout.write(f"serving on http://{options['bind']}/ with {workers} workers (Ctrl-C stops)")
        Server().run()
