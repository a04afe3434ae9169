"""Sign-up pages: the form, "check your mail", and the confirmation link that opens the account."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy

from clusterbridge.core.rate_limits import SIGN_UP, RateLimited, limit_hit, rate_limited_page

from .signup import account_confirm, account_create


class SignUpForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail address"),
                             help_text=gettext_lazy("We send a link to it: the account opens when you follow it."))
    username = forms.RegexField(label=gettext_lazy("User name"), max_length=150, regex=r"^[\w.@+-]+\Z",
                                help_text=gettext_lazy("Letters, digits and . @ + - _ only."))
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput,
                               help_text=gettext_lazy("At least 10 characters, not a common one."))
    consent = forms.BooleanField(label=gettext_lazy(
        "I agree that ClusterBridge keeps my name and e-mail address to run my account and the programmes' "
        "matchmaking, as its privacy notice says."))


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("directory:mine")
    invitation = request.GET.get("invitation", "") or request.POST.get("invitation", "")
    form = SignUpForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            limit_hit(request, SIGN_UP, person="sign-up:" + data["email"].strip().lower())
        except RateLimited as error:
            return rate_limited_page(request, error)
        try:
            account_create(username=data["username"], email=data["email"], password=data["password"],
                           full_name=data["full_name"], language=translation.get_language() or "en",
                           invitation=invitation)
            return render(request, "accounts/sign_up_sent.html", {"email": data["email"]})
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
    return render(request, "accounts/sign_up.html", {"form": form, "invitation": invitation})


def sign_up_confirm(request, token: str):
    try:
        user, invitation = account_confirm(token)
    except ValidationError as error:
        return render(request, "accounts/sign_up_failed.html", {"reason": " ".join(error.messages)}, status=400)
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    messages.success(request, _("Your e-mail address is confirmed and you are signed in."))
    if invitation:
        return redirect("directory:invitation", token=invitation)
    return redirect("directory:mine")
