# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.3.0: the operator's analytic account becomes company-dependent.

Before: ``res_partner.nm_analytic_account_id``, one account (a foreign key),
overwritten by whichever company booked an operator's carbon last.
After: the same column as Odoo 19 stores company-dependent fields, jsonb
``{"<company id>": <account id>}``.

Here, before the new field is loaded (the ORM cannot cast an integer column to
jsonb), the old column is renamed to its legacy name (kept, for audit, as
OpenUpgrade does) and the new column is filled:

* the former value goes to its account's company (the company that booked on it;
  the partner's company, then the first company, for an account shared by all);
* every other company keeps the account it had created for the operator in its
  Partners plan (the oldest), so that no company creates a second one.
"""

import logging

from openupgradelib import openupgrade

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

TABLE = "res_partner"
COLUMN = "nm_analytic_account_id"
LEGACY_COLUMN = openupgrade.get_legacy_name(COLUMN)


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    if not openupgrade.column_exists(cr, TABLE, COLUMN):
        return
    cr.execute(
        "SELECT data_type FROM information_schema.columns"
        " WHERE table_name = %s AND column_name = %s",
        [TABLE, COLUMN],
    )
    if cr.fetchone()[0] == "jsonb":
        return  # already company-dependent
    openupgrade.rename_columns(cr, {TABLE: [(COLUMN, None)]})
    cr.execute(
        SQL(
            "ALTER TABLE %s ADD COLUMN %s jsonb",
            SQL.identifier(TABLE),
            SQL.identifier(COLUMN),
        )
    )
    legacy = SQL.identifier(LEGACY_COLUMN)
    cr.execute(
        SQL(
            """
            WITH former AS (
                SELECT partner.id AS partner_id,
                       COALESCE(
                           account.company_id,
                           partner.company_id,
                           (SELECT MIN(id) FROM res_company)
                       ) AS company_id,
                       account.id AS account_id
                  FROM res_partner partner
                  JOIN account_analytic_account account
                    ON account.id = partner.%(legacy)s
            ),
            others AS (
                SELECT DISTINCT ON (account.partner_id, account.company_id)
                       account.partner_id, account.company_id, account.id AS account_id
                  FROM account_analytic_account account
                  JOIN account_analytic_plan plan ON plan.id = account.plan_id
                  JOIN res_company company
                    ON company.id = account.company_id
                   AND company.nm_partner_plan_id = COALESCE(
                       NULLIF(split_part(plan.parent_path, '/', 1), '')::int, plan.id
                   )
                 WHERE account.partner_id IS NOT NULL
              ORDER BY account.partner_id, account.company_id, account.id
            ),
            pairs AS (
                SELECT partner_id, company_id, account_id FROM former
                 UNION ALL
                SELECT others.partner_id, others.company_id, others.account_id
                  FROM others
                 WHERE NOT EXISTS (
                       SELECT 1 FROM former
                        WHERE former.partner_id = others.partner_id
                          AND former.company_id = others.company_id
                 )
            )
            UPDATE res_partner partner
               SET %(column)s = values.accounts
              FROM (
                  SELECT partner_id,
                         jsonb_object_agg(company_id::text, account_id) AS accounts
                    FROM pairs
                GROUP BY partner_id
              ) AS values
             WHERE values.partner_id = partner.id
            """,
            legacy=legacy,
            column=SQL.identifier(COLUMN),
        )
    )
    _logger.info("%s operator(s): analytic account made company-dependent", cr.rowcount)
