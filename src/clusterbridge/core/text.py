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

    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname, None)
            if isinstance(value, str) and CONTROL.search(value):
                setattr(instance, field.attname, CONTROL.sub("", value))
