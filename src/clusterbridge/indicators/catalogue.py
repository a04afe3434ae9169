"""The shipped catalogue (data/catalogue.yaml), loaded by `migrate` and by the demo."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from .models import Indicator


@lru_cache(maxsize=1)
def catalogue_entries() -> list[dict]:
    return yaml.safe_load((Path(__file__).parent / "data" / "catalogue.yaml").read_text(encoding="utf-8"))


def catalogue_load() -> int:
    """Adds or refreshes every shipped entry; returns how many there are."""
    entries = catalogue_entries()
    for e in entries:
        Indicator.objects.update_or_create(code=e["code"], defaults={
            "name_en": e["en"], "name_zh": e["zh"], "dimension": e["dimension"], "unit": e["unit"],
            "higher_is_better": e["higher"], "source": e.get("source", ""), "origin": e["origin"],
            "measure": e.get("measure", "ratio"),
            "definition_en": e.get("def_en", ""), "definition_zh": e.get("def_zh", "")})
    return len(entries)
