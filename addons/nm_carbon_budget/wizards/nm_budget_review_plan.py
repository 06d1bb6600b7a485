# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import date_utils

from ..models.nm_budget_review import review_date


class NmBudgetReviewPlan(models.TransientModel):
    """Plan the year's execution reviews: one per direction and quarter."""

    _name = "nm.budget.review.plan"
    _description = "Plan the year's execution reviews"

    budget_id = fields.Many2one("crossovered.budget", required=True)
    year = fields.Integer(compute="_compute_year", store=True, readonly=False)
    direction_ids = fields.Many2many(
        "account.analytic.account",
        string="Directions",
        compute="_compute_direction_ids",
        store=True,
        readonly=False,
        help="Every direction with a line in the budget, unless you choose.",
    )
    quarters = fields.Selection(
        [("all", "Every quarter"), ("remaining", "Quarters not over yet")],
        default="all",
        required=True,
    )
    template_id = fields.Many2one(
        "nm.budget.review.template",
        string="Outline template",
        default=lambda self: self.env["nm.budget.review.template"].search([], limit=1),
    )
    participant_ids = fields.Many2many(
        "res.users",
        string="Participants",
        default=lambda self: self.env.user,
        help="Finance participants invited to every review; add the direction heads "
        "on each review.",
    )

    @api.depends("budget_id")
    def _compute_year(self):
        for wizard in self:
            wizard.year = (
                wizard.budget_id.date_from.year
                if wizard.budget_id.date_from
                else fields.Date.context_today(self).year
            )

    @api.depends("budget_id")
    def _compute_direction_ids(self):
        for wizard in self:
            wizard.direction_ids = (
                wizard.budget_id.crossovered_budget_line_ids.analytic_account_id
            )

    def _quarters(self):
        today = fields.Date.context_today(self)
        quarters = ["1", "2", "3", "4"]
        if self.quarters == "remaining" and today.year == self.year:
            first = date_utils.get_quarter_number(today)
            quarters = [q for q in quarters if int(q) >= first]
        elif self.quarters == "remaining" and today.year > self.year:
            quarters = []
        return quarters

    def action_plan(self):
        self.ensure_one()
        if not self.direction_ids:
            raise UserError(self.env._("Choose at least one direction."))
        if not self.year:
            raise UserError(self.env._("Choose the year of the reviews."))
        Review = self.env["nm.budget.review"]
        existing = {
            (review.direction_ids[:1].id, review.quarter)
            for review in Review.search(
                [
                    ("budget_id", "=", self.budget_id.id),
                    ("year", "=", self.year),
                    ("direction_ids", "in", self.direction_ids.ids),
                ]
            )
            if len(review.direction_ids) == 1
        }
        vals_list = [
            {
                "budget_id": self.budget_id.id,
                "direction_ids": [(6, 0, direction.ids)],
                "year": self.year,
                "quarter": quarter,
                "date": review_date(self.year, quarter),
                "template_id": self.template_id.id,
                "participant_ids": [(6, 0, self.participant_ids.ids)],
                "company_id": self.budget_id.company_id.id,
            }
            for direction in self.direction_ids
            for quarter in self._quarters()
            if (direction.id, quarter) not in existing
        ]
        reviews = Review.create(vals_list)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Planned reviews"),
            "res_model": "nm.budget.review",
            "view_mode": "list,calendar,form",
            "domain": [("id", "in", reviews.ids)],
        }
