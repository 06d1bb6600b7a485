# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

DEBT_KINDS = [("ecological", "Ecological debt"), ("social", "Social debt")]


class NmCapitalPreservation(models.Model):
    """Preservation costs of a capital (CARE "triple depreciation line").

    The cost of keeping a capital (a river, a soil, staff health) above its
    preservation threshold is recorded like a depreciation: planned, then incurred;
    the part planned and not incurred is a debt towards that capital. The
    integrated result (``nm.integrated.result``) deducts the costs still due from
    the financial result, shown beside it; a capital's debt is never offset by
    another capital's.
    """

    _name = "nm.capital.preservation"
    _description = "Capital preservation cost"
    _check_company_auto = True
    _order = "year desc, capital_id, analytic_account_id"

    name = fields.Char(
        string="Preservation measure",
        required=True,
        help="What keeps the capital intact: renaturation of an equivalent area, "
        "water savings, training plan…",
    )
    capital_id = fields.Many2one(
        "nm.capital", required=True, index=True, ondelete="restrict", check_company=True
    )
    capital_kind = fields.Selection(
        related="capital_id.kind", store=True, string="Kind"
    )
    debt_kind = fields.Selection(DEBT_KINDS, compute="_compute_debt_kind", store=True)
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        check_company=True,
        string="Direction bearing the cost",
        required=True,
        index=True,
        ondelete="restrict",
    )
    year = fields.Integer(required=True, default=lambda self: fields.Date.today().year)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    planned_cost = fields.Monetary(
        string="Planned preservation cost",
        help="Cost of the measures needed to keep the capital above its "
        "preservation threshold this year.",
    )
    incurred_cost = fields.Monetary(
        string="Incurred preservation cost",
        help="Preservation spending actually made (paid, not merely committed).",
    )
    debt_amount = fields.Monetary(
        string="Unpaid preservation (debt)",
        compute="_compute_debt_amount",
        store=True,
        help="Planned preservation not incurred: the ecological or social debt.",
    )
    note = fields.Text()

    _costs_positive = models.Constraint(
        "CHECK (planned_cost >= 0 AND incurred_cost >= 0)",
        "Preservation costs cannot be negative.",
    )

    @api.depends("capital_id.kind")
    def _compute_debt_kind(self):
        for record in self:
            record.debt_kind = (
                "social" if record.capital_id.kind == "human" else "ecological"
            )

    @api.depends("planned_cost", "incurred_cost")
    def _compute_debt_amount(self):
        for record in self:
            record.debt_amount = max(record.planned_cost - record.incurred_cost, 0.0)

    def _read_group_select(self, aggregate_spec, query):
        # Each capital's debt is its own: a group mixing capitals gets no total.
        fname = aggregate_spec.split(":")[0]
        if aggregate_spec.endswith(":sum") and fname in (
            "planned_cost",
            "incurred_cost",
            "debt_amount",
        ):
            return self.env["nm.capital"]._single_capital_sum_sql(self, query, fname)
        return super()._read_group_select(aggregate_spec, query)

    def _debt_statement(self):
        """Rows of the debt statement: one block per capital, in euros of
        preservation, never added across capitals nor to financial results."""
        blocks = []
        for capital, records in self.grouped("capital_id").items():
            blocks.append(
                {
                    "capital": capital,
                    "debt_kind": records[:1].debt_kind,
                    "records": records.sorted(
                        lambda r: (r.year, r.analytic_account_id.name or "")
                    ),
                    "planned_cost": sum(records.mapped("planned_cost")),
                    "incurred_cost": sum(records.mapped("incurred_cost")),
                    "debt_amount": sum(records.mapped("debt_amount")),
                }
            )
        return blocks
