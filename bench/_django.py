"""What every benchmark does first: its own database (a temporary SQLite file unless a URL is
given) and data folder, Django set up as the tests have it, migrations run."""

from __future__ import annotations

import os
import statistics
import tempfile


def django_for_bench(database_url: str, name: str) -> str:
    """Returns the temporary folder holding the data (and the SQLite file)."""
    tmp = tempfile.mkdtemp(prefix=f"cb-bench-{name}-")
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["CLUSTERBRIDGE_DATA_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbridge.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    return tmp


def percentile(values: list[float], q: int) -> float:
    """The q-th percentile (statistics' exclusive method); the value itself when there is one."""
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]
