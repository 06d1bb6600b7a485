"""What ./nm installs: Debian packages (apt-get), Python libraries (pip)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

from .common import ROOT, Fail, as_root, run, say, step

if TYPE_CHECKING:
    from .discovery import Odoo


_apt_updated = False


def apt_install(packages: list[str]) -> None:
    global _apt_updated
    if os.environ.get("NM_SKIP_APT") == "1":
        raise Fail(f"NM_SKIP_APT=1: not installing {' '.join(packages)}")
    if not shutil.which("apt-get"):
        raise Fail(f"apt-get not found: install {' '.join(packages)} by hand")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if not _apt_updated:
        run(as_root(["apt-get", "update", "-q"]), env=env, check=True)
        _apt_updated = True
    run(
        as_root(
            ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
        ),
        env=env,
        check=True,
    )


def pip_install() -> None:
    if os.environ.get("NM_SKIP_PIP") == "1":
        say("NM_SKIP_PIP=1: not running pip")
        return
    step("Python dependencies (pip)")
    base = [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if os.geteuid() == 0:
        base.append("--root-user-action=ignore")
    for extra, req in (
        ([], "requirements.txt"),
        (["--no-deps"], "requirements-oca.txt"),
    ):
        if (ROOT / req).exists():
            proc = run([*base, *extra, "-r", req])
            if proc.returncode != 0:
                raise Fail(
                    f"pip install -r {req} failed (set NM_SKIP_PIP=1 to skip pip)"
                )


CHROME_BINARIES = [
    "google-chrome",
    "chromium",
    "chromium-browser",
    "google-chrome-stable",
]


def ensure_browser(odoo: Odoo) -> None:
    step("Browser for HttpCase tours (Chromium) and websocket-client")
    found = next((b for b in CHROME_BINARIES if shutil.which(b)), None)
    if not found:
        say("no Chrome/Chromium in PATH: installing Debian's chromium")
        try:
            apt_install(["chromium"])
        except Fail as exc:
            say(f"WARNING: {exc}; browser tests will be reported as failed")
        found = next((b for b in CHROME_BINARIES if shutil.which(b)), None)
    say(f"browser: {shutil.which(found) if found else 'NONE'}")
    proc = subprocess.run(
        [sys.executable, "-c", "import websocket"], capture_output=True, env=odoo.env
    )
    if proc.returncode != 0:
        say(
            "WARNING: websocket-client is not importable: browser tests will be skipped"
        )


def ensure_wkhtmltopdf() -> None:
    """Debian's wkhtmltopdf, which Odoo runs to print PDF reports (without it they
    open as HTML)."""
    step("PDF reports (wkhtmltopdf)")
    if not shutil.which("wkhtmltopdf"):
        say("wkhtmltopdf not in PATH: installing Debian's wkhtmltopdf")
        try:
            apt_install(["wkhtmltopdf"])
        except Fail as exc:
            say(f"WARNING: {exc}; PDF reports will open as HTML")
    found = shutil.which("wkhtmltopdf")
    version = ""
    if found:
        proc = subprocess.run([found, "--version"], capture_output=True, text=True)
        version = f" ({proc.stdout.strip()})" if proc.returncode == 0 else ""
    say(f"wkhtmltopdf: {found or 'NONE'}{version}")
