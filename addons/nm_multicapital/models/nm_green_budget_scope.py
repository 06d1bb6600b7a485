# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import multicapital

# Spending lands on investment (class 2) and expense (class 6) accounts: account types
# keep payables or receivables out even when a chart's codes share a prefix.
SPENDING_ACCOUNT_TYPES = (
    "asset_non_current",
    "asset_fixed",
    "expense",
    "expense_depreciation",
    "expense_direct_cost",
)


class NmGreenBudgetScope(models.Model):
    """Which axes and which accounts the annex covers from a year on.

    The legal calendar (decree of 16 July 2024, NOR ECOE2416708D) widens the scope
    year after year: 2024 axis 1 on the accounts the decree lists (M57 budgets only),
    2025 all real investment spending except loan repayments on axes 1 and 6 (M57
    and M4), from 2027 at the earliest the six axes on investment spending, only if
    the review the law foresees confirms it: that scope is conditional and applies
    once a controller marks it confirmed. A year uses the scope of the latest year at
    or before it that applies.
    """

    _name = "nm.green.budget.scope"
    _description = "Budget vert scope for a year"
    _order = "year desc"

    year = fields.Integer(string="From year", required=True)
    axis_ids = fields.Many2many("nm.green.budget.axis", string="Axes", required=True)
    account_prefixes = fields.Char(
        string="Accounts in scope",
        required=True,
        help="Prefixes of the general accounts whose real spending is rated, "
        "separated by commas (e.g. 20, 21, 23 for investment spending).",
    )
    excluded_prefixes = fields.Char(
        string="Accounts excluded",
        help="Prefixes left out although they match (order operations, financing), "
        "separated by commas.",
    )
    debt_prefixes = fields.Char(
        string="Debt repayments in scope",
        help="Debt accounts whose repayments count as investment spending although "
        "loan repayments are out, separated by commas (1675: the investment part "
        "of partnership contracts).",
    )
    m4_in_scope = fields.Boolean(
        string="M4 budgets concerned",
        help="Budgets under the M4 instruction (industrial and commercial services) "
        "present the annex from financial year 2025.",
    )
    conditional = fields.Boolean(
        help="The law makes this scope conditional (axes 2 to 5 from 2027 only if "
        "confirmed by the review of the annex and once the method is available): "
        "it applies only once marked confirmed.",
    )
    confirmed = fields.Boolean(
        help="The condition is met: the annex of the year uses this scope.",
    )
    note = fields.Text()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    _year_company_unique = models.UniqueIndex(
        "(year, company_id)", "This year already has a budget vert scope."
    )

    @api.depends("year")
    def _compute_display_name(self):
        for scope in self:
            scope.display_name = self.env._("Scope from %(year)s", year=scope.year)

    @api.model
    def _for_year(self, year, company=None):
        company = company or self.env.company
        scope = self.search(
            [
                ("year", "<=", year),
                ("company_id", "=", company.id),
                "|",
                ("conditional", "=", False),
                ("confirmed", "=", True),
            ],
            order="year desc",
            limit=1,
        )
        if not scope:
            raise UserError(
                self.env._(
                    "No budget vert scope applies to %(year)s: add one under "
                    "Configuration › Budget vert scopes.",
                    year=year,
                )
            )
        return scope

    def _pending_scopes(self, year):
        """Conditional scopes of ``year`` or before, not confirmed: the annex says
        they are not applied."""
        self.ensure_one()
        return self.search(
            [
                ("year", "<=", year),
                ("year", ">", self.year),
                ("company_id", "=", self.company_id.id),
                ("conditional", "=", True),
                ("confirmed", "=", False),
            ]
        )

    def _accounts_in_scope(self, accounts):
        """The accounts among `accounts` whose spending this scope rates."""
        self.ensure_one()
        included = multicapital.parse_prefixes(self.account_prefixes)
        excluded = multicapital.parse_prefixes(self.excluded_prefixes)
        debts = multicapital.parse_prefixes(self.debt_prefixes)
        return accounts.filtered(
            lambda account: (
                not multicapital.code_in(account.code or "", excluded)
                and (
                    (
                        account.account_type in SPENDING_ACCOUNT_TYPES
                        and multicapital.code_in(account.code or "", included)
                    )
                    or multicapital.code_in(account.code or "", debts)
                )
            )
        )
