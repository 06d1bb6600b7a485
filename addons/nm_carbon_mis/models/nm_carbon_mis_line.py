# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from odoo.addons.nm_carbon_budget.engine import BookedEngine


class NmCarbonMisLine(models.Model):
    """Analytic lines as MIS Builder reads journal items ("move line like").

    One row per analytic line, per root analytic plan whose column holds an account
    (the direction), per budgetary position the line counts on — the rule of the
    budget lines' booked figures (``BookedEngine.budget_line_figures``):
    the € when the line's general account is one of the position's accounts, the
    kgCO2e also when its emission item (or an item above it) is one of the
    position's items. MIS Builder's "accounts" are therefore budgetary positions.

    A journal item split over several plans gives one analytic line per plan: a
    sum over this model is only meaningful on one plan, which the report columns
    guarantee (``mis.report.instance.period._get_additional_move_line_filter``).
    """

    _name = "nm.carbon.mis.line"
    _description = "Carbon and euros of analytic lines (MIS Builder source)"
    _auto = False
    _order = "date desc, id desc"
    _depends = {
        "account.analytic.line": [
            "name",
            "date",
            "amount",
            "carbon_kg",
            "carbon_category_id",
            "general_account_id",
            "company_id",
        ],
        "account.budget.post": ["account_ids", "carbon_category_ids"],
        "nm.carbon.category": ["parent_id"],
    }

    # labels and lines are the detail behind the figures: for those who read
    # analytic lines (carbon managers), not for approvers reading aggregates
    name = fields.Char(
        string="Label", readonly=True, groups="nm_carbon_budget.group_carbon_manager"
    )
    analytic_line_id = fields.Many2one(
        "account.analytic.line",
        string="Analytic line",
        readonly=True,
        groups="nm_carbon_budget.group_carbon_manager",
    )
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    analytic_account_id = fields.Many2one(
        "account.analytic.account", string="Direction", readonly=True
    )
    plan_id = fields.Many2one(
        "account.analytic.plan", string="Analytic plan", readonly=True
    )
    account_id = fields.Many2one(
        "account.budget.post", string="Budgetary position", readonly=True
    )
    general_account_id = fields.Many2one(
        "account.account", string="General account", readonly=True
    )
    carbon_category_id = fields.Many2one(
        "nm.carbon.category", string="Emission item", readonly=True
    )
    amount = fields.Monetary(
        readonly=True,
        aggregator="sum",
        help="Euros counted on the position: the analytic amount when the general "
        "account is one of the position's accounts, else 0 (costs are negative).",
    )
    carbon_kg = fields.Float(
        string="kgCO2e", digits=(16, 4), readonly=True, aggregator="sum"
    )
    debit = fields.Monetary(readonly=True, aggregator="sum")
    credit = fields.Monetary(readonly=True, aggregator="sum")
    balance = fields.Monetary(readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        return self._nm_query()

    def _nm_query(self):
        """The rows, built at each query so that a new analytic plan (a new column
        of account.analytic.line) is read without reinstalling anything: the
        booked engine's rule (``nm_carbon_budget/engine/booked.py``)."""
        return BookedEngine(self.env).mis_rows_query()
