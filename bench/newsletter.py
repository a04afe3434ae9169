"""Newsletter: the weekly digest to 20,000 subscribers through the Redis queue and a local SMTP
server (issue 15). Goal: under 5 minutes on this machine.

    .venv/bin/python bench/newsletter.py                  # 20,000 subscribers
    .venv/bin/python bench/newsletter.py --subscribers 2000

A PostgreSQL database, a Redis (port 6392) and an SMTP server counting what arrives are made here;
`clusterbridge worker` takes the job from Redis and `clusterbridge newsletter-send weekly-digest` waits
for it, as from cron. Measured: wall time of the command, messages per second, messages the SMTP
server received, and the peak memory (RSS) of the worker's process tree, sampled every 0.2 s. The
command is then run again: every address is skipped, nothing is sent twice."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from load import MailSink  # noqa: E402 - the load benchmark's counting SMTP server

BIN = Path(sys.executable).parent
DB = "clusterbridge_newsletter"
REDIS_PORT = 6392


def _tree_rss(root: int) -> int:
    """Resident memory (bytes) of `root` and its descendants (the RQ work-horse is a child)."""
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/status") as f:
                rss[int(entry)] = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS"))
        except (OSError, StopIteration, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(rss.get(pid, 0) for pid in tree)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=20_000)
    args = parser.parse_args()
    mail = MailSink()
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
           "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0", "EMAIL_URL": f"smtp://127.0.0.1:{mail.port}",
           "SITE_URL": "https://cluster.example.org", "LOG_LEVEL": "WARNING"}
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)"],
                   check=True)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {DB}"], check=True)
    subprocess.run(["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--daemonize", "yes",
                    "--save", "", "--appendonly", "no"], check=True, stdout=subprocess.DEVNULL)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "SITE_URL")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbridge.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from clusterbridge.publishing.models import MailingList, Post, Subscription
    from clusterbridge.publishing.sending import week_ending

    start, _end = week_ending()
    for n, (title_en, title_zh) in enumerate([("Smart textiles call", "智慧紡織徵求"), ("Lyon delegation", "里昂代表團"),
                                              ("Funding call for SMEs", "中小企業補助徵案")], start=1):
        Post.objects.create(slug=f"bench-{n}", title_en=title_en, title_zh=title_zh, status="published",
                            body_en="A paragraph of the kind posts have. " * 8, body_zh="一段常見長度的內容。" * 8,
                            publish_at=start + dt.timedelta(days=n))
    digest = MailingList.objects.get(slug="weekly-digest")
    now = timezone.now()
    Subscription.objects.bulk_create([
        Subscription(mailing_list=digest, email=f"reader{n:06d}@bench.invalid", language="zh-hant" if n % 3 else "en",
                     status="active", consent_at=now, consent_wording="bench") for n in range(args.subscribers)],
        batch_size=5000)
    from clusterbridge.core.models import Job

    # The daily digest job would send this week's digest as soon as the worker starts (it does, in
    # production); here the command is measured, so the daily job is marked as just run.
    Job.objects.create(kind="publishing.weekly", status="done", finished_at=now)
    from django.db import connections

    connections.close_all()
    worker = subprocess.Popen([str(BIN / "clusterbridge"), "worker"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    peak, done = [0], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(worker.pid))
            time.sleep(0.2)

    try:
        time.sleep(3)  # the worker connects
        baseline = _tree_rss(worker.pid)
        threading.Thread(target=sample, daemon=True).start()
        started = time.monotonic()
        first = subprocess.run([str(BIN / "clusterbridge"), "newsletter-send", "weekly-digest"], env=env,
                               capture_output=True, text=True, check=True)
        seconds = time.monotonic() - started
        done.set()
        again = subprocess.run([str(BIN / "clusterbridge"), "newsletter-send", "weekly-digest"], env=env,
                               capture_output=True, text=True, check=True)
        time.sleep(1)
        print(f"subscribers            {args.subscribers:,}")
        print(f"first run              {first.stdout.strip()}")
        print(f"time                   {seconds:.1f} s  ({args.subscribers / seconds:,.0f} messages/s)")
        print(f"received by SMTP       {mail.count:,}")
        print(f"worker memory          {baseline / 2**20:.0f} MiB idle, {peak[0] / 2**20:.0f} MiB peak (process tree)")
        print(f"second run             {again.stdout.strip()}")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        mail.stop()
        subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], capture_output=True)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)"])


if __name__ == "__main__":
    main()
