"""PostgreSQL: connection settings, psql, starting a local cluster, databases."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from .common import (
    DEMO_DB,
    RUN_ID,
    TEST_DB_PREFIX,
    VAR,
    Fail,
    as_postgres,
    as_root,
    run,
    say,
    step,
)
from .system import apt_install


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


def module_state(db: str, name: str) -> str:
    sql = f"SELECT state FROM ir_module_module WHERE name = {sql_literal(name)}"
    return psql(sql, dbname=db, check=False).stdout.strip()


def unique_db_name(suffix: str) -> str:
    return f"{TEST_DB_PREFIX}{RUN_ID}_{suffix}"
