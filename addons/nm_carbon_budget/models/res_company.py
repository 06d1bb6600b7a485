# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    carbon_plan_id = fields.Many2one(
        "account.analytic.plan",
        string="Carbon reference plan",
        domain=[("parent_id", "=", False)],
        help="The analytic plan whose accounts (the directions) carry the "
        "organisation's carbon total. A journal item split over several plans "
        "creates one analytic line per plan: totals are read on this plan only, so "
        "nothing is counted twice.",
    )
    default_emission_factor_id = fields.Many2one(
        "nm.emission.factor",
        string="Default monetary ratio",
        domain=[("factor_type", "=", "monetary")],
        help="Ratio applied to vendor bill lines when neither the product, its "
        "category nor the expense account has one.",
    )
