"""Importing indicator values from a page: the file becomes a background job with a progress bar
(core/jobs.py); the import stays all or nothing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _, gettext_lazy

from clusterbridge.accounts.rules import is_officer
from clusterbridge.core.jobs import JobFailed, job_enqueue, job_kind, job_progress
from clusterbridge.core.models import Job

from . import selectors
from .imports import values_import

IMPORT_JOB = "indicators.import"
MAX_BYTES = 50 * 1024 * 1024


@job_kind(IMPORT_JOB, label=gettext_lazy("Indicator import"), visible_to=lambda user, job: is_officer(user))
def import_run(job, context) -> dict:
    context.progress(0, 1)
    result = values_import(bytes(job.data), indicator=job.params.get("indicator", ""),
                           source=job.params.get("source", ""), dry_run=job.params.get("dry_run", False))
    outcome = {"created": result.created, "replaced": result.replaced, "unchanged": result.unchanged,
               "missing": result.missing, "dry_run": job.params.get("dry_run", False)}
    if result.errors:
        raise JobFailed(result.errors, outcome)
    context.progress(1, 1)
    return outcome


@login_required
def import_page(request):
    if not is_officer(request.user):
        raise PermissionDenied(_("Only programme officers import indicator values."))
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        codes = set(selectors.catalogue().values_list("code", flat=True))
        indicator = request.POST.get("indicator", "")
        if upload is None:
            error = _("Choose the file.")
        elif upload.size > MAX_BYTES:
            error = _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 2**20}
        elif indicator and indicator not in codes:
            error = _("Choose an indicator of the catalogue.")
        else:
            job = job_enqueue(kind=IMPORT_JOB, by=request.user, data=upload.read(), filename=upload.name[:200],
                              params={"indicator": indicator, "source": request.POST.get("source", "")[:200],
                                      "dry_run": bool(request.POST.get("dry_run"))})
            return redirect("indicators:import_job", job_id=job.pk)
    return render(request, "indicators/import.html", {"catalogue": selectors.catalogue(), "error": error})


@login_required
def import_job(request, job_id: int):
    if not is_officer(request.user):
        raise PermissionDenied(_("Only programme officers import indicator values."))
    job = get_object_or_404(Job.objects.defer("data"), pk=job_id, kind=IMPORT_JOB)
    return render(request, "indicators/import_job.html", {"job": job, "progress": job_progress(job)})
