import pytest

from clusterbridge.core.translations import compile_catalogues


def pytest_configure(config):
    compile_catalogues()
    import tempfile

    from django.conf import settings as django_settings

    django_settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="clusterbridge-media-")  # uploads never land in ./var
    django_settings.PRIVACY_EXPORT_DIR = tempfile.mkdtemp(prefix="clusterbridge-exports-")
    django_settings.TAXONOMY_LOAD_ON_MIGRATE = False  # tests that need the taxonomy ask for it (`sectors`)
    # Background jobs run inside the request that starts them (as with CLUSTERBRIDGE_TASKS=inline),
    # so that a test sees their outcome; the Redis tests use the RQ backend instead.
    from django.conf import settings
    from django.core.signals import setting_changed

    if settings.TASKS["default"]["BACKEND"] == "clusterbridge.core.task_backends.ThreadBackend":
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)


@pytest.fixture(autouse=True)
def _english_first():
    """A page in Chinese leaves its language active in the thread; each test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached directory counts must not leak from one test's database to the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _no_unexpected_email(request, settings):
    """Any e-mail a test did not ask for fails it (after Indico's disallow.py)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield
    if "mailoutbox" not in request.fixturenames and "expect_email" not in request.keywords:
        from django.core import mail

        assert getattr(mail, "outbox", []) == [], "unexpected e-mail sent"


@pytest.fixture
def sectors(db):
    from clusterbridge.directory.services import ecosystems_load, sectors_load, technologies_load

    sectors_load()
    ecosystems_load()
    technologies_load()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that the site's mail goes to; `.messages` holds what it
    received, parsed, and `.wait(n)` waits for n of them."""
    import email
    import email.policy
    import socket
    import time

    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content,
                                                          policy=email.policy.default))
            return "250 Message accepted for delivery"

        def wait(self, n: int, seconds: float = 20):
            deadline = time.monotonic() + seconds
            while len(self.messages) < n and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(self.messages) >= n, f"{len(self.messages)} of {n} messages arrived"
            return self.messages

        def text(self, message) -> str:
            return message.get_body(preferencelist=("plain",)).get_content()

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield handler
    finally:
        controller.stop()
