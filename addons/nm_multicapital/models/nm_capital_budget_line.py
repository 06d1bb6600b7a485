# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.nm_carbon_budget.tools import carbon

from ..tools import multicapital

THRESHOLD_STATUSES = [
    ("none", "No threshold"),
    ("ok", "Within threshold"),
    ("warning", "Near the threshold"),
    ("crossed", "Threshold crossed"),
]


class NmCapitalBudgetLine(models.Model):
    _name = "nm.capital.budget.line"
    _inherit = ["nm.batched.aggregate.mixin"]
    _description = "Capital budget line"
    _batched_aggregates = frozenset({"booked_qty:sum", "remaining_qty:sum"})
    _check_company_auto = True
    _order = "date_from desc, capital_id, analytic_account_id"

    name = fields.Char(compute="_compute_name", store=True)
    capital_id = fields.Many2one(
        "nm.capital", required=True, index=True, ondelete="restrict", check_company=True
    )
    capital_kind = fields.Selection(
        related="capital_id.kind", store=True, string="Kind"
    )
    unit = fields.Char(related="capital_id.unit")
    threshold_type = fields.Selection(related="capital_id.threshold_type")
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    date_from = fields.Date(string="Start", required=True)
    date_to = fields.Date(string="End", required=True)
    planned_qty = fields.Float(
        string="Planned quantity",
        digits=(16, 2),
        compute="_compute_planned_qty",
        store=True,
        readonly=False,
        precompute=True,
        help="Threshold of the line for the period, in the capital's unit: ceiling "
        "not to exceed, or floor not to fall below.",
    )
    booked_qty = fields.Float(
        string="Booked quantity",
        compute="_compute_booked_qty",
        digits=(16, 2),
        help="Entries of the capital on the analytic account over the period; for "
        "the climate capital, the kgCO2e of the carbon analytic lines.",
    )
    remaining_qty = fields.Float(
        string="Remaining quantity", compute="_compute_booked_qty", digits=(16, 2)
    )
    percentage = fields.Float(string="Used (%)", compute="_compute_booked_qty")
    threshold_status = fields.Selection(
        THRESHOLD_STATUSES,
        compute="_compute_booked_qty",
        search="_search_threshold_status",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    _dates_order = models.Constraint(
        "CHECK (date_from <= date_to)", "A capital budget line ends after it starts."
    )

    @api.depends("capital_id", "analytic_account_id", "date_from", "date_to")
    def _compute_name(self):
        for line in self:
            line.name = " – ".join(
                part
                for part in (
                    line.capital_id.name,
                    line.analytic_account_id.name,
                    line.date_from and line.date_from.isoformat(),
                )
                if part
            )

    @api.depends("capital_id")
    def _compute_planned_qty(self):
        for line in self:
            if not line.planned_qty:
                line.planned_qty = line.capital_id.threshold_qty

    @api.depends(
        "capital_id", "analytic_account_id", "date_from", "date_to", "planned_qty"
    )
    def _compute_booked_qty(self):
        booked = self._booked_quantities()
        for line in self:
            quantity = booked.get(line._origin.id, 0.0)
            planned = line.planned_qty
            line.booked_qty = quantity
            line.remaining_qty = planned - quantity
            line.percentage = carbon.share_used(quantity, planned)
            line.threshold_status = multicapital.threshold_status(
                line.capital_id.threshold_type, planned, quantity
            )

    def _search_threshold_status(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        lines = self.search([])
        matching = lines.filtered(lambda line: line.threshold_status in value)
        if operator == "in":
            return Domain("id", "in", matching.ids)
        return Domain("id", "not in", matching.ids)

    def _booked_quantities(self):
        """{line id: booked quantity} for all lines, one grouped query per source.

        Capitals kept in entries sum the entries of the capital on the line's
        analytic account within its dates; the climate capital sums carbon_kg of the
        analytic lines whose column for the account's plan holds the account. Only
        the line's company counts, even on an account shared between companies.
        """
        lines = self.browse(
            {line._origin.id for line in self if isinstance(line._origin.id, int)}
        )
        if not lines:
            return {}
        self.env["nm.capital.entry"].flush_model(
            ["capital_id", "analytic_account_id", "date", "quantity", "company_id"]
        )
        self.env["account.analytic.line"].flush_model(
            [
                "carbon_kg",
                "date",
                "company_id",
                *self.env["account.analytic.line"]._get_plan_fnames(),
            ]
        )
        lines.flush_recordset(
            ["capital_id", "analytic_account_id", "date_from", "date_to", "company_id"]
        )
        result = defaultdict(float)
        by_source = lines.grouped(lambda line: line.capital_id.source)
        if by_source.get("entries"):
            self.env.cr.execute(
                SQL(
                    """SELECT bl.id, SUM(e.quantity)
                         FROM nm_capital_budget_line bl
                         JOIN nm_capital_entry e
                           ON e.capital_id = bl.capital_id
                          AND e.analytic_account_id = bl.analytic_account_id
                          AND e.company_id = bl.company_id
                          AND e.date BETWEEN bl.date_from AND bl.date_to
                        WHERE bl.id = ANY(%s)
                     GROUP BY bl.id""",
                    by_source["entries"].ids,
                )
            )
            result.update(self.env.cr.fetchall())
        if by_source.get("carbon"):
            by_column = defaultdict(list)
            for line in by_source["carbon"]:
                by_column[line.analytic_account_id.root_plan_id._column_name()].append(
                    line.id
                )
            branches = [
                SQL(
                    """SELECT bl.id AS line_id, aal.carbon_kg
                         FROM nm_capital_budget_line bl
                         JOIN account_analytic_line aal
                           ON aal.%s = bl.analytic_account_id
                          AND aal.company_id = bl.company_id
                          AND aal.date BETWEEN bl.date_from AND bl.date_to
                        WHERE bl.id = ANY(%s)""",
                    SQL.identifier(column),
                    line_ids,
                )
                for column, line_ids in by_column.items()
            ]
            self.env.cr.execute(
                SQL(
                    "SELECT line_id, SUM(carbon_kg) FROM (%s) booked GROUP BY line_id",
                    SQL(" UNION ALL ").join(branches),
                )
            )
            result.update(self.env.cr.fetchall())
        return result

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec == "planned_qty:sum":
            return self.env["nm.capital"]._single_capital_sum_sql(
                self, query, "planned_qty"
            )
        return super()._read_group_select(aggregate_spec, query)

    def _batched_aggregate_value(self, records, field_name):
        # Never add up two capitals: a group mixing capitals gets no total.
        if len(records.capital_id) > 1:
            return False
        return super()._batched_aggregate_value(records, field_name)
