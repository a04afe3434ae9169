"""Event pages, thin (read with selectors, write with services, ask `rules`):

- `participants`: the public and the participants (events, an event, participants, requests, agenda);
- `organise`: the organisers (dashboard, scheduler runs, check-in, availability, export);
- `setup`: creating an event and changing it afterwards.
"""

from .organise import availability, check_in_page, export, organise, run_detail
from .participants import (
    agenda,
    agenda_feed,
    agenda_ics,
    event_detail,
    event_logo,
    event_list,
    participant_list,
    request_list,
)
from .setup import event_new, setup

__all__ = ["agenda", "agenda_feed", "agenda_ics", "availability", "check_in_page", "event_detail", "event_logo",
           "event_list", "event_new", "export", "organise", "participant_list", "request_list",
           "run_detail", "setup"]
