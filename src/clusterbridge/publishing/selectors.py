from __future__ import annotations

from django.db.models import F, Q
from django.utils import timezone

from .models import MailingList, Post, Subscription


def published_posts(*, kind: str = "", sector: str = "", q: str = "", organisation=None):
    posts = (Post.objects.filter(status=Post.Status.PUBLISHED, publish_at__lte=timezone.now())
             .select_related("organisation"))
    if kind:
        posts = posts.filter(kind=kind)
    if sector:
        posts = posts.filter(sectors__code__startswith=sector).distinct()
    if organisation is not None:
        posts = posts.filter(organisation=organisation)
    if q:
        posts = posts.filter(Q(title_en__icontains=q) | Q(title_zh__icontains=q) | Q(body_en__icontains=q)
                             | Q(body_zh__icontains=q))
    return posts.order_by("-publish_at", "-pk")


def posts_waiting():
    return Post.objects.filter(status=Post.Status.SUBMITTED).select_related("organisation", "author") \
        .order_by("created_at")


def posts_of(user):
    from clusterbridge.accounts.rules import is_officer

    posts = Post.objects.select_related("organisation")
    if not is_officer(user):
        posts = posts.filter(Q(author=user) | Q(organisation__memberships__user=user)).distinct()
    return posts.order_by("-updated_at")[:50]


def public_lists():
    lists_ensure()
    return MailingList.objects.filter(public=True).order_by("kind", "slug")


def lists_ensure() -> None:
    """The two lists every site has (migration publishing 0002 makes them; a database emptied since,
    as a test's flush does, gets them back on first use)."""
    import importlib

    if MailingList.objects.filter(slug="weekly-digest").exists():
        return
    for slug, kind, name_en, name_zh, text_en, text_zh in importlib.import_module(
            "clusterbridge.publishing.migrations.0002_lists").LISTS:
        MailingList.objects.get_or_create(slug=slug, defaults={
            "kind": kind, "name_en": name_en, "name_zh": name_zh, "description_en": text_en,
            "description_zh": text_zh})


def list_figures():
    """Per list: active subscribers per language and the last issues with their deliveries."""
    from django.db.models import Count

    out = []
    for mailing_list in MailingList.objects.order_by("kind", "slug"):
        subs = Subscription.objects.filter(mailing_list=mailing_list)
        by_status = dict(subs.values_list("status").annotate(n=Count("pk")))
        languages = dict(subs.filter(status=Subscription.Status.ACTIVE).values_list("language").annotate(n=Count("pk")))
        issues = list(mailing_list.issues.annotate(
            sent=Count("deliveries", filter=Q(deliveries__status="sent")),
            failed=Count("deliveries", filter=~Q(deliveries__status="sent")),
            left=Count("deliveries", filter=Q(deliveries__subscription__status="unsubscribed",
                                              deliveries__subscription__ended_at__gte=F("sent_at"))),
        ).order_by("-created_at")[:5])
        from .list_admin import subscribers_by_month

        months = subscribers_by_month(mailing_list)
        out.append({"months": months, "months_top": max([m[1] for m in months] + [1]), "list": mailing_list, "active": by_status.get("active", 0), "pending": by_status.get("pending", 0),
                    "ended": by_status.get("unsubscribed", 0) + by_status.get("bounced", 0)
                    + by_status.get("complained", 0), "languages": languages, "issues": issues})
    return out
