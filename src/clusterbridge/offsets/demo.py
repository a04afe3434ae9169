"""Demo records of the ICP: the 2011 promotion-group meetings and demand-item quarters as
the programme published them (programme-facts), entered through the services so that
the year report computes the published per-meeting figures from the records.

Contractors, agreements and cases are invented (the programme does not publish them per
case); the amounts of each meeting's decisions add up exactly to its published figures."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from clusterbridge.accounts.models import Profile, Role

from . import services as s
from .credits import Category, DecisionKind, Unit
from .models import Agreement, CasePlan, ChecklistItem, DemandItem, PromotionGroupMeeting, SubcommitteeReview
from .review import Affiliation
from .selectors import published_figures

D = dt.date

CONTRACTORS = [
    ("Nordhavn Rail Systems", "北港軌道系統", "DE"), ("Lumière Aéro", "光明航太", "FR"),
    ("Castellana Naval", "卡斯特拉納造船", "ES"), ("Vasa Radar", "瓦薩雷達", "SE"),
    ("Tirreno Elettronica", "第勒尼安電子", "IT"), ("Polder Energy Systems", "低地能源系統", "NL"),
    ("Danube Avionics", "多瑙航電", "AT"), ("Kestrel Dynamics", "紅隼動力", "GB"),
    ("Cascadia Aerospace", "卡斯卡迪亞航太", "US"), ("Sakura Heavy Industries", "櫻重工", "JP"),
]
PURCHASES = [
    ("136 tilting electric trains", "136輛傾斜式電聯車", "Taiwan Railways Administration 臺灣鐵路管理局"),
    ("Coast guard patrol vessels", "海巡艦艇", "Coast Guard Administration 海洋委員會海巡署"),
    ("Air traffic control radar", "航管雷達", "Civil Aeronautics Administration 交通部民用航空局"),
    ("Metro signalling system", "捷運號誌系統", "Department of Rapid Transit Systems 臺北市政府捷運工程局"),
    ("Helicopter fleet", "直升機機隊", "National Airborne Service Corps 內政部空中勤務總隊"),
    ("Gas turbine power units", "燃氣渦輪發電機組", "Taiwan Power Company 台灣電力公司"),
    ("Trainer aircraft", "教練機", "Ministry of National Defense 國防部"),
    ("Weather radar network", "氣象雷達網", "Central Weather Bureau 中央氣象局"),
]
RECIPIENTS = ["Taiwan Rolling Stock Co. 台灣車輛", "AIDC 漢翔航空工業", "CSBC 台灣國際造船", "ITRI 工業技術研究院",
              "NCSIST 國家中山科學研究院", "Tatung 大同公司", "Chung Hsin Electric 中興電工", "TECO 東元電機",
              "III 資訊工業策進會", "MIRDC 金屬工業研究發展中心"]
# Category mix close to the programme's cumulative shares (technology transfer first).
MIX = [(Category.TECHNOLOGY_TRANSFER, 53, "2"), (Category.DOMESTIC_PROCUREMENT, 22, "1"),
       (Category.DOMESTIC_INVESTMENT, 12, "1"), (Category.TRAINING, 7, "1.5"),
       (Category.INTERNATIONAL_MARKETING, 4, "1"), (Category.INTERNATIONAL_CERTIFICATION, 2, "1")]
DEMAND_TITLES = [
    ("Track inspection technology for high-speed rail", "高速鐵路軌道檢測技術"),
    ("Composite airframe repair", "複合材料機身修護技術"), ("Marine gas turbine maintenance", "船用燃氣渦輪維修"),
    ("Radar signal processing", "雷達訊號處理技術"), ("Lithium battery safety testing", "鋰電池安全檢測"),
    ("Offshore wind foundation welding", "離岸風電基礎焊接技術"), ("Satellite ground station", "衛星地面站技術"),
    ("Avionics software certification", "航電軟體驗證"), ("Smart grid protection relays", "智慧電網保護電驛"),
    ("Precision bearing manufacturing", "精密軸承製造"), ("Rail traction motor design", "軌道牽引馬達設計"),
    ("Medical imaging components", "醫療影像元件"), ("Turbine blade coating", "渦輪葉片塗層技術"),
    ("Cybersecurity for industrial control", "工業控制資安"), ("Semiconductor equipment parts", "半導體設備零組件"),
    ("Unmanned aerial vehicle navigation", "無人機導航技術"), ("Ship hull design software", "船體設計軟體"),
    ("Electric bus drivetrain", "電動巴士動力系統"), ("Fuel cell stacks", "燃料電池堆"),
    ("Nondestructive testing training", "非破壞檢測人才培訓"), ("Optical fibre sensing", "光纖感測技術"),
    ("Metro platform screen doors", "捷運月台門系統"), ("Aircraft engine overhaul", "航空發動機大修"),
    ("Water treatment membranes", "水處理薄膜"), ("Power electronics for wind", "風力發電電力電子"),
]


def _split(total: int, n: int, rng: random.Random) -> list[Decimal]:
    """n positive whole amounts adding up to total exactly."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(n)]
    parts = [int(total * w / sum(weights)) for w in weights]
    parts[-1] += total - sum(parts)
    return [Decimal(p) for p in parts]


class _Builder:
    def __init__(self, officer, seed: int = 2011):
        self.by = officer
        self.rng = random.Random(seed)
        self.n = 0
        self.experts = [s.expert_create(name=f"Expert {i + 1:02d}", affiliation="expert database",
                                        sectors="aerospace, rail, energy, shipbuilding") for i in range(10)]
        self.officials = [s.expert_create(name=f"Official {i + 1}", affiliation="Industrial Development Bureau",
                                          is_expert=False) for i in range(2)]

    def case(self, agreement: Agreement, claim: Decimal, submitted_on: dt.date, *, field: str = "industry",
             deadline: dt.date | None = None) -> CasePlan:
        self.n += 1
        lines, rest = [], claim * Decimal("1.12")
        for category, share, multiplier in MIX:
            m = Decimal(multiplier)
            part = (claim * Decimal("1.12") * share / 100) if category != MIX[-1][0] else rest
            rest -= part
            lines.append({"category": category.value, "value": (part / m).quantize(Decimal("0.01")) + 1,
                          "multiplier": multiplier, "description": category.value.replace("_", " ")})
        recipients = "\n".join(self.rng.sample(RECIPIENTS, 2))
        case = s.case_plan_create(agreement=agreement, number=f"IC-{submitted_on.year}-{self.n:03d}", field=field,
                                  recipients=recipients, submitted_on=submitted_on, lines=lines,
                                  title_en=f"{agreement.purchase_en}: cooperation package {self.n}",
                                  title_zh=f"{agreement.purchase_zh}工業合作個案 {self.n}",
                                  deadline=deadline or D(submitted_on.year + 3, 12, 31))
        return case

    def ready(self, case: CasePlan, held_on: dt.date) -> None:
        for item in ChecklistItem:
            s.case_check_record(case=case, item=item.value, passed=True, evidence=f"file ICP/{case.number}/{item.value}",
                                by=self.by)
        review = s.subcommittee_review_create(case=case, sector="aerospace and rail", held_on=held_on,
                                              experts=self.rng.sample(self.experts, 4) + [self.officials[0]])
        s.subcommittee_outcome_set(review=review, outcome=SubcommitteeReview.Outcome.TO_GROUP)

    def meeting(self, held_on, minutes, updated, decisions) -> PromotionGroupMeeting:
        meeting = s.meeting_create(held_on=held_on)
        for case, kind, amount, extra in decisions:
            s.decision_record(meeting=meeting, case=case, kind=kind, amount=amount, by=self.by, **extra)
        s.meeting_minutes_approve(meeting=meeting, on=minutes)
        s.meeting_decisions_apply(meeting=meeting, on=updated, by=self.by)
        return meeting


@transaction.atomic
def load_demo_icp(seed: int = 2011) -> bool:
    """Loads the 2011 demo once; returns False when it is already there."""
    if PromotionGroupMeeting.objects.exists():
        return False
    officer = _user("officer", Role.PROGRAMME_OFFICER)
    b = _Builder(officer, seed)
    rng = b.rng
    contractors = [s.contractor_create(name=n, name_zh=z, country=c) for n, z, c in CONTRACTORS]
    # Older agreements, whose cases the 2011 meetings approve, close, extend ...
    old = []
    for i in range(6):
        en, zh, agency = PURCHASES[i]
        old.append(s.agreement_create(number=f"ICP-A-{2005 + i}-{i + 1:02d}", contractor=contractors[i],
                                      procuring_agency=agency, obligation=Decimal(400_000_000 + 50_000_000 * i),
                                      unit=Unit.USD, signed_on=D(2005 + i, 4 + i, 10), purchase_en=en,
                                      purchase_zh=zh, briefing_held_on=D(2005 + i, 6 + i, 20),
                                      defence_share_target=34))
    twd = s.agreement_create(number="ICP-A-2009-T1", contractor=contractors[8], procuring_agency=PURCHASES[5][2],
                             obligation=Decimal(900_000_000), unit=Unit.TWD, signed_on=D(2009, 3, 2),
                             purchase_en=PURCHASES[5][0], purchase_zh=PURCHASES[5][1], briefing_held_on=D(2009, 5, 5))
    facts = published_figures()["years"][2011]["meetings"]
    m1, m2, m3, m4 = (facts[D(2011, 3, 17)], facts[D(2011, 6, 2)], facts[D(2011, 9, 8)], facts[D(2011, 11, 29)])

    def approved_cases(total, n, agreements, field="industry"):
        out = []
        for amount in _split(total, n, rng):
            case = b.case(rng.choice(agreements), amount, D(2009, rng.randint(1, 12), rng.randint(1, 28)), field=field)
            out.append((case, amount))
        return out

    # Cases the 2011 meetings actually approve, with their pre-approvals of 2010.
    appr1 = approved_cases(m1["actually_approved_usd_points"], 5, old)
    appr2 = approved_cases(m2["actually_approved_usd_points"], 5, old, "defence")
    appr3 = approved_cases(m3["actually_approved_usd_points"], 2, old)
    appr3_twd = approved_cases(m3["actually_approved_twd_points"], 1, [twd])
    appr4 = approved_cases(m4["actually_approved_usd_points"], 6, old, "defence")
    # Cases the 2011 meetings close, extend, retain, withdraw or take note of.
    running = [b.case(rng.choice(old), Decimal(rng.randint(5, 40) * 1_000_000), D(2008, rng.randint(1, 12), 15))
               for _ in range(24)]
    earned = running[:2]  # these two earn credits in 2010 and retain part of them in 2011
    history = []
    for case, amount in appr1 + appr2 + appr3 + appr3_twd + appr4:
        b.ready(case, D(2010, 8, 20))
        history.append((case, DecisionKind.PRE_APPROVAL, amount, {}))
    for case in running:
        b.ready(case, D(2010, 8, 20))
        history.append((case, DecisionKind.PRE_APPROVAL, case.claimed - 1000, {}))
    b.meeting(D(2010, 9, 16), D(2010, 9, 28), D(2010, 10, 1), history)
    b.meeting(D(2010, 12, 2), D(2010, 12, 14), D(2010, 12, 17),
              [(c, DecisionKind.ACTUAL_APPROVAL, Decimal(3_000_000), {}) for c in earned])

    def new_cases(total, n, submitted, field="industry", rejected=0):
        out = []
        for amount in _split(total, n, rng):
            case = b.case(rng.choice(old), amount, submitted, field=field)
            b.ready(case, submitted + dt.timedelta(days=20))
            out.append((case, DecisionKind.PRE_APPROVAL, amount, {}))
        for _ in range(rejected):
            case = b.case(rng.choice(old), Decimal(rng.randint(5, 30) * 1_000_000), submitted, field=field)
            b.ready(case, submitted + dt.timedelta(days=20))
            out.append((case, DecisionKind.PRE_APPROVAL_REJECTED, None, {}))
        return out

    def plain(cases, kind, **extra):
        return [(c, kind, None, dict(extra)) for c in cases]

    def extend(cases, year):
        return [(c, DecisionKind.EXTENSION, None, {"new_deadline": D(year, 12, 31)}) for c in cases]

    def approve(pairs):
        return [(c, DecisionKind.ACTUAL_APPROVAL, a, {}) for c, a in pairs]

    pool = iter(running[2:])
    take = lambda n: [next(pool) for _ in range(n)]  # noqa: E731 - a local counter, read once
    b.meeting(D(2011, 3, 17), D(2011, 3, 25), D(2011, 3, 30),
              new_cases(m1["pre_approved_usd_points"], 3, D(2011, 1, 10), field="defence", rejected=1)
              + approve(appr1) + plain(take(2), DecisionKind.CLOSURE) + extend(take(3), 2013))
    b.meeting(D(2011, 6, 2), D(2011, 6, 16), D(2011, 6, 21),
              new_cases(m2["pre_approved_usd_points"], 1, D(2011, 4, 8)) + approve(appr2)
              + plain(take(1), DecisionKind.FOR_THE_RECORD) + plain(take(1), DecisionKind.CLOSURE)
              + extend(take(2), 2013)
              + [(earned[0], DecisionKind.CLOSURE_WITH_RETENTION, Decimal(500_000), {}),
                 (earned[1], DecisionKind.CREDIT_RETENTION, Decimal(750_000), {})])
    b.meeting(D(2011, 9, 8), D(2011, 9, 26), D(2011, 9, 30),
              new_cases(m3["pre_approved_usd_points"], 4, D(2011, 7, 1), field="defence")
              + approve(appr3 + appr3_twd) + plain(take(1), DecisionKind.FOR_THE_RECORD)
              + plain(take(1), DecisionKind.CLOSURE) + extend(take(5), 2014) + plain(take(1), DecisionKind.WITHDRAWAL))
    b.meeting(D(2011, 11, 29), D(2011, 12, 6), D(2011, 12, 13),
              new_cases(m4["pre_approved_usd_points"], 7, D(2011, 10, 3), rejected=2)
              + approve(appr4) + plain(take(1), DecisionKind.CLOSURE) + extend(take(1), 2014)
              + plain(take(1), DecisionKind.WITHDRAWAL))
    # The 8 agreements of 2011 (invented; about 2.11 億 USD points in all, as published).
    for i, amount in enumerate(_split(210_870_000, 8, rng)):
        en, zh, agency = PURCHASES[i % len(PURCHASES)]
        signed = D(2011, 1 + i * 3 // 2, 5 + i)
        s.agreement_create(number=f"ICP-A-2011-{i + 1:02d}", contractor=contractors[(i + 2) % len(contractors)],
                           procuring_agency=agency, obligation=amount, unit=Unit.USD, signed_on=signed,
                           purchase_en=en, purchase_zh=zh, defence_share_target=34,
                           briefing_held_on=signed + dt.timedelta(days=60) if i < 7 else None)
    _demand_2011(officer, rng)
    contractor_user = _user("contractor", Role.CONTRACTOR)
    contractors[0].users.add(contractor_user)
    return True


def _user(name: str, role: str):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=name, defaults={"email": f"{name}@demo.invalid"})
    if created:
        user.set_password(f"{name}-demo-2018")
        user.save()
    Profile.objects.get_or_create(user=user, defaults={"role": role})
    return user


def _demand_2011(officer, rng: random.Random) -> None:
    """The four quarters of 2011 with their published class counts, reserved items carried over."""
    panel = [_user("reviewer" if i == 0 else f"reviewer{i + 1}", Role.REVIEWER) for i in range(7)]
    affiliations = ([Affiliation.INDUSTRIAL_DEVELOPMENT_BUREAU, Affiliation.DEPARTMENT_OF_INDUSTRIAL_TECHNOLOGY]
                    + [Affiliation.RESEARCH_INSTITUTE] * 3 + [Affiliation.ACADEMIC] * 2)
    quarters = published_figures()["years"][2011]["demand_quarters"]
    meetings = {1: D(2011, 3, 17), 2: D(2011, 6, 2), 3: D(2011, 9, 8), 4: D(2011, 11, 29)}
    carried: list[DemandItem] = []
    n = 0
    targets = {"priority": 86, "general": 70, "excluded": 48}
    for q in (1, 2, 3, 4):
        call = s.demand_call_open(year=2011, quarter=q)
        for user, affiliation in zip(panel, affiliations):
            s.panel_seat_assign(call=call, reviewer=user, affiliation=affiliation)
        figures = quarters[q]
        withdrawn = {}
        if q == 3 and len(carried) > figures["carried_in"]:
            # Published: 7 reserved in Q2 but 6 carried into Q3. Made explicit here as a withdrawal.
            gone = carried.pop()
            withdrawn[gone.pk] = "withdrawn by the proposer (published figures carry 6 of the 7 reserved)"
        fates = (["priority"] * figures["priority"] + ["general"] * figures["general"]
                 + ["excluded"] * figures["excluded"] + ["reserved"] * figures["reserved"])
        rng.shuffle(fates)
        items = list(carried) + ([gone] if withdrawn else [])
        for _ in range(figures["reviewed"] - len(carried)):
            n += 1
            en, zh = DEMAND_TITLES[n % len(DEMAND_TITLES)]
            items.append(s.demand_item_submit(
                call=call, number=f"DI-2011-{n:03d}", proposer_name=rng.choice(RECIPIENTS),
                proposer_kind=rng.choice(list(DemandItem.ProposerKind)).value,
                basis=rng.choice(list(DemandItem.Basis)).value, field=rng.choice(["defence", "industry"]),
                title_en=en, title_zh=zh, description_en=f"Need: {en.lower()}.", description_zh=f"需求：{zh}。",
                sector="manufacturing", benefits=rng.sample(s.BENEFITS, 2), by=officer))
        reviewed = [i for i in items if i.pk not in withdrawn]
        reserved = []
        for item, fate in zip(reviewed, fates):
            if fate == "reserved":
                reserved.append(item)
                continue
            offsets = [-3, -2, -1, 0, 1, 2, 3]
            rng.shuffle(offsets)
            for user, off in zip(panel, offsets):
                s.demand_score_record(item=item, reviewer=user, score=targets[fate] + off)
        s.demand_review_close(call=call, by=officer, reserved=reserved, withdrawn=withdrawn)
        meeting = PromotionGroupMeeting.objects.get(held_on=meetings[q])
        for item in DemandItem.objects.filter(status=DemandItem.Status.CLASSED):
            s.demand_item_decide(item=item, meeting=meeting, approve=True, by=officer)
        carried = reserved
