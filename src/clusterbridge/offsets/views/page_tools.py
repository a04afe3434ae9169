"""What every ICP page module shares: the officers-only check, date parsing, error text, PDFs."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
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
    from clusterbridge.core.pdf import pdf_response

    return pdf_response(request, template, context, filename)
