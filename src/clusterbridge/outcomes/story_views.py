"""Pages of cooperation agreements and success stories: the public stories, a story's page (consent,
submission, officers' review, invitation to present), drafting and editing, and the work list of
agreements and stories of a person's organisations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clusterbridge.accounts.rules import is_member_of, is_officer
from clusterbridge.core.errors import Refused, errors_into_form
from clusterbridge.core.params import id_param
from clusterbridge.core.sections import page_section

from . import selectors, services, stories
from .forms import AgreementForm, ReviewForm, StoryForm
from .models import SuccessStory


def story_list(request):
    page = Paginator(selectors.published_stories(), 20).get_page(request.GET.get("page"))
    return render(request, "outcomes/stories.html", {"page": page, "stories": page.object_list})


def _story_or_404(request, pk: int) -> SuccessStory:
    story = get_object_or_404(SuccessStory.objects.select_related("agreement__event", "present_at"), pk=pk)
    if story.status != SuccessStory.Status.PUBLISHED and not stories.can_edit_story(request.user, story):
        raise Http404(_("No such story"))
    return story


def story_detail(request, pk: int):
    story = _story_or_404(request, pk)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        _story_action(request, story)
        return redirect("outcomes:story", pk=story.pk)
    parties = list(story.agreement.organisations.all())
    consents = {c.organisation_id: c for c in story.consents.filter(withdrawn_at=None).select_related("given_by")}
    officer = is_officer(request.user)
    rows = [(o, consents.get(o.pk), is_member_of(request.user, o)) for o in parties]
    upcoming = []
    if officer:
        from clusterbridge.events.models import Event

        upcoming = list(Event.objects.exclude(status=Event.Status.DRAFT)
                        .filter(sessions__starts_at__gte=timezone.now()).distinct().order_by("registration_closes")[:30])
        if story.present_at and story.present_at not in upcoming:
            upcoming.insert(0, story.present_at)
    return render(request, "outcomes/story.html", {
        "story": story, "rows": rows, "officer": officer, "can_edit": stories.can_edit_story(request.user, story),
        "missing": stories.consents_missing(story), "review_form": ReviewForm(), "upcoming": upcoming,
        "wording": stories.CONSENT_WORDING["zh" if get_language().startswith("zh") else "en"]})


def _story_action(request, story: SuccessStory) -> None:
    action = request.POST.get("action", "")
    try:
        if action == "consent":
            organisation = get_object_or_404(story.agreement.organisations, pk=id_param(request.POST, "organisation"))
            give = request.POST.get("give") == "1"
            stories.story_consent(story=story, organisation=organisation, by=request.user, give=give,
                                  language=get_language(), on_behalf_note=request.POST.get("on_behalf_note", ""))
            messages.success(request, _("Consent recorded.") if give else _("Consent withdrawn."))
        elif action == "submit":
            stories.story_submit(story=story, by=request.user)
            messages.success(request, _("Submitted: the programme officers review it next."))
        elif action == "review":
            form = ReviewForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose to publish the story or to return it."))
            publish = form.cleaned_data["decision"] == "publish"
            stories.story_review(story=story, by=request.user, publish=publish, reason=form.cleaned_data["reason"])
            messages.success(request, _("Published.") if publish else _("Returned to its authors."))
        elif action == "invite":
            from clusterbridge.events.models import Event

            raw = request.POST.get("event", "")
            event = get_object_or_404(Event, pk=raw) if raw.isdigit() else None
            stories.story_invite(story=story, event=event, by=request.user)
            messages.success(request, _("Invited to present.") if event else _("Invitation taken back."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:  # a PermissionDenied goes on to the 403 page
        messages.error(request, " ".join(error.messages))


@login_required
def story_new(request, agreement_id: int):
    agreement = get_object_or_404(selectors.agreements_for(request.user), pk=agreement_id)
    form = StoryForm(request.POST or None, initial={"body_en": agreement.summary_en, "body_zh": agreement.summary_zh})
    if request.method == "POST" and form.is_valid():
        try:
            story = stories.story_draft(agreement=agreement, by=request.user, **form.cleaned_data)
            messages.success(request, _("Draft saved. Ask your partners' consent and submit it for review."))
            return redirect("outcomes:story", pk=story.pk)
        except ValidationError as error:
            errors_into_form(form, error)
    return render(request, "outcomes/story_form.html", {"form": form, "agreement": agreement, "story": None})


@login_required
def story_edit(request, pk: int):
    story = _story_or_404(request, pk)
    if not stories.can_edit_story(request.user, story):
        raise Refused(_("Only the story's organisations and the programme officers edit it."))
    form = StoryForm(request.POST or None, instance=story)
    if request.method == "POST" and form.is_valid():
        try:
            stories.story_edit(story=story, by=request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("outcomes:story", pk=story.pk)
        except ValidationError as error:
            errors_into_form(form, error)
    return render(request, "outcomes/story_form.html", {"form": form, "agreement": story.agreement, "story": story})


@login_required
def agreements(request):
    """A person's agreements and stories, and the form to record an agreement."""
    from clusterbridge.directory.models import Organisation
    from clusterbridge.events.models import Event

    officer = is_officer(request.user)
    mine = Organisation.objects.filter(memberships__user=request.user)
    if not officer and not mine.exists():
        raise Refused(_("Agreements are recorded by the members of the organisations party to them."))
    events = Event.objects.exclude(status=Event.Status.DRAFT)
    if not officer:
        events = events.filter(registrations__organisation__in=mine).distinct()
    form = AgreementForm(request.POST or None, organisations=Organisation.objects.order_by("name_en", "name_zh"),
                         events=events.order_by("-registration_closes"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_record(by=request.user, kind=data["kind"], organisations=data["organisations"],
                                      event=data["event"], signed_on=data["signed_on"], amount=data["amount"],
                                      currency=data["currency"], summary_en=data["summary_en"],
                                      summary_zh=data["summary_zh"], public=data["public"],
                                      case_plan=data["case_plan"])
            messages.success(request, _("Agreement recorded. You may now draft its success story."))
            return redirect("outcomes:agreements")
        except (ValidationError, PermissionDenied) as error:
            errors_into_form(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
    page = Paginator(selectors.agreements_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "outcomes/agreements.html", {
        "form": form, "page": page, "agreements": page.object_list, "officer": officer,
        "stories": selectors.stories_for(request.user)[:50]})


@page_section("organisation")
def organisation_stories(request, org) -> str:
    shown = list(selectors.published_stories(organisation=org)[:6])
    if not shown:
        return ""
    return render_to_string("outcomes/_stories_section.html", {"stories": shown, "heading": _("Success stories")},
                            request=request)


@page_section("event")
def event_stories(request, event) -> str:
    shown = list(selectors.published_stories(event=event))
    if not shown:
        return ""
    return render_to_string("outcomes/_stories_section.html",
                            {"stories": shown, "heading": _("Success stories presented at this event")},
                            request=request)

