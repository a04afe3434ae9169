"""People's rights over their data: the privacy notice, "your data" (read, export, erase), and for
platform administrators the audit log and acting on someone's request."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from clusterbridge.core.jobs import job_enqueue, job_progress
from clusterbridge.core.models import Job

from . import selectors
from .erasure import erasure_blockers, erasure_preview, person_erase
from .export import EXPORT_JOB, LINK_SALT, contact_address, export_dir, export_link, person_data
from .forms import AuditFilterForm, EraseForm, EraseOnRequestForm
from .retention import RULES
from .rules import is_platform_admin


def notice(request):
    """The full collection notice (PDPA Art. 8; GDPR Art. 13) and the retention periods."""
    return render(request, "privacy/notice.html", {
        "rules": [(rule.label, rule.period) for rule in RULES.values()],
        "export_days": settings.EXPORT_LINK_DAYS, "contact": contact_address(),
    })


def _export_rows(jobs) -> list[dict]:
    return [{"job": job, "progress": job_progress(job),
             "link": export_link(job) if job.succeeded and (job.result or {}).get("file") else ""} for job in jobs]


@login_required
def my_data(request):
    user = request.user
    if request.method == "POST" and request.POST.get("action") == "export":
        if not Job.objects.filter(kind=EXPORT_JOB, params__subject=user.pk, status__in=Job.ACTIVE).exists():
            job_enqueue(kind=EXPORT_JOB, by=user, params={"subject": user.pk})
        messages.success(request, _("Your export is being prepared; the link also goes to your inbox."))
        return redirect("privacy:mine")
    exports = _export_rows(selectors.export_jobs(user, by=user))
    active = next((row for row in exports if row["job"].is_active), None)
    return render(request, "privacy/mine.html", {
        "sections": [(s["title"], len(s["rows"])) for s in person_data(user)],
        "sign_ins": selectors.recent_sign_ins(user), "views": selectors.contact_views_of(user),
        "exports": exports, "job": active["job"] if active else None,
        "progress": active["progress"] if active else None, "export_days": settings.EXPORT_LINK_DAYS,
    })


@login_required
def erase(request):
    user = request.user
    form = EraseForm(request.POST or None, user=user)
    blockers = erasure_blockers(user)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            person_erase(user=user, by=user)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            logout(request)
            messages.success(request, _("Your account has been erased. Thank you for having taken part."))
            return redirect("home:index")
    return render(request, "privacy/erase.html", {"form": form, "preview": erasure_preview(user),
                                                  "blockers": blockers})


@login_required
def export_download(request, token: str):
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=settings.EXPORT_LINK_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        return _link_problem(request, _("This download link has expired: ask for a new export."), 410)
    except signing.BadSignature:
        return _link_problem(request, _("This download link is not valid: copy the whole address."), 400)
    job = get_object_or_404(Job, pk=data.get("job"), kind=EXPORT_JOB)
    if request.user.pk not in (job.params.get("subject"), job.created_by_id) and not is_platform_admin(request.user):
        raise PermissionDenied
    name = (job.result or {}).get("file")
    path = export_dir() / name if name else None
    if path is None or not path.exists():
        raise Http404(_("This export has been deleted; ask for a new one."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"clusterbridge-data-{job.params['subject']}.zip",
                        content_type="application/zip")


def _link_problem(request, problem: str, status: int):
    from django.urls import reverse

    return render(request, "core/link_problem.html", {"problem": problem, "back_url": reverse("privacy:mine"),
                                                      "back_label": _("Your data")}, status=status)


def _admin_only(request):
    if not is_platform_admin(request.user):
        raise PermissionDenied


@login_required
def audit(request):
    _admin_only(request)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.audit_entries(**{k: v for k, v in filters.items() if v})
    if request.GET.get("format") == "csv":
        return _audit_csv(rows)
    page = Paginator(rows.select_related("actor"), 50).get_page(request.GET.get("page"))
    return render(request, "privacy/audit.html", {"form": form, "page": page, "models": selectors.audit_models(),
                                                  "actors": selectors.audit_actors()})


def _audit_csv(rows):
    import csv
    import json

    from django.http import StreamingHttpResponse

    from clusterbridge.core.text import text_clean

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())

    def lines():
        yield "\ufeff" + writer.writerow(["at", "who", "action", "record", "number", "name", "changes", "address",
                                          "request_id"])
        for e in rows.iterator(chunk_size=2000):
            cells = [e.at.isoformat(), e.actor_name, e.action, e.model, e.object_id, e.object_repr,
                     json.dumps(e.changes, ensure_ascii=False), e.path, e.request_id]
            # A cell that starts like a formula stays text in a spreadsheet.
            yield writer.writerow([("'" + c if c[:1] in "=+-@" else c) for c in map(text_clean, cells)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


@login_required
def people(request):
    _admin_only(request)
    q = request.GET.get("q", "")[:100]
    return render(request, "privacy/people.html", {"q": q, "found": selectors.people_find(q),
                                                   "erasures": selectors.erasures()})


@login_required
def person(request, user_id: int):
    _admin_only(request)
    subject = get_object_or_404(get_user_model(), pk=user_id)
    form = EraseOnRequestForm(request.POST if request.POST.get("action") == "erase" else None)
    if request.method == "POST" and request.POST.get("action") == "export":
        job_enqueue(kind=EXPORT_JOB, by=request.user, params={"subject": subject.pk})
        messages.success(request, _("The export is being prepared; its link appears here."))
        return redirect("privacy:person", user_id=subject.pk)
    if request.method == "POST" and request.POST.get("action") == "erase" and form.is_valid():
        try:
            person_erase(user=subject, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("The account has been erased and the erasure recorded."))
            return redirect("privacy:person", user_id=subject.pk)
    exports = _export_rows(selectors.export_jobs(subject, by=request.user))
    active = next((row for row in exports if row["job"].is_active), None)
    return render(request, "privacy/person.html", {
        "subject": subject, "form": form, "preview": erasure_preview(subject), "blockers": erasure_blockers(subject),
        "sections": [(s["title"], len(s["rows"])) for s in person_data(subject)], "exports": exports,
        "job": active["job"] if active else None, "progress": active["progress"] if active else None,
        "erasures": selectors.erasures(subject=subject),
    })


