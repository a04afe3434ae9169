"""The `clusterbridge` command: Django's management commands, with the
programme's names (`clusterbridge import-organisations FILE`): a command
written with hyphens is the management command with underscores."""

from __future__ import annotations

import os
import sys


def command_name(name: str) -> str:
    """`import-indicators` -> `import_indicators`; options and Django's own names pass unchanged."""
    return name if name.startswith("-") else name.replace("-", "_")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbridge.settings")
    if len(argv) > 1:
        argv[1] = command_name(argv[1])
    if len(argv) > 1 and argv[1] == "serve" and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Before anything imports prometheus_client: the web workers add up their metrics here.
        import tempfile

        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="clusterbridge-metrics-")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
