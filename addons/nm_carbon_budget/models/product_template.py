# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    emission_factor_id = fields.Many2one(
        "nm.emission.factor",
        help="Emission factor used for vendor bills of this product. Empty: the "
        "product category's, then the expense account's, then the company default.",
    )
