# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class MisBudgetItem(models.Model):
    _inherit = "mis.budget.item"

    # The analytic dimensions of the carbon MIS source (nm.carbon.mis.line), so that
    # the report's direction filters apply to the envelopes as to the actuals.
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Direction",
        index="btree_not_null",
        ondelete="restrict",
    )
    plan_id = fields.Many2one(
        "account.analytic.plan",
        string="Analytic plan",
        compute="_compute_plan_id",
        store=True,
    )
    general_budget_id = fields.Many2one(
        "account.budget.post",
        string="Budgetary position",
        index="btree_not_null",
        ondelete="restrict",
    )
    crossovered_budget_line_id = fields.Many2one(
        "crossovered.budget.lines",
        string="Budget line",
        index="btree_not_null",
        ondelete="set null",
    )

    @api.depends("analytic_account_id.root_plan_id")
    def _compute_plan_id(self):
        for item in self:
            item.plan_id = item.analytic_account_id.root_plan_id

    def _prepare_overlap_domain(self):
        # one envelope per direction and position may cover the same dates
        domain = super()._prepare_overlap_domain()
        domain.extend(
            [
                ("analytic_account_id", "=", self.analytic_account_id.id),
                ("general_budget_id", "=", self.general_budget_id.id),
            ]
        )
        return domain

    @api.constrains(
        "date_range_id",
        "date_from",
        "date_to",
        "budget_id",
        "kpi_expression_id",
        "company_id",
        "analytic_account_id",
        "general_budget_id",
    )
    def _check_dates(self):
        return super()._check_dates()
