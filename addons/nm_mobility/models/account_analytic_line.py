# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    # Booked declarations cannot be deleted (see nm.travel.declaration); "set null"
    # only lets the addon be uninstalled cleanly.
    travel_declaration_id = fields.Many2one(
        "nm.travel.declaration",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    travel_reversed_line_id = fields.Many2one(
        "account.analytic.line",
        string="Reverses",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The travel line this line takes back (cancelled declaration).",
    )
