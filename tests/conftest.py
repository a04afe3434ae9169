import pytest

from clusterbridge.core.translations import compile_catalogues


def pytest_configure(config):
    compile_catalogues()
    # Background jobs run inside the request that starts them (as with CLUSTERBRIDGE_TASKS=inline),
    # so that a test sees their outcome; the Redis tests use the RQ backend instead.
    from django.conf import settings
    from django.core.signals import setting_changed

    if settings.TASKS["default"]["BACKEND"] == "clusterbridge.core.task_backends.ThreadBackend":
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)


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
