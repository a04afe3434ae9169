"""Per-meeting ratings right after the event (specs/outcomes.md, immediate scale)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clusterbridge.accounts.models import Role
from clusterbridge.events import services as es
from clusterbridge.outcomes import selectors, services
from tests.factories import events as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(db):
    """Three meetings of an event that took place an hour ago."""
    organiser = f.person("organiser", role=Role.PROGRAMME_OFFICER)
    ev = f.past_event(organiser, dt.timedelta(hours=2), slots=3, tables=2)
    regs = []
    for name in ("Techtera", "TPCA", "Fedustria", "TTRI"):
        regs.append(f.participant(ev, organiser, name=name))
    meetings = [f.agreed(regs[0], regs[1]), f.agreed(regs[2], regs[3]), f.agreed(regs[0], regs[3])]
    es.schedule_publish(run=f.schedule(ev, organiser), by=organiser)
    for m in meetings:
        m.refresh_from_db()
    return {"event": ev, "regs": regs, "meetings": meetings, "organiser": organiser}


def test_only_the_two_parties_rate_and_both_not_held_means_not_held(held):
    (ab, cd, ad), regs = held["meetings"], held["regs"]
    services.meeting_rate(meeting=ab, by=regs[0].person, rating="cooperation_possible", comment="Follow up in May")
    services.meeting_rate(meeting=ab, by=regs[1].person, rating="informative_no_cooperation")
    services.meeting_rate(meeting=cd, by=regs[2].person, rating="not_held")
    services.meeting_rate(meeting=cd, by=regs[3].person, rating="not_held")
    services.meeting_rate(meeting=ad, by=regs[0].person, rating="not_held")  # the other side has not said
    with pytest.raises(PermissionDenied):
        services.meeting_rate(meeting=ab, by=regs[2].person, rating="cooperation_possible")
    with pytest.raises(ValidationError, match="not on the scale"):
        services.meeting_rate(meeting=ab, by=regs[0].person, rating="excellent")
    services.meeting_rate(meeting=ab, by=regs[0].person, rating="cooperation_possible", comment="changed mind")
    summary = selectors.event_ratings(held["event"])
    counts = {code: n for code, _label, n in summary["distribution"]}
    assert (summary["scheduled"], summary["rated"], summary["not_held"], summary["held"], summary["disputed"]) == (
        3, 3, 1, 2, 1)
    assert counts == {"not_held": 1, "insufficient_interest": 0, "informative_no_cooperation": 0,
                      "cooperation_possible": 1}
    assert ab.ratings.get(registration=regs[0]).comment == "changed mind"


def test_a_no_show_at_check_in_counts_as_not_held_and_future_meetings_wait(held):
    (ab, cd, _ad), regs = held["meetings"], held["regs"]
    es.check_in(registration=regs[2], present=True, by=held["organiser"])
    cd.second_present = False
    cd.save(update_fields=["second_present"])
    assert selectors.event_ratings(held["event"])["not_held"] == 1
    ab.slot.starts_at = dt.datetime(2099, 1, 1, tzinfo=dt.timezone.utc)
    ab.slot.save(update_fields=["starts_at"])
    with pytest.raises(ValidationError, match="rate it afterwards"):
        services.meeting_rate(meeting=ab, by=regs[0].person, rating="cooperation_possible")


def test_a_participant_withdraws_their_rating_and_follow_up_answer(held, client):
    import datetime as dt

    from clusterbridge.outcomes.models import FollowUpAnswer, MeetingRating

    ab, regs = held["meetings"][0], held["regs"]
    services.meeting_rate(meeting=ab, by=regs[0].person, rating="cooperation_possible")
    services.meeting_rate(meeting=ab, by=regs[1].person, rating="insufficient_interest")
    client.force_login(regs[0].person)
    client.post(f"/outcomes/events/{held['event'].slug}/ratings/", {"meeting": ab.pk, "action": "withdraw"})
    assert list(MeetingRating.objects.values_list("registration", flat=True)) == [regs[1].pk]  # only their own
    client.post(f"/outcomes/events/{held['event'].slug}/ratings/", {"meeting": "abc", "action": "withdraw"})  # 404, not 500
    services.follow_up_open(event=held["event"], by=held["organiser"], opens_on=dt.date.today())
    rnd = held["event"].follow_ups.get()
    services.follow_up_answer(round=rnd, meeting=ab, by=regs[0].person, answer="valuable_contact")
    client.post(f"/outcomes/events/{held['event'].slug}/follow-up/", {"meeting": ab.pk, "action": "withdraw"})
    assert not FollowUpAnswer.objects.exists()
    with pytest.raises(PermissionDenied):
        services.meeting_rating_withdraw(meeting=ab, by=regs[2].person)
