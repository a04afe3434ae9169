"""PDF downloads of printable pages (WeasyPrint renders the page's print template)."""

from __future__ import annotations


def pdf_response(request, template: str, context: dict, filename: str):
    from django.http import HttpResponse
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    response = HttpResponse(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
