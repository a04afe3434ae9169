"""Organisation logos: checked and re-encoded on upload, so that what is stored is a plain PNG of
bounded size whatever was sent (no metadata, no polyglot files, no 8,000-pixel images)."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 4000 * 4000
STORED_WIDTH = 400
FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def logo_clean(upload, name: str) -> ContentFile:
    """The upload as a PNG at most 400 px wide, or a ValidationError naming what is wrong."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > MAX_BYTES:
        raise ValidationError(_("The logo is %(mb).1f MB; at most 2 MB.") % {"mb": upload.size / 1024 / 1024})
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(_("The logo is not an image we can read: send a PNG, JPEG or WebP file.")) from None
    if kind not in FORMATS:
        raise ValidationError(_("The logo is a %(kind)s file: send a PNG, JPEG or WebP file.") % {"kind": kind})
    if width * height > MAX_PIXELS:
        raise ValidationError(_("The logo is %(w)s × %(h)s pixels; at most 4,000 × 4,000.") % {"w": width, "h": height})
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGBA")
        if image.width > STORED_WIDTH:
            image = image.resize((STORED_WIDTH, max(1, round(image.height * STORED_WIDTH / image.width))))
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"{name}.png")
