from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """The present page's address with its query kept and only the page number changed."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def page_sections(context, page: str, obj):
    """What other apps add to this page (core/sections.py)."""
    from clusterbridge.core.sections import sections_render

    return sections_render(page, context.get("request"), obj)
