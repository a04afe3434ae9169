"""The privacy app's notices."""

from django.utils.translation import gettext_lazy as _

from clusterbridge.accounts.notices import notice_kind

EXPORT_READY = notice_kind(
    "privacy.export_ready", subject=_("Your data export is ready"),
    body=_("The copy of the data ClusterBridge holds about you is ready to download. The link below works "
           "for %(days)s days, and only once you are signed in to your account."))
ERASED = notice_kind(
    "privacy.erased", subject=_("Your ClusterBridge account has been erased"),
    body=_("As you asked, your account and the personal data held with it have been erased. Records the "
           "programmes must keep (meetings held, ledger entries) no longer name you."))
