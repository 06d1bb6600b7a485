# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Direction analytic account",
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="Analytic account of the direction: the carbon of this department's "
        "travel declarations is booked on it.",
    )
