"""Where text is cleaned, once: control characters (C0 but tab, newline and carriage return; DEL;
C1) are taken out of every text a model saves (core/apps.py connects `text_fields_clean` before
every save, whatever wrote it: a form, the API, a service, the admin, the shell) and of every cell an
import reads. Nobody types them on purpose; PostgreSQL refuses NUL and Excel refuses the rest, so
one stray character pasted from a PDF could break a public download. Exports strip them as well
(core/spreadsheets.py), for text that came in some other way."""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def text_clean(value: str) -> str:
    return CONTROL.sub("", value) if CONTROL.search(value) else value


def text_fields_clean(sender, instance, raw: bool = False, **kwargs) -> None:
    """pre_save: every CharField and TextField (EmailField, SlugField... are CharFields) of the row."""
    from django.db import models

    cleaned = []
    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname, None)
            if isinstance(value, str) and CONTROL.search(value):
                setattr(instance, field.attname, CONTROL.sub("", value))
                cleaned.append(field.name)
    if cleaned and not raw:
        # What was checked before the cleaning may no longer hold ("\x01" alone is an empty name):
        # the cleaned fields and the row's constraints are checked again, a ValidationError not a 500.
        others = [f.name for f in instance._meta.fields if f.name not in cleaned]
        instance.clean_fields(exclude=others)
        instance.validate_constraints()
