"""Writes of the accounts app."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterbridge.core.jobs import job_enqueue, job_kind

from .models import ContactDataView, InboxMessage, Profile
from .notices import NoticeKind, notice_render

CONTACT_FIELDS = ("name", "role", "email", "phone")


def contact_views_record(*, viewer, contacts, where: str) -> int:
    """Log that these contacts' details were shown to `viewer` (None for an
    anonymous visitor), with the fields actually shown. Returns rows written."""
    viewer = viewer if getattr(viewer, "is_authenticated", False) else None
    rows = [ContactDataView(contact=c, viewer=viewer, where=where[:200],
                            fields=",".join(f for f in CONTACT_FIELDS if getattr(c, f)))
            for c in contacts]
    ContactDataView.objects.bulk_create(rows)
    return len(rows)


def inbox_notify(*, recipients, kind: NoticeKind, params: dict, link: str = "") -> int:
    """Put a notice of `kind` in each recipient's inbox and e-mail it, in the recipient's preferred
    language, once the transaction commits (a rolled-back write sends nothing)."""
    recipients = list({r.pk: r for r in recipients if r is not None}.values())
    subject, body = notice_render(kind.key, params, "en")
    InboxMessage.objects.bulk_create([InboxMessage(recipient=r, kind=kind.key, params=params, subject=subject[:200],
                                                   body=body, link=link[:300]) for r in recipients])
    languages = dict(Profile.objects.filter(user__in=[r.pk for r in recipients])
                     .values_list("user_id", "preferred_language"))
    texts: dict[str, tuple[str, str]] = {}
    messages = []
    for address, language in sorted({(r.email, languages.get(r.pk) or "en") for r in recipients if r.email}):
        if language not in texts:
            texts[language] = notice_render(kind.key, params, language)
        subject_l, body_l = texts[language]
        url = notice_link(link, language)
        # One message per address: recipients never see each other's addresses.
        messages.append([subject_l[:200], body_l + (f"\n\n{url}" if url else ""), settings.DEFAULT_FROM_EMAIL,
                         [address]])
    if messages:
        # A background job: a schedule published to 3,000 people must not wait for 3,000 e-mails,
        # and the mail is kept (with the notices) when the task queue is away.
        job_enqueue(kind=NOTICE_JOB, params={"messages": messages})
    return len(recipients)


def mail_one(*, to: str, subject: str, body: str) -> None:
    """One e-mail to one address that is not (yet) a person's notice (a sign-up link, an invitation),
    sent by the notice-mail job once the transaction commits."""
    job_enqueue(kind=NOTICE_JOB, params={"messages": [[subject, body, settings.DEFAULT_FROM_EMAIL, [to]]]})


def notice_link(link: str, language: str) -> str:
    """A notice's link as an e-mail gives it: the whole address, in the reader's language."""
    if not link or link.startswith(("http://", "https://")):
        return link
    return f"{settings.SITE_URL.rstrip('/')}{'/zh-hant' if language == 'zh-hant' else ''}{link}"


NOTICE_JOB = "accounts.notice_mail"


@job_kind(NOTICE_JOB, label=_("Notice e-mails"))
def notice_mail_send(job, context) -> dict:
    """Sends the job's notices, one message per address (nobody sees the other recipients)."""
    messages = job.params["messages"]
    context.progress(0, len(messages))
    sent = send_mass_mail([(subject, text, sender, list(to)) for subject, text, sender, to in messages])
    context.progress(len(messages), len(messages))
    return {"sent": sent}


def profile_language_set(*, user, language: str) -> None:
    """The language of the person's notices and e-mails."""
    Profile.objects.update_or_create(user=user, defaults={"preferred_language": language})


def inbox_mark_read(*, user, message_id: int) -> None:
    InboxMessage.objects.filter(recipient=user, id=message_id, read_at=None).update(read_at=timezone.now())


@transaction.atomic
def two_factor_confirm(*, user, secret: str, code: str) -> bool:
    """Turn on the second factor when `code` proves the app holds `secret`."""
    from clusterbridge.core import totp

    from .models import TwoFactor

    step = totp.verify(secret, code)
    if step is None:
        return False
    TwoFactor.objects.update_or_create(user=user, defaults={"secret": secret, "last_step": step})
    return True


@transaction.atomic
def two_factor_check(*, user, code: str) -> bool:
    """A login's second step: the code is right and not used before (the row
    is locked so two tabs cannot use one code)."""
    from clusterbridge.core import totp

    from .models import TwoFactor

    device = TwoFactor.objects.select_for_update().filter(user=user).first()
    if device is None:
        return False
    step = totp.verify(device.secret, code, last_step=device.last_step)
    if step is None:
        return False
    device.last_step = step
    device.save(update_fields=["last_step"])
    return True


def two_factor_disable(*, user, code: str) -> bool:
    """Turn the second factor off; needs a current code."""
    from .models import TwoFactor

    with transaction.atomic():
        if not two_factor_check(user=user, code=code):
            return False
        TwoFactor.objects.filter(user=user).delete()
    return True


def api_token_digest(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user, name: str, scopes: list[str] | None = None, days: int | None = None) -> str:
    """Make a key for `user` with these scopes (by default the directory, as keys had before
    scopes), valid for `days` (None: until revoked); returns it (the only time it is readable)."""
    import datetime as dt
    import secrets

    from .models import ApiScope, ApiToken

    scopes = [ApiScope.DIRECTORY_WRITE.value] if scopes is None else list(dict.fromkeys(scopes))
    unknown = [s for s in scopes if s not in ApiScope.values]
    if unknown:
        raise ValidationError(f"not an API scope: {', '.join(unknown)}")
    if not scopes:
        raise ValidationError("choose at least one thing the key may do")
    if days is not None and not 1 <= days <= 730:
        raise ValidationError("a key lasts 1 to 730 days, or until revoked")
    name = name.strip()[:100] or "API"
    key = "cb_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=api_token_digest(key), prefix=key[:8], scopes=scopes,
                            expires_at=timezone.now() + dt.timedelta(days=days) if days else None)
    return key


def api_token_revoke(*, user, token_id: int) -> bool:
    from .models import ApiToken

    return ApiToken.objects.filter(user=user, id=token_id).delete()[0] > 0


def api_token_user(key: str, scope: str = "directory:write"):
    """The active user a key belongs to when it allows `scope` and has not expired, or None;
    notes when it was used."""
    from .models import ApiToken

    token = ApiToken.objects.select_related("user").filter(digest=api_token_digest(key)).first()
    if token is None or not token.user.is_active or not token.allows(scope):
        return None
    if token.expires_at is not None and token.expires_at <= timezone.now():
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(id=token.id).update(last_used_at=now)
    return token.user
