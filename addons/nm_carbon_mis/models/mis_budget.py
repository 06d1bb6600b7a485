# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class MisBudget(models.Model):
    _inherit = "mis.budget"

    crossovered_budget_id = fields.Many2one(
        "crossovered.budget",
        string="Carbon budget",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The budget whose lines this MIS budget was generated from.",
    )
