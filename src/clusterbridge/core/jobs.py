"""One component for every long piece of work: imports, scheduler runs, mailings, exports.

What a caller can rely on:

- `job_enqueue(kind=…, …)` records the job in the database first and hands it to the task
  queue once the caller's transaction commits. When the queue (Redis) is out of reach the page
  still answers: the job stays queued and `jobs_sweep` hands it over again later.
- `job_run(job_id=…)` claims a queued job exactly once (a second delivery finds it taken), runs
  its kind's function with a heartbeat, and always ends it done, failed or stopped: a crash never
  leaves a job running, and a worker that dies is noticed by the sweeper through the heartbeat.
- `job_cancel(job=…)` always works: a queued job is stopped at once, a running one is asked to
  stop (imports roll back; the scheduler keeps its best schedule so far).
- `job_progress(job)` is what the one progress endpoint and template show.

A kind is registered with `@job_kind("app.name", label=…)` on a function `(job, context) -> dict`
that returns the job's result, or raises `JobFailed(errors)`.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from .models import Job

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
STOP_CHECK_SECONDS = 0.5
# A running job whose heartbeat is older than this is taken for dead (its worker stopped).
STALE_AFTER_SECONDS = 60.0
SWEEP_EVERY_SECONDS = 60.0


# The job being run in this thread (None outside jobs): whatever a job writes is the job's doing, recorded on
# its row, not a person's action of the request that happened to start it (the audit log reads this).
running_job: contextvars.ContextVar[int | None] = contextvars.ContextVar("running_job", default=None)


class JobFailed(Exception):
    """The work ended with errors people can act on (row errors of an import, an infeasible event)."""

    def __init__(self, errors: list[str], result: dict | None = None):
        super().__init__("; ".join(errors[:3]))
        self.errors = list(errors)
        self.result = result or {}


class JobCancelled(Exception):
    """Raised by `JobContext.raise_if_stopped` when somebody pressed stop."""


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    run: Callable[[Job, JobContext], dict]
    # Who may watch and stop the job besides its author and the platform administrators.
    visible_to: Callable[[object, Job], bool] | None = None
    every: float | None = None  # seconds: started periodically by the sweep


KINDS: dict[str, JobKind] = {}


def job_kind(name: str, *, label, visible_to: Callable[[object, Job], bool] | None = None,
             every: float | None = None):
    """Registers the function that does the work of jobs of this kind. `every` (seconds): the
    sweep starts one such job when the last began longer ago than that (reminders, say)."""

    def register(function: Callable[[Job, JobContext], dict]):
        KINDS[name] = JobKind(name=name, label=label, run=function, visible_to=visible_to, every=every)
        return function

    return register


def _progress_key(job_id: int) -> str:
    return f"clusterbridge:job:{job_id}:progress"


def _beat_key(job_id: int) -> str:
    return f"clusterbridge:job:{job_id}:beat"


def _stop_key(job_id: int) -> str:
    return f"clusterbridge:job:{job_id}:stop"


@dataclass
class JobContext:
    """Handed to a kind's function: report progress, learn whether to stop."""

    job: Job
    done: int = 0
    total: int = 0
    extra: dict = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)

    def progress(self, done: int, total: int | None = None, **extra) -> None:
        """Records progress. Work that runs inside one long transaction (an all-or-nothing import)
        cannot show it through its own rows, so it goes through the cache (Redis in production,
        which every process sees) and the heartbeat copies it to the job's row."""
        self.done = int(done)
        if total is not None:
            self.total = int(total)
        self.extra.update(extra)
        cache.set(_progress_key(self.job.pk), {"done": self.done, "total": self.total, "extra": self.extra}, 3600)
        if cache.get(_stop_key(self.job.pk)):
            self.stop.set()

    @property
    def stop_requested(self) -> bool:
        return self.stop.is_set()

    def raise_if_stopped(self) -> None:
        if self.stop.is_set():
            raise JobCancelled


class _Heartbeat(threading.Thread):
    """Every few seconds: the job's heartbeat and progress to its row, and a stop asked through
    the database to the work. Its own database connection (Django's are per thread); on SQLite a
    write may wait behind the work's transaction, then the beat goes to the cache only."""

    def __init__(self, context: JobContext):
        super().__init__(name=f"job-{context.job.pk}-heartbeat", daemon=True)
        self.context = context
        self.finished = threading.Event()

    def run(self) -> None:
        job_id = self.context.job.pk
        last_beat = time.monotonic()
        try:
            while not self.finished.wait(STOP_CHECK_SECONDS):
                if cache.get(_stop_key(job_id)):  # a stop pressed in any process, seen within a second
                    self.context.stop.set()
                if time.monotonic() - last_beat < HEARTBEAT_SECONDS:
                    continue
                last_beat = time.monotonic()
                cache.set(_beat_key(job_id), time.time(), 3600)
                try:
                    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
                        heartbeat_at=timezone.now(), done=self.context.done, total=self.context.total,
                        progress_extra=self.context.extra)
                    if Job.objects.filter(pk=job_id, cancel_requested=True).exists():
                        self.context.stop.set()
                except Exception:  # noqa: BLE001 - a busy SQLite file; the cache still has the beat
                    log.debug("job %s: heartbeat not written to the database", job_id, exc_info=True)
        finally:
            connection.close()


# ------------------------------------------------------------------ writes

def job_enqueue(*, kind: str, by=None, params: dict | None = None, data: bytes = b"", filename: str = "",
                unless_waiting: bool = False) -> Job:
    """Records a job and hands it to the task queue when the surrounding transaction commits.
    `unless_waiting`: for work that does everything outstanding when it runs (a search refresh),
    a job of the kind that was handed to the queue and has not started yet is returned instead of
    a second one."""
    if kind not in KINDS:
        raise ValueError(f"no job kind {kind!r} is registered")
    if unless_waiting:
        waiting = Job.objects.filter(kind=kind, status=Job.Status.QUEUED, dispatched_at__isnull=False).first()
        if waiting is not None:
            return waiting
    with transaction.atomic():
        job = Job.objects.create(kind=kind, params=params or {}, data=data, filename=filename[:255],
                                 created_by=by if getattr(by, "pk", None) else None)
        transaction.on_commit(lambda: job_dispatch(job_id=job.pk))
    return job


def job_dispatch(*, job_id: int) -> bool:
    """Hands a queued job to the task backend. False, with the reason kept on the job, when the
    broker cannot be reached: the job waits for the sweeper instead of failing the page."""
    from .tasks import job_run_task

    Job.objects.filter(pk=job_id).update(dispatched_at=timezone.now())
    try:
        result = job_run_task.enqueue(job_id=job_id)
    except Exception as error:  # noqa: BLE001 - any broker failure leaves the job queued
        log.warning("job %s: the task queue is out of reach (%s); the sweeper will hand it over", job_id, error)
        Job.objects.filter(pk=job_id).update(dispatch_error=f"{type(error).__name__}: {error}"[:300], task_id="")
        return False
    _with_retry(lambda: Job.objects.filter(pk=job_id).update(dispatch_error="", task_id=str(result.id)[:64]))
    return True


def job_cancel(*, job: Job) -> Job:
    """Stops a job: a queued one at once, a running one at its next progress report."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.status == Job.Status.QUEUED:
            job.status, job.finished_at, job.data = Job.Status.CANCELLED, timezone.now(), b""
            job.save(update_fields=["status", "finished_at", "data"])
        elif job.status == Job.Status.RUNNING:
            job.cancel_requested = True
            job.save(update_fields=["cancel_requested"])
    if job.status == Job.Status.RUNNING:
        cache.set(_stop_key(job.pk), True, 3600)
    return job


def _with_retry(write, attempts: int = 6):
    """SQLite answers "database (table) is locked" at once when another connection is reading the
    same table (the tests' shared in-memory database; a busy development server): try again a
    moment later rather than lose the job's start. Other errors, and other databases, go through."""
    import time

    from django.db import OperationalError

    for attempt in range(attempts):
        try:
            return write()
        except OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def job_run(*, job_id: int) -> Job:
    """Runs a queued job to its end (see the module's docstring)."""
    claimed = _with_retry(lambda: Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()))
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return job
    kind = KINDS.get(job.kind)
    context = JobContext(job=job)
    beat = _Heartbeat(context)
    beat.start()
    status, result, errors = Job.Status.DONE, {}, []
    running = running_job.set(job.pk)
    try:
        if kind is None:
            raise JobFailed([f"no job kind {job.kind!r} is registered in this version"])
        result = kind.run(job, context) or {}
    except JobCancelled:
        status = Job.Status.CANCELLED
    except JobFailed as failure:
        status, result, errors = Job.Status.FAILED, failure.result, failure.errors
    except Exception as error:  # noqa: BLE001 - a bug must not leave the job running for ever
        log.exception("job %s (%s) failed", job.pk, job.kind)
        status, errors = Job.Status.FAILED, [f"internal error: {type(error).__name__}"]
    finally:
        running_job.reset(running)
        beat.finished.set()
        beat.join()
    if status == Job.Status.DONE and context.total:
        context.done = context.total
    _with_retry(lambda: Job.objects.filter(pk=job.pk).update(
        status=status, result=result, errors=errors[:1000], data=b"", finished_at=timezone.now(),
        heartbeat_at=timezone.now(), done=context.done, total=context.total, progress_extra=context.extra))
    cache.delete_many([_progress_key(job.pk), _beat_key(job.pk), _stop_key(job.pk)])
    job.refresh_from_db()
    return job


def job_run_now(*, job_id: int, timeout: float = 3600) -> Job:
    """Runs the job here if nobody has taken it yet, else waits for whoever did (a worker or the
    web process's thread) to end it: for the command line, the demo and benchmarks."""
    job = job_run(job_id=job_id)
    deadline = time.monotonic() + timeout
    while job.is_active and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    return job


def jobs_sweep(*, stale_after: float = STALE_AFTER_SECONDS, redispatch_after: float = SWEEP_EVERY_SECONDS) -> dict:
    """Run by every worker at start and every minute. Fails running jobs whose heartbeat stopped
    (their worker died), and hands queued jobs to the queue again when their dispatch failed or
    the queue no longer knows them (a Redis restart empties it). Returns counts."""
    from django_tasks.exceptions import TaskResultDoesNotExist

    from .tasks import job_run_task

    now = timezone.now()
    failed = 0
    for job in Job.objects.filter(status=Job.Status.RUNNING).only("pk", "heartbeat_at", "started_at"):
        beats = [b for b in (job.heartbeat_at, job.started_at) if b]
        cached = cache.get(_beat_key(job.pk))
        last = max([b.timestamp() for b in beats] + ([cached] if cached else []), default=0)
        if now.timestamp() - last > stale_after:
            failed += Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.FAILED, finished_at=now, data=b"",
                errors=["the worker running this job stopped; start it again"])
    dispatched = 0
    waiting = Job.objects.filter(status=Job.Status.QUEUED).only("pk", "task_id", "dispatched_at", "dispatch_error")
    for job in waiting:
        if job.dispatched_at and (now - job.dispatched_at).total_seconds() < redispatch_after and not job.dispatch_error:
            continue
        if job.task_id and not job.dispatch_error:
            try:
                job_run_task.get_result(job.task_id)
                continue  # still in the queue: a worker will take it
            except TaskResultDoesNotExist:
                pass
            except Exception:  # noqa: BLE001 - the broker is still away; try at the next sweep
                break
        if job_dispatch(job_id=job.pk):
            dispatched += 1
        else:
            break
    return {"failed": failed, "dispatched": dispatched}


def periodic_jobs_start(*, now=None) -> int:
    """Starts each kind registered with `every` whose last job began longer ago than that; returns
    how many were started. The sweeper calls it after each sweep, so periodic work runs wherever
    a worker (or the demo server) runs."""
    now = now or timezone.now()
    started = 0
    for kind in KINDS.values():
        if not kind.every:
            continue
        last = Job.objects.filter(kind=kind.name).order_by("-created_at").values_list("created_at", flat=True).first()
        if last is None or (now - last).total_seconds() >= kind.every:
            job_enqueue(kind=kind.name, unless_waiting=True)
            started += 1
    return started


def sweeper_start(*, every: float = SWEEP_EVERY_SECONDS) -> threading.Thread:
    """A daemon thread that sweeps now and then every `every` seconds (the worker starts it)."""

    def loop() -> None:
        while True:
            try:
                close_old_connections()
                counts = jobs_sweep()
                periodic_jobs_start()
                if counts["failed"] or counts["dispatched"]:
                    log.warning("job sweeper: %(failed)s stale job(s) failed, %(dispatched)s re-queued", counts)
            except Exception:  # noqa: BLE001 - the sweeper keeps going through database restarts
                log.exception("job sweeper failed; trying again in %s s", every)
            time.sleep(every)

    thread = threading.Thread(target=loop, name="job-sweeper", daemon=True)
    thread.start()
    return thread


# ------------------------------------------------------------------ reads

def job_progress(job: Job) -> dict:
    """What the progress bar shows: status, done, total, percent and the kind's own figures,
    live from the cache while the job runs, from its row otherwise."""
    done, total, extra = job.done, job.total, dict(job.progress_extra or {})
    if job.status == Job.Status.RUNNING:
        live = cache.get(_progress_key(job.pk))
        if live:
            done, total, extra = live["done"], live["total"], {**extra, **live["extra"]}
    if job.status in (Job.Status.DONE, Job.Status.FAILED, Job.Status.CANCELLED):
        percent = 100 if job.status == Job.Status.DONE else (int(100 * done / total) if total else 0)
    else:
        percent = min(99, int(100 * done / total)) if total else 0
    return {"status": job.status, "done": done, "total": total, "percent": percent, **extra,
            "waiting_for_queue": job.status == Job.Status.QUEUED and bool(job.dispatch_error)}


def user_may_watch_job(user, job: Job) -> bool:
    """Its author, platform administrators, and whoever its kind names (officers for imports,
    an event's organisers for its scheduler runs)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if job.created_by_id == user.pk or user.is_superuser:
        return True
    kind = KINDS.get(job.kind)
    return bool(kind and kind.visible_to and kind.visible_to(user, job))
