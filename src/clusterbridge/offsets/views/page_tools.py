"""What every ICP page module shares: the officers-only check, date parsing, error text, PDFs."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .. import rules


def _officer(request):
    if not rules.can_manage_icp(request.user):
        raise PermissionDenied(_("Only programme officers may do this."))


def _date(raw) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _pdf(request, template: str, context: dict, filename: str) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    response = HttpResponse(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
