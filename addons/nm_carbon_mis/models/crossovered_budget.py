# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrossoveredBudget(models.Model):
    _inherit = "crossovered.budget"

    mis_budget_ids = fields.One2many(
        "mis.budget", "crossovered_budget_id", string="MIS budgets"
    )
    mis_budget_count = fields.Integer(compute="_compute_mis_budget_count")

    def _compute_mis_budget_count(self):
        counts = dict(
            self.env["mis.budget"]._read_group(
                [("crossovered_budget_id", "in", self.ids)],
                ["crossovered_budget_id"],
                ["__count"],
            )
        )
        for budget in self:
            budget.mis_budget_count = counts.get(budget, 0)

    def action_open_mis_budgets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("MIS budgets"),
            "res_model": "mis.budget",
            "view_mode": "list,form",
            "domain": [("crossovered_budget_id", "=", self.id)],
        }
