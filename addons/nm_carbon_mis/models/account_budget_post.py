# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.fields import Domain


class AccountBudgetPost(models.Model):
    _inherit = "account.budget.post"

    # MIS Builder reads its "accounts" by companies (company_ids); budgetary
    # positions, the accounts of the carbon MIS source, have one company.
    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        compute="_compute_company_ids",
        search="_search_company_ids",
    )

    def _compute_company_ids(self):
        for position in self:
            position.company_ids = position.company_id

    def _search_company_ids(self, operator, value):
        return Domain("company_id", operator, value)
