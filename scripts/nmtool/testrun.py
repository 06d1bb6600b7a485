"""``./nm test``: lint, install with demo data, pytest-odoo, then the checks."""

from __future__ import annotations

import os
import shutil
import sys
import time

from .addons import (
    addons_dir,
    find_addons,
    install_order,
    odoo_test_files,
    test_only_addons,
    tests_dir,
)
from .checks import install_uninstall_check
from .common import ROOT, RUN_DIR, VAR, Fail, loud, run, say, step
from .discovery import HOW_TO_GET_ODOO, find_odoo
from .lint import lint
from .odoorun import free_port, log_problems, odoo_install, show_problems, write_config
from .pg import drop_database, ensure_postgres, unique_db_name
from .results import Results, count_junit
from .system import ensure_browser, ensure_wkhtmltopdf, pip_install
from .upgrade import upgrade_check
from .upstream import run_upstream


def prune_runs(keep: int = 5) -> None:
    runs = sorted((VAR / "test-runs").glob("*_*"))
    for old in runs[:-keep]:
        shutil.rmtree(old, ignore_errors=True)


def pytest_base(conf, db) -> list:
    """pytest-odoo on the test database, browser tests included."""
    return [
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
        "--rootdir", ROOT, "--odoo-database", db, "--odoo-config", conf,
        "--odoo-http", "--odoo-log-level", "warn",
        "-o", "junit_family=xunit1", "-q", "-rfEs", "--color=no",
    ]  # fmt: skip


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
    cmd = [*pytest_base(conf, db), "--junitxml", junit]
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


def no_odoo(why: str, args, results: Results) -> int:
    """Without Odoo only the lint ran: say loudly what could not run."""
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
            return no_odoo(why, args, results)
        say(f"Using {odoo.description}")
        ensure_postgres()
        ensure_browser(odoo)
        ensure_wkhtmltopdf()

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
        full_run = not args.paths and not args.k
        if rc == 0:
            # The database is usable even when the log had errors: run the tests too.
            run_pytest(odoo, conf, db, args, RUN_DIR / "junit.xml", results)
            if full_run and os.environ.get("NM_SKIP_UPSTREAM") != "1":
                junit = RUN_DIR / "junit-upstream.xml"
                run_upstream(odoo, pytest_base(conf, db), junit, results)
        else:
            say("  tests not run: the database could not be set up")

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
