"""Text that people type exists in Traditional Chinese and English; a page
shows the visitor's language and falls back to the other one, marked."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language


@dataclass(frozen=True)
class Shown:
    text: str
    lang: str  # "zh-hant" or "en": the language of `text`
    fallback: bool  # True when the visitor's language had no text

    def __str__(self) -> str:
        return self.text


def visitor_is_chinese(language: str | None = None) -> bool:
    return (language or get_language() or "en").lower().startswith("zh")


def pick(en: str, zh: str, language: str | None = None) -> Shown:
    """The text in the visitor's language, else the other one (marked)."""
    if visitor_is_chinese(language):
        return Shown(zh, "zh-hant", False) if zh else Shown(en, "en", bool(en))
    return Shown(en, "en", False) if en else Shown(zh, "zh-hant", bool(zh))


def bilingual(obj, field: str, language: str | None = None) -> Shown:
    return pick(getattr(obj, f"{field}_en", "") or "", getattr(obj, f"{field}_zh", "") or "", language)
