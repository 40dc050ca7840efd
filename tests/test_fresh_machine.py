"""`make test` on a machine without Chromium: it installs Debian's package when it may
(root, or sudo without a password) and otherwise stops, before any test, with the one
command to run. The script runs against stand-in `id`, `sudo` and `apt-get` commands."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "ensure-chromium"


def _bin(tmp_path: Path, **commands: str) -> Path:
    """A PATH holding only a few real tools and the given stand-ins (shell scripts)."""
    directory = tmp_path / "bin"
    directory.mkdir()
    for tool in ("env", "touch", "chmod"):
        (directory / tool).symlink_to(f"/usr/bin/{tool}")
    for name, body in commands.items():
        (directory / name.replace("_", "-")).write_text(f"#!/bin/sh\n{body}\n")
        (directory / name.replace("_", "-")).chmod(0o755)
    return directory


def _run(tmp_path: Path, path: Path, chromium: Path) -> subprocess.CompletedProcess:
    environment = {"PATH": str(path), "CHROMIUM": str(chromium)}
    return subprocess.run(
        ["/bin/sh", str(SCRIPT)], env=environment, capture_output=True, text=True, cwd=tmp_path
    )


def test_with_chromium_present_nothing_happens(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("")
    chromium.chmod(0o755)
    done = _run(tmp_path, _bin(tmp_path, id="echo 1000"), chromium)
    assert done.returncode == 0 and done.stdout == done.stderr == ""


def test_without_permission_it_stops_with_the_one_command(tmp_path):
    path = _bin(tmp_path, id="echo 1000", sudo="exit 1")  # sudo asks for a password
    done = _run(tmp_path, path, tmp_path / "chromium")
    assert done.returncode != 0
    assert "    sudo apt-get install -y chromium\n" in done.stderr


def test_as_root_it_installs_debians_chromium(tmp_path):
    chromium, calls = tmp_path / "chromium", tmp_path / "calls"
    # The first install fails (no package lists yet on a fresh machine): update, then retry.
    apt_get = (
        f'echo "$DEBIAN_FRONTEND $*" >> {calls}\n'
        f'case "$*" in *update*) touch {tmp_path}/updated ;; *install*)\n'
        f"  [ -e {tmp_path}/updated ] || exit 100\n"
        f"  printf '#!/bin/sh\\n' > {chromium}; chmod +x {chromium} ;; esac"
    )
    done = _run(tmp_path, _bin(tmp_path, id="echo 0", apt_get=apt_get), chromium)
    assert done.returncode == 0, done.stderr
    assert calls.read_text().splitlines() == [
        "noninteractive -qq install -y chromium",
        "noninteractive -qq update",
        "noninteractive -qq install -y chromium",
    ]
    assert os.access(chromium, os.X_OK)


def test_with_passwordless_sudo_it_installs_through_sudo(tmp_path):
    chromium, calls = tmp_path / "chromium", tmp_path / "calls"
    sudo = f'[ "$1" = -n ] && shift; echo "sudo $*" >> {calls}; [ "$1" = true ] || "$@"'
    apt_get = f"printf '#!/bin/sh\\n' > {chromium}; chmod +x {chromium}"
    path = _bin(tmp_path, id="echo 1000", sudo=sudo, apt_get=apt_get)
    done = _run(tmp_path, path, chromium)
    assert done.returncode == 0, done.stderr
    assert calls.read_text().splitlines() == [
        "sudo true",
        "sudo env DEBIAN_FRONTEND=noninteractive apt-get -qq install -y chromium",
    ]


def test_make_test_checks_chromium_before_any_test():
    steps = subprocess.run(
        ["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    first_pytest = next(i for i, line in enumerate(steps) if "pytest" in line)
    assert steps.index("scripts/ensure-chromium") < first_pytest
