# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class NmGreenBudgetAxis(models.Model):
    """One of the six environmental axes of the budget vert (EU taxonomy)."""

    _name = "nm.green.budget.axis"
    _description = "Budget vert axis"
    _order = "sequence"

    sequence = fields.Integer(required=True)
    name = fields.Char(required=True, translate=True)

    _sequence_unique = models.UniqueIndex("(sequence)", "Each axis has its own number.")

    @api.depends("name", "sequence")
    def _compute_display_name(self):
        for axis in self:
            axis.display_name = f"{axis.sequence}. {axis.name}"
