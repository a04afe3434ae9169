"""clusterbridge demo: prepare the database with demo data and serve the site."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from clusterbridge.accounts.models import Membership, Profile, Role
from clusterbridge.core.translations import compile_catalogues
from clusterbridge.directory.demo import load_demo_cooperation, load_demo_directory
from clusterbridge.directory.models import Organisation
from clusterbridge.directory.services import ecosystems_load, sectors_load, technologies_load
from clusterbridge.matching.models import SearchDocument
from clusterbridge.matching.services import search_documents_refresh
from clusterbridge.events.demo import load_demo_events
from clusterbridge.offsets.demo import load_demo_icp
from clusterbridge.outcomes.demo import load_demo_outcomes
from clusterbridge.indicators.demo import load_demo_indicators
from clusterbridge.publishing.demo import load_demo_publishing

DEMO_USERS = [
    ("officer", "officer-demo-2018", Role.PROGRAMME_OFFICER, None),
    ("member", "member-demo-2018", Role.MEMBER, "tw-twiota"),
    ("admin", "admin-demo-2018", Role.PLATFORM_ADMIN, None),
    ("reviewer", "reviewer-demo-2018", Role.REVIEWER, None),
    ("contractor", "contractor-demo-2018", Role.CONTRACTOR, None),
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and serve the site on http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="prepare only")
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--count", type=int, default=2000, help="generated organisations")

    def handle(self, *args, **options):
        # Background jobs the loading starts (the search refresh, notices) run inline, one writer at
        # a time on the SQLite file; the server started afterwards runs them in threads as usual.
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
            self._load(options)
        if not options["no_serve"]:
            call_command("collectstatic", verbosity=0, interactive=False)
            from clusterbridge.core.jobs import sweeper_start

            sweeper_start()  # periodic work (reminders) and stale jobs, as a worker would
            self.stdout.write(f"serving on http://{options['addrport']}/  (Ctrl-C stops)")
            call_command("runserver", options["addrport"], use_reloader=False)

    def _load(self, options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        compile_catalogues()
        call_command("migrate", verbosity=0, interactive=False)
        sectors_load()
        ecosystems_load()
        technologies_load()
        added = load_demo_directory(count=options["count"])
        load_demo_cooperation()
        search_documents_refresh()  # whatever the loads above left for partner search to analyse
        self._users()
        # The demo's registrations and schedules would notify people: not by e-mail while loading.
        email_backend, settings.EMAIL_BACKEND = settings.EMAIL_BACKEND, "django.core.mail.backends.dummy.EmailBackend"
        try:
            if load_demo_icp():
                self.stdout.write("ICP demo: the 2011 promotion-group meetings and demand-item quarters loaded")
            from django.contrib.auth import get_user_model

            officer = get_user_model().objects.get(username="officer")
            if load_demo_events(officer):
                self.stdout.write("events demo: the Taipei 2018-06-05 matchmaking (scheduled) "
                                  "and a 1,500-participant event")
            if load_demo_outcomes(officer):
                self.stdout.write("outcomes demo: the 2016-2019 EU-Taiwan matchmakings with generated ratings, "
                                  "follow-ups and agreements, and two published success stories")
            if load_demo_indicators():
                self.stdout.write("indicators demo: Taiwan's published figures and generated EU series (marked)")
            if load_demo_publishing(officer):
                self.stdout.write("publishing demo: a week of news and 40 digest subscribers "
                                  "(clusterbridge newsletter-send weekly-digest)")
        finally:
            settings.EMAIL_BACKEND = email_backend
        self.stdout.write(f"demo directory ready: {Organisation.objects.count()} organisations ({added} added), "
                          f"{SearchDocument.objects.count()} in the search index")
        self.stdout.write("demo logins (user / password / role):")
        for name, password, role, org in DEMO_USERS:
            self.stdout.write(f"  {name} / {password} / {role.label}" + (f" of {org}" if org else ""))

    @transaction.atomic
    def _users(self):
        User = get_user_model()
        for name, password, role, org in DEMO_USERS:
            user, created = User.objects.get_or_create(username=name, defaults={"email": f"{name}@demo.invalid"})
            if created:
                user.set_password(password)
                user.is_staff = role in (Role.PLATFORM_ADMIN, Role.PROGRAMME_OFFICER)
                user.is_superuser = role == Role.PLATFORM_ADMIN
                user.save()
            Profile.objects.update_or_create(user=user, defaults={"role": role})
            if org:
                organisation = Organisation.objects.filter(external_id=org).first()
                if organisation:
                    Membership.objects.get_or_create(user=user, organisation=organisation)
