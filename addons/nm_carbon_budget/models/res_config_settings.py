# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    carbon_plan_id = fields.Many2one(
        related="company_id.carbon_plan_id", readonly=False
    )
    # A res.config.settings field named default_* is an ir.default setting in Odoo 19
    # (it needs default_model): this one is the company's ratio, hence its own name.
    carbon_default_factor_id = fields.Many2one(
        related="company_id.default_emission_factor_id", readonly=False
    )
