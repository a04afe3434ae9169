"""Success stories: drafted from an agreement, every party's consent, officers' review, the public
pages and profiles, invitation to present; recording agreements through the page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clusterbridge.accounts.models import InboxMessage, Role
from clusterbridge.outcomes import services, stories
from clusterbridge.outcomes.models import CooperationAgreement, SuccessStory
from tests.factories import events as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(db):
    officer = f.person("officer", role=Role.PROGRAMME_OFFICER)
    ev = f.event(officer)
    tw = f.participant(ev, officer, country="TW", name="TPCA")
    eu = f.participant(ev, officer, country="FR", name="Techtera")
    record = services.agreement_record(by=tw.person, kind="joint_rnd", organisations=[tw.organisation, eu.organisation],
                                       event=ev, summary_en="Joint R&D on recycled fibres.", summary_zh="再生纖維共同研發。")
    return {"officer": officer, "event": ev, "tw": tw, "eu": eu, "agreement": record}


def test_a_story_is_published_only_with_every_partys_consent_and_an_officers_review(agreement, mailoutbox, client):
    a, tw, eu, officer = agreement["agreement"], agreement["tw"], agreement["eu"], agreement["officer"]
    outsider = f.person("outsider")
    with pytest.raises(PermissionDenied):
        stories.story_draft(agreement=a, by=outsider, title_en="Mine")
    with pytest.raises(ValidationError) as bad:
        stories.story_draft(agreement=a, by=tw.person, title_en="", title_zh="")
    assert "title_en" in bad.value.message_dict
    story = stories.story_draft(agreement=a, by=tw.person, title_en="Recycled fibres, from Taipei to Lyon")
    assert story.body_en == "Joint R&D on recycled fibres." and story.body_zh == "再生纖維共同研發。"  # from the agreement

    stories.story_consent(story=story, organisation=tw.organisation, by=tw.person)
    with pytest.raises(PermissionDenied):  # a party consents only for its own organisation
        stories.story_consent(story=story, organisation=eu.organisation, by=tw.person)
    stories.story_submit(story=story, by=tw.person)
    assert InboxMessage.objects.filter(recipient=officer, kind="outcomes.story_submitted").exists()
    assert InboxMessage.objects.filter(recipient=eu.person, kind="outcomes.story_consent_asked").exists()
    with pytest.raises(PermissionDenied):
        stories.story_review(story=story, by=tw.person, publish=True)
    with pytest.raises(ValidationError, match="not every party has consented yet: Techtera"):
        stories.story_review(story=story, by=officer, publish=True)
    with pytest.raises(ValidationError, match="say why"):
        stories.story_review(story=story, by=officer, publish=False)
    stories.story_review(story=story, by=officer, publish=False, reason="Add the Chinese title.")
    story.refresh_from_db()
    assert story.status == "returned" and InboxMessage.objects.filter(kind="outcomes.story_returned").count() == 2

    story = stories.story_edit(story=story, by=tw.person, title_zh="再生纖維：從臺北到里昂")
    assert not story.consents.filter(withdrawn_at=None).exists()  # a changed text asks consent again
    assert client.get(f"/outcomes/stories/{story.pk}/").status_code == 404  # not public before publication
    with pytest.raises(ValidationError, match="where the organisation's written consent is kept"):
        stories.story_consent(story=story, organisation=eu.organisation, by=officer)
    stories.story_consent(story=story, organisation=eu.organisation, by=officer, on_behalf_note="letter of 2026-11-02")
    stories.story_consent(story=story, organisation=tw.organisation, by=tw.person, language="zh-hant")
    assert story.consents.get(organisation=tw.organisation).wording.startswith("本組織同意")
    stories.story_submit(story=story, by=tw.person)
    stories.story_review(story=story, by=officer, publish=True)
    story.refresh_from_db()
    assert story.status == "published" and story.published_at

    eu.organisation.published = True
    eu.organisation.save(update_fields=["published"])
    page = client.get("/outcomes/stories/").content.decode()
    assert "Recycled fibres, from Taipei to Lyon" in page
    assert "Recycled fibres" in client.get(f"/organisations/{eu.organisation.external_id}/").content.decode()
    assert "再生纖維：從臺北到里昂" in client.get("/zh-hant/outcomes/stories/").content.decode()

    stories.story_invite(story=story, event=agreement["event"], by=officer)
    assert "Success stories presented at this event" in client.get(f"/events/{agreement['event'].slug}/").content.decode()

    stories.story_consent(story=story, organisation=eu.organisation, by=eu.person, give=False)
    story.refresh_from_db()
    assert story.status == "draft" and "Recycled fibres" not in client.get("/outcomes/stories/").content.decode()


def test_story_pages_for_parties_and_officers(agreement, client):
    a, tw, eu, officer = agreement["agreement"], agreement["tw"], agreement["eu"], agreement["officer"]
    client.force_login(tw.person)
    listing = client.get("/outcomes/agreements/")
    assert listing.status_code == 200 and f"/outcomes/agreements/{a.pk}/story/" in listing.content.decode()
    made = client.post(f"/outcomes/agreements/{a.pk}/story/", {"title_en": "Fibres", "body_en": "It began in Taipei."})
    story = SuccessStory.objects.get()
    assert made.url == f"/outcomes/stories/{story.pk}/"
    client.post(made.url, {"action": "consent", "organisation": tw.organisation.pk, "give": "1"})
    client.post(made.url, {"action": "submit"})
    client.force_login(eu.person)
    client.post(made.url, {"action": "consent", "organisation": eu.organisation.pk, "give": "1"})
    client.post(made.url, {"action": "review", "decision": "publish"})  # not an officer: refused
    story.refresh_from_db()
    assert story.status == "submitted" and story.consents.count() == 2
    client.force_login(officer)
    assert "Decide" in client.get(made.url).content.decode()
    client.post(made.url, {"action": "review", "decision": "publish"})
    story.refresh_from_db()
    assert story.status == "published"
    client.force_login(f.person("outsider"))
    assert client.get(f"/outcomes/stories/{story.pk}/edit/").status_code == 403
    assert client.get(f"/outcomes/agreements/{a.pk}/story/").status_code == 404


def test_recording_an_agreement_on_the_page_names_each_wrong_field(agreement, client):
    tw, eu = agreement["tw"], agreement["eu"]
    client.force_login(tw.person)
    bad = client.post("/outcomes/agreements/", {"kind": "joint_rnd", "organisations": [tw.organisation.pk],
                                                 "amount": "1e400", "currency": "EU"})
    assert bad.status_code == 200
    errors = bad.context["form"].errors
    assert {"amount", "currency"} <= set(errors)
    assert CooperationAgreement.objects.count() == 1
    good = client.post("/outcomes/agreements/", {"kind": "commercial", "event": agreement["event"].pk,
                                                  "organisations": [tw.organisation.pk, eu.organisation.pk],
                                                  "amount": "150000", "currency": "eur", "summary_en": "Distribution"})
    assert good.status_code == 302
    assert CooperationAgreement.objects.filter(kind="commercial", currency="EUR").count() == 1
    one_party = client.post("/outcomes/agreements/", {"kind": "commercial", "organisations": [tw.organisation.pk],
                                                       "summary_en": "Alone"})
    assert "an agreement is between two organisations or more" in one_party.content.decode()


def test_an_icp_case_agreement_names_its_case_plan(agreement, client):
    from clusterbridge.offsets.demo import load_demo_icp

    tw, eu, officer = agreement["tw"], agreement["eu"], agreement["officer"]
    load_demo_icp()
    orgs = [tw.organisation, eu.organisation]
    with pytest.raises(ValidationError) as bad:
        services.agreement_record(by=officer, kind="icp_case", organisations=orgs, summary_en="Offset case")
    assert "case_plan" in bad.value.message_dict
    with pytest.raises(ValidationError, match="no ICP case plan numbered 'IC-1900-001'"):
        services.agreement_record(by=officer, kind="icp_case", organisations=orgs, summary_en="x", case_plan="IC-1900-001")
    with pytest.raises(ValidationError, match="only an agreement of kind icp_case"):
        services.agreement_record(by=officer, kind="joint_rnd", organisations=orgs, summary_en="x", case_plan="IC-2011-053")
    record = services.agreement_record(by=officer, kind="icp_case", organisations=orgs, summary_en="Offset case",
                                       case_plan="ic-2011-053")
    assert record.case_plan.number == "IC-2011-053"
    client.force_login(officer)
    listed = client.get("/api/v1/outcomes/agreements").json()
    assert {a["kind"]: a["case_plan"] for a in listed} == {"joint_rnd": None, "icp_case": "IC-2011-053"}
    assert "/icp/cases/IC-2011-053/" in client.get("/outcomes/agreements/").content.decode()
