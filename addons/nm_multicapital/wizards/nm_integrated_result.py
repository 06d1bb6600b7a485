# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools import multicapital

# The financial result of the year: income minus charges of the posted entries.
INCOME_TYPES = ("income", "income_other")
CHARGE_TYPES = ("expense", "expense_depreciation", "expense_direct_cost")


class NmIntegratedResult(models.TransientModel):
    """The CARE integrated result of a year, beside the financial result.

    In CARE a result exists only once the costs of keeping each capital intact are
    counted: the integrated result is the financial result minus the preservation
    costs still due (planned and not incurred; the incurred ones are charges of the
    financial result already). Each capital's due cost is its own: a capital
    preserved beyond its plan does not pay another one's debt.
    """

    _name = "nm.integrated.result"
    _description = "Integrated result (CARE)"

    year = fields.Integer(required=True, default=lambda self: fields.Date.today().year)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    financial_result = fields.Monetary(
        compute="_compute_results",
        help="Income minus charges of the posted journal entries of the year.",
    )
    planned_cost = fields.Monetary(
        string="Preservation costs planned", compute="_compute_results"
    )
    incurred_cost = fields.Monetary(
        string="Preservation costs incurred",
        compute="_compute_results",
        help="Preservation spending actually made: already a charge of the "
        "financial result.",
    )
    due_cost = fields.Monetary(
        string="Preservation costs still due",
        compute="_compute_results",
        help="Planned and not incurred, capital by capital: the ecological and "
        "social debt of the year.",
    )
    integrated_result = fields.Monetary(
        compute="_compute_results",
        help="Financial result minus the preservation costs still due.",
    )
    preservation_ids = fields.Many2many(
        "nm.capital.preservation", compute="_compute_results"
    )

    @api.constrains("company_id")
    def _check_company_allowed(self):
        # the financial result is read with SQL: only of the user's companies
        # (constraints run as superuser: the user is env.user all the same)
        for wizard in self:
            if wizard.company_id not in self.env.user.company_ids:
                raise AccessError(
                    self.env._(
                        "You can read the integrated result of your own "
                        "collectivités only."
                    )
                )

    @api.depends("year", "company_id")
    def _compute_results(self):
        Preservation = self.env["nm.capital.preservation"]
        for wizard in self:
            records = Preservation.search(
                [("year", "=", wizard.year), ("company_id", "=", wizard.company_id.id)]
            )
            costs = [(r.planned_cost, r.incurred_cost) for r in records]
            financial = wizard._financial_result()
            wizard.preservation_ids = records
            wizard.financial_result = financial
            wizard.planned_cost = sum(records.mapped("planned_cost"))
            wizard.incurred_cost = sum(records.mapped("incurred_cost"))
            wizard.due_cost = multicapital.preservation_due(costs)
            wizard.integrated_result = multicapital.integrated_result(financial, costs)

    def _financial_result(self):
        """Income minus charges of the posted journal items of the year, one
        query (balances are debit minus credit: the result is minus their sum)."""
        self.ensure_one()
        if not self.year:
            return 0.0
        self.env["account.move.line"].flush_model(
            ["account_id", "balance", "date", "parent_state", "company_id"]
        )
        self.env["account.account"].flush_model(["account_type"])
        self.env.cr.execute(
            SQL(
                """SELECT COALESCE(-SUM(aml.balance), 0)
                     FROM account_move_line aml
                     JOIN account_account acc ON acc.id = aml.account_id
                    WHERE aml.parent_state = 'posted'
                      AND aml.company_id = %s
                      AND aml.date BETWEEN %s AND %s
                      AND acc.account_type = ANY(%s)""",
                self.company_id.id,
                date(self.year, 1, 1),
                date(self.year, 12, 31),
                list(INCOME_TYPES + CHARGE_TYPES),
            )
        )
        return float(self.env.cr.fetchone()[0])
