import pytest

from clusterbridge.core.translations import compile_catalogues


def pytest_configure(config):
    compile_catalogues()


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
