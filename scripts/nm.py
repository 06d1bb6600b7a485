#!/usr/bin/env python3
"""Developer tool of Nouvelles Mesures: run every test, start a demo, stop it.

Standard library only (Python 3.10+). Called through ``./nm`` at the repository root::

    ./nm test [--require-odoo] [--keep-db] [-k EXPR] [paths...]
    ./nm demo [--port 8069] [--foreground]
    ./nm stop

It never installs or downloads Odoo: it runs an Odoo 19 Community that is already
there (``ODOO_SRC`` naming a source tree, or an importable ``odoo`` package).

Environment variables:
    ODOO_SRC          Odoo 19 source tree (containing odoo-bin) to use.
    NM_DB_HOST, NM_DB_PORT, NM_DB_USER, NM_DB_PASSWORD
                      PostgreSQL connection (default localhost, 5432, nm, nm).
    NM_ADDONS_DIR     directory of the addons to test (default: addons/ of the repo).
    NM_SKIP_PIP=1     do not run pip.
    NM_SKIP_APT=1     never call apt-get (PostgreSQL, Chromium must be there).
    NM_FAKE_NO_ODOO=1 behave as if no Odoo 19 were installed (to test that path).
    NM_SKIP_IU=1      skip the install/uninstall check of ``./nm test``.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
LOGS = VAR / "logs"
# Each ./nm test run keeps its config, logs and junit.xml in its own directory, so that
# runs started at the same time by several people on one machine do not mix.
RUN_ID = f"{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}"
RUN_DIR = VAR / "test-runs" / RUN_ID
CORE_ADDON = "nm_carbon_budget"
TEST_DB_PREFIX = "nmtest_"
DEMO_DB = "nm_demo"
DEMO_LANG = "fr_FR"
DEMO_LOGINS = ["admin", "controleur", "directrice", "agent", "operateur"]
DEMO_ROLES = {
    "admin": "administrator",
    "controleur": "finance controller",
    "directrice": "direction head",
    "agent": "agent",
    "operateur": "portal cultural operator",
}
CHROME_BINARIES = [
    "google-chrome",
    "chromium",
    "chromium-browser",
    "google-chrome-stable",
]
LINT_DIRS = ["addons", "tests", "scripts"]

HOW_TO_GET_ODOO = """\
Nouvelles Mesures runs on Odoo 19.0 Community, which this project never installs.
Get one of:
  * the official source archive of Odoo 19.0 Community from the Odoo nightly
    server (https://nightly.odoo.com/19.0/nightly/src/) or https://www.odoo.com/page/download,
    unpacked somewhere, then:   export ODOO_SRC=/path/to/odoo-19.0
  * a git checkout:  git clone --branch 19.0 --depth 1 https://github.com/odoo/odoo.git
                     export ODOO_SRC=$PWD/odoo
  * or an Odoo 19 importable by this Python (`python3 -c "import odoo.release"`).
Then run the command again."""


class Fail(Exception):
    """A step failed in a way that stops the command; the message says why."""


# --------------------------------------------------------------------------- output


def say(msg: str = "") -> None:
    print(msg, flush=True)


def step(msg: str) -> None:
    say(f"\n==> {msg}")


def loud(lines: list[str]) -> None:
    bar = "!" * 78
    say(bar)
    for line in lines:
        say(f"!! {line}")
    say(bar)


# --------------------------------------------------------------------------- processes


def run(
    cmd, *, env=None, check=False, capture=False, logfile=None, cwd=ROOT, quiet=False
):
    """Run a command; with logfile, its output goes there."""
    if not quiet:
        say("  $ " + " ".join(str(c) for c in cmd))
    kwargs = {"cwd": str(cwd), "env": env}
    if logfile:
        logfile.parent.mkdir(parents=True, exist_ok=True)
        with open(logfile, "w", encoding="utf-8") as fh:
            proc = subprocess.run(
                [str(c) for c in cmd], stdout=fh, stderr=subprocess.STDOUT, **kwargs
            )
    elif capture:
        proc = subprocess.run(
            [str(c) for c in cmd], capture_output=True, text=True, **kwargs
        )
    else:
        proc = subprocess.run([str(c) for c in cmd], **kwargs)
    if check and proc.returncode != 0:
        detail = (proc.stderr or proc.stdout or "") if capture else ""
        raise Fail(
            f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{detail}"
        )
    return proc


def as_root(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return cmd
    if shutil.which("sudo"):
        return ["sudo", *cmd]
    raise Fail(f"need root to run: {' '.join(cmd)} (no sudo)")


def as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        if shutil.which("runuser"):
            return ["runuser", "-u", "postgres", "--", *cmd]
        return ["su", "postgres", "-c", shlex.join(cmd)]
    return ["sudo", "-u", "postgres", *cmd]


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


# ------------------------------------------------------------------------- python deps


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


# --------------------------------------------------------------------------- addons


def addons_dir() -> Path:
    return Path(os.environ.get("NM_ADDONS_DIR") or ROOT / "addons").resolve()


def read_manifest(path: Path) -> dict:
    try:
        return ast.literal_eval(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, SyntaxError) as exc:
        raise Fail(f"cannot read {path}: {exc}") from exc


def find_addons(directory: Path) -> dict[str, dict]:
    """Installable addons of a directory, by name."""
    found = {}
    if not directory.is_dir():
        return found
    for sub in sorted(directory.iterdir()):
        manifest = sub / "__manifest__.py"
        if manifest.is_file():
            data = read_manifest(manifest)
            if data.get("installable", True):
                found[sub.name] = data
    return found


def install_order(addons: dict[str, dict]) -> list[str]:
    """Our addons, dependencies first (nm_carbon_budget before its siblings)."""
    order: list[str] = []

    def visit(name, seen=()):
        if name in order or name not in addons:
            return
        if name in seen:
            raise Fail(f"dependency cycle through {name}")
        for dep in addons[name].get("depends", []):
            visit(dep, (*seen, name))
        order.append(name)

    for name in sorted(addons, key=lambda n: (n != CORE_ADDON, n)):
        visit(name)
    return order


def tests_dir() -> Path:
    """Top-level cross-addon tests (NM_TESTS_DIR overrides, for testing the tool)."""
    return Path(os.environ.get("NM_TESTS_DIR") or ROOT / "tests").resolve()


def test_only_addons() -> dict[str, dict]:
    """Test-only addons kept in top-level tests/ (installed in test databases only)."""
    return find_addons(tests_dir())


def odoo_test_files() -> list[Path]:
    files = []
    for addon in find_addons(addons_dir()):
        files += sorted((addons_dir() / addon / "tests").glob("test_*.py"))
    if tests_dir().is_dir():
        files += sorted(tests_dir().rglob("test_*.py"))
    return files


def is_addons_path(path: Path) -> bool:
    if not path.is_dir():
        return False
    return any(
        (sub / "__init__.py").is_file() and (sub / "__manifest__.py").is_file()
        for sub in path.iterdir()
    )


# --------------------------------------------------------------------------- odoo


class Odoo:
    def __init__(self, cmd, addons_paths, env, description, version):
        self.cmd = cmd
        self.addons_paths = addons_paths
        self.env = env
        self.description = description
        self.version = version


PROBE = r"""
import json, site, sys, sysconfig
try:
    import odoo
    import odoo.release as release
except Exception as exc:
    print(json.dumps({"error": repr(exc)}))
    sys.exit(0)
sites = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
try:
    sites += site.getsitepackages() + [site.getusersitepackages()]
except Exception:
    pass
print(json.dumps({
    "version_info": list(release.version_info[:2]),
    "version": release.version,
    "paths": [str(p) for p in odoo.__path__],
    "sites": sites,
}))
"""


def find_odoo() -> tuple[Odoo | None, str]:
    """Odoo 19 to use, or None and why not."""
    if os.environ.get("NM_FAKE_NO_ODOO") == "1":
        return None, "NM_FAKE_NO_ODOO=1 simulates a machine without Odoo"
    env = dict(os.environ)
    src = os.environ.get("ODOO_SRC")
    if src:
        src_path = Path(src).expanduser().resolve()
        if not (src_path / "odoo-bin").is_file() or not (src_path / "odoo").is_dir():
            return None, f"ODOO_SRC={src} is not an Odoo source tree (no odoo-bin)"
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(src_path), os.environ.get("PYTHONPATH", "")) if p
        )
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd="/"
    )
    try:
        info = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return None, f"probing odoo failed: {proc.stderr.strip()[-500:]}"
    if "error" in info:
        where = f"ODOO_SRC={src}" if src else f"{sys.executable}"
        return None, f"no importable odoo for {where} ({info['error']})"
    if info["version_info"][0] != 19:
        return None, f"found Odoo {info['version']} in {info['paths']}, need 19.0"

    paths: list[Path] = []
    if src:
        cmd = [sys.executable, str(src_path / "odoo-bin")]
        paths += [src_path / "addons", src_path / "odoo" / "addons"]
        description = f"Odoo {info['version']} source tree ODOO_SRC={src_path}"
    else:
        cmd = [sys.executable, "-m", "odoo"]
        for entry in map(Path, info["paths"]):
            if (entry.parent / "odoo-bin").is_file():
                paths.append(entry.parent / "addons")
            paths.append(entry / "addons")
        description = (
            f"Odoo {info['version']} importable by {sys.executable} "
            f"(odoo.__path__ = {', '.join(info['paths'])})"
        )
    for site_dir in info["sites"]:
        paths.append(Path(site_dir) / "odoo" / "addons")
    paths.append(addons_dir())
    unique: list[str] = []
    for p in paths:
        p = p.resolve()
        if is_addons_path(p) and str(p) not in unique:
            unique.append(str(p))
    return Odoo(cmd, unique, env, description, info["version"]), ""


def require_odoo() -> Odoo:
    odoo, why = find_odoo()
    if odoo is None:
        raise Fail(f"No Odoo 19 found: {why}.\n\n{HOW_TO_GET_ODOO}")
    say(f"Using {odoo.description}")
    return odoo


# --------------------------------------------------------------------------- postgresql


def db_settings() -> dict[str, str]:
    return {
        "host": os.environ.get("NM_DB_HOST", "localhost"),
        "port": os.environ.get("NM_DB_PORT", "5432"),
        "user": os.environ.get("NM_DB_USER", "nm"),
        "password": os.environ.get("NM_DB_PASSWORD", "nm"),
    }


def psql(sql: str, dbname: str = "postgres", check: bool = True):
    db = db_settings()
    env = dict(os.environ, PGPASSWORD=db["password"], PGCONNECT_TIMEOUT="5")
    cmd = [
        "psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
        "-h", db["host"], "-p", db["port"], "-U", db["user"], "-d", dbname, "-c", sql,
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if check and proc.returncode != 0:
        raise Fail(f"psql failed: {proc.stderr.strip()}")
    return proc


def sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_ident(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def pg_ready() -> bool:
    db = db_settings()
    if not shutil.which("pg_isready"):
        return False
    proc = subprocess.run(
        ["pg_isready", "-q", "-h", db["host"], "-p", db["port"]], capture_output=True
    )
    return proc.returncode == 0


def start_local_clusters() -> None:
    if not shutil.which("pg_lsclusters"):
        return
    out = run(["pg_lsclusters", "-h"], capture=True, quiet=True).stdout
    clusters = [line.split() for line in out.splitlines() if line.strip()]
    if not clusters:
        versions = sorted(
            (p.name for p in Path("/usr/lib/postgresql").glob("*") if p.name.isdigit()),
            key=int,
        )
        if not versions:
            raise Fail("PostgreSQL server binaries not found in /usr/lib/postgresql")
        run(as_root(["pg_createcluster", versions[-1], "main"]), check=True)
        out = run(["pg_lsclusters", "-h"], capture=True, quiet=True).stdout
        clusters = [line.split() for line in out.splitlines() if line.strip()]
    for version, name, _port, status, *_rest in clusters:
        if status != "online":
            run(as_root(["pg_ctlcluster", version, name, "start"]), check=True)


def ensure_postgres() -> None:
    step("PostgreSQL")
    db = db_settings()
    local = db["host"] in ("localhost", "127.0.0.1", "::1")
    if local and not (shutil.which("pg_ctlcluster") and shutil.which("psql")):
        say("PostgreSQL not installed: installing Debian's postgresql")
        apt_install(["postgresql"])
    if not shutil.which("psql"):
        raise Fail("psql not found: install postgresql-client")
    if not pg_ready():
        if not local:
            raise Fail(f"PostgreSQL at {db['host']}:{db['port']} does not answer")
        start_local_clusters()
        for _ in range(60):
            if pg_ready():
                break
            time.sleep(0.5)
        else:
            raise Fail(f"PostgreSQL did not start on {db['host']}:{db['port']}")
    if psql("SELECT 1", check=False).returncode != 0:
        if not local:
            raise Fail(f"cannot log in to PostgreSQL as {db['user']}")
        say(f"creating PostgreSQL role {db['user']}")
        user, password = sql_ident(db["user"]), sql_literal(db["password"])
        sql = (
            "DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
            f"{sql_literal(db['user'])}) THEN CREATE ROLE {user} LOGIN CREATEDB "
            f"PASSWORD {password}; ELSE ALTER ROLE {user} LOGIN CREATEDB "
            f"PASSWORD {password}; END IF; END$$;"
        )
        psql_cmd = ["psql", "-X", "-p", db["port"], "-v", "ON_ERROR_STOP=1", "-c", sql]
        run(as_postgres(psql_cmd), check=True)
        proc = psql("SELECT 1", check=False)
        if proc.returncode != 0:
            raise Fail(f"cannot log in to PostgreSQL as {db['user']}: {proc.stderr}")
    say(f"PostgreSQL ready at {db['host']}:{db['port']} (role {db['user']})")


def database_exists(name: str) -> bool:
    out = psql(f"SELECT 1 FROM pg_database WHERE datname = {sql_literal(name)}").stdout
    return out.strip() == "1"


def drop_database(name: str) -> None:
    if not (name.startswith(TEST_DB_PREFIX) or name == DEMO_DB):
        raise Fail(f"refusing to drop {name}")
    psql(f"DROP DATABASE IF EXISTS {sql_ident(name)} WITH (FORCE)", check=False)
    shutil.rmtree(VAR / "data" / "filestore" / name, ignore_errors=True)
    say(f"dropped database {name}")


# --------------------------------------------------------------------------- odoo runs


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


def installed_versions(db: str, names) -> dict[str, str]:
    """{addon: installed version} for those of ``names`` installed in ``db``."""
    listed = ", ".join(sql_literal(name) for name in names)
    rows = psql(
        f"SELECT name, latest_version FROM ir_module_module WHERE name IN ({listed}) "
        "AND state = 'installed'",
        dbname=db,
        check=False,
    ).stdout.split()
    return dict(row.split("|", 1) for row in rows if "|" in row)


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


# --------------------------------------------------------------------------- browser


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


# --------------------------------------------------------------------------- results


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures: list[str] = []

    def add(self, name: str, ok: bool) -> None:
        if ok:
            self.passed += 1
            say(f"  PASS {name}")
        else:
            self.failed += 1
            self.failures.append(name)
            say(f"  FAIL {name}")

    def summary(self) -> str:
        line = f"{self.passed} passed, {self.failed} failed"
        if self.skipped:
            line += f", {self.skipped} skipped"
        return line


BROWSER_SKIP = re.compile(r"chrome|chromium|websocket|browser|devtools", re.I)


def count_junit(junit: Path, results: Results) -> None:
    tree = ET.parse(junit)
    for case in tree.iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        kinds = {child.tag: child for child in case}
        if "failure" in kinds or "error" in kinds:
            results.failed += 1
            results.failures.append(name)
        elif "skipped" in kinds:
            message = kinds["skipped"].get("message", "") + (
                kinds["skipped"].text or ""
            )
            if BROWSER_SKIP.search(message):
                # Odoo skips tours silently when it has no browser: that is a failure.
                results.failed += 1
                results.failures.append(
                    f"{name} (browser test skipped: {message.strip()})"
                )
            else:
                results.skipped += 1
        else:
            results.passed += 1


# --------------------------------------------------------------------------- test


def lint(results: Results) -> None:
    step("Lint: ruff check, ruff format --check, pylint-odoo")
    dirs = [d for d in LINT_DIRS if (ROOT / d).is_dir()]
    if addons_dir() != (ROOT / "addons").resolve():
        dirs = [str(addons_dir()), *[d for d in dirs if d != "addons"]]
    if tests_dir() != (ROOT / "tests").resolve() and tests_dir().is_dir():
        dirs = [str(tests_dir()), *[d for d in dirs if d != "tests"]]
    ruff = [sys.executable, "-m", "ruff"]
    proc = run([*ruff, "check", *dirs])
    results.add("lint: ruff check", proc.returncode == 0)
    proc = run([*ruff, "format", "--check", "--diff", *dirs])
    results.add("lint: ruff format --check", proc.returncode == 0)
    addons = [str(addons_dir() / a) for a in find_addons(addons_dir())]
    if addons:
        proc = run(
            [sys.executable, "-m", "pylint", "--rcfile", ROOT / ".pylintrc", *addons]
        )
        results.add("lint: pylint-odoo", proc.returncode == 0)
    else:
        say("  no addon to check with pylint-odoo")
        results.add("lint: pylint-odoo", True)


def unique_db_name(suffix: str) -> str:
    return f"{TEST_DB_PREFIX}{RUN_ID}_{suffix}"


def prune_runs(keep: int = 5) -> None:
    runs = sorted((VAR / "test-runs").glob("*_*"))
    for old in runs[:-keep]:
        shutil.rmtree(old, ignore_errors=True)


def run_pytest(odoo, conf, db, args, junit, results) -> None:
    step("pytest-odoo (TransactionCase, HttpCase and browser tours)")
    if args.paths:
        paths = args.paths
    else:
        paths = []
        for addon in find_addons(addons_dir()):
            tests = addons_dir() / addon / "tests"
            if tests.is_dir():
                paths.append(str(tests))
        if tests_dir().is_dir() and any(tests_dir().rglob("test_*.py")):
            paths.append(str(tests_dir()))
    if not paths:
        say("  no tests/ directory found")
        return
    cmd = [
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
        "--rootdir", ROOT, "--odoo-database", db, "--odoo-config", conf,
        "--odoo-http", "--odoo-log-level", "warn", "--junitxml", junit,
        "-o", "junit_family=xunit1", "-q", "-rfEs", "--color=no",
    ]  # fmt: skip
    if args.k:
        cmd += ["-k", args.k]
    if junit.exists():
        junit.unlink()
    started = time.monotonic()
    proc = run([*cmd, *paths], env=odoo.env)
    say(f"  pytest: {time.monotonic() - started:.0f} s, exit code {proc.returncode}")
    before = results.failed
    if junit.exists():
        count_junit(junit, results)
    if proc.returncode not in (0, 1, 5) or (not junit.exists()):
        results.add(f"pytest session (exit code {proc.returncode})", False)
    elif proc.returncode == 1 and results.failed == before:
        results.add("pytest session (exit code 1 without failed test)", False)


def module_state(db: str, name: str) -> str:
    sql = f"SELECT state FROM ir_module_module WHERE name = {sql_literal(name)}"
    return psql(sql, dbname=db, check=False).stdout.strip()


def install_uninstall_check(odoo, conf, db, order, results) -> None:
    step(f"Install/uninstall check of each addon on a fresh database {db}")
    outcome = {name: True for name in order}
    for name in order:
        logfile = RUN_DIR / f"iu_install_{name}.log"
        # Without demo data: the demo posts vendor bills, which accounting rightly
        # refuses to delete; demo loading itself is checked by the main install.
        rc = odoo_install(odoo, conf, db, [name], logfile, demo=False)
        problems = log_problems(logfile, our_warnings=True)
        if rc != 0 or problems:
            outcome[name] = False
            say(f"  install of {name}: exit code {rc}, {len(problems)} problem(s)")
            show_problems(problems, logfile)
    # Siblings first (reverse dependency order), nm_carbon_budget last.
    for name in reversed(order):
        if module_state(db, name) != "installed":
            outcome[name] = False
            say(f"  {name} is not installed (its install failed): no uninstall")
            continue
        logfile = RUN_DIR / f"iu_uninstall_{name}.log"
        rc = odoo_uninstall(odoo, conf, db, name, logfile)
        problems = log_problems(logfile, our_warnings=True)
        state = module_state(db, name)
        if rc != 0 or problems or state != "uninstalled":
            outcome[name] = False
            say(f"  uninstall of {name}: exit code {rc}, state {state!r}, "
                f"{len(problems)} problem(s)")  # fmt: skip
            show_problems(problems, logfile)
    for name in order:
        results.add(f"install/uninstall {name}", outcome[name])
    leftovers = uninstall_leftovers(db, order)
    for text in leftovers:
        say(f"  left after uninstalling everything: {text}")
    results.add("uninstall leaves no table, model or xmlid behind", not leftovers)
    # Reinstalled on the database they were removed from: the same result as a
    # fresh install (clean log, every addon installed, its data back).
    logfile = RUN_DIR / "iu_reinstall.log"
    say("  reinstalling every addon on the database they were uninstalled from")
    rc = odoo_install(odoo, conf, db, order, logfile, demo=False)
    problems = log_problems(logfile, our_warnings=True)
    states = {name: module_state(db, name) for name in order}
    ok = rc == 0 and not problems and set(states.values()) == {"installed"}
    if not ok:
        say(f"  reinstall: exit code {rc}, states {states}, {len(problems)} problem(s)")
        show_problems(problems, logfile)
    results.add("reinstall after uninstall", ok)


def uninstall_leftovers(db: str, order: list[str]) -> list[str]:
    """What our uninstalled addons left in the database: it should be nothing."""
    names = ", ".join(sql_literal(name) for name in order)
    queries = {
        "tables": "SELECT string_agg(table_name, ' ') FROM information_schema.tables"
        " WHERE table_schema = 'public' AND table_name LIKE 'nm\\_%'",
        "models": "SELECT string_agg(model, ' ') FROM ir_model WHERE model LIKE 'nm.%'",
        "fields": "SELECT string_agg(model || '.' || name, ' ') FROM ir_model_fields"
        " WHERE name LIKE 'nm\\_%' OR name LIKE '%carbon%'",
        "xmlids": "SELECT string_agg(DISTINCT module, ' ') FROM ir_model_data"
        f" WHERE module IN ({names})",
    }
    found = []
    for what, sql in queries.items():
        value = psql(sql, dbname=db, check=False).stdout.strip()
        if value:
            found.append(f"{what}: {value[:300]}")
    return found


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


def cmd_test(args) -> int:
    started = time.monotonic()
    results = Results()
    created: list[str] = []
    try:
        pip_install()
        lint(results)
        step("Finding Odoo 19")
        odoo, why = find_odoo()
        if odoo is None:
            files = odoo_test_files()
            modules = sorted({f.parent.parent.name for f in files})
            loud(
                [
                    f"NO ODOO 19 FOUND: {why}.",
                    f"{len(files)} Odoo test file(s) in {len(modules)} module(s) "
                    f"could NOT run: {', '.join(modules) or '-'}",
                    "nor the install of the addons, nor the install/uninstall check.",
                    "Only the lint ran.",
                    "",
                    *HOW_TO_GET_ODOO.splitlines(),
                ]
            )
            if args.require_odoo:
                results.add("Odoo 19 available (--require-odoo)", False)
            say(results.summary())
            return 1 if results.failed else 0
        say(f"Using {odoo.description}")
        ensure_postgres()
        ensure_browser(odoo)

        ours = find_addons(addons_dir())
        order = install_order(ours)
        extra = test_only_addons()
        if not order:
            raise Fail(f"no addon found in {addons_dir()}")
        extra_paths = [tests_dir()] if extra else []
        # A free port, so browser tests never meet a demo server left on 8069.
        conf = write_config(
            RUN_DIR / "odoo-test.conf", odoo, extra_paths, http_port=free_port()
        )

        db = unique_db_name("t")
        step(f"Installing {', '.join(order + list(extra))} with demo data into {db}")
        created.append(db)
        logfile = RUN_DIR / "test_install.log"
        rc = odoo_install(odoo, conf, db, order + list(extra), logfile, demo=True)
        problems = log_problems(logfile, our_warnings=False)
        ok = rc == 0 and not problems
        results.add("install of all addons with demo data", ok)
        if not ok:
            say(f"  INSTALL FAILED (exit code {rc}); errors in the log:")
            show_problems(problems, logfile, limit=60)
        warnings = [
            p for p in log_problems(logfile, our_warnings=True) if p not in problems
        ]
        for text in warnings[:10]:
            say(f"  warning: {text.splitlines()[0]}")
        if rc == 0:
            # The database is usable even when the log had errors: run the tests too.
            run_pytest(odoo, conf, db, args, RUN_DIR / "junit.xml", results)
        else:
            say("  tests not run: the database could not be set up")

        full_run = not args.paths and not args.k
        if os.environ.get("NM_SKIP_IU") == "1" or not full_run:
            say(
                "\n(install/uninstall and upgrade checks skipped: NM_SKIP_IU=1, -k or "
                "paths given)"
            )
        else:
            db2 = unique_db_name("iu")
            created.append(db2)
            install_uninstall_check(odoo, conf, db2, order, results)
            upgrade_check(odoo, order, results)
    except Fail as exc:
        say(f"\nERROR: {exc}")
        results.add("tooling", False)
    except KeyboardInterrupt:
        say("\ninterrupted")
        results.add("interrupted", False)
    finally:
        if created:
            step("Databases")
            for name in created:
                if args.keep_db:
                    say(f"kept database {name} (--keep-db)")
                else:
                    try:
                        drop_database(name)
                    except Fail as exc:
                        say(f"could not drop {name}: {exc}")
    prune_runs()
    say(f"\nTotal time {time.monotonic() - started:.0f} s; logs in {RUN_DIR}")
    if results.failures:
        say("Failed:")
        for name in results.failures:
            say(f"  - {name}")
    say(results.summary())
    return 1 if results.failed else 0


# --------------------------------------------------------------------------- demo

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


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


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


# --------------------------------------------------------------------------- main


def cmd_bench(argv) -> int:
    import benchmark  # scripts/benchmark.py, next to this file

    return benchmark.main(argv)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="nm", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    test = sub.add_parser("test", help="lint, install the addons, run every test")
    test.add_argument(
        "--require-odoo", action="store_true", help="fail without Odoo 19"
    )
    test.add_argument("--keep-db", action="store_true", help="keep the test databases")
    test.add_argument(
        "-k", help="pytest -k expression (skips the install/uninstall check)"
    )
    test.add_argument("paths", nargs="*", help="test paths for pytest (default: all)")
    test.set_defaults(func=cmd_test)
    demo = sub.add_parser("demo", help="start a demo server with French demo data")
    demo.add_argument("--port", type=int, default=8069)
    demo.add_argument("--foreground", action="store_true")
    demo.set_defaults(func=cmd_demo)
    stop = sub.add_parser("stop", help="stop the demo server")
    stop.set_defaults(func=cmd_stop)
    sub.add_parser("bench", help="benchmark at city (S) / metropolis (L) scale")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:
        return cmd_bench(argv[1:])  # its own options: --scale S|L|both, --rebuild
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
