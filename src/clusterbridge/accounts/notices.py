"""Notices stored with their parameters and rendered in the reader's language.

Each app declares its kinds of notice once (`events/notices.py` ...):

    REQUEST_RECEIVED = notice_kind("events.request_received",
                                   subject=_("%(event)s: %(sender)s asks to meet you"), body=_("..."))

and sends them with `inbox_notify(recipients=..., kind=REQUEST_RECEIVED, params={...})`. A parameter
that exists in both languages is given as `both(en, zh)`; the inbox shows every notice in the
language of the page, and e-mail copies go out in each person's preferred language."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

_KINDS: dict[str, "NoticeKind"] = {}


@dataclass(frozen=True)
class NoticeKind:
    key: str
    subject: object  # lazy translations with %(name)s parameters
    body: object

    def __str__(self) -> str:
        return self.key


def notice_kind(key: str, *, subject, body) -> NoticeKind:
    kind = NoticeKind(key, subject, body)
    _KINDS[key] = kind
    return kind


def both(en: str, zh: str) -> dict:
    """A parameter known in both languages (an event's title): the reader's is shown, else the other."""
    return {"en": en or "", "zh": zh or ""}


def _value(value, language: str):
    if isinstance(value, dict) and set(value) <= {"en", "zh"}:
        first, other = ("zh", "en") if language.startswith("zh") else ("en", "zh")
        return value.get(first) or value.get(other) or ""
    return value


def notice_render(key: str, params: dict, language: str) -> tuple[str, str] | None:
    """(subject, body) of a notice in `language`; None for a kind this version does not know."""
    kind = _KINDS.get(key)
    if kind is None:
        return None
    values = {name: _value(value, language) for name, value in (params or {}).items()}
    with translation.override(language):
        return str(kind.subject) % values, str(kind.body) % values
