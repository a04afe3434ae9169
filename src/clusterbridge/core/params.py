"""Numbers and choices read straight from a request (an id in a hidden field, a page number, a
year), checked here: text that is not what the field takes is a 400 naming the field and what it
takes, never a server error deep in a query. Forms do the same for everything a person types."""

from __future__ import annotations

import re

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

_WHOLE = re.compile(r"\s*[+-]?\d{1,18}\s*")


def int_param(data, name: str, *, default: int | None = None, minimum: int | None = None,
              maximum: int | None = None) -> int:
    """`data[name]` as a whole number within the bounds; `default` when absent or empty (without a
    default, absent is a 400 too)."""
    raw = data.get(name)
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        if default is not None:
            return default
        raise BadRequest(_("The field “%(name)s” is missing.") % {"name": name})
    if not isinstance(raw, str) or not _WHOLE.fullmatch(raw):
        raise BadRequest(_("The field “%(name)s” takes a whole number, not “%(value)s”.")
                         % {"name": name, "value": str(raw)[:40]})
    value = int(raw)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise BadRequest(_("The field “%(name)s” takes a number from %(low)s to %(high)s, not %(value)s.")
                         % {"name": name, "low": minimum if minimum is not None else "…",
                            "high": maximum if maximum is not None else "…", "value": value})
    return value


def id_param(data, name: str) -> int:
    """A record's id sent by a page (a hidden field, a button's value): a positive whole number."""
    return int_param(data, name, minimum=1, maximum=2**63 - 1)


def ids_param(data, name: str) -> list[int]:
    """Every value of a repeated field (ticked boxes) that is an id; others are a 400."""
    values = data.getlist(name)
    for raw in values:
        if not isinstance(raw, str) or not _WHOLE.fullmatch(raw) or int(raw) < 1:
            raise BadRequest(_("The field “%(name)s” takes record numbers, not “%(value)s”.")
                             % {"name": name, "value": str(raw)[:40]})
    return [int(raw) for raw in values]
