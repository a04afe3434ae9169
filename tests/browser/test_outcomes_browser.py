"""Issue 14 (first slice): a participant rates their meetings in Chinese right after the event; the
organiser sees the ratings combined."""

import datetime as dt

import pytest

from clusterbridge.accounts.models import Role
from clusterbridge.events import services as es
from clusterbridge.outcomes.models import MeetingRating
from tests.browser.pages import login
from tests.factories import events as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_participant_rates_in_chinese_and_the_organiser_sees_the_summary(page, live_server, mailoutbox):
    organiser = f.person("organiser", role=Role.PROGRAMME_OFFICER)
    ev = f.past_event(organiser, dt.timedelta(hours=3), slug="done", title_en="Taipei matchmaking",
                      title_zh="台北媒合會")
    a, b = f.participant(ev, organiser, name="Techtera"), f.participant(ev, organiser, name="TPCA")
    f.agreed(a, b)
    es.schedule_publish(run=f.schedule(ev, organiser), by=organiser)
    login(page, live_server, a.person.username, "/zh-hant/outcomes/events/done/ratings/")
    assert page.locator("h1").inner_text() == "為您的會談評分"
    page.get_by_label("可能合作").check()
    page.get_by_label("意見（選填）").fill("五月再談樣品")
    page.get_by_role("button", name="儲存評分").click()
    assert "已儲存" in page.locator(".message").inner_text()
    rating = MeetingRating.objects.get()
    assert (rating.registration, rating.rating, rating.comment) == (a, "cooperation_possible", "五月再談樣品")
    login(page, live_server, "organiser", "/outcomes/events/done/ratings/")
    summary = page.locator("#ratings-h + dl").inner_text()
    assert "Held\n1" in summary and "Rated by at least one side\n1" in summary
    assert "Cooperation possible" in page.locator(".chart").inner_text()


def test_follow_up_with_an_agreement_in_chinese_and_the_officers_report(page, live_server, mailoutbox):
    from clusterbridge.accounts.models import InboxMessage
    from clusterbridge.outcomes import services as os_
    from clusterbridge.outcomes.models import CooperationAgreement

    organiser = f.person("organiser", role=Role.PROGRAMME_OFFICER)
    ev = f.past_event(organiser, dt.timedelta(days=200), slug="spring", title_en="Taipei matchmaking",
                      title_zh="台北媒合會")
    past = ev.sessions.get().starts_at
    a, b = f.participant(ev, organiser, name="Techtera"), f.participant(ev, organiser, country="TW", name="TTRI")
    f.agreed(a, b)
    es.schedule_publish(run=f.schedule(ev, organiser), by=organiser)

    login(page, live_server, "organiser", "/outcomes/events/spring/follow-up/")
    page.get_by_role("button", name="Open a follow-up").click()  # six months after: already past
    assert os_.follow_ups_announce() == 1
    assert InboxMessage.objects.filter(kind="outcomes.follow_up_open").count() == 2

    login(page, live_server, b.person.username, "/zh-hant/outcomes/events/spring/follow-up/")
    page.get_by_label("已達成協議").check()
    page.locator("details.agreement summary").click()
    page.get_by_label("協議類型").select_option("joint_rnd")
    page.get_by_label("簽署日期").fill("2026-10-01")
    page.get_by_label("金額（選填）").fill("250,000")
    page.get_by_label("幣別").fill("twd")
    page.get_by_label("中文摘要").fill("共同開發阻燃導電紗線。")
    page.get_by_label("雙方組織同意公開").check()
    page.get_by_role("button", name="儲存我的回答").click()
    assert "已儲存" in page.locator(".message").inner_text()
    agreement = CooperationAgreement.objects.get()
    assert (agreement.kind, agreement.currency, str(agreement.amount)) == ("joint_rnd", "TWD", "250000.00")

    login(page, live_server, "organiser", f"/outcomes/report/?from={past.year}&to={past.year}")
    row = page.locator("table.report tbody tr").first.inner_text()
    assert row.startswith("Taipei matchmaking") and row.endswith("100 % / 0 %")  # Taiwan answered, Europe not yet
    api = page.request.get(f"{live_server.url}/api/v1/outcomes/report?from={past.year}&to={past.year}").json()
    assert api["events"][0]["agreements"] == {"joint_rnd": 1} and api["totals"]["agreements"] == 1
