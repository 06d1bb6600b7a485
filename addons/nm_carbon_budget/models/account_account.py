# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountAccount(models.Model):
    _inherit = "account.account"

    emission_factor_id = fields.Many2one(
        "nm.emission.factor",
        help="Monetary ratio for vendor bill lines booked on this account when the "
        "product gives none.",
    )
