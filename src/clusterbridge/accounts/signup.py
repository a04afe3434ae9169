"""Signing up: a person makes an account, proves their e-mail address with a signed link, and is
then signed in. Joining or creating an organisation follows in the directory (directory/membership.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _, override

from clusterbridge.core.signed_links import link_data, link_token

from .models import Profile, Role
from .services import mail_one, notice_link

SALT = "clusterbridge.signup"
CONFIRM_DAYS = 3


@transaction.atomic
def account_create(*, username: str, email: str, password: str, full_name: str = "", language: str = "en",
                   invitation: str = ""):
    """An account that cannot sign in until its e-mail address is confirmed (the link goes out once
    the transaction commits). Refuses a taken user name or address and a weak password, by field."""
    User = get_user_model()
    username, email = username.strip(), email.strip().lower()
    errors: dict[str, list[str]] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This user name is taken; choose another.")]
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("An account with this e-mail address exists: log in, or reset its password.")]
    user = User(username=username, email=email, is_active=False)
    first, _sep, last = full_name.strip().partition(" ")
    user.first_name, user.last_name = first[:150], last[:150]
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    Profile.objects.create(user=user, role=Role.MEMBER,
                           preferred_language=language if language in dict(settings.LANGUAGES) else "en")
    link = notice_link(f"/accounts/sign-up/confirm/{confirmation_token(user, invitation)}/", language)
    with override(language):
        subject = _("Confirm your e-mail address for ClusterBridge")
        body = _("Hello %(name)s,\n\nsomeone (we hope you) made a ClusterBridge account with this address. "
                 "Open this link within %(days)s days to confirm it and sign in:\n\n%(link)s\n\n"
                 "If it was not you, ignore this message: the account stays closed.") % {
            "name": full_name or username, "days": CONFIRM_DAYS, "link": link}
    mail_one(to=email, subject=subject, body=body)
    return user


def confirmation_token(user, invitation: str = "") -> str:
    return link_token({"u": user.pk, "e": user.email, "i": invitation}, salt=SALT)


@transaction.atomic
def account_confirm(token: str):
    """The account the link names, now open; (user, invitation token or ""). Raises ValidationError
    for a link that is altered, expired or for an address that has changed since."""
    invalid = _("This link is not valid: copy the whole address from the e-mail.")
    data = link_data(token, salt=SALT, days=CONFIRM_DAYS, invalid=invalid,
                     expired=_("This link has expired: sign up again to get a new one."))
    user = get_user_model().objects.select_for_update().filter(pk=data["u"], email=data["e"]).first()
    if user is None:
        raise ValidationError(invalid)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user, data.get("i", "")
