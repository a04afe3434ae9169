"""Every write of the events app, one transaction each, by concept:

- `events`: creating an event, changing its details;
- `layout`: sessions, slots, tables and rooms after creation;
- `registrations`: taking part, availability, approval, withdrawal, check-in;
- `requests`: meeting requests and meetings;
- `scheduling`: scheduler runs (background jobs), review and publishing.

Services take the acting person as `by` and check it with `events.rules`.
"""

from .events import EVENT_DETAILS, EVENT_PAGE, event_create, event_publish, event_update
from .layout import session_add, session_delete, session_update, table_delete, table_update, tables_add
from .refusals import EventError
from .registrations import (availability_set, check_in, participant_withdraw, registration_create,
                            registration_decide, registrations_decide)
from .reminders import reminders_send
from .requests import (meeting_cancel, meeting_create, meeting_request_answer, meeting_request_cancel,
                       meeting_request_send, request_message_post)
from .scheduling import schedule_publish, schedule_run_cancel, schedule_run_create, schedule_run_execute

__all__ = ["EVENT_DETAILS", "EVENT_PAGE", "EventError", "availability_set", "check_in", "event_create", "event_publish",
           "event_update",
           "meeting_cancel", "meeting_create", "meeting_request_answer", "meeting_request_cancel",
           "meeting_request_send", "participant_withdraw", "registration_create", "registration_decide",
           "registrations_decide", "reminders_send", "request_message_post",
           "schedule_publish", "schedule_run_cancel", "schedule_run_create", "schedule_run_execute",
           "session_add", "session_delete", "session_update", "table_delete", "table_update", "tables_add"]
