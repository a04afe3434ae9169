from django.utils.translation import gettext_lazy as _

from clusterbridge.accounts.notices import notice_kind

INVITED_TO_EVENT = notice_kind(
    "indicators.invited_to_event", subject=_("You are invited to %(event)s"),
    body=_("The programme office thinks your organisation should meet Taiwanese partners at %(event)s. "
           "Registration is open until %(closes)s."))
