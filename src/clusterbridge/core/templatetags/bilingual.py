from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from clusterbridge.core.bilingual import bilingual

register = template.Library()


@register.simple_tag
def shown(obj, field):
    """Render obj.<field>_en / _zh in the visitor's language, marking a fallback."""
    value = bilingual(obj, field)
    if not value.text:
        return ""
    if value.fallback:
        note = _("only in English") if value.lang == "en" else _("only in Chinese")
        return format_html('<span lang="{}">{}</span> <span class="fallback" title="{}">({})</span>',
                           value.lang, value.text, note, note)
    return format_html('<span lang="{}">{}</span>', value.lang, value.text)


@register.simple_tag
def shown_text(obj, field):
    return bilingual(obj, field).text


@register.simple_tag(takes_context=True)
def url_in_language(context, lang_code: str) -> str:
    """The page being shown, in another language (its address with the other
    prefix, query kept): what the language switch sends people to. Resolved
    while the page's own language is active, so that /zh-hant/... is found."""
    from django.urls import translate_url

    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), lang_code)


@register.filter
def bar_width(value, maximum):
    try:
        return round(100 * float(value) / float(maximum), 1) if float(maximum) else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def country(code):
    from clusterbridge.core.countries import country_name

    return country_name(code)


@register.filter
def city(name):
    from clusterbridge.core.countries import city_name

    return city_name(name)


@register.simple_tag
def place(org):
    """City and country in the reader's language and order: "Lyon, France" / "法國里昂"."""
    from clusterbridge.core.bilingual import visitor_is_chinese
    from clusterbridge.core.countries import city_name, country_name

    town, land = city_name(org.city), country_name(org.country)
    if not town:
        return land
    return f"{land}{town}" if visitor_is_chinese() else f"{town}, {land}"
