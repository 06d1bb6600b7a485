# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    emission_factor_id = fields.Many2one(
        "nm.emission.factor",
        help="Emission factor (often a monetary ratio) for purchases of products of "
        "this category that have none of their own.",
    )
