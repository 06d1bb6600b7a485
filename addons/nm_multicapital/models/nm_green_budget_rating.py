# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import multicapital


class NmGreenBudgetRating(models.Model):
    """A budget vert rating on one axis.

    A rule rates the general accounts starting with a prefix (M57 nature
    accounts, e.g. 2031 studies, 2313 buildings, 21571 vehicles); an override rates
    the spending of one budget line, whatever the account rule says.
    """

    _name = "nm.green.budget.rating"
    _description = "Budget vert rating"
    _order = "axis_id, account_prefix, year"

    axis_id = fields.Many2one(
        "nm.green.budget.axis", required=True, ondelete="restrict"
    )
    account_prefix = fields.Char(
        string="Account prefix",
        help="General accounts whose code starts with this prefix. The longest "
        "matching prefix wins.",
    )
    budget_line_id = fields.Many2one(
        "crossovered.budget.lines",
        string="Budget line (override)",
        index="btree_not_null",
        ondelete="cascade",
        help="Rate the spending of this budget line (its position's accounts, its "
        "analytic account, its dates) instead of the account rule.",
    )
    year = fields.Integer(help="Year the rating applies to; empty for every year.")
    rating = fields.Selection(multicapital.RATINGS, required=True)
    justification = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    @api.constrains("account_prefix", "budget_line_id", "rating", "justification")
    def _check_target(self):
        for rating in self:
            if not rating.account_prefix and not rating.budget_line_id:
                raise ValidationError(
                    self.env._(
                        "A budget vert rating needs an account prefix or a budget line."
                    )
                )
            if rating.rating != "neutral" and not rating.justification:
                raise ValidationError(
                    self.env._(
                        "Justify the rating “%(rating)s” on axis %(axis)s: the annex "
                        "publishes the justification.",
                        rating=dict(
                            self._fields["rating"]._description_selection(self.env)
                        )[rating.rating],
                        axis=rating.axis_id.display_name,
                    )
                )

    @api.depends("axis_id", "account_prefix", "budget_line_id", "rating")
    def _compute_display_name(self):
        labels = dict(self._fields["rating"]._description_selection(self.env))
        for rating in self:
            target = rating.budget_line_id.display_name or rating.account_prefix or ""
            rating.display_name = (
                f"{target} – {rating.axis_id.sequence}: {labels.get(rating.rating, '')}"
            )
