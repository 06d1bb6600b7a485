# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

BUDGET_KINDS = [("main", "Main budget"), ("annex", "Annex budget")]
INSTRUCTIONS = [
    ("m57", "M57 (administrative services)"),
    ("m4", "M4 (industrial and commercial services)"),
]


class NmPublicBudget(models.Model):
    """A budget of the authority: the main budget or an annex budget.

    The budget vert annex is drawn up for the main budget and for each annex budget
    (decree of 16 July 2024, art. 1): its journals say which entries belong to it.
    M57 budgets present the annex from financial year 2024, M4 budgets from 2025.
    """

    _name = "nm.public.budget"
    _description = "Budget (main or annex)"
    _check_company_auto = True
    _order = "budget_kind desc, name"

    name = fields.Char(required=True, translate=True)
    budget_kind = fields.Selection(
        BUDGET_KINDS, string="Kind", required=True, default="main"
    )
    instruction = fields.Selection(
        INSTRUCTIONS,
        string="Budget and accounting instruction",
        required=True,
        default="m57",
    )
    journal_ids = fields.One2many(
        "account.journal",
        "nm_public_budget_id",
        string="Journals",
        help="Journals whose entries belong to this budget. The main budget also "
        "holds the journals given to no budget.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)

    _name_company_unique = models.UniqueIndex(
        "(name, company_id)", "A budget with this name already exists."
    )
