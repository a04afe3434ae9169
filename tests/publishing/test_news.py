"""News: members' posts wait for an officer; Markdown is sanitised; pages and Atom feeds in both languages."""

import xml.etree.ElementTree as ET

import pytest

from clusterbridge.accounts.models import Role
from clusterbridge.publishing.models import Post
from tests.factories import events as ef
from tests.factories.directory import make_org

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def people(db):
    org = make_org("tw-tpca-n", name_en="TPCA", name_zh="台灣電路板協會", country="TW")
    return {"officer": ef.person("olivia", role=Role.PROGRAMME_OFFICER), "member": ef.person("mia", organisation=org),
            "stranger": ef.person("sam"), "org": org}


def _form(org, **extra):
    data = {"kind": "call_for_partners", "organisation": org.pk, "title_en": "PCB partners wanted",
            "title_zh": "徵求電路板合作夥伴", "body_en": "We seek **partners**.\n\n<script>alert(1)</script>\n\n"
            "[site](javascript:alert(1))", "body_zh": "尋找**夥伴**。", "publish_at": "2026-01-05T09:00",
            "image_alt_en": "", "image_alt_zh": ""}
    data.update(extra)
    return data


def test_a_members_post_waits_for_an_officer_and_a_return_needs_a_reason(client, people, mailoutbox):
    client.force_login(people["member"])
    answer = client.post("/news/new/", {**_form(people["org"]), "action": "submit"})
    assert answer.status_code == 302
    post = Post.objects.get()
    assert post.status == "submitted" and post.author == people["member"]
    assert client.get("/news/").content.decode().count("PCB partners wanted") == 0
    client.force_login(people["stranger"])
    assert client.get(f"/news/{post.slug}/").status_code == 404
    client.force_login(people["officer"])
    assert "PCB partners wanted" in client.get("/news/review/").content.decode()
    client.post("/news/review/", {"post": post.pk, "action": "reject", "reason": " "})
    post.refresh_from_db()
    assert post.status == "submitted"
    client.post("/news/review/", {"post": post.pk, "action": "reject", "reason": "Add the deadline"})
    post.refresh_from_db()
    assert (post.status, post.reject_reason) == ("rejected", "Add the deadline")
    client.force_login(people["member"])
    client.post(f"/news/{post.slug}/edit/", {**_form(people["org"], body_en="Deadline 30 June."), "action": "submit"})
    client.force_login(people["officer"])
    client.post("/news/review/", {"post": post.pk, "action": "approve"})
    post.refresh_from_db()
    assert post.status == "published"
    assert "PCB partners wanted" in client.get("/news/").content.decode()


def test_markdown_is_rendered_and_sanitised(client, people):
    client.force_login(people["officer"])
    client.post("/news/new/", {**_form(people["org"]), "action": "publish"})
    post = Post.objects.get()
    html = client.get(f"/news/{post.slug}/").content.decode()
    assert "<strong>partners</strong>" in html
    prose = html.split('class="prose"')[1].split("</div>")[0]
    assert "<script" not in prose and "&lt;script&gt;" in prose and 'href="javascript' not in prose
    zh = client.get(f"/zh-hant/news/{post.slug}/").content.decode()
    assert "徵求電路板合作夥伴" in zh and "<strong>夥伴</strong>" in zh


def test_a_member_cannot_post_for_another_organisation_nor_publish_directly(client, people):
    other = make_org("fr-other-n", name_en="Other")
    client.force_login(people["member"])
    answer = client.post("/news/new/", {**_form(other), "action": "publish"})
    assert answer.status_code == 200 and not Post.objects.exists()  # not one of hers: the form refuses it
    client.post("/news/new/", {**_form(people["org"]), "action": "publish"})
    assert Post.objects.get().status == "draft"


def test_news_and_events_have_atom_feeds_in_both_languages(client, people):
    client.force_login(people["officer"])
    client.post("/news/new/", {**_form(people["org"]), "action": "publish"})
    ef.event(people["officer"], title_en="Taipei matchmaking", title_zh="台北媒合會")
    client.logout()
    feed = client.get("/news/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    assert [e.find(f"{ATOM}title").text for e in root.iter(f"{ATOM}entry")] == ["PCB partners wanted"]
    zh = ET.fromstring(client.get("/zh-hant/news/feed.atom").content)
    assert [e.find(f"{ATOM}title").text for e in zh.iter(f"{ATOM}entry")] == ["徵求電路板合作夥伴"]
    events = ET.fromstring(client.get("/events/feed.atom").content)
    assert "Taipei matchmaking" in [e.find(f"{ATOM}title").text for e in events.iter(f"{ATOM}entry")]


def test_the_organisations_profile_lists_its_posts_and_the_news_list_summarises(client, people):
    client.force_login(people["officer"])
    client.post("/news/new/", {**_form(people["org"]), "action": "publish"})
    people["org"].published = True
    people["org"].save()
    profile = client.get(f"/organisations/{people['org'].external_id}/").content.decode()
    assert 'id="org-news"' in profile and "PCB partners wanted" in profile
    assert "We seek partners." in client.get("/news/").content.decode()
