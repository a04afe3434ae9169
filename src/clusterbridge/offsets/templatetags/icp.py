from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

from django.utils.translation import get_language, gettext, gettext_lazy as _

from ..models import CATEGORY_CHOICES, DECISION_CHOICES, ENTRY_CHOICES, UNIT_CHOICES

register = template.Library()
DECISIONS = dict(DECISION_CHOICES)
ENTRIES = dict(ENTRY_CHOICES)
UNITS = dict(UNIT_CHOICES)
CATEGORIES = dict(CATEGORY_CHOICES)
FIGURES = {
    "pre_approved_cases": _("Cases pre-approved"), "pre_approved_usd_points": _("USD points pre-approved"),
    "actually_approved_cases": _("Cases actually approved"),
    "actually_approved_usd_points": _("USD points actually approved"),
    "actually_approved_twd_points": _("TWD points actually approved"),
    "agreements_signed": _("Agreements signed"), "agreements_usd_points": _("USD points of the agreements signed"),
    "pre_approval_rejected": _("Pre-approvals rejected"),
    "pre_approval_rejected_of_which": _("of which pre-approvals rejected"), "closure": _("Closures"),
    "extension": _("Extensions"), "for_the_record": _("For the record"), "withdrawal": _("Withdrawals"),
    "closure_with_retention": _("Closures with credit retention"), "credit_retention": _("Credit retentions"),
}


EVENTS = {"submitted": _("submitted"), "reserved": _("reserved to the next quarter"), "classed": _("classed"),
          "withdrawn": _("withdrawn"), "approved": _("approved by the promotion group"),
          "rejected": _("rejected by the promotion group")}


@register.filter
def event_label(what):
    return EVENTS.get(what, what)


@register.filter
def category_label(code):
    return CATEGORIES.get(code, code)


@register.filter
def figure_label(key):
    return FIGURES.get(key, key.replace("_", " "))


@register.filter
def points(value):
    """Credits as every page shows a figure: whole points, rounded half up, with the language's
    grouping (1234567.50 → 1,234,568). The ledger's own rows use `points_exact`."""
    if value in (None, ""):
        return ""
    value = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return number_format(value, 0, use_l10n=True, force_grouping=True)


@register.filter
def points_exact(value):
    """An amount as recorded, always with its two decimals (1,234,567.50): ledger rows, decisions."""
    if value in (None, ""):
        return ""
    return number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)


@register.filter
def about(value):
    """A published, rounded figure in the reader's language: "about 471 million" / "約 4.71 億"."""
    if value in (None, ""):
        return ""
    value = Decimal(value)
    if get_language() == "zh-hant":
        if value >= 10**8:
            return f"約 {number_format(value / 10**8, 2)} 億"
        if value >= 10**4:
            return f"約 {number_format(value / 10**4, 0, force_grouping=True)} 萬"
        return number_format(value, 0, force_grouping=True)
    if value >= 10**6:
        millions = value / 10**6
        places = 0 if millions == millions.to_integral_value() else 1
        return gettext("about %(n)s million") % {"n": number_format(millions, places, force_grouping=True)}
    return number_format(value, 0, force_grouping=True)


@register.filter
def pct(value, places=0):
    if value is None:
        return "–"
    return f"{float(value) * 100:.{int(places)}f} %"


@register.filter
def decision_label(kind):
    return DECISIONS.get(kind, kind)


@register.filter
def entry_label(kind):
    return ENTRIES.get(kind, kind)


@register.filter
def unit_label(unit):
    return UNITS.get(unit, unit)


@register.filter
def get(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def share_width(value, top):
    try:
        return max(1, round(100 * float(value) / float(top))) if value and top else 0
    except (TypeError, ValueError, ZeroDivisionError):
        return 0
