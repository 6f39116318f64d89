"""`tools/system-packages.sh`, the one place that says which system packages `make test` and `make study` need: on a machine
where they are missing and this user cannot install them, it stops within seconds with one line naming them and the command
that installs them (run for real, as an unprivileged user, with a PATH that lacks make, chromium and npm)."""
import os, shutil, subprocess, sys, tempfile, time
from pathlib import Path
import pytest

SCRIPT = Path(__file__).parent.parent / "tools" / "system-packages.sh"


def _bare_path(folder):
    "A PATH holding only what the script needs to look (bash, id, env, apt-get) and a Python 3.11 with venv: no make, chromium, npm or sudo."
    bin_ = folder / "bin"; bin_.mkdir()
    for tool in ("bash", "env", "id", "apt-get"):
        if shutil.which(tool): (bin_ / tool).symlink_to(shutil.which(tool))
    (bin_ / "python3.11").symlink_to("/usr/bin/python3.11" if Path("/usr/bin/python3.11").exists() else sys.executable)
    return str(bin_)


@pytest.fixture
def open_dir():
    "A folder the unprivileged user can read (pytest's own tmp_path is private to root)."
    d = Path(tempfile.mkdtemp(prefix="system-packages-")); d.chmod(0o755)
    yield d
    shutil.rmtree(d)


def _run(folder, what):
    script = folder / "system-packages.sh"; shutil.copy(SCRIPT, script)
    unprivileged = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.getuid() == 0 else []   # root could install: become nobody
    t = time.time()
    r = subprocess.run([*unprivileged, "env", f"PATH={_bare_path(folder)}", "bash", str(script), what], capture_output=True, text=True, timeout=60)
    return r, time.time() - t


def test_missing_packages_stop_at_once(open_dir):
    r, seconds = _run(open_dir, "test")
    assert r.returncode == 1, r
    assert seconds < 10
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and r.stdout == "", r
    assert lines[0].startswith("error: missing system packages for 'make test': make chromium npm"), lines[0]
    named = lines[0].split("'make test': ")[1].split(";")[0]          # and Slurm's packages on a machine without them
    assert lines[0].endswith(f"install them with: sudo apt-get install -y {named}"), lines[0]


def test_study_needs_no_browser(open_dir):
    r, _ = _run(open_dir, "study")
    assert r.returncode == 1 and "'make study': make npm;" in r.stderr, r


def test_unknown_command(open_dir):
    r, _ = _run(open_dir, "lint")
    assert r.returncode == 2 and "usage:" in r.stderr
