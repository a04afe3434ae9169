"""Writes of success stories: drafted from an agreement by its parties (or an officer), consented to
by every party organisation, reviewed and published by officers, invited to present at an event.
A withdrawn consent takes a published story off the public pages at once."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from clusterbridge.accounts.notices import both, notice_kind
from clusterbridge.accounts.rules import is_member_of, is_officer

from .models import CooperationAgreement, StoryConsent, SuccessStory

TITLE_LIMIT, BODY_LIMIT = 200, 8000
CONSENT_WORDING = {
    "en": "We agree that this success story, as written here in English and Chinese, is published on the "
          "ClusterBridge public pages and on our organisation's profile, and may be presented at the "
          "programme's events. We may withdraw this consent at any time; the story then leaves the public pages.",
    "zh": "本組織同意此成功案例（以此處中英文內容為準）刊登於 ClusterBridge 公開網頁及本組織簡介頁，並得於計畫活動中發表。"
          "本組織得隨時撤回同意，撤回後該案例即自公開網頁移除。",
}

STORY_SUBMITTED = notice_kind(
    "outcomes.story_submitted", subject=gettext_lazy("Success story to review: %(title)s"),
    body=gettext_lazy("%(title)s was submitted for publication. Review it: publish it or return it with a reason."))
STORY_CONSENT_ASKED = notice_kind(
    "outcomes.story_consent_asked", subject=gettext_lazy("May we publish the story of your cooperation? %(title)s"),
    body=gettext_lazy("A success story about a cooperation of your organisation was drafted: %(title)s. Read it "
                      "and give or refuse your organisation's consent; nothing is published without it."))
STORY_RETURNED = notice_kind(
    "outcomes.story_returned", subject=gettext_lazy("Your success story was returned: %(title)s"),
    body=gettext_lazy("The programme officers returned %(title)s for changes: %(reason)s"))
STORY_PUBLISHED = notice_kind(
    "outcomes.story_published", subject=gettext_lazy("Your success story is published: %(title)s"),
    body=gettext_lazy("%(title)s is now on the public success stories page and on your organisation's profile."))
STORY_INVITED = notice_kind(
    "outcomes.story_invited", subject=gettext_lazy("Invitation to present your cooperation at %(event)s"),
    body=gettext_lazy("The programme invites you to present %(title)s at %(event)s. The organisers will contact "
                      "you about the programme of the day."))


def _parties(story_or_agreement) -> list:
    agreement = getattr(story_or_agreement, "agreement", story_or_agreement)
    return list(agreement.organisations.all())


def can_edit_story(user, story: SuccessStory) -> bool:
    return is_officer(user) or any(is_member_of(user, o) for o in _parties(story))


def _title(story: SuccessStory) -> dict:
    return both(story.title_en, story.title_zh)


def _clean(fields: dict) -> dict:
    errors, out = {}, {}
    for name, limit in (("title_en", TITLE_LIMIT), ("title_zh", TITLE_LIMIT), ("body_en", BODY_LIMIT),
                        ("body_zh", BODY_LIMIT)):
        value = (fields.get(name) or "").strip()
        if len(value) > limit:
            errors[name] = [f"at most {limit} characters ({len(value)} given)"]
        out[name] = value
    if not (out["title_en"] or out["title_zh"]):
        errors["title_en"] = ["give the story a title in English or in Chinese"]
    if not (out["body_en"] or out["body_zh"]):
        errors["body_en"] = ["tell the story in English or in Chinese"]
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def story_draft(*, agreement: CooperationAgreement, by, **fields) -> SuccessStory:
    """A new draft; the agreement's summaries are its starting text when nothing else is given."""
    if not (is_officer(by) or any(is_member_of(by, o) for o in _parties(agreement))):
        raise PermissionDenied("only the agreement's parties or an officer draft its story")
    fields = {"title_en": fields.get("title_en", ""), "title_zh": fields.get("title_zh", ""),
              "body_en": fields.get("body_en") or agreement.summary_en,
              "body_zh": fields.get("body_zh") or agreement.summary_zh}
    return SuccessStory.objects.create(agreement=agreement, created_by=by, **_clean(fields))


@transaction.atomic
def story_edit(*, story: SuccessStory, by, **fields) -> SuccessStory:
    """Changing the text of a story asks every party's consent again (they agreed to the old text)."""
    story = SuccessStory.objects.select_for_update().get(pk=story.pk)
    if not can_edit_story(by, story):
        raise PermissionDenied("only the story's parties or an officer edit it")
    cleaned = _clean({k: fields.get(k, getattr(story, k)) for k in ("title_en", "title_zh", "body_en", "body_zh")})
    changed = any(getattr(story, k) != v for k, v in cleaned.items())
    for k, v in cleaned.items():
        setattr(story, k, v)
    if changed:
        story.consents.filter(withdrawn_at=None).update(withdrawn_at=timezone.now())
        if story.status == SuccessStory.Status.PUBLISHED:
            story.published_at = None
        if story.status in (SuccessStory.Status.PUBLISHED, SuccessStory.Status.RETURNED):
            story.status = SuccessStory.Status.DRAFT
    story.save()
    return story


def consents_missing(story: SuccessStory) -> list:
    given = set(story.consents.filter(withdrawn_at=None).values_list("organisation_id", flat=True))
    return [o for o in _parties(story) if o.pk not in given]


@transaction.atomic
def story_consent(*, story: SuccessStory, organisation, by, give: bool = True, language: str = "en",
                  on_behalf_note: str = "") -> StoryConsent | None:
    """A party's member gives (or withdraws) their organisation's consent, with the wording shown to
    them. An officer may record a consent given in writing, saying where it is kept. Withdrawing
    takes a published story off the public pages."""
    story = SuccessStory.objects.select_for_update().get(pk=story.pk)
    if organisation.pk not in {o.pk for o in _parties(story)}:
        raise ValidationError({"organisation": ["this organisation is not a party to the agreement"]})
    member = is_member_of(by, organisation)
    note = (on_behalf_note or "").strip()[:300]
    if not member:
        if not is_officer(by):
            raise PermissionDenied("only the organisation's members give its consent")
        if give and not note:
            raise ValidationError({"on_behalf_note": ["say where the organisation's written consent is kept"]})
    current = story.consents.filter(organisation=organisation).first()
    if not give:
        if current and current.withdrawn_at is None:
            current.withdrawn_at = timezone.now()
            current.save(update_fields=["withdrawn_at"])
            if story.status == SuccessStory.Status.PUBLISHED:
                story.status, story.published_at = SuccessStory.Status.DRAFT, None
                story.save(update_fields=["status", "published_at", "updated_at"])
        return None
    wording = CONSENT_WORDING["zh" if language.startswith("zh") else "en"]
    if current:
        current.wording, current.given_by, current.on_behalf_note = wording, by, ("" if member else note)
        current.given_at, current.withdrawn_at = timezone.now(), None
        current.save()
        return current
    return StoryConsent.objects.create(story=story, organisation=organisation, wording=wording, given_by=by,
                                       on_behalf_note="" if member else note)


@transaction.atomic
def story_submit(*, story: SuccessStory, by) -> SuccessStory:
    """To the officers' review; the parties who have not consented yet are asked."""
    from clusterbridge.accounts.selectors import members_of, programme_officers
    from clusterbridge.accounts.services import inbox_notify

    story = SuccessStory.objects.select_for_update().get(pk=story.pk)
    if not can_edit_story(by, story):
        raise PermissionDenied("only the story's parties or an officer submit it")
    if story.status not in (SuccessStory.Status.DRAFT, SuccessStory.Status.RETURNED):
        raise ValidationError(f"this story is {story.get_status_display().lower()}")
    story.status, story.review_note = SuccessStory.Status.SUBMITTED, ""
    story.save(update_fields=["status", "review_note", "updated_at"])
    link = f"/outcomes/stories/{story.pk}/"
    inbox_notify(recipients=programme_officers(), kind=STORY_SUBMITTED, params={"title": _title(story)}, link=link)
    missing = consents_missing(story)
    if missing:
        inbox_notify(recipients=[u for u in members_of(missing) if u != by], kind=STORY_CONSENT_ASKED,
                     params={"title": _title(story)}, link=link)
    return story


@transaction.atomic
def story_review(*, story: SuccessStory, by, publish: bool, reason: str = "") -> SuccessStory:
    """An officer publishes the story (every party having consented) or returns it with a reason."""
    from clusterbridge.accounts.selectors import members_of
    from clusterbridge.accounts.services import inbox_notify

    if not is_officer(by):
        raise PermissionDenied("officers review success stories")
    story = SuccessStory.objects.select_for_update().get(pk=story.pk)
    if story.status != SuccessStory.Status.SUBMITTED:
        raise ValidationError(f"this story is {story.get_status_display().lower()}, not waiting for review")
    parties = _parties(story)
    if publish:
        missing = consents_missing(story)
        if missing:
            names = ", ".join(o.name_en or o.name_zh for o in missing)
            raise ValidationError(f"not every party has consented yet: {names}")
        story.status, story.published_at, story.review_note = SuccessStory.Status.PUBLISHED, timezone.now(), ""
        kind, params = STORY_PUBLISHED, {"title": _title(story)}
    else:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": ["say why the story is returned, so that its authors can fix it"]})
        story.status, story.review_note = SuccessStory.Status.RETURNED, reason[:2000]
        kind, params = STORY_RETURNED, {"title": _title(story), "reason": story.review_note}
    story.reviewed_by = by
    story.save()
    inbox_notify(recipients=members_of(parties), kind=kind, params=params, link=f"/outcomes/stories/{story.pk}/")
    return story


@transaction.atomic
def story_invite(*, story: SuccessStory, event, by) -> SuccessStory:
    """Marks a published story for an event's programme (None takes the mark away)."""
    from clusterbridge.accounts.selectors import members_of
    from clusterbridge.accounts.services import inbox_notify
    from clusterbridge.events.notices import event_title

    if not is_officer(by):
        raise PermissionDenied("officers invite stories to be presented")
    story = SuccessStory.objects.select_for_update().get(pk=story.pk)
    if event is not None and story.status != SuccessStory.Status.PUBLISHED:
        raise ValidationError("only a published story is invited to be presented")
    story.present_at = event
    story.save(update_fields=["present_at", "updated_at"])
    if event is not None:
        inbox_notify(recipients=members_of(_parties(story)), kind=STORY_INVITED,
                     params={"title": _title(story), "event": event_title(event)}, link=f"/events/{event.slug}/")
    return story
