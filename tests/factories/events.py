import datetime as dt
import itertools
import zoneinfo

from django.contrib.auth import get_user_model

from clusterbridge.accounts.models import Membership, Profile, Role
from clusterbridge.events import services as s
from tests.factories.directory import make_org

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
_n = itertools.count(1)


def person(name=None, role=Role.MEMBER, organisation=None, password="a-long-password-1"):
    name = name or f"p{next(_n)}"
    user = get_user_model().objects.create_user(name, password=password, email=f"{name}@example.org")
    Profile.objects.create(user=user, role=role)
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation)
    return user


def event(organiser, *, slots=6, tables=3, **extra):
    options = dict(slug=f"ev-{next(_n)}", title_en="Matchmaking", kinds=["C2C"],
                   registration_opens=dt.datetime(2020, 1, 1, tzinfo=TAIPEI),
                   registration_closes=dt.datetime(2099, 1, 1, tzinfo=TAIPEI),
                   sessions=[{"name": "PM", "starts_at": dt.datetime(2099, 6, 5, 14, 0, tzinfo=TAIPEI),
                              "slot_minutes": 20, "slot_count": slots}], tables=tables, organiser=organiser)
    options.update(extra)
    return s.event_create(**options)


def past_event(organiser, ago: dt.timedelta, *, slots=2, tables=1, **extra):
    """An event whose one session began `ago` before now (registration had opened a month earlier):
    its meetings can be rated, its follow-ups answered."""
    start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - ago
    return event(organiser, slots=slots, tables=tables, registration_opens=start - dt.timedelta(days=30),
                 sessions=[{"name": "PM", "starts_at": start, "slot_minutes": 20, "slot_count": slots}], **extra)


def participant(ev, organiser, country="FR", name=None, approve=True, kind="cluster_organisation"):
    n = next(_n)
    org = make_org(f"org-{n}", name_en=name or f"Org {n}", country=country, kind=kind)
    user = person(organisation=org)
    reg = s.registration_create(event=ev, organisation=org, person=user)
    if approve:
        s.registration_decide(registration=reg, approve=True, by=organiser)
    return reg


def agreed(a, b):
    request = s.meeting_request_send(sender=a, recipient=b, by=a.person)
    s.meeting_request_answer(request=request, accept=True, by=b.person)
    return request.meeting


def schedule(ev, organiser, time_limit=5):
    """A scheduler run, its job run at once (as the worker would), the run as it ends."""
    from clusterbridge.core.jobs import job_run

    run = s.schedule_run_create(event=ev, by=organiser, time_limit=time_limit)
    job_run(job_id=run.job_id)
    run.refresh_from_db()
    return run
