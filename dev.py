#!/usr/bin/env python3
"""Set up and run ClusterBridge on a machine that has only Python 3.11+.

    python3 dev.py run    install into .venv, prepare SQLite with demo data, serve on http://127.0.0.1:8000
    python3 dev.py test   install into .venv and run the whole test suite

Extra arguments after `test` go to pytest.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_installed() -> None:
    if sys.version_info < (3, 11):
        sys.exit("ClusterBridge needs Python 3.11 or newer")
    if not PYTHON.exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        print("installing ClusterBridge and its dependencies into .venv ...", flush=True)
        subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"], check=True)
        stamp.write_text(wanted)


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command not in ("run", "test"):
        print(__doc__)
        return 2
    ensure_installed()
    os.chdir(ROOT)
    if command == "run":
        return subprocess.call([str(BIN / "clusterbridge"), "demo"])
    return subprocess.call([str(PYTHON), "-m", "pytest", *sys.argv[2:]])


if __name__ == "__main__":
    sys.exit(main())
