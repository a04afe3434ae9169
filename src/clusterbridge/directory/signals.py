"""Signals other apps listen to, so that the directory needs to know none of them."""

from django.dispatch import Signal

# Sent after a write to the directory has committed (any save, import or bulk load).
directory_changed = Signal()
