"""Retention periods, applied by the daily job or `clusterbridge apply-retention` (issue 17)."""

import datetime as dt
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from clusterbridge.accounts.models import ContactDataView, InboxMessage
from clusterbridge.core.jobs import KINDS
from clusterbridge.events.models import Registration
from clusterbridge.privacy.export import export_dir
from clusterbridge.privacy.models import SignIn
from clusterbridge.privacy.retention import RETENTION_JOB, retention_apply
from tests.factories import events as ef


def _age(queryset, field, days):
    queryset.update(**{field: timezone.now() - dt.timedelta(days=days)})


def test_each_kind_of_record_goes_after_its_period_and_not_before(mia, client, settings):
    user, officer = mia["user"], mia["officer"]
    client.force_login(user)
    client.force_login(user)
    _age(SignIn.objects.filter(pk=SignIn.objects.first().pk), "at", 181)
    _age(ContactDataView.objects.all(), "at", 731)
    unread = InboxMessage.objects.filter(recipient=user, read_at__isnull=True).count()
    InboxMessage.objects.create(recipient=user, subject="Read", body="x", read_at=timezone.now())
    _age(InboxMessage.objects.filter(read_at__isnull=False), "created_at", 400)
    stale = get_user_model().objects.create_user("never-confirmed", email="n@example.org", is_active=False)
    _age(get_user_model().objects.filter(pk=stale.pk), "date_joined", 31)
    fresh = get_user_model().objects.create_user("just-signed-up", email="j@example.org", is_active=False)
    withdrawn = ef.participant(mia["registration"].event, officer, name="Gone")
    Registration.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    _age(Registration.objects.filter(pk__in=[withdrawn.pk, mia["registration"].pk]), "created_at", 800)
    Registration.objects.filter(pk=mia["registration"].pk).update(status="withdrawn")  # but it has a meeting

    dry = retention_apply(dry_run=True)
    assert (dry["sign_ins"], dry["contact_views"], dry["read_inbox"], dry["unconfirmed_accounts"],
            dry["declined_registrations"]) == (1, 1, 1, 1, 1)
    assert SignIn.objects.count() == 2  # a dry run removes nothing
    removed = retention_apply()
    assert removed == {**removed, **dry}
    assert SignIn.objects.count() == 1 and not ContactDataView.objects.exists()
    assert InboxMessage.objects.filter(recipient=user).count() == unread > 0  # unread ones stay
    assert set(get_user_model().objects.filter(pk__in=[stale.pk, fresh.pk]).values_list("username", flat=True)) \
        == {"just-signed-up"}
    assert set(Registration.objects.filter(status="withdrawn").values_list("pk", flat=True)) == {
        mia["registration"].pk}
    settings.RETENTION_DAYS = {"sign_ins": 0}
    assert retention_apply()["sign_ins"] == 1


def test_export_files_are_deleted_when_their_link_expires(mia, client, django_capture_on_commit_callbacks):
    from clusterbridge.core.models import Job

    client.force_login(mia["user"])
    with django_capture_on_commit_callbacks(execute=True):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/privacy/my-data/", {"action": "export"})
    job = Job.objects.get(kind="privacy.export")
    path = export_dir() / job.result["file"]
    assert path.exists() and retention_apply()["data_exports"] == 0
    _age(Job.objects.filter(pk=job.pk), "finished_at", 8)
    assert retention_apply()["data_exports"] == 1
    job.refresh_from_db()
    assert not path.exists() and job.result["expired"]
    assert "expired and deleted" in client.get("/privacy/my-data/").content.decode()


def test_the_command_and_the_daily_job(mia):
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "sign_ins" in out.getvalue() and "would remove" in out.getvalue()
    assert KINDS[RETENTION_JOB].every == 24 * 3600


def test_the_privacy_page_states_the_periods_in_both_languages(client, db):
    html = client.get("/privacy/").content.decode()
    assert "Sign-ins to an account" in html and "180 days" in html and "Article 8" in html
    zh = client.get("/zh-hant/privacy/").content.decode()
    assert "個人資料保護法" in zh and "180 天" in zh
