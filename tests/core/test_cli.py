"""The `clusterbridge` command takes the programme's hyphenated names for every management command."""

import subprocess
import sys

from clusterbridge.cli import command_name


def test_hyphenated_names_are_the_management_commands():
    assert command_name("import-indicators") == "import_indicators"
    assert command_name("fetch-indicators") == "fetch_indicators"
    assert command_name("newsletter-send") == "newsletter_send"
    assert command_name("--help") == "--help" and command_name("migrate") == "migrate"


def test_every_documented_command_runs_by_its_hyphenated_name():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    names = sorted(set(re.findall(r"clusterbridge ([a-z]+(?:-[a-z]+)+)", readme)))
    assert "import-indicators" in names and "fetch-indicators" in names
    for name in names:
        answer = subprocess.run([sys.executable, "-m", "clusterbridge.cli", name, "--help"],
                                capture_output=True, text=True, timeout=120)
        assert answer.returncode == 0, (name, answer.stderr[-500:])
