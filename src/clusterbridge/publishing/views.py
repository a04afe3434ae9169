"""News pages and feeds, writing and reviewing posts, subscribing and unsubscribing, and the
officers' newsletter page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from clusterbridge.accounts.rules import is_officer
from clusterbridge.core.bilingual import pick, visitor_is_chinese
from clusterbridge.core.jobs import job_progress
from clusterbridge.core.rate_limits import SUBSCRIBE, limited_posts
from clusterbridge.directory.models import Organisation

from . import selectors, services, subscriptions
from .forms import PostForm, SubscribeForm, TopicListForm
from .markup import markdown_html, summary
from .models import Issue, MailingList, Post, Subscription
from .sending import issue_due, issue_send, message_for



def news_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in Post.Kind.values else ""
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.published_posts(kind=kind, q=q, sector=request.GET.get("sector", "")[:8]), 20) \
        .get_page(request.GET.get("page"))
    return render(request, "publishing/news.html", {"page": page, "kind": kind, "q": q, "kinds": Post.Kind.choices,
                                                    "may_post": request.user.is_authenticated})


def news_detail(request, slug: str):
    post = get_object_or_404(Post.objects.select_related("organisation"), slug=slug)
    visible = post.status == Post.Status.PUBLISHED and post.publish_at <= timezone.now()
    if not visible and not (request.user.is_authenticated and services.can_edit_post(request.user, post)):
        raise Http404(_("No such post"))
    return render(request, "publishing/post.html", {
        "post": post, "title": pick(post.title_en, post.title_zh).text,
        "html": markdown_html(pick(post.body_en, post.body_zh).text), "visible": visible,
        "alt": pick(post.image_alt_en, post.image_alt_zh).text,
        "may_edit": request.user.is_authenticated and services.can_edit_post(request.user, post)})


def news_image(request, slug: str):
    post = get_object_or_404(Post, slug=slug)
    if not post.image or (post.status != Post.Status.PUBLISHED and not (
            request.user.is_authenticated and services.can_edit_post(request.user, post))):
        raise Http404(_("No such image"))
    response = FileResponse(post.image.open("rb"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def post_edit(request, slug: str | None = None):
    post = get_object_or_404(Post, slug=slug) if slug else Post()
    officer = is_officer(request.user)
    if post.pk and not services.can_edit_post(request.user, post):
        raise PermissionDenied
    mine = None if officer else Organisation.objects.filter(memberships__user=request.user)
    if mine is not None and not mine.exists():
        messages.error(request, _("Join your organisation's profile first: members post for their organisation."))
        return redirect("directory:mine")
    form = PostForm(request.POST or None, request.FILES or None, instance=post, organisations=mine)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_save(post=form.save(commit=False), by=request.user,
                                      submit=request.POST.get("action") == "submit",
                                      tags={name: form.cleaned_data[name] for name in
                                            ("sectors", "ecosystems", "technologies")})
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, {Post.Status.PUBLISHED: _("Published."),
                                       Post.Status.SUBMITTED: _("Sent to the officers for approval."),
                                       Post.Status.DRAFT: _("Draft saved.")}[post.status])
            return redirect("publishing:detail", slug=post.slug)
    return render(request, "publishing/edit.html", {"form": form, "post": post, "officer": officer,
                                                    "mine": selectors.posts_of(request.user)})


@login_required
def review(request):
    if not is_officer(request.user):
        raise PermissionDenied
    if request.method == "POST":
        post = get_object_or_404(Post, pk=request.POST.get("post") if str(request.POST.get("post", "")).isdigit() else 0)
        try:
            services.post_review(post=post, by=request.user, approve=request.POST.get("action") == "approve",
                                 reason=request.POST.get("reason", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("publishing:review")
    return render(request, "publishing/review.html", {"posts": selectors.posts_waiting()})


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("ClusterBridge news")

    def link(self):
        return reverse("publishing:list")

    def subtitle(self):
        return _("News, calls for partners, events and funding calls of the Taiwan–EU cooperation programmes")

    def items(self):
        return selectors.published_posts()[:50]

    def item_title(self, post):
        return pick(post.title_en, post.title_zh).text

    def item_description(self, post):
        return markdown_html(pick(post.body_en, post.body_zh).text)

    def item_link(self, post):
        return reverse("publishing:detail", args=[post.slug])

    def item_pubdate(self, post):
        return post.publish_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_categories(self, post):
        return [post.get_kind_display()]


class EventsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("ClusterBridge events")

    def link(self):
        return reverse("events:list")

    def items(self):
        from clusterbridge.events.selectors import events_listed

        return events_listed()[:50]

    def item_title(self, event):
        return pick(event.title_en, event.title_zh).text

    def item_description(self, event):
        text = pick(event.description_en, event.description_zh).text
        when = f"{timezone.localtime(event.starts_at):%Y-%m-%d %H:%M} · " if event.starts_at else ""
        return when + summary(text, 400)

    def item_link(self, event):
        return reverse("events:detail", args=[event.slug])

    def item_pubdate(self, event):
        return event.created_at


@limited_posts(SUBSCRIBE)
def subscribe(request):
    lists = selectors.public_lists()
    form = SubscribeForm(request.POST or None, lists=lists,
                         initial={"language": "zh-hant" if visitor_is_chinese() else "en",
                                  "lists": [str(m.pk) for m in lists if m.kind == MailingList.Kind.DIGEST]})
    if request.method == "POST" and form.is_valid():
        chosen = [m for m in lists if str(m.pk) in form.cleaned_data["lists"]]
        try:
            subscriptions.subscribe_request(email=form.cleaned_data["email"], lists=chosen,
                                            language=form.cleaned_data["language"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return render(request, "publishing/subscribe_sent.html", {"email": form.cleaned_data["email"].lower()})
    return render(request, "publishing/subscribe.html", {"form": form})


def confirm(request, token: str):
    try:
        subs = subscriptions.subscribe_confirm(token)
    except ValidationError as error:
        return _link_problem(request, " ".join(error.messages), 400)
    return render(request, "publishing/confirmed.html", {"subs": subs, "token": subs[0].token})


def preferences(request, token: str):
    sub = get_object_or_404(Subscription, token=token)
    if request.method == "POST":
        keep = {int(x) for x in request.POST.getlist("keep") if x.isdigit()}
        subscriptions.preferences_set(sub=sub, keep=keep, language=request.POST.get("language", ""))
        messages.success(request, _("Your choices are saved."))
        return redirect("publishing:preferences", token=token)
    mine = Subscription.objects.filter(email=sub.email).select_related("mailing_list").order_by("mailing_list__slug")
    return render(request, "publishing/preferences.html", {"sub": sub, "mine": mine})


@csrf_exempt
def unsubscribe(request, token: str):
    """RFC 8058: a POST (no cookie, no CSRF token) unsubscribes at once and answers 200; a GET shows a
    button, because mail scanners follow links."""
    sub = Subscription.objects.select_related("mailing_list").filter(token=token).first()
    if sub is None:
        return _link_problem(request, _("This unsubscribe link is not valid: copy the whole address."), 404)
    from django.utils import translation

    with translation.override(sub.language):
        name = sub.mailing_list.name_zh if sub.language == "zh-hant" else sub.mailing_list.name_en
        if request.method == "POST":
            subscriptions.unsubscribe(sub)
            return render(request, "publishing/unsubscribed.html", {"sub": sub, "list_name": name}, status=200)
        return render(request, "publishing/unsubscribe.html", {"sub": sub, "list_name": name})


def _link_problem(request, problem: str, status: int):
    return render(request, "core/link_problem.html", {"problem": problem, "back_url": reverse("publishing:subscribe"),
                                                      "back_label": _("Newsletters")}, status=status)


@login_required
def newsletter_admin(request):
    if not is_officer(request.user):
        raise PermissionDenied
    topic_form = TopicListForm(request.POST if request.POST.get("action") == "topic" else None)
    if request.method == "POST" and request.POST.get("action") == "topic":
        if topic_form.is_valid():
            from .list_admin import topic_list_create

            made = topic_list_create(**topic_form.cleaned_data)
            messages.success(request, _("The list %(name)s is offered on the subscription page.") % {
                "name": made.name_zh if visitor_is_chinese() else made.name_en})
            return redirect("publishing:admin")
    elif request.method == "POST":
        mailing_list = get_object_or_404(MailingList, slug=request.POST.get("list", ""))
        issue = issue_due(mailing_list, by=request.user)
        if issue is None:
            messages.error(request, _("Nothing to send: nothing was published on this list's topics last week."))
        elif request.POST.get("action") == "test":
            address = request.POST.get("test_address", "").strip() or request.user.email
            test = Subscription(mailing_list=mailing_list, email=address, token="test-message",
                                language="zh-hant" if visitor_is_chinese() else "en")
            message_for(issue, test).send()
            messages.success(request, _("A test message went to %(a)s.") % {"a": address})
        elif request.POST.get("action") == "send":
            job = issue_send(issue=issue, by=request.user)
            return redirect(f"{reverse('publishing:admin')}?job={job.pk}")
        return redirect("publishing:admin")
    job = None
    if str(request.GET.get("job", "")).isdigit():
        from clusterbridge.core.models import Job

        job = Job.objects.filter(pk=int(request.GET["job"]), kind="publishing.send").first()
    return render(request, "publishing/admin.html", {"figures": selectors.list_figures(), "job": job,
                                                     "progress": job_progress(job) if job else None,
                                                     "topic_form": topic_form})


@login_required
def issue_preview(request, issue_id: int):
    if not is_officer(request.user):
        raise PermissionDenied
    issue = get_object_or_404(Issue, pk=issue_id)
    fake = Subscription(mailing_list=issue.mailing_list, email=request.user.email or "preview@example.org",
                        token="preview", language="zh-hant" if visitor_is_chinese() else "en")
    message = message_for(issue, fake)
    return HttpResponse(message.alternatives[0][0], content_type="text/html; charset=utf-8")


@login_required
def subscribers_import_page(request):
    from .list_admin import subscribers_import

    if not is_officer(request.user):
        raise PermissionDenied
    lists = MailingList.objects.order_by("slug")
    errors, result = [], None
    if request.method == "POST":
        mailing_list = lists.filter(slug=request.POST.get("list", "")).first()
        upload = request.FILES.get("file")
        if mailing_list is None or upload is None:
            errors = [_("Choose the list and the CSV file.")]
        elif upload.size > 20 * 1024 * 1024:
            errors = [_("The file is larger than 20 MB.")]
        else:
            try:
                result = subscribers_import(mailing_list=mailing_list, data=upload.read())
            except ValidationError as error:
                errors = error.messages
    return render(request, "publishing/import.html", {"lists": lists, "errors": errors, "result": result})


@csrf_exempt
def mail_events(request):
    """What the mail service reports (hard bounces, complaints), as JSON: [{"type": "bounce"|"complaint",
    "email": "..."}], with `Authorization: Bearer NEWSLETTER_EVENTS_TOKEN`."""
    import hmac
    import json

    from django.conf import settings
    from django.http import JsonResponse

    from .list_admin import mail_event_record

    token = getattr(settings, "NEWSLETTER_EVENTS_TOKEN", "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if request.method != "POST":
        return JsonResponse({"detail": "POST a JSON list of {type, email}"}, status=405)
    if not token or not hmac.compare_digest(given, token):
        return JsonResponse({"detail": "a valid Bearer token is required"}, status=401)
    try:
        events = json.loads(request.body or b"[]")
        events = events if isinstance(events, list) else [events]
        changed = sum(mail_event_record(kind=str(e.get("type", "")), email=str(e.get("email", ""))) for e in events)
    except (ValueError, AttributeError, ValidationError) as error:
        return JsonResponse({"detail": f"not understood: {error}"}, status=400)
    return JsonResponse({"recorded": len(events), "subscriptions_stopped": changed})


@login_required
def issue_edit(request, slug: str, issue_id: int | None = None):
    """Officers write (and correct, until it is sent) an issue of a list of their own."""
    from .forms import IssueForm

    if not is_officer(request.user):
        raise PermissionDenied
    mailing_list = get_object_or_404(MailingList, slug=slug, kind=MailingList.Kind.ISSUES)
    issue = get_object_or_404(mailing_list.issues, pk=issue_id, status=Issue.Status.DRAFT) if issue_id else \
        Issue(mailing_list=mailing_list, created_by=request.user)
    form = IssueForm(request.POST or None, instance=issue)
    if request.method == "POST" and form.is_valid():
        issue = form.save()
        messages.success(request, _("Issue saved. Look at it, send yourself a test, then send it."))
        return redirect("publishing:admin")
    return render(request, "publishing/issue_edit.html", {"form": form, "issue": issue, "list": mailing_list})
