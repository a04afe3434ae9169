"""The newsletter contract (specs/newsletter.md), with real messages through a local SMTP server:
double opt-in, the weekly digest in each reader's language, RFC 8058 one-click unsubscribe, no
second message to anyone on a retry."""

import datetime as dt
import re
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from clusterbridge.accounts.models import Role
from clusterbridge.publishing.models import Delivery, MailingList, Post, Subscription
from clusterbridge.publishing.sending import week_ending
from tests.factories import events as ef

LINK = re.compile(r"http://\S+")


def _post(title_en, title_zh, body="Text", *, kind=Post.Kind.NEWS, days_ago=3, slug=None):
    start, _end = week_ending()
    return Post.objects.create(slug=slug or title_en.lower().replace(" ", "-")[:60], kind=kind, title_en=title_en,
                               title_zh=title_zh, body_en=body, body_zh=body + "（中文）",
                               status=Post.Status.PUBLISHED, publish_at=start + dt.timedelta(days=days_ago))


def _active(email, language="en", slug="weekly-digest"):
    return Subscription.objects.create(mailing_list=MailingList.objects.get(slug=slug), email=email, language=language,
                                       status=Subscription.Status.ACTIVE, consent_at=timezone.now(),
                                       consent_wording="test", consent_language=language)


def test_subscribing_needs_the_link_and_keeps_the_consent(client, smtp_server, settings, db,
                                                          django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://testserver"
    digest = MailingList.objects.get(slug="weekly-digest")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/zh-hant/newsletter/", {"email": "Lin@Example.tw", "lists": [str(digest.pk)],
                                                      "language": "zh-hant", "consent": "on"})
    assert answer.status_code == 200 and "lin@example.tw" in answer.content.decode()
    sub = Subscription.objects.get(email="lin@example.tw")
    assert sub.status == "pending"
    message = smtp_server.wait(1)[0]
    assert "每週摘要" in message["Subject"]
    link = LINK.search(smtp_server.text(message)).group(0)
    assert "/zh-hant/newsletter/confirm/" in link
    assert client.get(link.replace("http://testserver", "")[:-3] + "xx/").status_code == 400
    assert client.get(link.replace("http://testserver", "")).status_code == 200
    sub.refresh_from_db()
    assert (sub.status, sub.consent_language) == ("active", "zh-hant") and "每週摘要" in sub.consent_wording
    assert sub.consent_at is not None


def test_the_weekly_digest_goes_to_each_subscriber_in_their_language_once(smtp_server, settings, db):
    settings.SITE_URL = "https://cluster.example.org"
    _post("Smart textiles call", "智慧紡織徵求", "Partners **wanted** for <script>alert(1)</script> textiles",
          kind=Post.Kind.CALL_FOR_PARTNERS)
    _post("Lyon delegation", "里昂代表團", days_ago=5)
    _post("Old news", "舊聞", days_ago=-3)  # the week before: not in this digest
    _active("anne@techtera.org", "en")
    _active("lin@example.tw", "zh-hant")
    left = _active("gone@example.org", "en")
    left.status = "unsubscribed"
    left.save()
    out = StringIO()
    call_command("newsletter_send", "weekly-digest", stdout=out)
    assert out.getvalue().strip() == "sent 2, skipped 0"
    messages = {m["To"]: m for m in smtp_server.wait(2)}
    assert set(messages) == {"anne@techtera.org", "lin@example.tw"}
    en, zh = messages["anne@techtera.org"], messages["lin@example.tw"]
    sub = Subscription.objects.get(email="anne@techtera.org")
    assert en["List-Unsubscribe"].strip() == f"<https://cluster.example.org/newsletter/unsubscribe/{sub.token}/>"
    assert en["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    assert en.get_content_type() == "multipart/alternative"
    text, html = en.get_body(("plain",)).get_content(), en.get_body(("html",)).get_content()
    assert "Smart textiles call" in text and "Lyon delegation" in text and "Old news" not in text
    assert "Call for partners" in text and "<script" not in html and "style=" in html  # CSS inlined
    assert "https://cluster.example.org/news/smart-textiles-call/" in html
    assert "每週摘要" in zh["Subject"] and "智慧紡織徵求" in zh.get_body(("plain",)).get_content()
    assert "徵求合作夥伴" in zh.get_body(("plain",)).get_content()  # the kind heading, translated
    # A second run of the same week sends nobody anything again.
    out = StringIO()
    call_command("newsletter_send", "weekly-digest", stdout=out)
    assert out.getvalue().strip() == "sent 0, skipped 2"
    assert Delivery.objects.count() == 2 and len(smtp_server.messages) == 2


def test_a_dry_run_counts_and_an_empty_week_sends_nothing(smtp_server, db):
    _active("anne@techtera.org")
    out = StringIO()
    call_command("newsletter_send", "weekly-digest", stdout=out)
    assert "nothing to send" in out.getvalue() and "sent 0, skipped 0" in out.getvalue()
    _post("Lyon delegation", "里昂代表團")
    out = StringIO()
    call_command("newsletter_send", "weekly-digest", "--dry-run", stdout=out)
    assert "sent 1, skipped 0" in out.getvalue() and "dry run" in out.getvalue()
    assert smtp_server.messages == []


def test_one_click_unsubscribe_needs_no_cookie_nor_csrf_and_a_get_changes_nothing(db):
    sub = _active("anne@techtera.org")
    browserless = Client(enforce_csrf_checks=True)
    page = browserless.get(f"/newsletter/unsubscribe/{sub.token}/")
    assert page.status_code == 200 and "<form method=\"post\"" in page.content.decode()
    sub.refresh_from_db()
    assert sub.status == "active"
    answer = browserless.post(f"/newsletter/unsubscribe/{sub.token}/", "List-Unsubscribe=One-Click",
                              content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200
    sub.refresh_from_db()
    assert sub.status == "unsubscribed" and sub.ended_at is not None
    assert browserless.post("/newsletter/unsubscribe/not-a-token/", "List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded").status_code == 404


def test_the_officers_list_sends_its_draft_issue_and_the_page_shows_figures(client, smtp_server, db,
                                                                           django_capture_on_commit_callbacks):
    from clusterbridge.publishing.models import Issue

    officer = ef.person("olivia", role=Role.PROGRAMME_OFFICER)
    icp = MailingList.objects.get(slug="icp-newsletter")
    Issue.objects.create(mailing_list=icp, subject_en="ICP newsletter 2026 H2", subject_zh="工業合作計畫電子報 2026 下半年",
                         body_en="## Credits\n\nThe committee met.", body_zh="## 點數\n\n委員會已開會。")
    _active("anne@techtera.org", slug="icp-newsletter")
    client.force_login(officer)
    page = client.get("/newsletter/send/").content.decode()
    assert "ICP newsletter" in page and "1 subscribed" in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/newsletter/send/", {"list": "icp-newsletter", "action": "send"})
    assert answer.status_code == 302
    message = smtp_server.wait(1)[0]
    assert message["Subject"] == "ICP newsletter 2026 H2"
    assert "Sent 1" in client.get(answer["Location"]).content.decode()


def test_the_demo_digest_reaches_every_demo_subscriber_with_the_spec_headers(smtp_server, db):
    from clusterbridge.publishing.demo import load_demo_publishing

    assert load_demo_publishing(ef.person("officer", role=Role.PROGRAMME_OFFICER), subscribers=12)
    assert not load_demo_publishing(ef.person("officer2", role=Role.PROGRAMME_OFFICER))
    out = StringIO()
    call_command("newsletter_send", "weekly-digest", stdout=out)
    assert out.getvalue().strip() == "sent 12, skipped 0"
    messages = smtp_server.wait(12)
    assert len({m["To"] for m in messages}) == 12
    for m in messages:
        assert m["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
        assert m["List-Unsubscribe"].strip().startswith("<http") and m.get_body(("html",)) is not None
    zh = next(m for m in messages if "每週摘要" in m["Subject"])
    assert "智慧紡織" in zh.get_body(("plain",)).get_content()
    assert "Our new members" not in "".join(m.get_body(("plain",)).get_content() for m in messages)  # not approved


def test_officers_write_the_icp_newsletter_on_a_page_and_correct_it_until_sent(client, smtp_server, db,
                                                                               django_capture_on_commit_callbacks):
    from clusterbridge.publishing.models import Issue

    officer = ef.person("olivia", role=Role.PROGRAMME_OFFICER)
    _active("lin@example.tw", "zh-hant", slug="icp-newsletter")
    client.force_login(officer)
    assert "Write an issue" in client.get("/newsletter/send/").content.decode()
    client.post("/newsletter/icp-newsletter/issues/new/", {"subject_en": "ICP newsletter, first half",
                                                          "subject_zh": "工業合作計畫電子報 上半年",
                                                          "body_en": "The committee met **twice**.", "body_zh": ""})
    issue = Issue.objects.get()
    client.post(f"/newsletter/icp-newsletter/issues/{issue.pk}/edit/", {
        "subject_en": "ICP newsletter, first half", "subject_zh": "工業合作計畫電子報 上半年",
        "body_en": "The committee met **twice**.", "body_zh": "委員會開會**兩次**。"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletter/send/", {"list": "icp-newsletter", "action": "send"})
    message = smtp_server.wait(1)[0]
    assert message["Subject"] == "工業合作計畫電子報 上半年"
    assert "<strong>兩次</strong>" in message.get_body(("html",)).get_content()
    assert client.get(f"/newsletter/icp-newsletter/issues/{issue.pk}/edit/").status_code == 404  # sent: kept as sent
    assert client.get("/newsletter/weekly-digest/issues/new/").status_code == 404  # the digest writes itself
