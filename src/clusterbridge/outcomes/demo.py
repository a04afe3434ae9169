"""Demo outcomes: the EU–Taiwan cluster matchmakings of 2016–2019 (programme-facts,
`eu_taiwan_dialogues_and_matchmaking` and `matchmaking_results_published`) with what they led to.

Real: the events' dates and places; Brussels 2017's delegations (21 European bodies, 15 Taiwanese)
and its 131 formal meetings (77 cluster-to-cluster, 54 cluster-to-business); Taipei 2018 comes from
the events demo (17 + 17, 79 meetings); the two success stories of seed 001, presented at the 2018
event as the programme does with the cooperations that succeeded. Generated, and marked so in
every comment, summary and event description: the 2016 and 2019 delegations and meetings, every
rating, follow-up answer and agreement (with a fixed seed)."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from decimal import Decimal

from django.db import transaction

from clusterbridge.core.jobs import job_run_now
from clusterbridge.directory.models import Kind, Organisation
from clusterbridge.events import services as event_services
from clusterbridge.events.demo import EU_REAL, TW_REAL, demo_person, demo_pick, demo_register
from clusterbridge.events.models import Event, Meeting

from . import stories
from .models import (AgreementKind, FollowUpAnswer, FollowUpRating, FollowUpRound,
                     ImmediateRating, MeetingRating)

MARK_EN, MARK_ZH = "[Generated for the demo]", "【示範用產生資料】"
GENERATED_NOTE_EN = ("\n\nDemo: the ratings, follow-up answers and agreements of this event are generated "
                     "(fixed seed); the published figures are stated above.")
ABOUT_ZH = {
    "taipei-2016-06-01": "首屆臺北歐洲創新週，與第二屆台歐產業對話同時舉行。本示範活動的代表團與會談為產生的資料：當年未公布數字。",
    "brussels-2017-06-26": "依主辦單位公布：歐方 21 個、臺方 15 個聚落組織代表團，正式會談 131 場（聚落對聚落 77 場、聚落對企業 54 場），"
                           "參加者約 200 人。",
    "lyon-2019-03-07": "於 Global Industrie 展會舉行的第四屆台歐產業聚落媒合會。本示範活動的代表團與會談為產生的資料：當年未公布數字。",
}
GENERATED_NOTE_ZH = "\n\n示範說明：本活動的會談評分、追蹤問卷回覆與合作協議均為產生的示範資料；公開數字見上文。"
TAIPEI, BRUSSELS, PARIS = (zoneinfo.ZoneInfo(z) for z in ("Asia/Taipei", "Europe/Brussels", "Europe/Paris"))

# (slug, title en, title zh, venue, country, zone, start, EU bodies, TW bodies, TW companies,
#  C2C meetings, C2B meetings, what the description says of the figures)
EVENTS = [
    ("taipei-2016-06-01", "EU–Taiwan cluster matchmaking, Taipei 2016 (European Innovation Week)",
     "2016 台歐產業聚落媒合會（臺北，歐洲創新週）", "Taipei, first European Innovation Week", "TW", TAIPEI,
     dt.datetime(2016, 6, 1, 14, 0), 12, 12, 0, 46, 0,
     "The first European Innovation Week in Taipei, with the 2nd EU–Taiwan Industrial Dialogue. The delegations "
     "and meetings of this demo event are generated: no figures were published."),
    ("brussels-2017-06-26", "EU–Taiwan Event on Industry of the Future, Brussels 2017",
     "2017 台歐未來產業媒合會（布魯塞爾）", "Brussels, 3rd EU–Taiwan Industrial Dialogue", "BE", BRUSSELS,
     dt.datetime(2017, 6, 26, 10, 0), 21, 15, 12, 77, 54,
     "As published by the organisers: a delegation of 21 European and 15 Taiwanese cluster bodies, 131 formal "
     "meetings (77 cluster-to-cluster, 54 cluster-to-business), about 200 participants in all."),
    ("lyon-2019-03-07", "4th EU–Taiwan cluster matchmaking, Lyon 2019 (Global Industrie)",
     "2019 第四屆台歐產業聚落媒合會（里昂 Global Industrie）", "Lyon, Global Industrie", "FR", PARIS,
     dt.datetime(2019, 3, 7, 9, 30), 10, 14, 0, 58, 0,
     "The 4th EU–Taiwan cluster matchmaking at Global Industrie. The delegations and meetings of this demo event "
     "are generated: no figures were published."),
]
RATING_WEIGHTS = [(ImmediateRating.NOT_HELD, 4), (ImmediateRating.INSUFFICIENT_INTEREST, 14),
                  (ImmediateRating.INFORMATIVE_NO_COOPERATION, 36), (ImmediateRating.COOPERATION_POSSIBLE, 46)]
FOLLOW_UP_WEIGHTS = {  # where a contact stands months later, by how the meeting went
    ImmediateRating.COOPERATION_POSSIBLE: [20, 15, 35, 18, 12],
    ImmediateRating.INFORMATIVE_NO_COOPERATION: [45, 30, 20, 5, 0],
    ImmediateRating.INSUFFICIENT_INTEREST: [85, 15, 0, 0, 0],
}
KIND_WEIGHTS = [(AgreementKind.CLUSTER_MOU, 30), (AgreementKind.JOINT_RND, 18), (AgreementKind.COMMERCIAL, 18),
                (AgreementKind.JOINT_PROJECT_PROPOSAL, 14), (AgreementKind.TECHNOLOGY_TRANSFER, 8),
                (AgreementKind.SUBCONTRACTING, 6), (AgreementKind.INVESTMENT, 6)]
STORIES = [
    # (EU or other party, Taiwanese party, event slug, kind, title en, title zh, body en, body zh)
    ("de-university", "tw-machinery", "brussels-2017-06-26", AgreementKind.JOINT_PROJECT_PROPOSAL,
     "From a Brussels meeting to a joint project: Taiwan's machinery association and a German university",
     "從布魯塞爾的一場會談到共同計畫：機械公會與德國應用科技大學",
     "The machinery industry association met a German university of applied sciences at the 2017 EU–Taiwan "
     "matchmaking in Brussels. Visits in both directions followed, and the two are now preparing a joint project.",
     "機械公會於 2017 年布魯塞爾台歐媒合會結識一所德國應用科技大學，之後雙方互訪，目前正共同籌備合作計畫。"),
    ("eu-castra", "tw-sipo", "taipei-2016-06-01", AgreementKind.JOINT_RND,
     "CASTRA and Taiwan's system-integration cluster: joint funding and joint R&D",
     "CASTRA 與臺灣系統整合聚落：共同爭取經費、共同研發",
     "CASTRA, the ICT and aerospace cluster, met a Taiwanese system-integration cluster at the 2016 matchmaking. "
     "Joint funding and joint research and development of high-tech products followed.",
     "資通訊與航太聚落 CASTRA 於 2016 年媒合會結識臺灣系統整合聚落，其後共同爭取經費並共同研發高科技產品。"),
]


def _weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _pairs(rng, eu, tw, n, extra=()) -> list[tuple]:
    """n distinct (EU, TW) pairs spread evenly over both sides, the `extra` pairs first."""
    chosen = list(extra)
    seen = set(chosen)
    everything = [(a, b) for a in eu for b in tw if (a, b) not in seen]
    rng.shuffle(everything)
    load: dict = {}
    for a, b in chosen:
        load[a], load[b] = load.get(a, 0) + 1, load.get(b, 0) + 1
    rest = []
    for a, b in everything:
        if len(chosen) < n and load.get(a, 0) < -(-n // len(eu)) and load.get(b, 0) < -(-n // len(tw)):
            chosen.append((a, b))
            load[a], load[b] = load.get(a, 0) + 1, load.get(b, 0) + 1
        else:
            rest.append((a, b))
    return (chosen + rest)[:n]


def _event(officer, rng, spec, extra_eu=(), extra_tw=(), extra_pairs=()) -> Event:
    (slug, title_en, title_zh, venue, country, zone, start, n_eu, n_tw, n_companies, c2c, c2b, about) = spec
    start = start.replace(tzinfo=zone)
    event = event_services.event_create(
        slug=slug, title_en=title_en, title_zh=title_zh, kinds=["C2C", "C2B"] if c2b else ["C2C"], venue=venue,
        venue_country=country, time_zone=str(zone), organiser=officer, max_meetings=None,
        description_en=about + GENERATED_NOTE_EN, description_zh=ABOUT_ZH[slug] + GENERATED_NOTE_ZH,
        registration_opens=start - dt.timedelta(days=60), registration_closes=start - dt.timedelta(days=5),
        sessions=[{"name": "AM", "starts_at": start, "slot_minutes": 20, "slot_count": 9, "pause_minutes": 0},
                  {"name": "PM", "starts_at": start + dt.timedelta(hours=4), "slot_minutes": 20, "slot_count": 9,
                   "pause_minutes": 0}],
        tables=max(n_eu, 12))
    eu = list(extra_eu) + [o for o in demo_pick(EU_REAL, Organisation.objects.filter(
        kind=Kind.CLUSTER_ORGANISATION).exclude(country="TW"), n_eu + 5) if o not in extra_eu]
    tw = list(extra_tw) + [o for o in demo_pick(list(reversed(TW_REAL)), Organisation.objects.filter(
        kind=Kind.INDUSTRY_ASSOCIATION, country="TW"), n_tw + 5) if o not in extra_tw]
    eu_regs = demo_register(event, eu[:n_eu], officer)
    tw_regs = demo_register(event, tw[:n_tw], officer)
    firms = list(Organisation.objects.filter(kind=Kind.COMPANY, country="TW").order_by("external_id")[:n_companies])
    company_regs = demo_register(event, firms, officer) if firms else []
    by_org = {r.organisation_id: r for r in eu_regs + tw_regs}
    fixed = [(by_org[a.pk], by_org[b.pk]) for a, b in extra_pairs]
    pairs = _pairs(rng, eu_regs, tw_regs, c2c, fixed) + (_pairs(rng, eu_regs, company_regs, c2b) if c2b else [])
    when = start - dt.timedelta(days=10)
    for a, b in pairs:
        request = event_services.meeting_request_send(sender=a, recipient=b, by=a.person, now=when,
                                                      priority=rng.choice([1, 2, 2, 3]))
        event_services.meeting_request_answer(request=request, accept=True, by=b.person)
    run = event_services.schedule_run_create(event=event, by=officer, time_limit=4)  # every meeting fits; a short search suffices
    job_run_now(job_id=run.job_id)
    run.refresh_from_db()
    event_services.schedule_publish(run=run, by=officer)
    return event


def _outcomes(event: Event, rng: random.Random, officer) -> None:
    """Generated ratings, a six-month follow-up (and a yearly one for the older events) with their
    answers, and the agreements the answers report."""
    meetings = list(Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED)
                    .select_related("first__organisation", "second__organisation", "first__person", "second__person")
                    .order_by("pk"))
    ratings, rated = [], {}
    for m in meetings:
        base = _weighted(rng, RATING_WEIGHTS)
        rated[m.pk] = base
        for side in (m.first, m.second):
            if rng.random() < 0.82:
                own = base if base == ImmediateRating.NOT_HELD or rng.random() < 0.7 else _weighted(rng, RATING_WEIGHTS[1:])
                ratings.append(MeetingRating(meeting=m, registration=side, rating=own, rated_by=side.person,
                                             comment=MARK_EN))
    MeetingRating.objects.bulk_create(ratings)
    start = event.sessions.order_by("starts_at").first().starts_at
    rounds = [FollowUpRound.objects.create(event=event, opens_on=(start + dt.timedelta(days=182)).date(),
                                           announced_at=start + dt.timedelta(days=182), created_by=officer)]
    if start.year <= 2017:
        rounds.append(FollowUpRound.objects.create(
            event=event, kind=FollowUpRound.Kind.YEARLY, opens_on=(start + dt.timedelta(days=365 * 2)).date(),
            announced_at=start + dt.timedelta(days=365 * 2), created_by=officer))
    sides = {r for m in meetings for r in (m.first, m.second)}
    answering = {r.pk for r in sides if rng.random() < (0.72 if r.organisation.country == "TW" else 0.62)}
    answers = []
    for m in meetings:
        if rated[m.pk] == ImmediateRating.NOT_HELD:
            continue
        reached = False
        for side in (m.first, m.second):
            if side.pk not in answering:
                continue
            code = rng.choices(FollowUpRating.values, weights=FOLLOW_UP_WEIGHTS[rated[m.pk]])[0]
            reached = reached or code == FollowUpRating.AGREEMENT_REACHED
            answers.append(FollowUpAnswer(round=rounds[0], meeting=m, registration=side, answer=code, comment=MARK_EN))
            if len(rounds) > 1 and rng.random() < 0.5:
                later = code if code in (FollowUpRating.NO_FURTHER_CONTACT, FollowUpRating.AGREEMENT_REACHED) else \
                    rng.choice([FollowUpRating.NO_FURTHER_CONTACT, code, FollowUpRating.AGREEMENT_REACHED])
                reached = reached or later == FollowUpRating.AGREEMENT_REACHED
                answers.append(FollowUpAnswer(round=rounds[1], meeting=m, registration=side, answer=later,
                                              comment=MARK_EN))
        if reached:
            kind = _weighted(rng, KIND_WEIGHTS)
            value = rng.choice([None, None, Decimal(rng.randrange(20, 900) * 1000)])
            from .services import agreement_record

            agreement_record(
                by=officer, kind=kind, organisations=[m.first.organisation, m.second.organisation], event=event,
                meeting=m, signed_on=(start + dt.timedelta(days=rng.randrange(90, 400))).date(), amount=value,
                currency="EUR" if value is not None else "", public=rng.random() < 0.5,
                summary_en=f"{MARK_EN} {AgreementKind(kind).label} between {m.first.organisation} and "
                           f"{m.second.organisation}.",
                summary_zh=f"{MARK_ZH}{m.first.organisation.name_zh or m.first.organisation}與"
                           f"{m.second.organisation.name_zh or m.second.organisation}的合作協議。")
    FollowUpAnswer.objects.bulk_create(answers)


SUGGESTIONS = [("More time for the one-to-one meetings", "希望一對一洽談時間更長"),
               ("Send the participant profiles earlier", "希望更早收到參加者簡介"),
               ("Add company visits", "希望增加企業參訪"), ("An interpreter at each table", "每桌安排口譯")]


def _survey(event: Event, rng: random.Random, officer) -> None:
    """The ready-template survey, sent after the event, with generated answers (about two in three
    participants; the suggestions say they are generated)."""
    from clusterbridge.events.models import Registration

    from .survey_models import SurveyAnswer, SurveyParticipation, SurveyResponse
    from .survey_services import survey_create

    end = event.sessions.order_by("-starts_at").first().starts_at + dt.timedelta(hours=6)
    survey = survey_create(event=event, by=officer, from_template=True, opens_at=end,
                           closes_at=end + dt.timedelta(days=14))
    survey.sent_at = end
    survey.reminded_at = survey.remind_at
    survey.save(update_fields=["sent_at", "reminded_at"])
    questions = list(survey.questions.all())
    registrations = list(Registration.objects.filter(event=event, status=Registration.Status.APPROVED)
                         .select_related("person"))
    answered = [r for r in registrations if rng.random() < 0.66]
    SurveyParticipation.objects.bulk_create([SurveyParticipation(survey=survey, person=r.person, registration=r,
                                                                 answered=r in answered) for r in registrations])
    answers = []
    for reg in answered:
        response = SurveyResponse.objects.create(survey=survey, registration=reg, person=reg.person,
                                                 answered_on=(end + dt.timedelta(days=rng.randrange(1, 12))).date())
        mood = rng.choice([3, 4, 4, 5, 5])
        for q in questions:
            if not q.required and rng.random() < 0.25:
                continue
            if q.kind == "scale":
                value = max(1, min(5, mood + rng.choice([-1, 0, 0, 1])))
            elif q.kind == "yes_no":
                value = mood >= 4 or rng.random() < 0.5
            elif q.kind == "number":
                value = str(rng.randrange(0, 7))
            elif q.kind == "multiple":
                value = sorted(rng.sample(range(len(q.choices)), rng.randrange(1, 4)))
            else:
                en, zh = rng.choice(SUGGESTIONS)
                value = f"{MARK_EN} {en}" if reg.organisation.country != "TW" else f"{MARK_ZH}{zh}"
            answers.append(SurveyAnswer(response=response, question=q, value=value))
    SurveyAnswer.objects.bulk_create(answers)


def _german_university() -> Organisation:
    found = Organisation.objects.filter(kind=Kind.UNIVERSITY, country="DE").order_by("external_id").first()
    if found:
        return found
    return Organisation.objects.create(
        external_id="de-university-applied-sciences", kind=Kind.UNIVERSITY, country="DE", published=True,
        name_en="A German university of applied sciences (demo)", name_zh="德國應用科技大學（示範）")


def _story(officer, spec, eu_org, tw_org, taipei_2018) -> None:
    _eu, _tw, slug, kind, title_en, title_zh, body_en, body_zh = spec
    event = Event.objects.get(slug=slug)
    meeting = Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED,
                                     first__organisation__in=[eu_org, tw_org],
                                     second__organisation__in=[eu_org, tw_org]).first()
    from .services import agreement_record

    agreement = agreement_record(by=officer, kind=kind, organisations=[eu_org, tw_org], event=event, meeting=meeting,
                                 summary_en=body_en, summary_zh=body_zh, public=True,
                                 signed_on=event.sessions.first().starts_at.date() + dt.timedelta(days=300))
    story = stories.story_draft(agreement=agreement, by=officer, title_en=title_en, title_zh=title_zh,
                                body_en=body_en, body_zh=body_zh)
    for org, language in ((eu_org, "en"), (tw_org, "zh-hant")):
        stories.story_consent(story=story, organisation=org, by=demo_person(org), language=language)
    stories.story_submit(story=story, by=officer)
    stories.story_review(story=story, by=officer, publish=True)
    stories.story_invite(story=story, event=taipei_2018, by=officer)


@transaction.atomic
def load_demo_outcomes(officer, seed: int = 2019) -> bool:
    """Adds the 2016, 2017 and 2019 events and the outcomes of all four; False when loaded before or
    when the Taipei 2018 event of the events demo is missing."""
    taipei_2018 = Event.objects.filter(slug="taipei-2018-06-05").first()
    if taipei_2018 is None or Event.objects.filter(slug=EVENTS[1][0]).exists():
        return False
    rng = random.Random(seed)
    university = _german_university()
    machinery = Organisation.objects.filter(external_id="tw-machinery").first()
    castra = Organisation.objects.filter(external_id="eu-castra").first()
    sipo = Organisation.objects.filter(external_id="tw-sipo").first()
    events = []
    for spec in EVENTS:
        extra_eu, extra_tw, pairs = [], [], []
        if spec[0] == "brussels-2017-06-26" and machinery:
            extra_eu, extra_tw, pairs = [university], [machinery], [(university, machinery)]
        if spec[0] == "taipei-2016-06-01" and castra and sipo:
            extra_eu, extra_tw, pairs = [castra], [sipo], [(castra, sipo)]
        events.append(_event(officer, rng, spec, extra_eu, extra_tw, pairs))
    taipei_2018.description_en += GENERATED_NOTE_EN
    taipei_2018.description_zh += GENERATED_NOTE_ZH
    taipei_2018.save(update_fields=["description_en", "description_zh"])
    for event in sorted(events + [taipei_2018], key=lambda e: e.registration_closes):
        _outcomes(event, rng, officer)
        _survey(event, rng, officer)
    if machinery:
        _story(officer, STORIES[0], university, machinery, taipei_2018)
    if castra and sipo:
        _story(officer, STORIES[1], castra, sipo, taipei_2018)
    return True

