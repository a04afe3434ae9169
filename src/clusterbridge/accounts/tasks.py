"""Background work of accounts: sending notice e-mails outside the request that caused them."""

from django.core.mail import send_mass_mail
from django_tasks import task


@task()
def send_notices(messages: list[list]) -> int:
    """messages: [subject, text, from, [address]] each; one message per address."""
    return send_mass_mail([(subject, text, sender, list(to)) for subject, text, sender, to in messages])
