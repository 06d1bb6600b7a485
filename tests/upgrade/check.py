# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Upgrade check, run by ``./nm test`` through ``odoo shell`` (``env`` is given).

Three steps, each a call appended to this file by ./nm (scripts/nmtool/upgrade.py):

* ``prepare()`` on the database built with the previous versions' code: adds the
  data the migrations must carry that the demo does not have;
* ``snapshot(path)`` before the upgrade: every row of our tables, and of the core
  tables we add columns to, written to a JSON file (plain SQL: it runs with the
  old and the new code alike);
* ``verify(path)`` after the upgrade: every record is still there with the same
  values, and each migration did what it says. Prints ``NM_UPGRADE_OK`` or
  ``NM_UPGRADE_FAIL`` lines.
"""

import base64
import json

from odoo.modules.module import get_manifest

# core tables holding our columns, compared too
CORE_TABLES = [
    "account_analytic_account",
    "account_analytic_line",
    "crossovered_budget",
    "crossovered_budget_lines",
    "account_budget_post",
    "hr_department",
]
# rewritten by any write, not data
IGNORED_COLUMNS = {"write_date", "write_uid"}
# nm_carbon_budget 19.0.2.0.0: the applied DMs sealed again with the keyed hash, and
# the trajectory's snapshot table dropped (its figures are read when displayed)
RESEALED = {"nm_carbon_amendment": {"chain_hash", "chain_previous_hash"}}
# nm_carbon_budget 19.0.2.1.0 (post-factor-codes.py): shipped factors recoded to their
# Base Empreinte element ids, their source, dates and BEGES item aligned on the data
FACTOR_COLUMNS = {"code", "source", "date_start", "date_end", "carbon_category_id"}
RESEALED["nm_emission_factor"] = FACTOR_COLUMNS
DROPPED_TABLES = {"nm_carbon_trajectory_point"}
# nm_carbon_budget 19.0.2.1.0: each DM's route (approval_route) computed, the
# tiers rewritten (checked by _verify_routes)
# nm_multicapital 19.0.2.0.0: the legal budget vert scopes reloaded from the decree
RELOADED_TABLES = ("nm_green_budget_scope",)
# nm_multicapital 19.0.2.1.0: the climate capital's budget lines removed (it reads
# the budget lines' carbon envelopes), kept row for row in a legacy table
CAPITAL_LINE_TABLE = "nm_capital_budget_line"
CLIMATE_LEGACY_TABLE = "openupgrade_legacy_19_0_climate_budget_line"
# nm_progress_plan 19.0.1.1.0: one evidence file became several
MEASURE_TABLE = "nm_progress_measure"
OLD_EVIDENCE = "evidence_attachment_id"
LEGACY_EVIDENCE = "openupgrade_legacy_19_0_evidence_attachment_id"
EVIDENCE_REL = "nm_progress_measure_evidence_rel"
# nm_progress_plan 19.0.1.3.0: the operator's account became company-dependent
PARTNER_ACCOUNT = "nm_analytic_account_id"
LEGACY_PARTNER_ACCOUNT = "openupgrade_legacy_19_0_nm_analytic_account_id"


def _tables(cr):
    cr.execute(
        """
        SELECT table_name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
           AND (table_name LIKE 'nm\\_%%' OR table_name = ANY(%s))
         ORDER BY table_name
        """,
        [CORE_TABLES],
    )
    return [row[0] for row in cr.fetchall()]


def _columns(cr, table):
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = %s
         ORDER BY column_name
        """,
        [table],
    )
    return [row[0] for row in cr.fetchall() if row[0] not in IGNORED_COLUMNS]


def _rows(cr, table, columns):
    """Rows by key: the id, or the whole row for relation tables."""
    cr.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (catalog names)
    names = [d[0] for d in cr.description]
    rows = {}
    for values in cr.fetchall():
        row = {
            name: value
            for name, value in zip(names, values, strict=True)
            if name in columns
        }
        key = row["id"] if "id" in row else json.dumps(row, sort_keys=True, default=str)
        rows[str(key)] = row
    return rows


def _versions(cr):
    cr.execute(
        "SELECT name, latest_version FROM ir_module_module WHERE name LIKE %s",
        ["nm\\_%"],
    )
    return dict(cr.fetchall())


def _data_records(cr):
    """(table, id) of records owned by an updatable xmlid: an upgrade rewrites
    them from the data files by design, so only their survival is checked."""
    cr.execute(
        """
        SELECT model, res_id FROM ir_model_data
         WHERE noupdate IS NOT TRUE AND res_id IS NOT NULL
        """
    )
    return {(model.replace(".", "_"), str(res_id)) for model, res_id in cr.fetchall()}


def prepare():
    """Evidence files on some submitted measures (the demo has none)."""
    measures = env["nm.progress.measure"].search([], order="id", limit=3)  # noqa: F821
    assert measures, "the demo data have no measure: nothing to migrate"
    for measure in measures:
        attachment = env["ir.attachment"].create(  # noqa: F821
            {
                "name": f"preuve_{measure.id}.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 upgrade check"),
                "res_model": "nm.progress.measure",
                "res_id": measure.id,
            }
        )
        measure.write({OLD_EVIDENCE: attachment.id})
    # an operator account booked by its convention's company (the demo may have none)
    convention = env["nm.convention"].search([], order="id", limit=1)  # noqa: F821
    convention.partner_id._nm_get_analytic_account(convention.company_id)
    env.cr.commit()  # noqa: F821
    print(f"NM_UPGRADE_PREPARED {len(measures)} measure(s) with evidence")


def snapshot(path):
    cr = env.cr  # noqa: F821
    data = {}
    for table in _tables(cr):
        columns = _columns(cr, table)
        data[table] = {"columns": columns, "rows": _rows(cr, table, columns)}
    data["__versions__"] = _versions(cr)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, default=str, sort_keys=True)
    _snapshot_partner_accounts(cr, path)
    total = sum(len(t["rows"]) for k, t in data.items() if k != "__versions__")
    print(f"NM_UPGRADE_SNAPSHOT {len(data) - 1} tables, {total} rows")


def verify(path):
    cr = env.cr  # noqa: F821
    with open(path, encoding="utf-8") as handle:
        before = json.load(handle)
    after_tables = set(_tables(cr))
    data_records = _data_records(cr)
    failures = []
    compared = 0
    for table, old in sorted(before.items()):
        if table == "__versions__":
            continue
        if table not in after_tables:
            if table not in DROPPED_TABLES:
                failures.append(f"table {table} is gone ({len(old['rows'])} rows)")
            continue
        if table.startswith(RELOADED_TABLES):
            continue
        columns = [c for c in _columns(cr, table) if c in old["columns"]]
        new_rows = _rows(cr, table, set(columns))
        lost = sorted(
            set(old["rows"]) - set(new_rows) - _climate_line_keys(before, table),
            key=str,
        )
        if lost:
            failures.append(f"{table}: {len(lost)} row(s) lost, e.g. {lost[:5]}")
        for key, old_row in old["rows"].items():
            if key not in new_rows or (table, key) in data_records:
                continue
            compared += 1
            new_row = json.loads(json.dumps(new_rows[key], default=str))
            changed = [
                c
                for c in columns
                if old_row.get(c) != new_row.get(c) and c not in RESEALED.get(table, ())
            ]
            if changed:
                details = ", ".join(
                    f"{c} {old_row.get(c)!r} -> {new_row.get(c)!r}" for c in changed[:5]
                )
                failures.append(f"{table} id {key}: changed {details}")
    failures += _verify_evidence(cr, before)
    failures += _verify_partner_accounts(cr, path)
    failures += _verify_seals(cr)
    failures += _verify_scopes()
    failures += _verify_routes()
    failures += _verify_factor_codes()
    failures += _verify_climate_lines(cr, before)
    versions = _versions(cr)
    for name, version in sorted(before["__versions__"].items()):
        print(f"NM_UPGRADE_VERSION {name} {version} -> {versions.get(name)}")
        expected = get_manifest(name)["version"]
        if versions.get(name) != expected:
            failures.append(f"{name} is at {versions.get(name)}, not {expected}")
    for failure in failures[:40]:
        print(f"NM_UPGRADE_FAIL {failure}")
    if not failures:
        rows = sum(len(t["rows"]) for k, t in before.items() if k != "__versions__")
        print(f"NM_UPGRADE_OK {rows} rows survived, {compared} compared value by value")


def _verify_seals(cr):
    """nm_carbon_budget 19.0.2.0.0: every company's chain of applied DMs holds with
    the keyed seal (the demo's chains were intact before the upgrade)."""
    cr.execute(
        "SELECT DISTINCT company_id FROM nm_carbon_amendment"
        " WHERE chain_hash IS NOT NULL"
    )
    companies = env["res.company"].browse([row[0] for row in cr.fetchall()])  # noqa: F821
    if not companies:
        print("NM_UPGRADE_SEALS no applied DM carbone: nothing to seal again")
        return []
    Amendment = env["nm.carbon.amendment"].sudo()  # noqa: F821
    failures = [
        f"DM chain of {company.name} broken at {Amendment._check_chain(company).name}"
        for company in companies
        if Amendment._check_chain(company)
    ]
    print(f"NM_UPGRADE_SEALS {len(companies)} company chain(s) checked")
    return failures


def _verify_routes():
    """nm_carbon_budget 19.0.2.1.0: every DM has its M57 route, the tiers read it,
    the assembly's tier exists, no tier keeps the former executive's name."""
    failures = []
    Amendment = env["nm.carbon.amendment"].sudo()  # noqa: F821
    missing = Amendment.search([("approval_route", "=", False)])
    if missing:
        failures.append(f"DMs without a route: {missing.mapped('name')}")
    for xmlid, route in (
        ("tier_definition_amendment_direction", "direction"),
        ("tier_definition_amendment_finance", "direction"),
        ("tier_definition_amendment_executive", "executive"),
        ("tier_definition_amendment_assembly", "assembly"),
    ):
        tier = env.ref(f"nm_carbon_budget.{xmlid}", raise_if_not_found=False)  # noqa: F821
        if not tier:
            failures.append(f"tier {xmlid} is missing")
        elif tier.definition_domain != f"[('approval_route', '=', '{route}')]":
            failures.append(f"tier {xmlid} reads {tier.definition_domain}")
    names = env["tier.definition"].search(  # noqa: F821
        [("model", "=", "nm.carbon.amendment")]
    )
    if any("elected" in (name or "") for name in names.mapped("name")):
        failures.append(f"a tier keeps the former name: {names.mapped('name')}")
    # the routes of the past are set without chatter messages (a tracking value
    # would keep the label in the upgrade's language: "Inside a direction")
    Tracking = env["mail.tracking.value"].sudo()  # noqa: F821
    tracked = Tracking.search_count(
        [
            ("field_id.model", "=", "nm.carbon.amendment"),
            ("field_id.name", "=", "approval_route"),
        ]
    )
    if tracked:
        failures.append(f"{tracked} chatter value(s) of the migrated DM routes")
    print(f"NM_UPGRADE_ROUTES {len(Amendment.search([]))} DM route(s) checked")
    return failures


def _climate_line_keys(before, table):
    """Keys of the climate capital budget lines before the upgrade (the
    19.0.2.1.0 migration removes them), for ``table`` only."""
    if table != CAPITAL_LINE_TABLE:
        return set()
    climate = {
        row["id"]
        for row in before.get("nm_capital", {}).get("rows", {}).values()
        if row.get("source") == "carbon"
    }
    return {
        key
        for key, row in before[CAPITAL_LINE_TABLE]["rows"].items()
        if row.get("capital_id") in climate
    }


def _verify_climate_lines(cr, before):
    """nm_multicapital 19.0.2.1.0: no capital budget line of the climate capital
    is left, each former one is kept in the legacy table with its quantity."""
    if CAPITAL_LINE_TABLE not in before:
        return []
    expected = {
        int(key): before[CAPITAL_LINE_TABLE]["rows"][key]["planned_qty"]
        for key in _climate_line_keys(before, CAPITAL_LINE_TABLE)
    }
    failures = []
    cr.execute(
        "SELECT COUNT(*) FROM nm_capital_budget_line line"
        " JOIN nm_capital capital ON capital.id = line.capital_id"
        " WHERE capital.source = 'carbon'"
    )
    [(left,)] = cr.fetchall()
    if left:
        failures.append(f"{left} climate capital budget line(s) left")
    cr.execute("SELECT to_regclass(%s)", [CLIMATE_LEGACY_TABLE])
    if not cr.fetchone()[0]:
        return [*failures, f"no legacy table {CLIMATE_LEGACY_TABLE}"]
    cr.execute(f'SELECT id, planned_qty FROM "{CLIMATE_LEGACY_TABLE}"')  # noqa: S608
    kept = dict(cr.fetchall())
    if kept != expected:
        failures.append(f"climate budget lines not kept: {kept} != {expected}")
    print(f"NM_UPGRADE_CLIMATE {len(expected)} climate capital budget line(s) moved")
    return failures


def _verify_scopes():
    """nm_multicapital 19.0.2.0.0: the 2024 scope lists the decree's accounts."""
    scope = env.ref("nm_multicapital.nm_green_budget_scope_2024")  # noqa: F821
    prefixes = {p.strip() for p in scope.account_prefixes.split(",")}
    wrong = prefixes & {"2033", "204", "2121", "21571", "2158", "2131"}
    if wrong or not {"2111", "2115", "2138", "21821", "21828"} <= prefixes:
        return [f"the 2024 budget vert scope was not reloaded: {sorted(prefixes)}"]
    return []


def _verify_factor_codes():
    """nm_carbon_budget 19.0.2.1.0: every shipped factor has the data file's code."""
    if get_manifest("nm_carbon_budget")["version"] < "19.0.2.1.0":
        return []
    failures = []
    expected = {
        "nm_emission_factor_bus_diesel_2024": "43739",
        "nm_emission_factor_plane_medium_2024": "28132",
        "nm_emission_factor_plane_short": "43743",
        "nm_emission_factor_car_thermal": "NM-PROVISIONAL-car-thermal",
    }
    for name, code in sorted(expected.items()):
        factor = env.ref(f"nm_carbon_budget.{name}")  # noqa: F821
        if factor.code != code:
            failures.append(f"factor {name} has code {factor.code}, not {code}")
    Factor = env["nm.emission.factor"].with_context(active_test=False)  # noqa: F821
    left = Factor.search_count([("code", "=like", "ADEME-IMPACTCO2-%")])
    if left:
        failures.append(f"{left} factor(s) still have an invented ADEME-IMPACTCO2 code")
    print(f"NM_UPGRADE_FACTORS {len(expected)} shipped code(s) checked")
    return failures


def _verify_evidence(cr, before):
    """nm_progress_plan 19.0.1.1.0: each measure's file is in the relation, the
    legacy column keeps it, the ORM sees it."""
    failures = []
    old_rows = before[MEASURE_TABLE]["rows"]
    expected = {
        (int(key), row[OLD_EVIDENCE])
        for key, row in old_rows.items()
        if row.get(OLD_EVIDENCE)
    }
    if not expected:
        return ["no measure had evidence before the upgrade: nothing was checked"]
    cr.execute(f'SELECT measure_id, attachment_id FROM "{EVIDENCE_REL}"')  # noqa: S608
    moved = set(cr.fetchall())
    if expected - moved:
        failures.append(f"evidence not moved: {sorted(expected - moved)}")
    cr.execute(
        f'SELECT id, "{LEGACY_EVIDENCE}" FROM "{MEASURE_TABLE}"'  # noqa: S608
        f' WHERE "{LEGACY_EVIDENCE}" IS NOT NULL'
    )
    if set(cr.fetchall()) != expected:
        failures.append("the legacy evidence column does not keep the former files")
    Measure = env["nm.progress.measure"]  # noqa: F821
    for measure_id, attachment_id in sorted(expected):
        if Measure.browse(measure_id).evidence_attachment_ids.ids != [attachment_id]:
            failures.append(f"measure {measure_id}: the ORM does not see its evidence")
    print(f"NM_UPGRADE_EVIDENCE {len(expected)} measure(s) checked")
    return failures


def _partner_accounts_path(path):
    return f"{path}.nm_progress_plan.json"


def _snapshot_partner_accounts(cr, path):
    """nm_progress_plan before 19.0.1.3.0: each operator's one account, with the
    company it goes to (its account's, else the partner's, else the first)."""
    cr.execute(
        "SELECT data_type FROM information_schema.columns"
        " WHERE table_name = 'res_partner' AND column_name = %s",
        [PARTNER_ACCOUNT],
    )
    row = cr.fetchone()
    accounts = []
    if row and row[0] == "integer":
        cr.execute(
            f"""
            SELECT partner.id, account.id,
                   COALESCE(account.company_id, partner.company_id,
                            (SELECT MIN(id) FROM res_company))
              FROM res_partner partner
              JOIN account_analytic_account account
                ON account.id = partner."{PARTNER_ACCOUNT}"
            """  # noqa: S608 (a constant column name)
        )
        accounts = cr.fetchall()
    with open(_partner_accounts_path(path), "w", encoding="utf-8") as handle:
        json.dump(accounts, handle)


def _verify_partner_accounts(cr, path):
    """nm_progress_plan 19.0.1.3.0: each former operator account is the value of
    its company, read by the ORM; the legacy column keeps it."""
    with open(_partner_accounts_path(path), encoding="utf-8") as handle:
        accounts = json.load(handle)
    if not accounts:
        return ["no operator had an analytic account before the upgrade"]
    failures = []
    Partner = env["res.partner"].sudo()  # noqa: F821
    for partner_id, account_id, company_id in accounts:
        partner = Partner.browse(partner_id).with_company(company_id)
        if partner.nm_analytic_account_id.id != account_id:
            failures.append(
                f"partner {partner_id}: account {account_id} not kept for company "
                f"{company_id} ({partner.nm_analytic_account_id.id})"
            )
    cr.execute(
        f'SELECT id, "{LEGACY_PARTNER_ACCOUNT}" FROM res_partner'  # noqa: S608
        f' WHERE "{LEGACY_PARTNER_ACCOUNT}" IS NOT NULL'
    )
    if set(cr.fetchall()) != {(p, a) for p, a, _c in accounts}:
        failures.append("the legacy operator account column does not keep them")
    print(f"NM_UPGRADE_PARTNER_ACCOUNTS {len(accounts)} operator account(s) checked")
    return failures
