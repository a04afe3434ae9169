"""Importing an existing list (all or nothing, only with consent), bounces and complaints from the
mail service, and the figures over time (issue 15)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusterbridge.accounts.models import Role
from clusterbridge.publishing.models import Delivery, Issue, MailingList, Subscription
from tests.factories import events as ef


@pytest.fixture
def officer(db):
    return ef.person("olivia", role=Role.PROGRAMME_OFFICER)


def _upload(client, text, slug="icp-newsletter"):
    return client.post("/newsletter/import/", {"list": slug, "file": SimpleUploadedFile("list.csv", text.encode())})


def test_an_import_is_all_or_nothing_and_needs_each_persons_consent(client, officer):
    client.force_login(officer)
    bad = _upload(client, "email,language,consent_at,consent_wording\n"
                          "anne@techtera.org,en,2025-03-01,Send me the ICP newsletter\n"
                          "lin@example.tw,zh-hant,,我要訂閱\n"
                          "not-an-address,en,2025-03-01,yes\n").content.decode()
    assert "row 3, column consent_at" in bad and "row 4, column email" in bad
    assert not Subscription.objects.exists()
    gone = Subscription.objects.create(mailing_list=MailingList.objects.get(slug="icp-newsletter"),
                                       email="left@example.org", status="unsubscribed")
    good = _upload(client, "\ufeffemail,language,consent_at,consent_wording\n"
                           "Anne@Techtera.org,en,2025-03-01,Send me the ICP newsletter\n"
                           "lin@example.tw,zh,2025-03-02 10:00,我要訂閱工業合作計畫電子報\n"
                           "left@example.org,en,2024-01-01,old consent\n").content.decode()
    assert "2 new" in good and "1 left as they were" in good
    anne = Subscription.objects.get(email="anne@techtera.org")
    assert (anne.status, anne.consent_source, anne.consent_wording) == ("active", "import", "Send me the ICP newsletter")
    assert Subscription.objects.get(email="lin@example.tw").language == "zh-hant"
    gone.refresh_from_db()
    assert gone.status == "unsubscribed"  # an old list does not bring back who left
    client.force_login(ef.person("mia"))
    assert _upload(client, "email\n").status_code == 403


def test_bounces_and_complaints_from_the_mail_service_stop_sending(client, officer, settings):
    settings.NEWSLETTER_EVENTS_TOKEN = "s3cret-token"
    digest = MailingList.objects.get(slug="weekly-digest")
    sub = Subscription.objects.create(mailing_list=digest, email="anne@techtera.org", status="active",
                                      consent_at="2025-01-01T00:00Z")
    issue = Issue.objects.create(mailing_list=digest, subject_en="x", subject_zh="x")
    Delivery.objects.create(issue=issue, subscription=sub)
    body = json.dumps([{"type": "bounce", "email": "ANNE@techtera.org"}])
    assert client.post("/newsletter/mail-events/", body, content_type="application/json").status_code == 401
    assert client.post("/newsletter/mail-events/", body, content_type="application/json",
                       HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    answer = client.post("/newsletter/mail-events/", body, content_type="application/json",
                         HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert answer.json() == {"recorded": 1, "subscriptions_stopped": 1}
    sub.refresh_from_db()
    assert sub.status == "bounced" and Delivery.objects.get().status == "bounced"
    assert client.post("/newsletter/mail-events/", json.dumps([{"type": "x", "email": "a@b.c"}]),
                       content_type="application/json", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 400


def test_the_newsletter_page_shows_subscribers_over_time(client, officer):
    from django.utils import timezone

    digest = MailingList.objects.get(slug="weekly-digest")
    now = timezone.now()
    for n in range(3):
        Subscription.objects.create(mailing_list=digest, email=f"r{n}@example.org", status="active", consent_at=now,
                                    confirmed_at=now, language="zh-hant" if n else "en")
    client.force_login(officer)
    html = client.get("/newsletter/send/").content.decode()
    assert f"{now:%Y-%m}" in html and "3 <span class=\"meta\">+3 −0</span>" in html
    assert "中文 2" in html and "English 1" in html


def test_officers_add_topic_lists_that_take_the_posts_of_their_topic(client, officer, sectors, smtp_server):
    from io import StringIO

    from django.core.management import call_command

    from clusterbridge.directory.models import Sector
    from tests.factories.directory import make_org
    from tests.publishing.test_newsletter import _active, _post

    client.force_login(officer)
    assert "Choose one" in client.post("/newsletter/send/", {"action": "topic"}).content.decode()
    client.post("/newsletter/send/", {"action": "topic", "country": "de"})
    client.post("/newsletter/send/", {"action": "topic", "sector": Sector.objects.get(code="C").pk})
    germany = MailingList.objects.get(slug="topic-country-de")
    assert germany.kind == "topic" and germany.name_en == "News on Germany"
    assert "News on Germany" in client.get("/newsletter/").content.decode()
    german = _post("Bavarian battery cluster visits Taipei", "巴伐利亞電池聚落訪台")
    german.organisation = make_org("de-battery", name_en="Battery Cluster", country="DE")
    german.save()
    _post("Lyon delegation", "里昂代表團")
    _active("anne@example.de", slug="topic-country-de")
    out = StringIO()
    call_command("newsletter_send", "topic-country-de", stdout=out)
    assert out.getvalue().strip() == "sent 1, skipped 0"
    text = smtp_server.wait(1)[0].get_body(("plain",)).get_content()
    assert "Bavarian battery cluster" in text and "Lyon delegation" not in text
