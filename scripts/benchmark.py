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
6. applying a DM carbone of 200 lines.

Figure 5 (portal list of an operator's conventions) is not measured yet.
Usage: ./nm bench [--scale S|L] [--rebuild]
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import nm  # noqa: E402

SCALES = {
    # directions, positions per direction, analytic lines, declarations to validate
    "S": (30, 10, 200_000, 2_000),
    "L": (100, 20, 2_000_000, 10_000),
}
ADDONS = ["nm_carbon_budget", "nm_mobility"]

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
        for user in approvers:
            if dm.review_ids.filtered(lambda r, u=user: r.status == "pending" and u in r.reviewer_ids):
                dm.with_user(user).validate_tier()
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
    print("(5) portal list of 50 conventions: n/a (not measured yet)")
    """
)


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="nm bench")
    parser.add_argument("--scale", choices=[*SCALES, "both"], default="S")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    odoo = nm.require_odoo()
    nm.ensure_postgres()
    conf = nm.write_config(nm.VAR / "bench" / "odoo-bench.conf", odoo)
    for scale in SCALES if args.scale == "both" else [args.scale]:
        db = f"{nm.TEST_DB_PREFIX}bench_{scale.lower()}"
        if args.rebuild and nm.database_exists(db):
            nm.drop_database(db)
        fresh = not nm.database_exists(db)
        if fresh:
            nm.step(f"Installing {', '.join(ADDONS)} into {db}")
            log = nm.VAR / "bench" / f"install_{scale}.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            if nm.odoo_install(odoo, conf, db, ADDONS, log, demo=False):
                raise nm.Fail(f"install failed, see {log}")
        directions, positions, lines, declarations = SCALES[scale]
        script = MEASURE.format(
            scale=scale,
            directions=directions,
            positions=positions,
            lines=lines,
            declarations=declarations,
        )
        what = "generating and measuring" if fresh else "measuring (data already there)"
        nm.step(f"Scale {scale}: {what}")
        log = nm.VAR / "bench" / f"measure_{scale}.log"
        rc = nm.odoo_shell(odoo, conf, db, script, log)
        print(log.read_text(encoding="utf-8"))
        if rc:
            return rc
    return 0


if __name__ == "__main__":
    sys.exit(main())
