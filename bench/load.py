"""Load: `clusterbridge serve` on PostgreSQL with Redis and the demo data, 200 concurrent users on
the same 2-core machine (issue "Run it for real").

    .venv/bin/python bench/load.py                       # serve, then runserver, then serve with a Redis restart
    .venv/bin/python bench/load.py --only serve --users 50 --seconds 30

Each virtual user is a thread with its own session, its own client address (sent as the proxy
would, X-Forwarded-For with TRUSTED_PROXY_COUNT=1) and a think time between pages (uniform 2–8 s,
as a person reads). 90% browse anonymously: the directory (filters, pages), partner search,
organisation pages, the event page and the cooperation board. 10% are participants of the
1,500-person event, logged in: they read the participants and their agenda, ask for meetings
(through the API with their key: 201 is a write the site accepted) and express interest in
cooperation offers (a page POST; the redirect is an accepted write).

Nothing lost: after the run every accepted meeting request is looked up by id, every accepted
interest by the unique text it carried, and every notice e-mail the site queued is counted at the
SMTP server this script runs. The database, Redis (port 6391, this script's own), the data folder
and the mail server are all made here and removed afterwards."""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CLI = [str(BIN / "clusterbridge")]
DB = "clusterbridge_load"
REDIS_PORT = 6391
EVENT = "global-industrie-generated"
PASSWORD = "load-test-password-1"
QUERIES = ["smart machinery", "textile", "半導體", "electric vehicles", "rail", "醫療器材", "aerospace", "hydrogen",
           "光電", "recycling", "AI", "自行車", "cluster", "precision", "bio"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else (values[0] if values else 0.0)


# ------------------------------------------------------------ the site's surroundings

class MailSink:
    """An SMTP server counting what the site sends."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        sink = self
        self.count = 0
        self.lock = threading.Lock()

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with sink.lock:
                    sink.count += len(envelope.rcpt_tos)
                return "250 OK"

        self.port = _free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


def _redis(command: str) -> None:
    if command == "start":
        subprocess.run(["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--daemonize", "yes",
                        "--save", "", "--appendonly", "no"], check=True, stdout=subprocess.DEVNULL)
        for _ in range(50):
            if subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
    else:
        subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], capture_output=True)


def environment(data: Path, mail_port: int) -> dict:
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
           "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0", "CLUSTERBRIDGE_DATA_DIR": str(data), "DEBUG": "0",
           "TRUSTED_PROXY_COUNT": "1", "EMAIL_URL": f"smtp://127.0.0.1:{mail_port}", "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
           "LOG_FORMAT": "json"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return env


def prepare(env: dict) -> dict:
    """The demo on a new PostgreSQL database, then keys and passwords for the writers."""
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)"],
                   check=True)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {DB}"], check=True)
    started = time.monotonic()
    subprocess.run(CLI + ["demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(CLI + ["collectstatic", "--noinput", "-v", "0"], env=env, check=True)
    print(f"demo data on PostgreSQL in {time.monotonic() - started:.0f} s", flush=True)
    code = f"""
import json
from django.contrib.auth import get_user_model
from clusterbridge.accounts.services import api_token_create
from clusterbridge.directory.models import CooperationProfile, Organisation
from clusterbridge.events.models import Registration
User = get_user_model()
for u in User.objects.filter(username__startswith="demo-", email=""):
    u.email = u.username + "@example.org"
    u.save(update_fields=["email"])
regs = list(Registration.objects.filter(event__slug={EVENT!r}).select_related("person").order_by("pk"))
writers = []
for r in regs[:200]:
    r.person.set_password({PASSWORD!r})
    r.person.save(update_fields=["password"])
    writers.append({{"username": r.person.username, "registration": r.pk,
                    "key": api_token_create(user=r.person, name="load", scopes=["events:write"])}})
print(json.dumps({{"writers": writers, "registrations": [r.pk for r in regs],
    "organisations": list(Organisation.objects.filter(published=True).values_list("external_id", flat=True)[:3000]),
    "profiles": list(CooperationProfile.objects.filter(status="published")  # not the writers' own
                     .exclude(organisation__in=[r.organisation_id for r in regs[:200]]).values_list("pk", flat=True))}}))
"""
    out = subprocess.run(CLI + ["shell", "-v", "0", "-c", code], env=env, check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# ------------------------------------------------------------ the users

@dataclass
class Record:
    started: float
    seconds: float
    status: int
    kind: str


@dataclass
class Outcome:
    records: list[Record] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests_accepted: list[int] = field(default_factory=list)
    requests_refused: int = 0
    interests_accepted: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class User(threading.Thread):
    def __init__(self, n: int, base: str, data: dict, outcome: Outcome, until: float, writer: dict | None, seed: int):
        super().__init__(daemon=True)
        self.n, self.base, self.data, self.outcome, self.until, self.writer = n, base, data, outcome, until, writer
        self.rng = random.Random(seed)
        self.session = requests.Session()
        # As a browser does, a GET sent on a kept-alive connection the server closed at that moment
        # is sent once more (never a POST).
        from requests.adapters import HTTPAdapter
        from urllib3.util.retry import Retry

        self.session.mount("http://", HTTPAdapter(max_retries=Retry(total=1, connect=1, read=1, status=0, other=0,
                                                                    allowed_methods={"GET"}, raise_on_status=False)))
        self.session.headers["X-Forwarded-For"] = f"10.{n // 250}.{n % 250}.{seed % 200 + 1}"

    def call(self, kind: str, method: str, path: str, **kwargs) -> requests.Response | None:
        started = time.monotonic()
        try:
            response = self.session.request(method, self.base + path, timeout=30, allow_redirects=False, **kwargs)
        except requests.RequestException as error:
            with self.outcome.lock:
                self.outcome.errors.append(f"{kind}: {type(error).__name__}")
                self.outcome.records.append(Record(started, time.monotonic() - started, 0, kind))
            return None
        seconds = time.monotonic() - started
        with self.outcome.lock:
            self.outcome.records.append(Record(started, seconds, response.status_code, kind))
            if response.status_code >= 500 or response.status_code in (403, 404, 429):
                self.outcome.errors.append(f"{kind} {path}: {response.status_code}")
        return response

    def think(self) -> None:
        time.sleep(self.rng.uniform(2, 8))

    def run(self) -> None:
        time.sleep(self.rng.uniform(0, 8))  # users arrive over the first seconds
        if self.writer:
            self.login()
        while time.monotonic() < self.until:
            (self.write_step if self.writer else self.browse_step)()
            self.think()

    def browse_step(self) -> None:
        rng, d = self.rng, self.data
        choice = rng.random()
        if choice < 0.30:
            params = rng.choice([{}, {"country": rng.choice(["TW", "FR", "DE", "IT", "NL"])}, {"page": rng.randint(1, 20)},
                                 {"kind": "cluster_organisation"}])
            self.call("directory", "GET", "/organisations/", params=params)
        elif choice < 0.55:
            self.call("search", "GET", "/organisations/", params={"q": rng.choice(QUERIES)})
        elif choice < 0.80:
            self.call("organisation", "GET", f"/organisations/{rng.choice(d['organisations'])}/")
        elif choice < 0.90:
            self.call("event", "GET", f"/events/{EVENT}/")
        else:
            self.call("cooperation", "GET", "/cooperation/")

    def login(self) -> None:
        page = self.call("login", "GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1) if page is not None else ""
        answer = self.call("login", "POST", "/accounts/login/", data={
            "username": self.writer["username"], "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.base + "/accounts/login/"})
        if answer is None or answer.status_code != 302:
            with self.outcome.lock:
                self.outcome.errors.append(f"login of {self.writer['username']} failed")

    def write_step(self) -> None:
        rng, d = self.rng, self.data
        choice = rng.random()
        if choice < 0.35:
            recipient = rng.choice(d["registrations"])
            answer = self.call("meeting request", "POST", f"/api/v1/events/{EVENT}/requests",
                               json={"recipient": recipient, "priority": rng.choice([1, 2, 3])},
                               headers={"Authorization": f"Bearer {self.writer['key']}"})
            if answer is not None:
                with self.outcome.lock:
                    if answer.status_code == 201:
                        self.outcome.requests_accepted.append(answer.json()["id"])
                    elif answer.status_code == 422:  # the rules' refusal (an open request, the maximum): not lost
                        self.outcome.requests_refused += 1
        elif choice < 0.50 and d["profiles"]:
            profile = rng.choice(d["profiles"])
            page = self.call("cooperation offer", "GET", f"/cooperation/{profile}/")
            match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text) if page is not None else None
            if match:
                mark = f"load-{uuid.uuid4().hex}"
                answer = self.call("express interest", "POST", f"/cooperation/{profile}/", data={
                    "message": f"We would like to talk ({mark}).", "csrfmiddlewaretoken": match.group(1)},
                    headers={"Referer": f"{self.base}/cooperation/{profile}/"})
                if answer is not None and answer.status_code == 302 and answer.headers["Location"].endswith(
                        f"/cooperation/{profile}/"):  # not the login page: the interest was sent
                    with self.outcome.lock:
                        self.outcome.interests_accepted.append(mark)
        elif choice < 0.75:
            self.call("participants", "GET", f"/events/{EVENT}/participants/", params={"page": rng.randint(1, 30)})
        else:
            self.call("agenda", "GET", f"/events/{EVENT}/agenda/")


# ------------------------------------------------------------ one run

def start_server(kind: str, env: dict, port: int) -> list[subprocess.Popen]:
    out = open(Path(env["CLUSTERBRIDGE_DATA_DIR"]) / f"{kind}.log", "ab")
    if kind == "serve":
        web = subprocess.Popen(CLI + ["serve", "--bind", f"127.0.0.1:{port}"], env=env, stdout=out, stderr=out)
    else:
        web = subprocess.Popen([str(BIN / "python"), "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload",
                                "--settings=clusterbridge.settings"], env=env, stdout=out, stderr=out)
    worker = subprocess.Popen(CLI + ["worker"], env=env, stdout=out, stderr=out)
    for _ in range(300):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return [web, worker]
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{kind} did not start")


def stop(processes: list[subprocess.Popen]) -> None:
    for p in processes:
        p.send_signal(signal.SIGTERM)
    for p in processes:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()


def check_writes(env: dict, outcome: Outcome, since: float) -> dict:
    code = f"""
import json
from clusterbridge.accounts.models import InboxMessage
from clusterbridge.core.models import Job
from clusterbridge.events.models import MeetingRequest
ids = {outcome.requests_accepted!r}
marks = {outcome.interests_accepted!r}
found = set(MeetingRequest.objects.filter(pk__in=ids).values_list("pk", flat=True))
told = sum(1 for m in marks if InboxMessage.objects.filter(body__contains=m).exists())
open_jobs = Job.objects.filter(status__in=["queued", "running"]).count()
mails = sum(len(j.params["messages"]) for j in Job.objects.filter(kind="accounts.notice_mail", status="done",
                                                                   finished_at__gte=__import__("datetime").datetime.fromtimestamp({since}, __import__("datetime").UTC)))
failed = Job.objects.filter(status="failed", finished_at__gte=__import__("datetime").datetime.fromtimestamp({since}, __import__("datetime").UTC)).count()
print(json.dumps({{"requests_found": len(found), "interests_found": told, "open_jobs": open_jobs,
                  "mails_done": mails, "failed_jobs": failed}}))
"""
    for attempt in range(10):  # the database may be out of connections for a moment (runserver)
        out = subprocess.run(CLI + ["shell", "-v", "0", "-c", code], env=env, capture_output=True, text=True)
        if out.returncode == 0:
            return json.loads(out.stdout.strip().splitlines()[-1])
        time.sleep(3)
    raise RuntimeError(out.stderr[-2000:])


RUNNING: list[subprocess.Popen] = []


def run_once(kind: str, env: dict, data: dict, mail: MailSink, users: int, seconds: int, writers_share: float,
             redis_restart: bool, first_writer: int = 0) -> dict:
    port = _free_port()
    processes = start_server(kind, env, port)
    RUNNING.extend(processes)
    base = f"http://127.0.0.1:{port}"
    outcome = Outcome()
    mails_before = mail.count
    wall_start = time.time()
    begin = time.monotonic()
    warmup = 10.0
    until = begin + warmup + seconds
    writer_count = round(users * writers_share)
    writers = data["writers"][first_writer:first_writer + writer_count]  # fresh participants in each run
    threads = [User(n, base, data, outcome, until, writers[n] if n < writer_count else None, seed=n * 7919 + 1)
               for n in range(users)]
    for t in threads:
        t.start()
    restart_window = None
    if redis_restart:
        time.sleep(warmup + seconds / 2)
        _redis("stop")
        down = time.monotonic()
        time.sleep(5)
        _redis("start")
        restart_window = (down, time.monotonic())
    for t in threads:
        t.join(timeout=seconds + 120)
    stop(processes[:1])  # the web server; the worker goes on until the queue is drained
    # the queue drains: the worker's sweeper hands over again what Redis lost while it was away
    drained_in = None
    drain_start = time.monotonic()
    while time.monotonic() - drain_start < 180:
        state = check_writes(env, outcome, wall_start)
        if state["open_jobs"] == 0 and mail.count - mails_before >= state["mails_done"]:
            drained_in = time.monotonic() - drain_start
            break
        time.sleep(3)
    state = check_writes(env, outcome, wall_start)
    stop(processes[1:])
    measured = [r for r in outcome.records if r.started >= begin + warmup]
    latencies = [r.seconds * 1000 for r in measured]
    by_kind = {}
    for kind_name in sorted({r.kind for r in measured}):
        values = [r.seconds * 1000 for r in measured if r.kind == kind_name]
        by_kind[kind_name] = {"n": len(values), "p50": round(_pct(values, 50), 1), "p95": round(_pct(values, 95), 1)}
    during = []
    if restart_window:
        during = [r for r in outcome.records if restart_window[0] - 1 <= r.started <= restart_window[1] + 1]
    return {
        "server": kind, "users": users, "writers": writer_count, "seconds": seconds,
        "requests": len(measured), "per_second": round(len(measured) / seconds, 1),
        "p50_ms": round(_pct(latencies, 50), 1), "p95_ms": round(_pct(latencies, 95), 1),
        "p99_ms": round(_pct(latencies, 99), 1), "errors": len(outcome.errors), "error_examples": outcome.errors[:5],
        "by_kind": by_kind,
        "meeting_requests": {"accepted": len(outcome.requests_accepted), "found": state["requests_found"],
                             "refused_by_rules": outcome.requests_refused},
        "interest": {"accepted": len(outcome.interests_accepted), "found": state["interests_found"]},
        "mail": {"queued_and_done": state["mails_done"], "received": mail.count - mails_before,
                 "failed_jobs": state["failed_jobs"], "open_jobs": state["open_jobs"],
                 "drained_in_s": None if drained_in is None else round(drained_in, 1)},
        "redis_restart": None if not restart_window else {
            "down_s": round(restart_window[1] - restart_window[0], 1), "requests_meanwhile": len(during),
            "errors_meanwhile": sum(1 for r in during if r.status == 0 or r.status >= 500),
            "p95_meanwhile_ms": round(_pct([r.seconds * 1000 for r in during], 95), 1) if during else None},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--writers", type=float, default=0.10)
    parser.add_argument("--only", choices=["serve", "runserver", "restart"], default=None)
    parser.add_argument("--keep", action="store_true", help="keep the database and data folder")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="cb-load-"))
    mail = MailSink()
    _redis("stop")
    _redis("start")
    env = environment(data_dir, mail.port)
    results = []
    try:
        data = prepare(env)
        plan = [("serve", False), ("runserver", False), ("serve", True)]
        if args.only:
            plan = [("serve", True)] if args.only == "restart" else [(args.only, False)]
        for number, (kind, restart) in enumerate(plan):
            print(f"-- {kind}{' with a Redis restart' if restart else ''}: {args.users} users, {args.seconds} s",
                  flush=True)
            result = run_once(kind, env, data, mail, args.users, args.seconds, args.writers, restart,
                              first_writer=number * round(args.users * args.writers))
            results.append(result)
            print(json.dumps(result, indent=1, ensure_ascii=False), flush=True)
    finally:
        stop([p for p in RUNNING if p.poll() is None])
        mail.stop()
        _redis("stop")
        if not args.keep:
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                            f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)"], capture_output=True)
            shutil.rmtree(data_dir, ignore_errors=True)
    print("\n| server | users (writers) | requests/s | p50 ms | p95 ms | p99 ms | errors | writes accepted → found | "
          "mails done → received |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        label = r["server"] + (" + Redis restart" if r["redis_restart"] else "")
        writes = (f"{r['meeting_requests']['accepted'] + r['interest']['accepted']} → "
                  f"{r['meeting_requests']['found'] + r['interest']['found']}")
        print(f"| {label} | {r['users']} ({r['writers']}) | {r['per_second']} | {r['p50_ms']} | {r['p95_ms']} | "
              f"{r['p99_ms']} | {r['errors']} | {writes} | {r['mail']['queued_and_done']} → {r['mail']['received']} |")


if __name__ == "__main__":
    main()
