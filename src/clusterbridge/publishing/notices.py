from django.utils.translation import gettext_lazy as _

from clusterbridge.accounts.notices import notice_kind

POST_SUBMITTED = notice_kind("publishing.post_submitted", subject=_("A post waits for approval: %(title)s"),
                             body=_("A member organisation submitted “%(title)s” for publication."))
POST_PUBLISHED = notice_kind("publishing.post_published", subject=_("Your post is published: %(title)s"),
                             body=_("An officer approved “%(title)s”; it is on the news page now."))
POST_RETURNED = notice_kind("publishing.post_returned", subject=_("Your post was returned: %(title)s"),
                            body=_("An officer returned “%(title)s” with this note: %(reason)s\n\n"
                                   "Change it and submit it again."))
