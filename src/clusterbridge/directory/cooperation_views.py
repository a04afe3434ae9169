"""Cooperation board pages. Thin: reads and writes in `cooperation.py`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from clusterbridge.accounts.rules import can_edit_organisation
from clusterbridge.core.rate_limits import EXPRESS_INTEREST, RateLimited, limit_hit, rate_limited_page

from . import cooperation, selectors
from .forms import CooperationProfileForm, InterestForm
from .models import CooperationProfile
from .search_hooks import partner_search


def board(request):
    kind = request.GET.get("kind", "")[:24]
    q = request.GET.get("q", "").strip()[:200]
    search = partner_search().cooperation_search
    if q and search is not None:  # ranked by partner search, in either language
        results = search(q=q, kind=kind)
    else:
        results = cooperation.cooperation_board(kind=kind, q=q)
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(request, "directory/cooperation_board.html", {
        "page": page, "kind": kind, "q": q, "kinds": CooperationProfile.Kind.choices, "ranked": bool(q and search)})


def detail(request, profile_id: int):
    profile = get_object_or_404(CooperationProfile.objects.select_related("organisation"), id=profile_id)
    can_edit = can_edit_organisation(request.user, profile.organisation)
    visible = profile.status == CooperationProfile.Status.PUBLISHED and profile.organisation.published
    if not visible and not can_edit:
        raise Http404(_("No such profile"))
    form = InterestForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if can_edit:
            raise PermissionDenied(_("This is your own organisation's profile."))
        if profile.is_expired() or not visible:
            raise PermissionDenied(_("This profile is no longer open."))
        if form.is_valid():
            try:
                limit_hit(request, EXPRESS_INTEREST)
            except RateLimited as error:
                return rate_limited_page(request, error)
            told = cooperation.cooperation_interest_express(
                profile=profile, sender=request.user, message=form.cleaned_data["message"],
                link=request.build_absolute_uri())
            messages.success(request, _("Your interest was sent to the organisation (%(n)d person(s) notified).")
                             % {"n": told})
            return redirect("directory:cooperation_detail", profile_id=profile.id)
    return render(request, "directory/cooperation_detail.html", {
        "profile": profile, "form": form, "can_edit": can_edit, "expired": profile.is_expired()})


@login_required
def edit(request, external_id: str, profile_id: int | None = None):
    org = selectors.organisation_get(external_id=external_id, public=False)
    if org is None:
        raise Http404(_("No such organisation"))
    if not can_edit_organisation(request.user, org):
        raise PermissionDenied(_("You can edit only your own organisation's profile."))
    profile = get_object_or_404(CooperationProfile, id=profile_id, organisation=org) if profile_id else None
    form = CooperationProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        saved = cooperation.cooperation_profile_save(organisation=org, data=form.cleaned_data, profile=profile)
        messages.success(request, _("The cooperation profile is saved."))
        return redirect("directory:cooperation_detail", profile_id=saved.id)
    return render(request, "directory/cooperation_edit.html", {"org": org, "form": form, "profile": profile})
