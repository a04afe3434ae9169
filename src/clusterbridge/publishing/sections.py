"""The organisation's posts on its profile page (core/sections.py)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from clusterbridge.core.sections import page_section

from .selectors import published_posts


@page_section("organisation")
def organisation_posts(request, org) -> str:
    shown = list(published_posts(organisation=org)[:5])
    if not shown:
        return ""
    return render_to_string("publishing/_posts_section.html", {"posts": shown, "heading": _("News")}, request=request)
