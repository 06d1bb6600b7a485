# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class NmCarbonItemReport(models.Model):
    """Booked kgCO2e by emission item, direction and month, read on each company's
    carbon reference plan only (a journal item split over several plans is counted
    once). Aggregates only: elected officials and the DGS read it without reading
    the analytic lines themselves."""

    _name = "nm.carbon.item.report"
    _description = "Booked carbon by emission item"
    _auto = False
    _order = "date desc, carbon_kg desc"
    _depends = {
        "account.analytic.line": [
            "date",
            "carbon_kg",
            "carbon_category_id",
            "company_id",
        ],
        "res.company": ["carbon_plan_id"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    carbon_category_id = fields.Many2one(
        "nm.carbon.category", string="Emission item", readonly=True
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account", string="Direction", readonly=True
    )
    date = fields.Date(string="Month", readonly=True)
    carbon_kg = fields.Float(
        string="kgCO2e", digits=(16, 0), readonly=True, aggregator="sum"
    )

    @property
    def _table_query(self):
        companies = (
            self.env["res.company"].sudo().search([("carbon_plan_id", "!=", False)])
        )
        columns = [(c.id, c.carbon_plan_id._column_name()) for c in companies]
        self.env["account.analytic.line"].flush_model(
            list({column for _company, column in columns})
        )
        branches = [
            SQL(
                """SELECT MIN(aal.id) AS id, aal.company_id, aal.carbon_category_id,
                          aal.%(column)s AS analytic_account_id,
                          date_trunc('month', aal.date)::date AS date,
                          SUM(aal.carbon_kg) AS carbon_kg
                     FROM account_analytic_line aal
                    WHERE aal.company_id = %(company)s
                      AND aal.%(column)s IS NOT NULL
                 GROUP BY aal.company_id, aal.carbon_category_id, aal.%(column)s,
                          date_trunc('month', aal.date)""",
                column=SQL.identifier(column),
                company=company_id,
            )
            for company_id, column in columns
        ]
        if not branches:
            return SQL(
                "SELECT NULL::int AS id, NULL::int AS company_id, "
                "NULL::int AS carbon_category_id, NULL::int AS analytic_account_id, "
                "NULL::date AS date, 0.0 AS carbon_kg WHERE FALSE"
            )
        return SQL(" UNION ALL ").join(branches)
