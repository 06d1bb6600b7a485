# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class NmBudgetReviewTemplate(models.Model):
    _name = "nm.budget.review.template"
    _description = "Execution review outline"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    outline = fields.Html(
        translate=True,
        help="Interview outline copied into each review planned with this template.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
