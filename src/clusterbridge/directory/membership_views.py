"""My organisation: join one or create its profile, answer who asks to join, invite colleagues."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy

from clusterbridge.accounts.rules import is_officer
from clusterbridge.core.countries import country_choices
from clusterbridge.core.params import id_param
from clusterbridge.core.rate_limits import INVITATIONS, RateLimited, limit_hit, rate_limited_page

from . import membership
from .models import JoinRequest, Kind, Organisation


class NewOrganisationForm(forms.ModelForm):
    country = forms.ChoiceField(label=gettext_lazy("Country"))
    website = forms.URLField(label=gettext_lazy("Website"), required=False, max_length=500, assume_scheme="https",
                             help_text=gettext_lazy("Its address also tells its members' e-mail domain."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("(choose the country)"))] + country_choices()

    class Meta:
        model = Organisation
        fields = ["name_en", "name_zh", "kind", "country", "city", "website"]
        labels = {"name_en": gettext_lazy("Name in English"), "name_zh": gettext_lazy("Name in Chinese"),
                  "kind": gettext_lazy("Kind"), "city": gettext_lazy("City"), "website": gettext_lazy("Website")}


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def my_organisation(request):
    user = request.user
    mine = list(Organisation.objects.filter(memberships__user=user).order_by("name_en", "name_zh"))
    new_form = NewOrganisationForm(request.POST if request.POST.get("action") == "create" else None,
                                   initial={"kind": Kind.COMPANY})
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "join":
                org = get_object_or_404(Organisation, pk=id_param(request.POST, "organisation"))
                membership.join_request_create(user=user, organisation=org, message=request.POST.get("message", ""))
                messages.success(request, _("Your request is sent; its members or an officer will answer."))
            elif action in ("approve", "reject"):
                join = get_object_or_404(JoinRequest, pk=id_param(request.POST, "request"))
                membership.join_request_decide(request=join, approve=action == "approve", by=user)
                messages.success(request, _("Answered: %(p)s.") % {"p": join.user.get_full_name() or join.user.username})
            elif action == "invite":
                org = get_object_or_404(Organisation, pk=id_param(request.POST, "organisation"))
                email = forms.EmailField().clean(request.POST.get("email", ""))
                try:
                    limit_hit(request, INVITATIONS)
                except RateLimited as error:
                    return rate_limited_page(request, error)
                membership.invitation_create(organisation=org, email=email, by=user,
                                             language=translation.get_language() or "en")
                messages.success(request, _("Invitation sent to %(e)s.") % {"e": email})
            elif action == "create" and new_form.is_valid():
                org = membership.organisation_create_by_member(user=user, data=new_form.cleaned_data)
                messages.success(request, _("The profile is created; an officer publishes it after a look. "
                                            "Complete it now."))
                return redirect("directory:edit", external_id=org.external_id)
            if action != "create":
                return redirect("directory:mine")
        except ValidationError as error:
            messages.error(request, _errors(error))
            return redirect("directory:mine")
        except PermissionDenied as error:
            raise error
    q = request.GET.get("q", "").strip()[:100]
    found = []
    if q:
        found = list(Organisation.objects.filter(Q(name_en__icontains=q) | Q(name_zh__icontains=q))
                     .exclude(memberships__user=user).order_by("name_en", "name_zh")[:20])
    to_answer = JoinRequest.objects.filter(status=JoinRequest.Status.PENDING).select_related("user", "organisation")
    if not is_officer(user):
        to_answer = to_answer.filter(organisation__in=mine)
    return render(request, "directory/my_organisation.html", {
        "mine": mine, "q": q, "found": found, "new_form": new_form, "to_answer": list(to_answer[:100]),
        "my_requests": list(JoinRequest.objects.filter(user=user).select_related("organisation")[:20]),
        "pending_ids": set(JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING)
                           .values_list("organisation_id", flat=True))})


def invitation(request, token: str):
    try:
        invite = membership.invitation_from_token(token)
    except ValidationError as error:
        return render(request, "accounts/sign_up_failed.html", {"reason": _errors(error)}, status=400)
    if request.user.is_authenticated and request.method == "POST":
        try:
            membership.invitation_accept(invitation=invite, user=request.user)
        except ValidationError as error:
            messages.error(request, _errors(error))
            return redirect("directory:mine")
        messages.success(request, _("You are a member of %(o)s.") % {"o": invite.organisation})
        return redirect("directory:mine")
    return render(request, "directory/invitation.html", {"invite": invite, "token": token})
