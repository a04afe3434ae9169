"""`clusterbridge worker`: runs the background jobs queued in Redis (REDIS_URL must be set).

Before taking work, and every minute while it runs, it sweeps the job table (`core.jobs`):
running jobs whose worker died are failed, queued jobs the queue lost (a Redis restart) or never
got (Redis was down when they were made) are handed over again."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from clusterbridge.core.jobs import SWEEP_EVERY_SECONDS, jobs_sweep, sweeper_start


class Command(BaseCommand):
    help = "Run background jobs from Redis, sweeping stale and lost jobs every minute."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="stop when the queue is empty (tests, cron)")
        parser.add_argument("--sweep-every", type=float, default=SWEEP_EVERY_SECONDS)

    def handle(self, *args, burst: bool = False, sweep_every: float = SWEEP_EVERY_SECONDS, **options):
        if not settings.REDIS_URL:
            raise CommandError("REDIS_URL is not set: without it jobs run in the web process and need no worker")
        counts = jobs_sweep()
        self.stderr.write(f"job sweeper: {counts['failed']} stale job(s) failed, {counts['dispatched']} re-queued")
        if not burst:
            sweeper_start(every=sweep_every)
        worker_args = ["--job-class", "django_tasks_rq.Job"] + (["--burst"] if burst else [])
        call_command("rqworker", *worker_args)
