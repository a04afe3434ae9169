"""Demo publishing: a week of posts (officers' and members'), one waiting for approval, and demo
subscribers to the weekly digest in both languages, so that `clusterbridge newsletter-send
weekly-digest` has something to send. Every post says it was written for the demo."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from clusterbridge.directory.models import Organisation

from .models import MailingList, Post, Subscription
from .sending import week_ending

MARK_EN, MARK_ZH = "*Written for the demo.*", "*示範用內容。*"
POSTS = [
    ("call_for_partners", "fr-techtera", "Smart textiles: partners wanted for sensor-embedded fabrics",
     "智慧紡織：徵求感測織物合作夥伴",
     "A French textile cluster seeks Taiwanese makers of conductive yarns and flexible sensors for a "
     "three-year project on workwear that measures fatigue.\n\n- Conductive yarns and coatings\n- Flexible "
     "printed sensors\n- Washable connectors",
     "法國紡織聚落徵求台灣導電紗與軟性感測器廠商，共同開發可量測疲勞的工作服，為期三年。\n\n- 導電紗與塗層\n"
     "- 軟性印刷感測器\n- 可水洗連接器"),
    ("news", None, "Taiwan–EU cluster matchmaking: registration opens for the autumn round",
     "台歐產業聚落媒合會：秋季場次開放報名",
     "Cluster organisations and companies can now register their profiles and request one-to-one meetings; "
     "the schedule is published two weeks before the event.",
     "產業聚落組織與企業即日起可登錄資料並申請一對一洽談；洽談時程於活動前兩週公布。"),
    ("funding_call", None, "Funding call: joint R&D projects between Taiwanese and European SMEs",
     "補助徵案：台歐中小企業共同研發計畫",
     "Consortia of at least one Taiwanese and one European SME may apply; the call closes at the end of the "
     "quarter. Read the rules before you start.",
     "須由至少一家台灣與一家歐洲中小企業組成聯盟提出申請；本徵案於季末截止，申請前請詳閱規定。"),
    ("event", "tw-tpca", "PCB and advanced packaging delegation to Europe",
     "電路板與先進封裝產業赴歐考察團",
     "A delegation of Taiwanese circuit-board makers visits European semiconductor clusters; members can join "
     "the company visits and the B2B session.",
     "台灣電路板業者組團參訪歐洲半導體聚落；會員可參加企業參訪與 B2B 洽談。"),
]


@transaction.atomic
def load_demo_publishing(officer, subscribers: int = 40) -> bool:
    """False when loaded before."""
    if Post.objects.exists():
        return False
    start, _end = week_ending()
    for day, (kind, org_id, title_en, title_zh, body_en, body_zh) in enumerate(POSTS, start=1):
        org = Organisation.objects.filter(external_id=org_id).first() if org_id else None
        Post.objects.create(slug=f"demo-{day}", kind=kind, organisation=org, title_en=title_en, title_zh=title_zh,
                            body_en=f"{body_en}\n\n{MARK_EN}", body_zh=f"{body_zh}\n\n{MARK_ZH}",
                            status=Post.Status.PUBLISHED, author=officer, reviewed_by=officer,
                            publish_at=start + dt.timedelta(days=day, hours=9))
    techtera = Organisation.objects.filter(external_id="fr-techtera").first()
    Post.objects.create(slug="demo-waiting", kind="news", organisation=techtera, status=Post.Status.SUBMITTED,
                        title_en="Our new members from Taiwan", title_zh="我們來自台灣的新會員",
                        body_en=f"Three Taiwanese companies joined this month.\n\n{MARK_EN}",
                        body_zh=f"本月有三家台灣企業加入。\n\n{MARK_ZH}", author=officer)
    from .selectors import lists_ensure

    lists_ensure()
    digest = MailingList.objects.get(slug="weekly-digest")
    now = timezone.now()
    Subscription.objects.bulk_create([
        Subscription(mailing_list=digest, email=f"reader{n:03d}@demo.invalid", language="zh-hant" if n % 2 else "en",
                     status=Subscription.Status.ACTIVE, consent_at=now, confirmed_at=now, consent_source="demo",
                     consent_language="zh-hant" if n % 2 else "en", consent_wording="Generated for the demo")
        for n in range(1, subscribers + 1)])
    # The digest job of the demo server would mail this week's digest to the demo readers at once;
    # it is marked as run so that `clusterbridge newsletter-send weekly-digest` is there to try.
    from clusterbridge.core.models import Job

    from .sending import WEEKLY_JOB

    Job.objects.create(kind=WEEKLY_JOB, status=Job.Status.DONE, started_at=now, finished_at=now,
                       result={"started": {}, "note": "demo: send it with newsletter-send"})
    return True
