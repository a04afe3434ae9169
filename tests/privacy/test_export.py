"""A person's export: everything held about them, as a zip behind a signed, expiring link (issue 17)."""

import io
import json
import zipfile

from django.test import override_settings

from clusterbridge.privacy.erasure import PLAN
from clusterbridge.privacy.export import person_data, user_links
from clusterbridge.privacy.models import SignIn


def _download(client, user, commits):
    client.force_login(user)  # a sign-in: the access log gets a line
    with commits(execute=True):  # the job runs once the request's transaction commits, and its notice mail
        with commits(execute=True):
            assert client.post("/privacy/my-data/", {"action": "export"}).status_code == 302
    page = client.get("/privacy/my-data/").content.decode()
    link = page.split('href="/privacy/export/')[1].split('"')[0]
    return f"/privacy/export/{link}"


def test_the_export_holds_everything_about_the_person_and_no_secret(client, mia, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    user = mia["user"]
    link = _download(client, user, django_capture_on_commit_callbacks)
    answer = client.get(link)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))
    names = set(archive.namelist())
    assert {"data.json", "README.txt", "accounts.membership.user.csv", "events.registration.person.csv",
            "directory.contact.email.csv", "accounts.contactdataview.contact.csv", "events.requestmessage.csv",
            "events.meeting.csv", "outcomes.meetingrating.rated_by.csv", "privacy.signin.user.csv",
            "accounts.inboxmessage.recipient.csv"} <= names
    data = json.loads(archive.read("data.json"))
    sections = {s["key"]: s["rows"] for s in data["sections"]}
    assert sections["account"][0]["email"] == "mia.dupont@techtera.org"
    assert sections["events.registration.person"][0]["seeking"] == "Smart textiles"
    assert "+33 6 12 34 56 78" in sections["events.requestmessage"][0]["body"]
    assert sections["accounts.contactdataview.contact"][0]["fields"] == "email,phone"
    text = archive.read("data.json").decode()
    assert "pbkdf2" not in text and "feed_token" not in text and '"password":' not in text
    csv = archive.read("events.registration.person.csv").decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("id,") and "Smart textiles" in csv
    assert "data.json" in archive.read("README.txt").decode()
    assert SignIn.objects.filter(user=user).exists()
    # The notice went to the inbox and by e-mail, with the same link.
    assert any(link in m.body for m in mailoutbox)


def test_the_link_is_for_the_person_only_and_expires(client, mia, mailoutbox, django_capture_on_commit_callbacks):
    link = _download(client, mia["user"], django_capture_on_commit_callbacks)
    client.force_login(mia["partner"].person)
    assert client.get(link).status_code == 403
    client.logout()
    assert client.get(link).status_code == 302  # to the login page
    client.force_login(mia["user"])
    assert client.get(link[:-4] + "AAAA/").status_code == 400
    with override_settings(EXPORT_LINK_DAYS=0):
        expired = client.get(link)
    assert expired.status_code == 410 and "expired" in expired.content.decode()


def test_every_link_to_an_account_is_exported_and_decided_by_the_erasure_plan(mia):
    """A model that gains a link to accounts is exported by itself; the erasure plan must decide it."""
    keys = {f"{m._meta.label_lower}.{f.name}" for m, f in user_links()}
    assert keys - set(PLAN) == set(), "add these to privacy/erasure.py PLAN"
    exported = {s["key"] for s in person_data(mia["user"])}
    assert {"accounts.membership.user", "outcomes.meetingrating.rated_by", "accounts.profile.user"} <= exported
