# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from odoo.addons.nm_carbon_budget.engine import BookedEngine


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
        return BookedEngine(self.env).item_report_query()
