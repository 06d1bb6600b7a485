#!/usr/bin/env python3
"""Benchmark of the budget figures at city (S) and metropolis (L) scale.

Builds a dedicated database ``nmtest_bench_<scale>`` (nm_carbon_budget and nm_mobility
without demo data), fills it with bulk SQL inserts, then measures in one Odoo process:

1. € and kgCO2e practical amounts of every budget line: our batched, plan-aware
   computation against OCA's line-by-line € computation of the same lines, and a
   single GROUP BY scan of the analytic lines (the floor);
2. validating submitted travel declarations (one batch);
3. the XLSX follow-up table of the budget;
4. the budget line pivot grouped by direction and position;
5. the portal list of an operator's 50 conventions (``/my/conventions`` fetched over
   HTTP from an Odoo server started on the bench database, as the operator);
6. applying a DM carbone of 200 lines.

Usage: ./nm bench [--scale S|L] [--rebuild]
"""

from __future__ import annotations

import argparse
import textwrap

from .common import TEST_DB_PREFIX, VAR, Fail, step
from .discovery import require_odoo
from .odoorun import free_port, http_ok, odoo_install, odoo_shell, write_config
from .pg import database_exists, drop_database, ensure_postgres, module_state

SCALES = {
    # directions, positions per direction, analytic lines, declarations to validate
    "S": (30, 10, 200_000, 2_000),
    "L": (100, 20, 2_000_000, 10_000),
}
ADDONS = ["nm_carbon_budget", "nm_mobility", "nm_progress_plan"]
PORTAL_LOGIN = "bench_operateur"
PORTAL_CONVENTIONS = 50

MEASURE = textwrap.dedent(
    """
    import os, time, platform
    from datetime import date
    from odoo import Command
    from odoo.addons.account_budget_oca.models.account_budget import (
        CrossoveredBudgetLines as Oca,
    )

    SCALE, DIRECTIONS, POSITIONS, LINES = {scale!r}, {directions}, {positions}, {lines}
    DECLARATIONS = {declarations}
    cr = env.cr
    Budget = env["crossovered.budget"]
    budget = Budget.search([("name", "=", "Bench")], limit=1)
    if not budget:
        started = time.perf_counter()
        project_plan, _o = env["account.analytic.plan"]._get_all_plans()
        plan = env["account.analytic.plan"].create({{"name": "Directions (bench)"}})
        env.company.carbon_plan_id = plan
        # a third of the directions in the Project plan, compared with OCA
        accounts = env["account.analytic.account"].create([
            {{"name": f"Direction {{i}}", "plan_id": (project_plan if i % 3 == 0 else plan).id}}
            for i in range(DIRECTIONS)
        ])
        generals = env["account.account"].create([
            {{"code": f"B{{i:04d}}", "name": f"Charge {{i}}", "account_type": "expense"}}
            for i in range(POSITIONS)
        ])
        cats = env["nm.carbon.category"].create([
            {{"name": f"Poste {{i}}", "code": f"BENCH-{{i}}"}} for i in range(POSITIONS)
        ])
        positions = env["account.budget.post"].create([
            {{"name": f"Position {{i}}", "account_ids": [Command.set(generals[i].ids)],
              "carbon_category_ids": [Command.set(cats[i].ids)]}}
            for i in range(POSITIONS)
        ])
        budget = Budget.create({{"name": "Bench", "date_from": date(2026, 1, 1),
                                 "date_to": date(2026, 12, 31)}})
        env["crossovered.budget.lines"].create([
            {{"crossovered_budget_id": budget.id, "analytic_account_id": a.id,
              "general_budget_id": p.id, "date_from": date(2026, 1, 1),
              "date_to": date(2026, 12, 31), "planned_amount": -100000,
              "planned_carbon_kg": 50000}}
            for a in accounts for p in positions
        ])
        env.flush_all()
        for column, ids in (
            ("account_id", accounts.filtered(lambda a: a.plan_id == project_plan).ids),
            (plan._column_name(), accounts.filtered(lambda a: a.plan_id == plan).ids),
        ):
            share = len(ids) * LINES // DIRECTIONS
            cr.execute(f'''
                INSERT INTO account_analytic_line
                    (name, {{column}}, general_account_id, carbon_category_id, date,
                     amount, carbon_kg, company_id, currency_id, unit_amount,
                     category, carbon_source)
                SELECT 'bench', (%s::int[])[1 + (g %% %s)],
                       (%s::int[])[1 + ((g / 7) %% %s)],
                       CASE WHEN g %% 3 = 0 THEN (%s::int[])[1 + (g %% %s)] END,
                       DATE '2026-01-01' + (g %% 400),
                       -(g %% 997)::numeric, (g %% 89)::float, %s, %s, 0,
                       'other', 'manual'
                  FROM generate_series(1, %s) g''',
                [ids, len(ids), generals.ids, len(generals), cats.ids, len(cats),
                 env.company.id, env.company.currency_id.id, share])
        cr.execute("ANALYZE account_analytic_line")
        cr.commit()
        print(f"GEN {{time.perf_counter() - started:.1f}}")
    lines = budget.crossovered_budget_line_ids
    rows = []

    def measure(label, func):
        env.invalidate_all()
        before = cr.sql_log_count
        started = time.perf_counter()
        func()
        rows.append((label, time.perf_counter() - started, cr.sql_log_count - before))

    def ours():
        recs = lines.browse(lines.ids)
        recs._nm_batch_compute("practical_amount", "practical_carbon_kg")
        recs.mapped("practical_amount")
        recs.mapped("practical_carbon_kg")
    measure("warm-up", ours)
    rows.pop()
    measure("(1) our € + kgCO2e, all lines", ours)
    ours_amount = dict(zip(lines.ids, lines.browse(lines.ids).mapped("practical_amount")))
    project = lines.filtered(lambda l: l.analytic_account_id.plan_id.id == int(
        env["ir.config_parameter"].sudo().get_param("analytic.project_plan")))
    measure("(1) OCA € line by line, all lines", lambda: Oca._compute_practical_amount(lines.browse(lines.ids)))
    env.invalidate_all()
    recs = project.browse(project.ids)
    Oca._compute_practical_amount(recs)
    same = all(abs(ours_amount[r.id] - r.practical_amount) < 0.005 for r in recs)
    column = env.company.carbon_plan_id._column_name()
    measure("(1) single GROUP BY scan", lambda: cr.execute(
        f"SELECT account_id, {{column}}, general_account_id, SUM(amount), SUM(carbon_kg) "
        "FROM account_analytic_line GROUP BY 1, 2, 3") or cr.fetchall())
    measure("(4) pivot by direction and position", lambda: env["crossovered.budget.lines"].formatted_read_group(
        [("crossovered_budget_id", "=", budget.id)], ["analytic_account_id", "general_budget_id"],
        ["practical_amount:sum", "practical_carbon_kg:sum", "planned_carbon_kg:sum"]))
    report = env.ref("nm_carbon_budget.report_carbon_followup_xlsx", raise_if_not_found=False)
    if report:
        measure("(3) XLSX follow-up table", lambda: env["ir.actions.report"]._render_xlsx(
            report.report_name, budget.ids, {{}}))
    Amendment = env.get("nm.carbon.amendment")
    if Amendment is not None:
        from odoo.tests import new_test_user
        if budget.state == "draft":
            budget.action_budget_confirm()
            budget.action_budget_validate()
        approvers = [
            new_test_user(env, login=f"bench_{{group}}", groups=f"nm_carbon_budget.group_carbon_{{group}}")
            for group in ("manager", "controller", "approver")
        ]
        chosen = lines[:200]
        dm = Amendment.create({{"budget_id": budget.id, "amendment_type": "transfer",
            "justification": "bench",
            "line_ids": [Command.create({{"budget_line_id": l.id, "delta_kg": (1 if i % 2 else -1)}})
                         for i, l in enumerate(chosen)]}})
        dm.action_submit()
        # each open tier approved by one of its reviewers (the route decides
        # which tiers: direction, executive or the assembly)
        for _round in range(len(dm.review_ids)):
            pending = dm.review_ids.filtered(lambda r: r.status == "pending")[:1]
            if not pending:
                break
            dm.with_user(pending.reviewer_ids[:1] or approvers[-1]).validate_tier()
        if dm.approval_route == "assembly":
            dm.with_user(approvers[-1]).write({{"deliberation_number": "BENCH-1",
                                                "deliberation_date": budget.date_from}})
        env.flush_all()
        measure("(6) apply a DM of 200 lines", dm.action_apply)
    if "nm.travel.declaration" in env:
        started = time.perf_counter()
        mode = env["nm.travel.mode"].search([("code", "=", "car_thermal")], limit=1)
        departments = env["hr.department"].create([
            {{"name": f"Service {{a.name}}", "analytic_account_id": a.id}} for a in lines.analytic_account_id[:10]
        ])
        agents = DECLARATIONS // 12
        employees = env["hr.employee"].create([
            {{"name": f"Agent {{i}}", "department_id": departments[i % len(departments)].id}} for i in range(agents)
        ])
        declarations = env["nm.travel.declaration"].create([
            {{"employee_id": e.id, "date": date(2026, month, 1), "line_ids": [
                Command.create({{"travel_type": "commute", "mode_id": mode.id, "distance_km": 12,
                                "trip_count": 18, "round_trip": True}})]}}
            for e in employees for month in range(1, 13)
        ])
        declarations.action_submit()
        env.flush_all()
        created = time.perf_counter() - started
        measure(f"(2) validate {{len(declarations)}} declarations", declarations.action_validate)
        label, seconds, queries = rows[-1]
        rows[-1] = (f"{{label}} ({{len(declarations) / seconds:.0f}}/s)", seconds, queries)
        print(f"created and submitted {{len(declarations)}} declarations in {{created:.1f}} s")
    cr.rollback()
    # (1b) the same comparison where OCA can compute every line: another budget whose
    # directions all sit in the Project plan, with as many analytic lines (generated in
    # this transaction, measured, rolled back)
    env.invalidate_all()
    started = time.perf_counter()
    project_plan, _other = env["account.analytic.plan"]._get_all_plans()
    positions = lines.general_budget_id.sorted("id")
    accounts_b = env["account.analytic.account"].create([
        {{"name": f"Direction P{{i}}", "plan_id": project_plan.id}} for i in range(DIRECTIONS)
    ])
    budget_b = Budget.create({{"name": "Bench 1b", "date_from": date(2026, 1, 1),
                               "date_to": date(2026, 12, 31)}})
    lines_b = env["crossovered.budget.lines"].create([
        {{"crossovered_budget_id": budget_b.id, "analytic_account_id": a.id,
          "general_budget_id": p.id, "date_from": date(2026, 1, 1),
          "date_to": date(2026, 12, 31), "planned_amount": -100000,
          "planned_carbon_kg": 50000}}
        for a in accounts_b for p in positions
    ])
    env.flush_all()
    generals_b = positions.account_ids.sorted("id")
    cats_b = positions.carbon_category_ids.sorted("id")
    cr.execute('''
        INSERT INTO account_analytic_line
            (name, account_id, general_account_id, carbon_category_id, date, amount,
             carbon_kg, company_id, currency_id, unit_amount, category, carbon_source)
        SELECT 'bench 1b', (%s::int[])[1 + (g %% %s)], (%s::int[])[1 + ((g / 7) %% %s)],
               CASE WHEN g %% 3 = 0 THEN (%s::int[])[1 + (g %% %s)] END,
               DATE '2026-01-01' + (g %% 400), -(g %% 997)::numeric, (g %% 89)::float,
               %s, %s, 0, 'other', 'manual'
          FROM generate_series(1, %s) g''',
        [accounts_b.ids, len(accounts_b), generals_b.ids, len(generals_b), cats_b.ids,
         len(cats_b), env.company.id, env.company.currency_id.id, LINES])
    cr.execute("ANALYZE account_analytic_line")
    print(f"GEN 1b {{time.perf_counter() - started:.1f}}")

    def ours_b():
        recs = lines_b.browse(lines_b.ids)
        recs._nm_batch_compute("practical_amount", "practical_carbon_kg")
        recs.mapped("practical_amount")
        recs.mapped("practical_carbon_kg")
    measure("warm-up", ours_b)
    rows.pop()
    measure("(1b) our € + kgCO2e, all in Project plan", ours_b)
    ours_b_amount = dict(zip(lines_b.ids, lines_b.browse(lines_b.ids).mapped("practical_amount")))
    measure("(1b) OCA € line by line, all in Project plan",
            lambda: Oca._compute_practical_amount(lines_b.browse(lines_b.ids)))
    same_b = all(abs(ours_b_amount[r.id] - r.practical_amount) < 0.005 for r in lines_b)
    measure("(1b) single GROUP BY scan", lambda: cr.execute(
        "SELECT account_id, general_account_id, SUM(amount), SUM(carbon_kg) "
        "FROM account_analytic_line GROUP BY 1, 2") or cr.fetchall())
    cr.rollback()
    ours_t = next(r[1] for r in rows if r[0].startswith("(1) our"))
    oca_t = next(r[1] for r in rows if r[0].startswith("(1) OCA"))
    scan_t = next(r[1] for r in rows if r[0].startswith("(1) single"))
    print(f"MACHINE {{platform.processor() or platform.machine()}}, {{os.cpu_count()}} cores")
    print(f"SCALE {{SCALE}}: {{DIRECTIONS}} directions, {{len(lines)}} budget lines, "
          f"{{env['account.analytic.line'].search_count([])}} analytic lines")
    print(f"{{'figure':45}} {{'seconds':>9}} {{'queries':>8}}")
    for label, seconds, queries in rows:
        print(f"{{label:45}} {{seconds:9.3f}} {{queries:8d}}")
    print(f"ratio OCA / ours: {{oca_t / ours_t:.0f}}x; ours / single scan: {{ours_t / scan_t:.1f}}x")
    print(f"€ figures equal to OCA's on {{len(project)}} Project-plan lines: {{'OK' if same else 'DIFF'}}")
    ours_b_t = next(r[1] for r in rows if r[0].startswith("(1b) our"))
    oca_b_t = next(r[1] for r in rows if r[0].startswith("(1b) OCA"))
    scan_b_t = next(r[1] for r in rows if r[0].startswith("(1b) single"))
    print(f"(1b) ratio OCA / ours: {{oca_b_t / ours_b_t:.0f}}x; ours / single scan: "
          f"{{ours_b_t / scan_b_t:.1f}}x; € equal to OCA's on all {{len(lines_b)}} lines: "
          f"{{'OK' if same_b else 'DIFF'}}")
    """
)

# An operator with 50 signed conventions (two clauses each) and a portal login.
PORTAL_SETUP = textwrap.dedent(
    """
    from datetime import date
    from odoo import Command
    login, count = {login!r}, {count}
    user = env["res.users"].search([("login", "=", login)])
    if not user:
        partner = env["res.partner"].create({{"name": "Opérateur culturel (bench)", "is_company": True}})
        user = env["res.users"].with_context(no_reset_password=True).create({{
            "name": "Opératrice (bench)", "login": login, "password": login,
            "parent_id": partner.id, "group_ids": [Command.set([env.ref("base.group_portal").id])],
        }})
        user.partner_id.parent_id = partner
        conventions = env["nm.convention"].create([{{
            "title": f"Convention bench {{i}}", "partner_id": partner.id,
            "convention_type": "cpo", "date_start": date(2026, 1, 1), "date_end": date(2026, 12, 31),
            "subsidy_amount": 10000.0 + i, "operator_maturity": "starting",
            "clause_ids": [Command.create({{
                "name": f"Clause {{k}}", "theme": "mobility", "committer": "operator",
                "indicator_name": f"Indicateur {{k}}", "indicator_unit": "%", "baseline": 20.0,
                "target": 40.0, "direction": "higher", "frequency": "yearly"}}) for k in (1, 2)],
        }} for i in range(count)])
        conventions.action_negotiate()
        conventions.action_sign()
        env.cr.commit()
    print("PORTAL_READY", env["nm.convention"].search_count([("partner_id", "child_of", user.partner_id.commercial_partner_id.id)]))
    """
)


def measure_portal(odoo, conf, db) -> str:
    """Figure 5: time of GET /my/conventions for the operator, on a real server
    (median of 5 after a warm-up), and its SQL query count from Odoo's request log."""
    import re
    import statistics
    import subprocess
    import time
    import urllib.parse

    log = VAR / "bench" / "portal_setup.log"
    script = PORTAL_SETUP.format(login=PORTAL_LOGIN, count=PORTAL_CONVENTIONS)
    if odoo_shell(odoo, conf, db, script, log) or "PORTAL_READY" not in log.read_text():
        return f"(5) portal list: setup failed, see {log}"
    port = free_port()
    server_log = VAR / "bench" / "portal_server.log"
    cmd = [
        *odoo.cmd,
        "-c",
        str(conf),
        "-d",
        db,
        f"--http-port={port}",
        "--workers=0",
        f"--db-filter=^{db}$",
        "--log-level=info",
        f"--logfile={server_log}",
    ]
    server = subprocess.Popen(
        cmd, env=odoo.env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if http_ok(f"{base}/web/login"):
                break
            time.sleep(1)
        else:
            return f"(5) portal list: the server did not start, see {server_log}"
        import http.cookiejar
        import urllib.request

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{base}/web/login").read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {
                "login": PORTAL_LOGIN,
                "password": PORTAL_LOGIN,
                "csrf_token": token,
                "redirect": "/my",
            }
        ).encode()
        opener.open(f"{base}/web/login", data=data).read()
        url = f"{base}/my/conventions"
        body = opener.open(url).read().decode()  # warm-up
        shown = body.count("Convention bench")
        times = []
        for _ in range(5):
            started = time.perf_counter()
            opener.open(url).read()
            times.append(time.perf_counter() - started)
        time.sleep(0.5)
        counts = [
            int(m.group(1))
            for m in re.finditer(
                r'"GET /my/conventions HTTP/1.1" 200 - (\d+) ', server_log.read_text()
            )
        ]
        queries = counts[-1] if counts else -1
        return (
            f"{'(5) portal list, 50 conventions (page)':45} {statistics.median(times):9.3f} "
            f"{queries:8d}   ({shown} shown on the first page; median of 5 GETs over HTTP)"
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="nm bench")
    parser.add_argument("--scale", choices=[*SCALES, "both"], default="S")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    odoo = require_odoo()
    ensure_postgres()
    conf = write_config(VAR / "bench" / "odoo-bench.conf", odoo)
    for scale in SCALES if args.scale == "both" else [args.scale]:
        db = f"{TEST_DB_PREFIX}bench_{scale.lower()}"
        if args.rebuild and database_exists(db):
            drop_database(db)
        fresh = not database_exists(db)
        missing = (
            ADDONS
            if fresh
            else [name for name in ADDONS if module_state(db, name) != "installed"]
        )
        if missing:
            step(f"Installing {', '.join(missing)} into {db}")
            log = VAR / "bench" / f"install_{scale}.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            if odoo_install(odoo, conf, db, missing, log, demo=False):
                raise Fail(f"install failed, see {log}")
        directions, positions, lines, declarations = SCALES[scale]
        script = MEASURE.format(
            scale=scale,
            directions=directions,
            positions=positions,
            lines=lines,
            declarations=declarations,
        )
        what = "generating and measuring" if fresh else "measuring (data already there)"
        step(f"Scale {scale}: {what}")
        log = VAR / "bench" / f"measure_{scale}.log"
        rc = odoo_shell(odoo, conf, db, script, log)
        print(log.read_text(encoding="utf-8"))
        if rc:
            return rc
        print(measure_portal(odoo, conf, db))
    return 0
