"""Running Odoo: configuration files, install, update, uninstall, shell, logs."""

from __future__ import annotations

import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from .common import ROOT, VAR, run, say
from .pg import db_settings

if TYPE_CHECKING:
    from .discovery import Odoo


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_config(path: Path, odoo: Odoo, extra_paths=(), **options) -> Path:
    db = db_settings()
    odoo.env.setdefault("NM_CHAIN_KEY", "nm-test-and-demo-only")  # DM seals (HMAC)
    values = {
        "addons_path": ",".join([*odoo.addons_paths, *map(str, extra_paths)]),
        "data_dir": str(VAR / "data"),
        "db_host": db["host"],
        "db_port": db["port"],
        "db_user": db["user"],
        "db_password": db["password"],
        "http_interface": "127.0.0.1",
        "max_cron_threads": "0",
    }
    values.update({k: str(v) for k, v in options.items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["[options]"] + [f"{k} = {v}" for k, v in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ "
    r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL) (?P<db>\S+) (?P<logger>[^\s:]+): "
    r"(?P<msg>.*)$"
)


# Odoo 19 only warns when demo data fail, then installs the module without them.
DEMO_FAILED = re.compile(r"demo data failed to install")


OURS = re.compile(r"(?<![A-Za-z0-9])(nm[_.][a-z]\w*|\w*carbon\w*)")


def log_records(logfile: Path) -> list[dict]:
    """Odoo log records of a file, with their continuation lines (tracebacks)."""
    records: list[dict] = []
    for line in logfile.read_text(encoding="utf-8", errors="replace").splitlines():
        match = LOG_LINE.match(line)
        if match:
            records.append({**match.groupdict(), "text": line})
        elif records:
            records[-1]["text"] += "\n" + line
    return records


def log_problems(logfile: Path, *, our_warnings: bool) -> list[str]:
    """ERROR/CRITICAL records, and WARNING records about our addons."""
    problems = []
    for rec in log_records(logfile):
        if rec["level"] in ("ERROR", "CRITICAL") or DEMO_FAILED.search(rec["msg"]):
            problems.append(rec["text"])
        elif rec["level"] == "WARNING" and our_warnings:
            if rec["logger"].startswith("odoo.addons.nm_") or OURS.search(rec["text"]):
                problems.append(rec["text"])
    return problems


def show_problems(problems: list[str], logfile: Path, limit: int = 30) -> None:
    text = "\n".join(problems).splitlines()
    for line in text[:limit]:
        say(f"    {line}")
    if len(text) > limit:
        say(f"    ... ({len(text) - limit} more lines)")
    say(f"    full log: {logfile}")


def odoo_install(odoo, conf, db, modules, logfile, *, demo=True, lang=None):
    cmd = [
        *odoo.cmd, "-c", conf, "-d", db, "-i", ",".join(modules),
        "--stop-after-init", "--no-http", "--log-level=info",
    ]  # fmt: skip
    if demo:
        cmd.append("--with-demo")
    if lang:
        cmd.append(f"--load-language={lang}")
    started = time.monotonic()
    proc = run(cmd, env=odoo.env, logfile=logfile)
    say(f"  ({time.monotonic() - started:.0f} s, log {logfile.relative_to(ROOT)})")
    return proc.returncode


def odoo_update(odoo, conf, db, modules, logfile):
    """Upgrade installed modules to the code's version (runs their migrations)."""
    cmd = [
        *odoo.cmd, "-c", str(conf), "-d", db, "-u", ",".join(modules),
        "--stop-after-init", "--no-http", "--log-level=info",
    ]  # fmt: skip
    started = time.monotonic()
    proc = run(cmd, env=odoo.env, logfile=logfile)
    say(f"  ({time.monotonic() - started:.0f} s, log {logfile.relative_to(ROOT)})")
    return proc.returncode


def odoo_uninstall(odoo, conf, db, module, logfile):
    cmd = [*odoo.cmd, "module", "uninstall", "-c", conf, "-d", db, module]
    started = time.monotonic()
    proc = run(cmd, env=odoo.env, logfile=logfile)
    say(f"  ({time.monotonic() - started:.0f} s, log {logfile.relative_to(ROOT)})")
    return proc.returncode


def odoo_shell(odoo, conf, db, script, logfile):
    cmd = [*odoo.cmd, "shell", "-c", str(conf), "-d", db, "--no-http"]
    cmd.append("--log-level=warn")
    logfile.parent.mkdir(parents=True, exist_ok=True)
    say("  $ " + " ".join(cmd) + " < script")
    with open(logfile, "w", encoding="utf-8") as fh:
        proc = subprocess.run(
            cmd, input=script, text=True, stdout=fh, stderr=subprocess.STDOUT,
            env=odoo.env, cwd=ROOT,
        )  # fmt: skip
    return proc.returncode


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False
