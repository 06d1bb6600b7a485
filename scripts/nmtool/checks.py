"""The install/uninstall check of each addon, and what an uninstall leaves behind."""

from __future__ import annotations

from .common import RUN_DIR, say, step
from .odoorun import log_problems, odoo_install, odoo_uninstall, show_problems
from .pg import module_state, psql, sql_literal


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
