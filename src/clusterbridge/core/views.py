"""The one progress endpoint and stop button of background jobs (`core/jobs.py`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .jobs import job_cancel, job_progress, user_may_watch_job
from .models import Job


def _watched(request, job_id: int) -> Job:
    job = get_object_or_404(Job.objects.defer("data"), pk=job_id)
    if not user_may_watch_job(request.user, job):
        raise PermissionDenied(_("This background job belongs to someone else."))
    return job


@login_required
def job_status(request, job_id: int):
    """Status, done, total, percent and the kind's own figures, polled by the progress bar."""
    return JsonResponse(job_progress(_watched(request, job_id)))


@login_required
@require_POST
def job_stop(request, job_id: int):
    job_cancel(job=_watched(request, job_id))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
