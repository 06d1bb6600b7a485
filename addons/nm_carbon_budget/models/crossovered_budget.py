# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..tools import carbon


class CrossoveredBudget(models.Model):
    _inherit = "crossovered.budget"

    planned_carbon_kg = fields.Float(
        string="Planned kgCO2e", compute="_compute_carbon_totals", digits=(16, 0)
    )
    practical_carbon_kg = fields.Float(
        string="Booked kgCO2e", compute="_compute_carbon_totals", digits=(16, 4)
    )
    carbon_percentage = fields.Float(
        string="Envelope used (%)", compute="_compute_carbon_totals"
    )
    planned_amount = fields.Float(compute="_compute_carbon_totals", digits=0)
    practical_amount = fields.Float(
        string="Booked amount", compute="_compute_carbon_totals", digits=0
    )

    @api.depends(
        "crossovered_budget_line_ids.planned_carbon_kg",
        "crossovered_budget_line_ids.practical_carbon_kg",
        "crossovered_budget_line_ids.planned_amount",
        "crossovered_budget_line_ids.practical_amount",
    )
    def _compute_carbon_totals(self):
        lines = self.crossovered_budget_line_ids
        # one batched computation for all budgets
        lines._nm_batch_compute("practical_amount", "practical_carbon_kg")
        for budget in self:
            own = budget.crossovered_budget_line_ids
            budget.planned_carbon_kg = sum(own.mapped("planned_carbon_kg"))
            budget.practical_carbon_kg = sum(own.mapped("practical_carbon_kg"))
            budget.planned_amount = sum(own.mapped("planned_amount"))
            budget.practical_amount = sum(own.mapped("practical_amount"))
            budget.carbon_percentage = carbon.share_used(
                budget.practical_carbon_kg, budget.planned_carbon_kg
            )

    @api.constrains("date_from", "date_to")
    def _check_period_holds_its_records(self):
        """Moving a budget's dates must not leave its lines, nor an execution
        review's quarter, outside its period."""
        self.crossovered_budget_line_ids._check_within_budget_period()
        self.env["nm.budget.review"].sudo().search(
            [("budget_id", "in", self.ids)]
        )._check_quarter_within_budget()
