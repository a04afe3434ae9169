"""Demo events: the EU–Taiwan cluster matchmaking of 2018-06-05 in Taipei (programme-facts:
17 EU clusters — 5G, smart manufacturing, wind energy, circular economy — and 17 Taiwanese
associations, one afternoon of one-to-one meetings, over 70 meetings and more than 4 per
cluster on average), scheduled and published; and a generated 1,500-participant event with
its requests, left for the organiser to schedule (and watch the progress bar)."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from django.contrib.auth import get_user_model
from django.db import transaction

from clusterbridge.accounts.models import Membership, Profile, Role
from clusterbridge.core.jobs import job_run_now
from clusterbridge.directory.models import Kind, Organisation

from . import services
from .models import Event, MeetingRequest, Registration

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
EU_REAL = ["es-cluster-energia", "fr-techtera", "fr-eurobiomed", "eu-castra", "eu-silicon-europe",
           "eu-new-frontier-food", "eu-textile-2030", "eu-elbe"]
TW_REAL = ["tw-cnfi", "tw-tirmc", "tw-tpca", "tw-taia", "tw-amta", "tw-teema", "tw-ntcca", "tw-beauty-valley",
           "tw-pda", "tw-tmbia", "tw-twiota", "tw-frozen-seafood", "tw-machinery"]


def demo_person(organisation: Organisation):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=f"demo-{organisation.external_id}"[:150])
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Profile.objects.create(user=user, role=Role.MEMBER)
        Membership.objects.create(user=user, organisation=organisation)
    return user


def demo_register(event: Event, organisations, officer) -> list[Registration]:
    regs = []
    for org in organisations:
        reg = services.registration_create(event=event, organisation=org, person=demo_person(org),
                                           now=event.registration_opens)
        services.registration_decide(registration=reg, approve=True, by=officer)
        regs.append(reg)
    return regs


def demo_pick(external_ids: list[str], fallback, n: int) -> list[Organisation]:
    """The real organisations first, then others from as many different countries as possible."""
    chosen = list(Organisation.objects.filter(external_id__in=external_ids).order_by("external_id"))
    by_country: dict[str, list[Organisation]] = {}
    for org in fallback.exclude(pk__in=[o.pk for o in chosen]).order_by("country", "external_id")[:2000]:
        by_country.setdefault(org.country, []).append(org)
    while len(chosen) < n and any(by_country.values()):
        for country in sorted(by_country):
            if by_country[country] and len(chosen) < n:
                chosen.append(by_country[country].pop(0))
    return chosen[:n]


@transaction.atomic
def load_demo_events(officer, seed: int = 2018) -> bool:
    if Event.objects.filter(slug="taipei-2018-06-05").exists():
        return False
    rng = random.Random(seed)
    eu = demo_pick(EU_REAL, Organisation.objects.filter(kind=Kind.CLUSTER_ORGANISATION).exclude(country="TW"), 17)
    tw = demo_pick(TW_REAL, Organisation.objects.filter(kind=Kind.INDUSTRY_ASSOCIATION, country="TW"), 17)
    if len(eu) < 17 or len(tw) < 17:
        return False
    event = services.event_create(
        slug="taipei-2018-06-05", title_en="EU–Taiwan cluster matchmaking, Taipei 2018-06-05",
        title_zh="2018 台歐產業聚落媒合會（台北）", kinds=["C2C"], venue="Taipei, European Innovation Week",
        venue_country="TW", time_zone="Asia/Taipei",
        description_en="Seventeen European cluster organisations meet seventeen Taiwanese industry associations "
                       "during the European Innovation Week in Taipei.",
        description_zh="歐洲創新週期間，17 個歐洲聚落組織與 17 個臺灣產業公協會在臺北進行一對一媒合。",
        programme_en="13:30 Registration\n14:00 One-to-one meetings\n18:00 Networking reception",
        programme_zh="13:30 報到\n14:00 一對一洽談\n18:00 交流酒會",
        registration_opens=dt.datetime(2018, 4, 1, tzinfo=TAIPEI), registration_closes=dt.datetime(2018, 6, 1, tzinfo=TAIPEI),
        sessions=[{"name": "PM", "starts_at": dt.datetime(2018, 6, 5, 14, 0, tzinfo=TAIPEI), "slot_minutes": 20,
                   "slot_count": 12, "pause_minutes": 0}],
        tables=17, organiser=officer, max_meetings=10)
    eu_regs = demo_register(event, eu, officer)
    tw_regs = demo_register(event, tw, officer)
    when = dt.datetime(2018, 5, 20, tzinfo=TAIPEI)
    for reg in eu_regs:  # each EU cluster asks five associations; most say yes
        for target in rng.sample(tw_regs, 5):
            request = services.meeting_request_send(sender=reg, recipient=target, by=reg.person, now=when,
                                                    priority=rng.choice([1, 2, 2, 3]),
                                                    message="We would like to explore cooperation.")
            if rng.random() < 0.88:
                services.meeting_request_answer(request=request, accept=True, by=target.person)
    for reg in rng.sample(tw_regs, 6):  # and a few associations ask clusters
        target = rng.choice(eu_regs)
        try:
            request = services.meeting_request_send(sender=reg, recipient=target, by=reg.person, now=when)
            services.meeting_request_answer(request=request, accept=True, by=target.person)
        except services.EventError:
            pass
    run = services.schedule_run_create(event=event, by=officer, time_limit=10)
    job_run_now(job_id=run.job_id)  # the demo publishes it next
    run.refresh_from_db()
    services.schedule_publish(run=run, by=officer)
    _large_event(officer, rng)
    return True


def _large_event(officer, rng: random.Random, participants: int = 1500) -> None:
    orgs = list(Organisation.objects.order_by("external_id")[:participants])
    if len(orgs) < 100:
        return
    event = services.event_create(
        slug="global-industrie-generated", title_en="Generated event: 1,500 participants (scale demo)",
        title_zh="產生的大型媒合會（1,500 位參加者）", kinds=["C2C", "C2B", "B2B"], venue="Lyon, Global Industrie",
        venue_country="FR", time_zone="Europe/Paris", map_url="https://www.openstreetmap.org/?mlat=45.7297&mlon=4.9486",
        description_en="A scale demonstration: 1,500 organisations of Taiwan and Europe meet at Global Industrie.",
        description_zh="規模示範：1,500 個臺灣與歐洲組織在 Global Industrie 展會相見。",
        registration_opens=dt.datetime(2026, 1, 1, tzinfo=PARIS), registration_closes=dt.datetime(2027, 3, 1, tzinfo=PARIS),
        sessions=[{"name": "AM", "starts_at": dt.datetime(2027, 3, 8, 9, 0, tzinfo=PARIS), "slot_minutes": 20,
                   "slot_count": 10, "pause_minutes": 5},
                  {"name": "PM", "starts_at": dt.datetime(2027, 3, 8, 14, 0, tzinfo=PARIS), "slot_minutes": 20,
                   "slot_count": 10, "pause_minutes": 5}],
        tables=max(10, len(orgs) // 10), organiser=officer, requests_need_acceptance=False, max_meetings=14)
    regs = []
    for org in orgs:
        regs.append(Registration(event=event, organisation=org, person=demo_person(org),
                                 status=Registration.Status.APPROVED))
    Registration.objects.bulk_create(regs, batch_size=2000)
    regs = list(event.registrations.all())
    seen, requests, meetings = set(), [], []
    from .models import Meeting

    for reg in regs:
        for other in rng.sample(regs, 4):
            pair = tuple(sorted((reg.pk, other.pk)))
            if other.pk == reg.pk or pair in seen:
                continue
            seen.add(pair)
            requests.append(MeetingRequest(event=event, sender=reg, recipient=other, priority=rng.choice([1, 2, 3]),
                                           status=MeetingRequest.Status.ACCEPTED))
    MeetingRequest.objects.bulk_create(requests, batch_size=5000)
    for r in event.requests.all():
        meetings.append(Meeting(event=event, request=r, first_id=r.sender_id, second_id=r.recipient_id,
                                weight=r.priority))
    Meeting.objects.bulk_create(meetings, batch_size=5000)
