"""The events app's notices (accounts/notices.py): what the inbox and e-mails say, in the reader's
language, with the parameters each is sent with."""

from django.utils.translation import gettext_lazy as _

from clusterbridge.accounts.notices import both, notice_kind

REQUEST_RECEIVED = notice_kind(
    "events.request_received", subject=_("%(event)s: %(sender)s asks to meet you"),
    body=_("%(sender)s asks to meet %(recipient)s. Accept or decline on your requests page.\n\n%(message)s"))
REQUEST_MESSAGE = notice_kind(
    "events.request_message", subject=_("%(event)s: a message from %(sender)s"),
    body=_("%(sender)s writes about your meeting request:\n\n%(message)s"))
MEETING_AGREED = notice_kind(
    "events.meeting_agreed", subject=_("%(event)s: meeting %(first)s – %(second)s agreed"),
    body=_("The meeting will be placed in the schedule; its time and table will be on your agenda."))
REQUEST_DECLINED = notice_kind(
    "events.request_declined", subject=_("%(event)s: request declined"),
    body=_("%(recipient)s declined the meeting."))
MEETING_CANCELLED = notice_kind(
    "events.meeting_cancelled", subject=_("%(event)s: meeting cancelled"),
    body=_("The meeting %(first)s – %(second)s is cancelled."))
REGISTRATION_NEW = notice_kind(
    "events.registration_new", subject=_("%(event)s: new registration"),
    body=_("%(organisation)s registered and waits for approval."))
REGISTRATION_APPROVED = notice_kind(
    "events.registration_approved", subject=_("%(event)s: registration approved"),
    body=_("%(organisation)s takes part. You can now request meetings with the other participants."))
REGISTRATION_REJECTED = notice_kind(
    "events.registration_rejected", subject=_("%(event)s: registration not approved"),
    body=_("The organisers could not accept the registration of %(organisation)s."))
REGISTRATION_WAITLISTED = notice_kind(
    "events.registration_waitlisted", subject=_("%(event)s: on the waiting list"),
    body=_("The event is full: %(organisation)s is on the waiting list and takes the first place that frees up. "
           "You will be told."))
REGISTRATION_FROM_WAITING_LIST = notice_kind(
    "events.registration_from_waiting_list", subject=_("%(event)s: a place for you"),
    body=_("A place freed up: %(organisation)s takes part. You can now request meetings with the other "
           "participants."))
REQUESTS_CLOSING = notice_kind(
    "events.requests_closing", subject=_("%(event)s: requests close soon"),
    body=_("%(n)s meeting requests wait for your answer; requests close on %(closes)s. Accept or decline them "
           "so that the meetings can be scheduled."))
MEETINGS_TOMORROW = notice_kind(
    "events.meetings_tomorrow", subject=_("%(event)s: your meetings tomorrow"),
    body=_("You have %(n)s meetings; the first at %(first)s, table %(table)s. Your agenda has them all."))
TIMES_CHANGED = notice_kind(
    "events.times_changed", subject=_("%(event)s: your meeting times changed"),
    body=_("Session %(session)s now starts at %(starts)s (%(zone)s); your agenda shows the new times."))
PLACE_CHANGED = notice_kind(
    "events.place_changed", subject=_("%(event)s: your meeting place changed"),
    body=_("%(old)s is now %(new)s."))
AGENDA_READY = notice_kind(
    "events.agenda_ready", subject=_("%(event)s: your agenda is ready"),
    body=_("Your meetings and their times are on your agenda page."))
AGENDA_CHANGED = notice_kind(
    "events.agenda_changed", subject=_("%(event)s: your agenda is changed"),
    body=_("Your meetings or their times changed; your agenda page shows them as they are now."))


def event_title(event) -> dict:
    return both(event.title_en, event.title_zh)


def org_name(registration) -> dict:
    org = registration.organisation
    return both(org.name_en, org.name_zh)
