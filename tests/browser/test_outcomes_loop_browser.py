"""Issue 14, "Done when": the whole loop in the browser, in both languages — a Taiwanese participant
rates a meeting and answers the survey in Chinese, the officer builds and sends the survey in
English, the follow-up brings an agreement, its story is drafted, consented to by both sides,
published by the officer in Chinese, and the results report shows it all with a drill-down."""

import datetime as dt

import pytest

from clusterbridge.accounts.models import Role
from clusterbridge.events import services as es
from clusterbridge.outcomes import services as outcome_services
from clusterbridge.outcomes.models import CooperationAgreement, SuccessStory
from clusterbridge.outcomes.survey_models import SurveyResponse
from tests.browser.pages import login
from tests.factories import events as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rate_survey_follow_up_agreement_story_report(page, live_server, mailoutbox):
    officer = f.person("officer", role=Role.PROGRAMME_OFFICER)
    ev = f.past_event(officer, dt.timedelta(days=200), slug="taipei-loop", title_en="Taipei matchmaking",
                      title_zh="台北媒合會")
    past = ev.sessions.get().starts_at
    eu = f.participant(ev, officer, name="Techtera")
    tw = f.participant(ev, officer, country="TW", name="TTRI")
    for reg in (eu, tw):
        reg.organisation.published = True
        reg.organisation.save(update_fields=["published"])
    f.agreed(eu, tw)
    es.schedule_publish(run=f.schedule(ev, officer), by=officer)

    # 1. Rate, in Chinese.
    login(page, live_server, tw.person.username, "/zh-hant/outcomes/events/taipei-loop/ratings/")
    page.get_by_label("可能合作").check()
    page.get_by_role("button", name="儲存評分").click()
    assert "已儲存" in page.locator(".message").inner_text()

    # 2. The officer builds the survey from the ready template and sends it, in English.
    login(page, live_server, "officer", "/outcomes/events/taipei-loop/surveys/")
    page.get_by_role("button", name="Start from the ready template").click()
    assert page.locator("ol.questions > li").count() == 8
    page.get_by_role("button", name="Send the survey").click()
    assert "Sent to 2 participants" in page.locator(".message").inner_text()

    # ... and the Taiwanese participant answers it in Chinese, first forgetting a required question.
    survey = ev.surveys.get()
    login(page, live_server, tw.person.username, f"/zh-hant/outcomes/surveys/{survey.pk}/")
    questions = page.locator("fieldset.question")
    questions.nth(0).get_by_label("5").check()
    questions.nth(4).get_by_label("是").check()
    page.get_by_label("對下次活動的建議").fill("希望增加參訪行程")
    page.get_by_role("button", name="送出我的回覆").click()
    assert "此題必答" in questions.nth(2).inner_text()  # the meetings' usefulness was required
    assert questions.nth(0).locator("input[value='5']").is_checked()  # nothing typed is lost
    questions.nth(2).get_by_label("4").check()
    page.get_by_role("button", name="送出我的回覆").click()
    assert "回覆已儲存" in page.locator(".message").inner_text()
    assert SurveyResponse.objects.get().person == tw.person

    # 3. Six months on: the follow-up, with the agreement, in Chinese.
    outcome_services.follow_up_open(event=ev, by=officer, opens_on=dt.date.today())
    login(page, live_server, tw.person.username, "/zh-hant/outcomes/events/taipei-loop/follow-up/")
    page.get_by_label("已達成協議").check()
    page.locator("details.agreement summary").click()
    page.get_by_label("協議類型").select_option("joint_rnd")
    page.get_by_label("簽署日期").fill("2026-10-01")
    page.get_by_label("金額（選填）").fill("1,500,000")
    page.get_by_label("幣別").fill("twd")
    page.get_by_label("中文摘要").fill("共同開發阻燃導電紗線。")
    page.get_by_role("button", name="儲存我的回答").click()
    agreement = CooperationAgreement.objects.get()

    # 4. The European side drafts the story in English and consents; the Taiwanese side consents in Chinese.
    login(page, live_server, eu.person.username, "/outcomes/agreements/")
    page.get_by_role("link", name="Draft its story").click()
    page.get_by_label("Title (English)").fill("Flame-retardant yarns from Lyon and Taipei")
    page.get_by_label("The story (English)").fill("Techtera and TTRI met at the Taipei matchmaking; they now "
                                                   "develop conductive flame-retardant yarns together.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="We consent, as worded above").click()
    page.get_by_role("button", name="Submit for review").click()
    story = SuccessStory.objects.get()
    assert story.agreement == agreement and story.status == "submitted"
    login(page, live_server, tw.person.username, f"/zh-hant/outcomes/stories/{story.pk}/")
    page.get_by_role("button", name="我們同意（依上述文字）").click()
    assert "已記錄同意" in page.locator(".message").inner_text()

    # 5. The officer publishes it, in Chinese; the public reads it on the stories page and the profile.
    login(page, live_server, "officer", f"/zh-hant/outcomes/stories/{story.pk}/")
    page.get_by_label("刊登").check()
    page.get_by_role("button", name="決定").click()
    assert "已刊登" in page.locator(".message").inner_text()
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/outcomes/stories/")
    assert "Flame-retardant yarns from Lyon and Taipei" in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/organisations/{tw.organisation.external_id}/")
    assert "Flame-retardant yarns" in page.locator("main").inner_text()

    # 6. The report, in Chinese, and its drill-down to the meeting.
    year = past.year
    login(page, live_server, "officer", f"/zh-hant/outcomes/report/?from={year}&to={year}")
    assert page.locator("h1").inner_text() == f"{year}–{year} 年成果"
    row = page.locator("table.report tbody tr").first.inner_text()
    assert row.startswith("台北媒合會") and "1,500,000 TWD" in row
    page.locator("table.report tbody tr").first.get_by_role("link", name="1", exact=True).nth(1).click()  # held
    assert "Techtera" in page.locator("main table").inner_text()
    api = page.request.get(f"{live_server.url}/api/v1/outcomes/report?from={year}&to={year}").json()
    assert api["events"][0]["meetings_held"] == 1 and api["events"][0]["agreements"] == {"joint_rnd": 1}
    assert api["events"][0]["response_rate"] == {"TW": 1.0, "EU": 0.0}
