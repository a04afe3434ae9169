"""Sections that a higher app adds to a lower app's page (published success stories on an
organisation's profile and on an event's page) without the lower app knowing it:

    @page_section("organisation")
    def stories(request, org) -> str: ...      # rendered HTML, "" for nothing

and the page's template says `{% page_sections "organisation" org %}` (core's `pages` tags)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

_SECTIONS: dict[str, list[Callable]] = {}


def page_section(page: str):
    def register(function: Callable) -> Callable:
        if function not in _SECTIONS.setdefault(page, []):
            _SECTIONS[page].append(function)
        return function
    return register


def sections_render(page: str, request, obj) -> SafeString:
    return mark_safe("".join(str(function(request, obj) or "") for function in _SECTIONS.get(page, [])))
