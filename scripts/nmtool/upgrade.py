"""The upgrade check: previous versions with demo data, upgraded to this code."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .addons import addons_dir, tests_dir
from .common import ROOT, RUN_DIR, VAR, say, step
from .odoorun import (
    log_problems,
    log_records,
    odoo_install,
    odoo_shell,
    odoo_update,
    show_problems,
    write_config,
)
from .pg import db_settings, drop_database, unique_db_name

UPGRADE_DIR_NAME = "upgrade"  # under tests/: baseline.json and check.py


def upgrade_baseline() -> tuple[dict | None, str]:
    """The previous versions to upgrade from (tests/upgrade/baseline.json)."""
    path = tests_dir() / UPGRADE_DIR_NAME / "baseline.json"
    if not path.is_file():
        return None, f"no {path.relative_to(ROOT)}"
    try:
        baseline = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return None, f"{path} is not JSON: {exc}"
    return baseline, ""


def extract_baseline(commit: str, target: Path) -> str:
    """The addons of a commit, unpacked into ``target``; '' or why it failed."""
    if not shutil.which("git"):
        return "git is not installed"
    probe = subprocess.run(
        ["git", "cat-file", "-e", f"{commit}^{{commit}}"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if probe.returncode != 0:
        return f"commit {commit[:12]} is not in this checkout's history"
    target.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "addons"],
        cwd=ROOT, capture_output=True,
    )  # fmt: skip
    if archive.returncode != 0:
        return archive.stderr.decode(errors="replace").strip()
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return ""


def shell_check(odoo, conf, db, call: str, name: str) -> tuple[int, list[str]]:
    """Run tests/upgrade/check.py and one of its functions in odoo shell."""
    script = (tests_dir() / UPGRADE_DIR_NAME / "check.py").read_text(encoding="utf-8")
    logfile = RUN_DIR / f"upgrade_{name}.log"
    rc = odoo_shell(odoo, conf, db, f"{script}\n{call}\n", logfile)
    text = logfile.read_text(encoding="utf-8", errors="replace")
    lines = [line for line in text.splitlines() if line.startswith("NM_UPGRADE")]
    if rc != 0 or "Traceback" in text:
        lines.append(f"NM_UPGRADE_FAIL shell exit code {rc}, see {logfile}")
        lines += [f"    {line}" for line in text.splitlines()[-15:]]
    for line in lines:
        say(f"  {line}")
    return rc, lines


def upgrade_check(odoo, order, results) -> None:
    """Install the previous versions (tests/upgrade/baseline.json) with demo data,
    upgrade with the current code, check that every record survived."""
    step("Upgrade check: previous versions with demo data, upgraded to this code")
    name = "upgrade from the previous versions, every record kept"
    baseline, why = upgrade_baseline()
    base_dir = RUN_DIR / "baseline"
    if baseline:
        why = extract_baseline(baseline["commit"], base_dir)
    if why:
        say(f"  UPGRADE CHECK COULD NOT RUN: {why}")
        results.add(name, False)
        return
    versions = ", ".join(f"{k} {v}" for k, v in sorted(baseline["versions"].items()))
    say(f"  from commit {baseline['commit'][:12]}: {versions}")
    old_paths = [p for p in odoo.addons_paths if p != str(addons_dir())]
    old_conf = RUN_DIR / "odoo-upgrade-baseline.conf"
    db_conf = db_settings()
    old_conf.write_text(
        "[options]\n"
        f"addons_path = {','.join([*old_paths, str(base_dir / 'addons')])}\n"
        f"data_dir = {VAR / 'data'}\n"
        f"db_host = {db_conf['host']}\ndb_port = {db_conf['port']}\n"
        f"db_user = {db_conf['user']}\ndb_password = {db_conf['password']}\n"
        "max_cron_threads = 0\n",
        encoding="utf-8",
    )
    new_conf = write_config(RUN_DIR / "odoo-upgrade.conf", odoo)
    db = unique_db_name("up")
    ok = False
    try:
        say(f"  installing the previous versions into {db}")
        old_order = [n for n in order if n in baseline["versions"]]
        logfile = RUN_DIR / "upgrade_install_old.log"
        rc = odoo_install(odoo, old_conf, db, old_order, logfile, demo=True)
        problems = log_problems(logfile, our_warnings=False)
        if rc != 0 or problems:
            say(f"  install of the previous versions failed (exit code {rc})")
            show_problems(problems, logfile)
            return
        snapshot = RUN_DIR / "upgrade_snapshot.json"
        for call, label in (
            ("prepare()", "prepare"),
            (f"snapshot({str(snapshot)!r})", "snapshot"),
        ):
            rc, lines = shell_check(odoo, old_conf, db, call, label)
            if rc != 0 or any("NM_UPGRADE_FAIL" in line for line in lines):
                return
        say("  upgrading with the current code")
        logfile = RUN_DIR / "upgrade_update.log"
        rc = odoo_update(odoo, new_conf, db, order, logfile)
        problems = log_problems(logfile, our_warnings=True)
        if rc != 0 or problems:
            say(f"  upgrade failed (exit code {rc})")
            show_problems(problems, logfile)
            return
        for record in log_records(logfile):
            if "Running migration" in record["msg"]:
                say(f"  {record['msg']}")
        rc, lines = shell_check(
            odoo, new_conf, db, f"verify({str(snapshot)!r})", "verify"
        )
        ok = rc == 0 and any(line.startswith("NM_UPGRADE_OK") for line in lines)
        ok = ok and not any("NM_UPGRADE_FAIL" in line for line in lines)
    finally:
        results.add(name, ok)
        drop_database(db)
