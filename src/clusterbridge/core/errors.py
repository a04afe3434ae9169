"""Refusals that tell the person why and what to do next, shown by the site's 403 page.

    raise Refused(_("Your registration is waiting for the organisers' approval."),
                  next_url=event_url, next_label=_("Back to the event"))

A plain PermissionDenied still works: its message, when it has one, is shown as the reason."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class Refused(PermissionDenied):
    def __init__(self, reason: str, *, next_url: str = "", next_label: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.next_url = next_url
        self.next_label = next_label


def errors_into_form(form, error) -> None:
    """A service's ValidationError shown on the form: each field's messages beside the field, the
    rest (and fields the form does not have) above it."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
