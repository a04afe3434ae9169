"""The `clusterbridge` command: Django's management commands, with the
programme's names (`clusterbridge import-organisations FILE`)."""

from __future__ import annotations

import os
import sys

ALIASES = {"import-organisations": "import_organisations", "compile-translations": "compile_translations",
           "load-taxonomy": "load_taxonomy", "rebuild-search-index": "rebuild_search_index",
           "import-icp-history": "import_icp_history", "verify-ledger": "verify_ledger",
           "apply-retention": "apply_retention", "grant-app-role": "grant_app_role",
           "newsletter-send": "newsletter_send"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbridge.settings")
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    if len(argv) > 1 and argv[1] == "serve" and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Before anything imports prometheus_client: the web workers add up their metrics here.
        import tempfile

        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="clusterbridge-metrics-")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
