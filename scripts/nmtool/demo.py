"""``./nm demo`` and ``./nm stop``: a demo server with French demo data."""

from __future__ import annotations

import os
import signal
import subprocess
import time

from .addons import addons_dir, find_addons, install_order
from .common import DEMO_DB, LOGS, ROOT, VAR, Fail, say, step
from .discovery import require_odoo
from .odoorun import (
    http_ok,
    log_problems,
    odoo_install,
    odoo_shell,
    odoo_update,
    show_problems,
    write_config,
)
from .pg import (
    database_exists,
    drop_database,
    ensure_postgres,
    installed_versions,
    psql,
    sql_literal,
)
from .system import ensure_wkhtmltopdf, pip_install

DEMO_LANG = "fr_FR"


DEMO_LOGINS = ["admin", "controleur", "directrice", "agent", "operateur"]


DEMO_ROLES = {
    "admin": "administrator",
    "controleur": "finance controller",
    "directrice": "direction head",
    "agent": "agent",
    "operateur": "portal cultural operator",
}


DEMO_PID = VAR / "demo.pid"


DEMO_LOG = VAR / "logs" / "demo-server.log"


LANG_SCRIPT = """
lang = env["res.lang"]._activate_lang(%(lang)r)
users = env["res.users"].search([])  # active internal and portal users
users.write({"lang": %(lang)r})
env["ir.default"].set("res.partner", "lang", %(lang)r)
env.cr.commit()
print("NM_LANG_SET", len(users))
"""


def demo_pid() -> int | None:
    try:
        pid = int(DEMO_PID.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def print_logins(url: str) -> None:
    logins = ", ".join(sql_literal(x) for x in DEMO_LOGINS)
    out = psql(
        f"SELECT login FROM res_users WHERE login IN ({logins}) AND active",
        dbname=DEMO_DB,
        check=False,
    ).stdout.split()
    say("")
    say(f"Nouvelles Mesures demo is up: {url}")
    say(f"  database {DEMO_DB}, language {DEMO_LANG}")
    say("  logins (password = login):")
    for login in DEMO_LOGINS:
        mark = "" if login in out else "   (not in this database)"
        say(f"    {login:<11} / {login:<11} {DEMO_ROLES[login]}{mark}")
    say("  stop it with: ./nm stop")


def prepare_demo_db(odoo, conf, ours, order) -> None:
    """Create the demo database, or bring a reused one up to the code: install the
    addons it lacks, upgrade those whose code is newer (their migrations run)."""
    step(f"Database {DEMO_DB}")
    missing = order
    fresh = not database_exists(DEMO_DB)
    if not fresh:
        installed = installed_versions(DEMO_DB, order)
        missing = [name for name in order if name not in installed]
        # a newer version in the code than in the database: upgrade (migrations)
        outdated = [
            name
            for name in order
            if name in installed and installed[name] != ours[name].get("version")
        ]
        say(
            f"reusing {DEMO_DB}; to install: {', '.join(missing) or 'nothing'}; "
            f"to upgrade: {', '.join(outdated) or 'nothing'}"
        )
        if outdated:
            logfile = LOGS / "demo_upgrade.log"
            rc = odoo_update(odoo, conf, DEMO_DB, outdated, logfile)
            problems = log_problems(logfile, our_warnings=False)
            if rc != 0 or problems:
                show_problems(problems, logfile, limit=60)
                raise Fail(f"upgrading {', '.join(outdated)} in {DEMO_DB} failed")
    if missing:
        logfile = LOGS / "demo_install.log"
        rc = odoo_install(odoo, conf, DEMO_DB, missing, logfile, lang=DEMO_LANG)
        problems = log_problems(logfile, our_warnings=False)
        if rc != 0 or problems:
            show_problems(problems, logfile, limit=60)
            if fresh:
                drop_database(DEMO_DB)  # next run starts from scratch
            raise Fail(f"installing the addons into {DEMO_DB} failed (exit {rc})")


def cmd_demo(args) -> int:
    url = f"http://127.0.0.1:{args.port}/web/login"
    try:
        pid = demo_pid()
        if pid:
            say(f"a demo server is already running (pid {pid}); ./nm stop first")
            if http_ok(url):
                print_logins(url)
                return 0
            return 1
        pip_install()
        step("Finding Odoo 19")
        odoo = require_odoo()
        ensure_postgres()
        ensure_wkhtmltopdf()
        ours = find_addons(addons_dir())
        order = install_order(ours)
        if not order:
            raise Fail(f"no addon found in {addons_dir()}")
        conf = write_config(
            VAR / "odoo-demo.conf",
            odoo,
            db_name=DEMO_DB,
            dbfilter=f"^{DEMO_DB}$",
            list_db="False",
            http_port=args.port,
            max_cron_threads=1,
        )
        prepare_demo_db(odoo, conf, ours, order)
        step(f"Language {DEMO_LANG} for admin and the demo users")
        logfile = LOGS / "demo_lang.log"
        rc = odoo_shell(odoo, conf, DEMO_DB, LANG_SCRIPT % {"lang": DEMO_LANG}, logfile)
        if rc != 0 or "NM_LANG_SET" not in logfile.read_text(errors="replace"):
            raise Fail(f"setting the language failed, see {logfile}")

        step(f"Starting the server on 127.0.0.1:{args.port}")
        DEMO_LOG.parent.mkdir(parents=True, exist_ok=True)
        log = open(DEMO_LOG, "a", encoding="utf-8")  # noqa: SIM115 (server keeps it)
        proc = subprocess.Popen(
            [*odoo.cmd, "-c", str(conf)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=odoo.env,
            cwd=ROOT,
            start_new_session=True,
        )
        DEMO_PID.write_text(str(proc.pid))
        for _ in range(240):
            if proc.poll() is not None:
                DEMO_PID.unlink(missing_ok=True)
                raise Fail(
                    f"the server stopped (exit {proc.returncode}), see {DEMO_LOG}"
                )
            if http_ok(url):
                break
            time.sleep(0.5)
        else:
            raise Fail(f"{url} did not answer 200 within 120 s, see {DEMO_LOG}")
        print_logins(url)
        say(f"  server pid {proc.pid}, log {DEMO_LOG.relative_to(ROOT)}")
        if args.foreground:
            say("  (foreground: Ctrl-C stops it)")
            try:
                proc.wait()
            except KeyboardInterrupt:
                stop_process(proc.pid)
            DEMO_PID.unlink(missing_ok=True)
        return 0
    except Fail as exc:
        say(f"\nERROR: {exc}")
        return 1


def stop_process(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except OSError:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            return
    for _ in range(40):
        try:
            os.kill(pid, 0)
        except OSError:
            return
        time.sleep(0.25)
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def cmd_stop(_args) -> int:
    pid = demo_pid()
    if not pid:
        say("no demo server running")
        DEMO_PID.unlink(missing_ok=True)
        return 0
    stop_process(pid)
    DEMO_PID.unlink(missing_ok=True)
    say(f"demo server (pid {pid}) stopped")
    return 0
