"""A task backend for a server without Redis: each task runs in a thread of the web process, so
that a page that starts a long job (a scheduler run, an import) answers at once and shows the
progress bar. Jobs are recorded in the database first (`core/jobs.py`), so a restart loses none:
the next `clusterbridge worker`, or the sweep when the site starts a job again, finds them."""

from __future__ import annotations

import threading

from django.db import connections
from django_tasks.backends.immediate import ImmediateBackend


class ThreadBackend(ImmediateBackend):
    def _execute_task(self, task_result) -> None:
        def run() -> None:
            try:
                super(ThreadBackend, self)._execute_task(task_result)
            finally:
                connections.close_all()  # this thread's own connections

        threading.Thread(target=run, name=f"task-{task_result.id}", daemon=True).start()
