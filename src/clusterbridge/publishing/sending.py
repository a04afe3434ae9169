"""Assembling and sending newsletters (specs/newsletter.md).

The weekly digest is assembled from what was published in the week that ended last Monday 00:00
(the site's time zone): posts, success stories and events opening; a topic list takes the posts of
its sector, ecosystem or country; an officers' list sends its oldest draft issue. The daily job
(`every` a day, started by the job sweep of `serve` or a worker) sends a digest once its week is over;
`clusterbridge newsletter-send LIST` does the same from cron or by hand.

Sending runs as a job: one message per address (plain text and HTML with inlined CSS, in the
subscriber's language, with RFC 8058 one-click unsubscribe headers), in batches over one SMTP
connection each, a `Delivery` row per address written as the server takes the message, so that a
retry or a restarted job never sends twice."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from clusterbridge.core.jobs import JobFailed, job_enqueue, job_kind, job_run_now

from .markup import markdown_html, markdown_text, summary
from .models import Delivery, Issue, MailingList, Post, Subscription

SEND_JOB = "publishing.send"
WEEKLY_JOB = "publishing.weekly"
BATCH = 200


def week_ending(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The last whole week, Monday 00:00 to Monday 00:00 in the site's time zone."""
    local = timezone.localtime(now or timezone.now())
    monday = (local - dt.timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday - dt.timedelta(days=7), monday


def _url(path: str, language: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{'/zh-hant' if language == 'zh-hant' else ''}{path}"


def period_posts(mailing_list: MailingList, start, end):
    posts = Post.objects.filter(status=Post.Status.PUBLISHED, publish_at__gte=start, publish_at__lt=end)
    if mailing_list.sector_id:
        posts = posts.filter(sectors__code__startswith=mailing_list.sector.code)
    if mailing_list.ecosystem_id:
        posts = posts.filter(ecosystems=mailing_list.ecosystem_id)
    if mailing_list.country:
        posts = posts.filter(organisation__country=mailing_list.country)
    return posts.distinct().select_related("organisation").order_by("kind", "publish_at", "pk")


def digest_markdown(mailing_list: MailingList, start, end, language: str) -> str:
    """The digest's text for the period in one language (Markdown; empty when nothing was published)."""
    from clusterbridge.events.selectors import events_listed
    from clusterbridge.outcomes.selectors import published_stories

    zh = language == "zh-hant"
    sections = []
    with translation.override(language):
        groups: dict[str, list[str]] = {}
        for post in period_posts(mailing_list, start, end):
            title = (post.title_zh or post.title_en) if zh else (post.title_en or post.title_zh)
            body = (post.body_zh or post.body_en) if zh else (post.body_en or post.body_zh)
            groups.setdefault(str(post.get_kind_display()), []).append(
                f"- [{title}]({_url(f'/news/{post.slug}/', language)}) — {summary(body, 160)}")
        for heading, lines in groups.items():
            sections.append(f"## {heading}\n\n" + "\n".join(lines))
        if mailing_list.kind == MailingList.Kind.DIGEST:
            stories = published_stories().filter(published_at__gte=start, published_at__lt=end)
            lines = [f"- [{(s.title_zh or s.title_en) if zh else (s.title_en or s.title_zh)}]"
                     f"({_url(f'/outcomes/stories/{s.pk}/', language)})" for s in stories]
            if lines:
                sections.append(f"## {_('Success stories')}\n\n" + "\n".join(lines))
            events = events_listed(upcoming=True).filter(registration_opens__lt=end, registration_closes__gte=start)
            lines = [f"- [{(e.title_zh or e.title_en) if zh else (e.title_en or e.title_zh)}]"
                     f"({_url(f'/events/{e.slug}/', language)})"
                     + (f" — {timezone.localtime(e.starts_at):%Y-%m-%d}" if e.starts_at else "") for e in events[:20]]
            if lines:
                sections.append(f"## {_('Events open for registration')}\n\n" + "\n".join(lines))
    return "\n\n".join(sections)


@transaction.atomic
def issue_due(mailing_list: MailingList, *, now=None, by=None) -> Issue | None:
    """The issue the list should send now: this week's digest (made once), or the oldest draft."""
    if mailing_list.kind == MailingList.Kind.ISSUES:
        return mailing_list.issues.filter(status__in=[Issue.Status.DRAFT, Issue.Status.SENDING]).order_by("pk").first()
    start, end = week_ending(now)
    existing = mailing_list.issues.filter(period_start=start).first()
    if existing is not None:
        return existing
    body_en, body_zh = (digest_markdown(mailing_list, start, end, lang) for lang in ("en", "zh-hant"))
    if not body_en:
        return None
    label = f"{timezone.localtime(start):%Y-%m-%d} – {timezone.localtime(end) - dt.timedelta(days=1):%Y-%m-%d}"
    try:
        with transaction.atomic():
            return Issue.objects.create(mailing_list=mailing_list, period_start=start, period_end=end, created_by=by,
                                        subject_en=f"{mailing_list.name_en}: {label}",
                                        subject_zh=f"{mailing_list.name_zh}：{label}", body_en=body_en, body_zh=body_zh)
    except IntegrityError:  # made at the same moment by the daily job
        return mailing_list.issues.get(period_start=start)


PLACEHOLDER = "@@TOKEN@@"  # never in a token (URL-safe base64)


def _parts(issue: Issue, language: str, token: str) -> tuple[str, str, str]:
    """(subject, plain text, HTML with its CSS inlined) of an issue for one reader's language and token."""
    import css_inline

    zh = language == "zh-hant"
    subject = issue.subject_zh if zh and issue.subject_zh else issue.subject_en
    body = (issue.body_zh or issue.body_en) if zh else (issue.body_en or issue.body_zh)
    context = {"issue": issue, "subject": subject, "list_name": issue.mailing_list.name_zh if zh else
               issue.mailing_list.name_en, "html": markdown_html(body), "text": markdown_text(body),
               "unsubscribe_url": f"{settings.SITE_URL.rstrip('/')}/newsletter/unsubscribe/{token}/",
               "preferences_url": _url(f"/newsletter/preferences/{token}/", language), "LANGUAGE_CODE": language}
    with translation.override(language):
        text = render_to_string("publishing/mail.txt", context)
        html = render_to_string("publishing/mail.html", context)
    return subject, text, css_inline.inline(html)


def message_for(issue: Issue, sub: Subscription, connection=None, cache: dict | None = None) -> EmailMultiAlternatives:
    """The message of `issue` to one subscriber. With `cache` (one dict per sending), each language is
    rendered once and only the subscriber's own links change from message to message."""
    language = sub.language
    if cache is None:
        subject, text, html = _parts(issue, language, sub.token)
    else:
        if language not in cache:
            cache[language] = _parts(issue, language, PLACEHOLDER)
        subject, text, html = (part.replace(PLACEHOLDER, sub.token) for part in cache[language])
    unsubscribe_url = f"{settings.SITE_URL.rstrip('/')}/newsletter/unsubscribe/{sub.token}/"
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":")[0] or "localhost"
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL,
                                     to=[sub.email], connection=connection, headers={
                                         "List-Unsubscribe": f"<{unsubscribe_url}>",
                                         "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                                         "List-Id": f"{issue.mailing_list.name_en} <{issue.mailing_list.slug}.{host}>",
                                         "Content-Language": "zh-Hant" if language == "zh-hant" else "en"})
    message.attach_alternative(html, "text/html")
    return message


@job_kind(SEND_JOB, label=_("Newsletter sending"))
def send_run(job, context) -> dict:
    issue = Issue.objects.select_related("mailing_list").get(pk=job.params["issue"])
    Issue.objects.filter(pk=issue.pk, status=Issue.Status.DRAFT).update(status=Issue.Status.SENDING)
    subs = Subscription.objects.filter(mailing_list=issue.mailing_list, status=Subscription.Status.ACTIVE)
    total = subs.count()
    already = set(Delivery.objects.filter(issue=issue).values_list("subscription_id", flat=True))
    sent = failed = skipped = 0
    rendered: dict = {}
    context.progress(0, total)
    last = 0
    while True:
        batch = list(subs.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            break
        last = batch[-1].pk
        todo = [s for s in batch if s.pk not in already]
        skipped += len(batch) - len(todo)
        if todo:
            with get_connection() as connection:
                for sub in todo:
                    try:
                        message_for(issue, sub, connection, rendered).send()
                    except Exception as error:  # noqa: BLE001 - one refused address must not stop the issue
                        failed += 1
                        Delivery.objects.get_or_create(issue=issue, subscription=sub, defaults={
                            "status": Delivery.Status.FAILED, "error": f"{type(error).__name__}: {error}"[:300]})
                        continue
                    _delivered(issue, sub)
                    sent += 1
        context.progress(sent + failed + skipped, total)
        context.raise_if_stopped()
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENT, sent_at=timezone.now())
    return {"sent": sent, "skipped": skipped, "failed": failed}


def _delivered(issue: Issue, sub: Subscription) -> None:
    """The row that makes a retry skip this address (another worker may have written it first)."""
    try:
        with transaction.atomic():
            Delivery.objects.create(issue=issue, subscription=sub)
    except IntegrityError:
        pass


def newsletter_send(*, slug: str, dry_run: bool = False, by=None, now=None) -> dict:
    """Sends the list's due issue through the task queue and waits for it: {"sent", "skipped", "failed",
    "issue"}; with `dry_run`, what would be sent."""
    from .selectors import lists_ensure

    lists_ensure()
    mailing_list = MailingList.objects.filter(slug=slug).first()
    if mailing_list is None:
        raise JobFailed([f"there is no list {slug!r}; lists: {', '.join(MailingList.objects.values_list('slug', flat=True))}"])
    issue = issue_due(mailing_list, now=now, by=by)
    if issue is None:
        return {"sent": 0, "skipped": 0, "failed": 0, "issue": None}
    if dry_run:
        subs = Subscription.objects.filter(mailing_list=mailing_list, status=Subscription.Status.ACTIVE)
        done = Delivery.objects.filter(issue=issue).count()
        return {"sent": subs.exclude(deliveries__issue=issue).count(), "skipped": done, "failed": 0,
                "issue": issue.pk, "dry_run": True}
    job = issue_send(issue=issue, by=by)
    job = _wait(job)
    if job.is_active:
        return {"sent": job.done, "skipped": 0, "failed": 0, "issue": issue.pk, "waiting": True}
    return {**(job.result or {}), "issue": issue.pk}


def _wait(job, *, timeout: float = 6 * 3600, unclaimed: float = 120):
    """Waits for the task queue's worker to end the job (the in-process backends have run it already).
    A job that could not be handed to the queue (the broker is away, or the caller's transaction is
    still open) or that no worker took within `unclaimed` seconds is run here instead: a cron run
    without a worker still sends."""
    import time

    from clusterbridge.core.models import Job

    started = time.monotonic()
    while True:
        job = Job.objects.get(pk=job.pk)
        if not job.is_active:
            return job
        waited = time.monotonic() - started
        if job.status == Job.Status.QUEUED and (waited > unclaimed or job.dispatched_at is None
                                                or job.dispatch_error):
            return job_run_now(job_id=job.pk)
        if waited > timeout:
            return job
        time.sleep(0.5)


def issue_send(*, issue: Issue, by=None):
    with transaction.atomic():
        job = job_enqueue(kind=SEND_JOB, by=by, params={"issue": issue.pk})
        Issue.objects.filter(pk=issue.pk).update(job=job)
    return job


@job_kind(WEEKLY_JOB, label=_("Weekly digest"), every=24 * 3600)
def weekly_run(job, context) -> dict:
    """Daily: each digest or topic list whose week is over and not yet sent gets its issue sent."""
    out = {}
    for mailing_list in MailingList.objects.exclude(kind=MailingList.Kind.ISSUES):
        issue = issue_due(mailing_list)
        if issue is not None and issue.status != Issue.Status.SENT:
            out[mailing_list.slug] = issue_send(issue=issue).pk
    return {"started": out}
