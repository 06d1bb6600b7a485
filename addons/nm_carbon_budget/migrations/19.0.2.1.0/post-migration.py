# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.2.1.0: the DM carbone follows the M57 rule.

* The approval tiers (noupdate data) are rewritten once: the direction head and the
  carbon controller for moves inside a direction, the executive for moves between
  directions within the year's executive margin, the deliberative assembly (its
  tier is created by the data file) for anything else. Their names are translated
  again from the addon's files.
* The executive margin changes meaning (a share of the budget's voted envelopes the
  executive may move between directions over the year, instead of a share of one
  direction's envelope moved inside it): a company still at the former default, 0,
  gets the new default, 7.5 %.
* Each DM gets its route, computed in the order the DMs were applied (each applied
  DM the executive decided uses the margin for the ones after it), then the drafts
  and the DMs under approval against the margin left.
* An execution review is its budget's company (the field became related): a review
  stored with another company takes its budget's, and each change is logged.
"""

import logging

from openupgradelib import openupgrade

from odoo.tools.translate import PoFileReader, get_po_paths

_logger = logging.getLogger(__name__)

TIERS = {
    "tier_definition_amendment_direction": {
        "name": "Direction head",
        "definition_domain": "[('approval_route', '=', 'direction')]",
    },
    "tier_definition_amendment_finance": {
        "name": "Carbon controller",
        "definition_domain": "[('approval_route', '=', 'direction')]",
    },
    "tier_definition_amendment_executive": {
        "name": "Executive",
        "definition_domain": "[('approval_route', '=', 'executive')]",
    },
}


def rewrite_tiers(env):
    for xmlid, vals in TIERS.items():
        tier = env.ref(f"nm_carbon_budget.{xmlid}", raise_if_not_found=False)
        if tier:
            tier.with_context(lang="en_US").write(vals)
    # the tiers are noupdate: their former names' translations ("Exécutif / élu")
    # are replaced from the addon's files, for these records only
    records = {
        f"{xmlid}": "tier.definition,name"
        for xmlid in [*TIERS, "tier_definition_amendment_assembly"]
    }
    records["group_carbon_approver"] = "res.groups,name"
    langs = [code for code, _name in env["res.lang"].get_installed() if code != "en_US"]
    for lang in langs:
        for path in get_po_paths("nm_carbon_budget", lang):
            for row in PoFileReader(path):
                field = records.get(row.get("imd_name"))
                if row["type"] != "model" or row["name"] != field or not row["value"]:
                    continue
                record = env.ref(f"nm_carbon_budget.{row['imd_name']}", False)
                if record:
                    record.with_context(lang=lang)[field.split(",")[1]] = row["value"]


def compute_routes(env):
    env.cr.execute(
        "UPDATE res_company SET carbon_amendment_executive_margin = 7.5"
        " WHERE COALESCE(carbon_amendment_executive_margin, 0) = 0"
    )
    env.invalidate_all()
    # no chatter message: the route is set once for the past, not decided now (a
    # tracking value would also keep the label in the upgrade's language)
    Amendment = env["nm.carbon.amendment"].with_context(
        active_test=False, tracking_disable=True
    )
    env.cr.execute("UPDATE nm_carbon_amendment SET approval_route = NULL")
    env.invalidate_all()
    applied = Amendment.search([("state", "=", "applied")], order="applied_date, id")
    others = Amendment.search([("state", "!=", "applied")], order="id")
    # the columns were created empty by the pre-migration (no message per DM)
    env.add_to_compute(Amendment._fields["moved_between_kg"], applied + others)
    (applied + others).flush_recordset(["moved_between_kg"])
    for amendment in applied + others:
        amendment._nm_refresh_route()
        amendment.flush_recordset(["approval_route", "moved_between_kg"])
    _logger.info(
        "Carbon amendments: routes of %s applied and %s other DMs computed.",
        len(applied),
        len(others),
    )


def align_review_companies(env):
    env.cr.execute(
        """UPDATE nm_budget_review review
              SET company_id = budget.company_id
             FROM crossovered_budget budget
            WHERE budget.id = review.budget_id
              AND review.company_id IS DISTINCT FROM budget.company_id
        RETURNING review.id, review.company_id"""
    )
    for review_id, company_id in env.cr.fetchall():
        _logger.warning(
            "Execution review %s moved to its budget company %s", review_id, company_id
        )


@openupgrade.migrate()
def migrate(env, version):
    rewrite_tiers(env)
    compute_routes(env)
    align_review_companies(env)
