# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class CrossoveredBudgetLines(models.Model):
    """OCA's budget lines carry euros as plain floats: the lists show them in the
    company's currency through this field."""

    _inherit = "crossovered.budget.lines"

    currency_id = fields.Many2one(related="company_id.currency_id")
