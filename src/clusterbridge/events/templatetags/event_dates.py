"""An event's dates as people read them: in the event's own time zone, named on every time."""

import zoneinfo

from django import template
from django.utils import formats
from django.utils.html import format_html

register = template.Library()


def _zone(event):
    try:
        return zoneinfo.ZoneInfo(event.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


@register.simple_tag
def event_date(event):
    """The day of the first session (with the last one's when the event spans several days)."""
    starts = getattr(event, "starts_at", None)
    if starts is None:
        return ""
    zone = _zone(event)
    first = starts.astimezone(zone)
    text = formats.date_format(first, "DATE_FORMAT")
    ends = getattr(event, "ends_at", None)
    if ends is not None and ends.astimezone(zone).date() != first.date():
        text = f"{text} – {formats.date_format(ends.astimezone(zone), 'DATE_FORMAT')}"
    return format_html('<time datetime="{}">{}</time>', first.date().isoformat(), text)


@register.simple_tag
def event_time(event, moment, fmt="H:i"):
    """A moment of the event in its time zone, with the zone's abbreviation (14:00 CEST)."""
    if moment is None:
        return ""
    local = moment.astimezone(_zone(event))
    return format_html('<time datetime="{}">{} <abbr title="{}">{}</abbr></time>', local.isoformat(),
                       formats.date_format(local, fmt), event.time_zone, local.tzname())
