# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountJournal(models.Model):
    _inherit = "account.journal"

    nm_public_budget_id = fields.Many2one(
        "nm.public.budget",
        string="Budget (main or annex)",
        index="btree_not_null",
        check_company=True,
        groups="nm_carbon_budget.group_carbon_user",
        help="The budget whose budget vert annex counts this journal's entries; "
        "empty: the main budget.",
    )
    nm_order_operations = fields.Boolean(
        string="Order operations",
        groups="nm_carbon_budget.group_carbon_user",
        help="The journal holds order operations (opérations d'ordre: chapters "
        "040, 041, 042, 043 — transfers between sections, patrimonial operations): "
        "non-cash entries that the budget vert annex leaves out, as only real "
        "spending is rated.",
    )
