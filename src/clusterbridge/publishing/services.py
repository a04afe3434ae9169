"""Writing news: members' posts wait for an officer; officers publish their own at once."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clusterbridge.accounts.rules import is_member_of, is_officer

from .models import Post


def _slug(post: Post) -> str:
    base = slugify(post.title_en or "")[:60] or f"post-{timezone.now():%Y%m%d}"
    slug, n = base, 1
    while Post.objects.filter(slug=slug).exclude(pk=post.pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def can_edit_post(user, post: Post) -> bool:
    if is_officer(user):
        return True
    return bool(post.organisation_id and is_member_of(user, post.organisation_id)
                and post.status != Post.Status.PUBLISHED)


@transaction.atomic
def post_save(*, post: Post, by, submit: bool = False, tags: dict | None = None) -> Post:
    """Saves a post. An officer's post is published (at `publish_at`); a member's stays a draft, or
    goes to the officers' queue with `submit`."""
    officer = is_officer(by)
    if not officer:
        if post.organisation_id is None or not is_member_of(by, post.organisation_id):
            raise PermissionDenied("members post for their own organisations")
        if post.pk and Post.objects.filter(pk=post.pk, status=Post.Status.PUBLISHED).exists():
            raise PermissionDenied("a published post is changed by the officers")
    if not (post.title_en.strip() or post.title_zh.strip()):
        raise ValidationError({"title_en": [_("Give the post a title in at least one language.")]})
    if not (post.body_en.strip() or post.body_zh.strip()):
        raise ValidationError({"body_en": [_("Write the post in at least one language.")]})
    if post.image and not (post.image_alt_en.strip() or post.image_alt_zh.strip()):
        raise ValidationError({"image_alt_en": [_("Describe the image for people who cannot see it.")]})
    if not post.slug:
        post.slug = _slug(post)
    post.author = post.author or by
    if officer:
        post.status, post.reviewed_by, post.reject_reason = Post.Status.PUBLISHED, by, ""
    else:
        post.status = Post.Status.SUBMITTED if submit else Post.Status.DRAFT
    post.full_clean(exclude=["sectors", "ecosystems", "technologies"])
    post.save()
    for name, values in (tags or {}).items():
        getattr(post, name).set(values)
    if post.status == Post.Status.SUBMITTED:
        _tell_officers(post)
    return post


def _tell_officers(post: Post) -> None:
    from django.contrib.auth import get_user_model

    from clusterbridge.accounts.models import Role
    from clusterbridge.accounts.notices import both
    from clusterbridge.accounts.services import inbox_notify

    from .notices import POST_SUBMITTED

    officers = get_user_model().objects.filter(profile__role__in=[Role.PROGRAMME_OFFICER], is_active=True)
    inbox_notify(recipients=list(officers), kind=POST_SUBMITTED, link="/news/review/",
                 params={"title": both(post.title_en, post.title_zh)})


@transaction.atomic
def post_review(*, post: Post, by, approve: bool, reason: str = "") -> Post:
    from clusterbridge.accounts.notices import both
    from clusterbridge.accounts.services import inbox_notify

    from .notices import POST_PUBLISHED, POST_RETURNED

    if not is_officer(by):
        raise PermissionDenied("officers review posts")
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status != Post.Status.SUBMITTED:
        raise ValidationError(_("This post is not waiting for approval."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": [_("Say what to change, so that the author can resubmit.")]})
    post.status = Post.Status.PUBLISHED if approve else Post.Status.REJECTED
    post.reject_reason, post.reviewed_by = ("" if approve else reason.strip()[:500]), by
    if approve and post.publish_at < timezone.now():
        post.publish_at = timezone.now()
    post.save()
    if post.author_id:
        inbox_notify(recipients=[post.author], kind=POST_PUBLISHED if approve else POST_RETURNED,
                     link=f"/news/{post.slug}/" if approve else f"/news/{post.slug}/edit/",
                     params={"title": both(post.title_en, post.title_zh), "reason": post.reject_reason})
    return post
