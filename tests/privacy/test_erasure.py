"""Erasure on request: the person's own data goes, the programmes' records stay without their name,
and what was done is recorded (issue 17)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from clusterbridge.accounts.models import ContactDataView, InboxMessage, Membership, Role
from clusterbridge.directory.models import Contact
from clusterbridge.events.models import Meeting, Registration, RequestMessage
from clusterbridge.outcomes.models import MeetingRating
from clusterbridge.privacy.erasure import person_erase
from clusterbridge.privacy.models import AuditEntry, ErasureRecord
from tests.factories import events as ef


def test_erasure_deletes_what_is_the_persons_and_keeps_the_programmes_records_nameless(
        mia, mailoutbox, django_capture_on_commit_callbacks):
    user, registration = mia["user"], mia["registration"]
    meeting_pk = mia["request"].meeting.pk
    with django_capture_on_commit_callbacks(execute=True):
        record = person_erase(user=user, by=user)
    user = get_user_model().objects.get(pk=user.pk)
    assert (user.username, user.email, user.first_name, user.last_name, user.is_active) == (
        f"erased-{user.pk}", "", "", "", False)
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    assert not InboxMessage.objects.filter(recipient=user).exists()
    assert not Contact.objects.filter(email__iexact="mia.dupont@techtera.org").exists()
    assert not ContactDataView.objects.filter(contact=mia["contact"].pk).exists()
    # The programme's records stay, without her words or her name.
    assert Meeting.objects.filter(pk=meeting_pk).exists()
    registration = Registration.objects.get(pk=registration.pk)
    assert (registration.attendee_role, registration.seeking, registration.person_id) == ("", "", user.pk)
    assert "+33 6" not in "".join(RequestMessage.objects.filter(author=user).values_list("body", flat=True))
    rating = MeetingRating.objects.get(meeting=meeting_pk, registration=registration)
    assert rating.rated_by is None and rating.rating == "cooperation_possible"
    done = {(s["record"], s["action"]): s["count"] for s in record.summary}
    assert done[("accounts.membership.user", "delete")] == 1
    assert done[("directory.contact.email", "delete")] == 1
    assert done[("outcomes.meetingrating.rated_by", "forget")] == 1
    assert record.by_the_person and "mia" not in str(record.summary)
    # She is told, at the address she had.
    assert [m.to for m in mailoutbox] == [["mia.dupont@techtera.org"]]
    with pytest.raises(ValidationError, match="already been erased"):
        person_erase(user=user, by=user)


def test_officers_cannot_erase_themselves_and_only_administrators_act_for_others(mia, mailoutbox):
    officer, user = mia["officer"], mia["user"]
    with pytest.raises(ValidationError, match="role"):
        person_erase(user=officer, by=officer)
    with pytest.raises(PermissionDenied):
        person_erase(user=user, by=officer)
    admin = ef.person("ada", role=Role.PLATFORM_ADMIN)
    with pytest.raises(ValidationError, match="request"):
        person_erase(user=user, by=admin, reason="  ")
    record = person_erase(user=user, by=admin, reason="Letter of 2026-11-30")
    assert (record.by_the_person, record.requested_by, record.reason) == (False, admin, "Letter of 2026-11-30")


def test_the_audit_log_keeps_what_officers_did_but_not_the_erased_persons_data(client, mia, mailoutbox):
    officer, user, contact = mia["officer"], mia["user"], mia["contact"]
    admin = ef.person("ada", role=Role.PLATFORM_ADMIN)
    client.force_login(officer)
    page = f"/organisations/{contact.organisation.external_id}/edit/"
    form = client.get(page).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False) and not isinstance(v, list)}
    data.update({"contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "1", "contacts-MIN_NUM_FORMS": "0",
                 "contacts-MAX_NUM_FORMS": "1000", "contacts-0-id": contact.pk, "contacts-0-name": "Mia Dupont",
                 "contacts-0-role": "CEO", "contacts-0-email": contact.email, "contacts-0-phone": "+33 4 99"})
    client.post(page, data)
    entry = AuditEntry.objects.get(model="directory.contact", object_id=str(contact.pk))
    assert entry.changes["phone"] == ["+33 4 00", "+33 4 99"]
    client.force_login(admin)
    answer = client.post(f"/privacy/people/{user.pk}/", {"action": "erase", "reason": "E-mail of 2026-12-01",
                                                         "confirm": "on"})
    assert answer.status_code == 302
    entry.refresh_from_db()
    assert entry.changes == {"erased": True} and entry.object_repr == ""
    erased = AuditEntry.objects.get(action="erase")
    assert erased.actor == admin and erased.changes["erasure_record"][1] == ErasureRecord.objects.get().pk
    assert "mia.dupont" not in str(list(AuditEntry.objects.values_list("changes", "object_repr")))


def test_the_person_erases_their_account_from_the_page_with_their_password(client, mia, mailoutbox):
    user = mia["user"]
    user.set_password("a-long-password-1")
    user.save()
    client.force_login(user)
    page = client.get("/privacy/my-data/erase/").content.decode()
    assert "memberships of organisations: 1" in page and "Kept for the programmes" in page
    wrong = client.post("/privacy/my-data/erase/", {"password": "nope", "confirm": "on"})
    assert "This is not your password." in wrong.content.decode()
    assert get_user_model().objects.get(pk=user.pk).is_active
    done = client.post("/privacy/my-data/erase/", {"password": "a-long-password-1", "confirm": "on"}, follow=True)
    assert "Your account has been erased" in done.content.decode()
    assert not done.context["user"].is_authenticated
    assert not client.login(username="mia", password="a-long-password-1")
