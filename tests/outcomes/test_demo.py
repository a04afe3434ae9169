"""The 2016–2019 demo: the published figures hold, the generated records are marked, and the
results API answers as specs/outcomes.md has it."""

import pytest
from django.contrib.auth import get_user_model

from clusterbridge.accounts.models import Profile, Role
from clusterbridge.directory.demo import load_demo_directory
from clusterbridge.directory.services import ecosystems_load, sectors_load, technologies_load
from clusterbridge.events.demo import load_demo_events
from clusterbridge.outcomes.demo import MARK_EN, load_demo_outcomes
from clusterbridge.outcomes.models import CooperationAgreement, MeetingRating, SuccessStory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, mailoutbox):
    sectors_load()
    ecosystems_load()
    technologies_load()
    load_demo_directory(count=300)
    officer = get_user_model().objects.create_user("officer")
    Profile.objects.create(user=officer, role=Role.PROGRAMME_OFFICER)
    assert load_demo_events(officer)
    assert load_demo_outcomes(officer)
    assert not load_demo_outcomes(officer)  # loaded once
    return officer


def test_the_2016_2019_demo_answers_through_the_results_api_with_its_stories(demo, client):
    client.force_login(demo)
    body = client.get("/api/v1/outcomes/report?from=2016&to=2019").json()
    assert [e["slug"] for e in body["events"]] == ["taipei-2016-06-01", "brussels-2017-06-26", "taipei-2018-06-05",
                                                   "lyon-2019-03-07"]
    brussels = body["events"][1]
    assert brussels["meetings_scheduled"] == 131  # as published: 77 cluster-to-cluster, 54 cluster-to-business
    assert brussels["participants"] == 21 + 15 + 12
    assert brussels["date"] == "2017-06-26" and brussels["place"].startswith("Brussels")
    for event in body["events"]:
        assert set(event) >= {"slug", "date", "place", "participants", "meetings_scheduled", "meetings_held",
                              "ratings", "follow_up", "agreements", "response_rate"}
        assert set(event["response_rate"]) == {"TW", "EU"} and 0 < event["response_rate"]["TW"] <= 1
        assert event["meetings_held"] <= event["meetings_scheduled"]
        assert sum(event["ratings"].values()) <= event["meetings_scheduled"]
    assert body["totals"]["meetings_held"] == sum(e["meetings_held"] for e in body["events"])
    assert body["totals"]["agreements"] == CooperationAgreement.objects.count()
    assert set(MeetingRating.objects.values_list("comment", flat=True)) == {MARK_EN}  # generated, and says so
    generated = CooperationAgreement.objects.exclude(stories__isnull=False)
    assert all(a.summary_en.startswith(MARK_EN) for a in generated)

    # The seed stories: published, with both parties' consent, presented at Taipei 2018.
    stories = SuccessStory.objects.filter(status="published")
    assert stories.count() == 2
    assert {s.present_at.slug for s in stories} == {"taipei-2018-06-05"}
    assert all(s.consents.filter(withdrawn_at=None).count() == 2 for s in stories)
    from clusterbridge.outcomes.selectors import survey_results
    from clusterbridge.outcomes.survey_models import Survey

    taipei = Survey.objects.get(event__slug="taipei-2018-06-05")
    results = survey_results(taipei)
    assert 0 < results["respondents"] < results["asked"] == 34
    assert 3 <= results["questions"][0][1]["average"] <= 5
    page = client.get("/events/taipei-2018-06-05/").content.decode()
    assert "Success stories presented at this event" in page and "CASTRA" in page
    assert "機械公會" in client.get("/zh-hant/outcomes/stories/").content.decode()
