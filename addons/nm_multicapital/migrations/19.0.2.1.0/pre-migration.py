# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.2.1.0: one carbon budget.

The climate capital (source "carbon") kept a second kgCO2e envelope on capital
budget lines, unlinked to the carbon envelopes of the budget lines
(``planned_carbon_kg``). It now reads those envelopes, and capital budget lines
exist for the other capitals only. The former climate capital budget lines are
kept, row for row, in the legacy table ``openupgrade_legacy_19_0_climate_budget_line``
(to compare with the envelopes if wanted), then removed with their xmlids.
"""

import logging

from openupgradelib import openupgrade

_logger = logging.getLogger(__name__)

LEGACY_TABLE = "openupgrade_legacy_19_0_climate_budget_line"


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    if openupgrade.table_exists(cr, LEGACY_TABLE):
        return
    openupgrade.logged_query(
        cr,
        f"""
        CREATE TABLE {LEGACY_TABLE} AS
        SELECT line.*
          FROM nm_capital_budget_line line
          JOIN nm_capital capital ON capital.id = line.capital_id
         WHERE capital.source = 'carbon'
        """,
    )
    cr.execute(
        "SELECT id, analytic_account_id, date_from, date_to, planned_qty"
        f" FROM {LEGACY_TABLE}"  # noqa: S608 (a constant name)
    )
    for line_id, account_id, date_from, date_to, planned in cr.fetchall():
        _logger.info(
            "Climate capital budget line %s (analytic account %s, %s – %s, %s kgCO2e "
            "planned) removed: the climate capital reads the budget lines' carbon "
            "envelopes; kept in %s",
            line_id,
            account_id,
            date_from,
            date_to,
            planned,
            LEGACY_TABLE,
        )
    openupgrade.logged_query(
        cr,
        f"""
        DELETE FROM ir_model_data
         WHERE model = 'nm.capital.budget.line'
           AND res_id IN (SELECT id FROM {LEGACY_TABLE})
        """,
    )
    openupgrade.logged_query(
        cr,
        "DELETE FROM nm_capital_budget_line"
        f" WHERE id IN (SELECT id FROM {LEGACY_TABLE})",
    )
