# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.nm_carbon_budget.engine import BookedEngine
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
        "nm.capital",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain=[("source", "=", "entries")],
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
        help="Entries of the capital on the analytic account over the period.",
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
        """Lines by threshold status in one SQL query: the booked quantities of
        the engine beside each line's planned quantity and its capital's
        threshold type, the status decided in SQL as ``threshold_status`` does,
        instead of computing the status of every line."""
        if operator not in ("in", "not in"):
            return NotImplemented
        self.flush_model(["capital_id", "planned_qty", "company_id"])
        self.env["nm.capital"].flush_model(["threshold_type"])
        engine = BookedEngine(self.env)
        engine._flush_entries()
        booked = engine.capital_quantities_sql()
        matching = SQL(
            """SELECT bl.id
                 FROM nm_capital_budget_line bl
                 JOIN nm_capital capital ON capital.id = bl.capital_id
                 JOIN (%(booked)s) booked ON booked.id = bl.id
                WHERE (CASE
                        WHEN COALESCE(bl.planned_qty, 0) = 0 THEN 'none'
                        WHEN capital.threshold_type = 'floor' THEN
                             CASE WHEN booked.quantity < bl.planned_qty
                                  THEN 'crossed' ELSE 'ok' END
                        WHEN booked.quantity > bl.planned_qty THEN 'crossed'
                        WHEN booked.quantity >= bl.planned_qty * %(ratio)s
                             THEN 'warning'
                        ELSE 'ok'
                       END) = ANY(%(statuses)s)""",
            booked=booked,
            ratio=multicapital.WARNING_RATIO,
            statuses=list(value),
        )
        return Domain("id", operator, SQL("(%s)", matching))

    def _booked_quantities(self):
        """{line id: booked quantity}: the entries of the capital on the line's
        analytic account within its dates and company, one query (the booked
        engine). The climate capital has no capital budget line: it reads the
        carbon envelopes of the budget lines (``nm.capital._climate_figures``)."""
        lines = self.browse(
            {line._origin.id for line in self if isinstance(line._origin.id, int)}
        )
        return BookedEngine(self.env).capital_quantities(lines)

    @api.constrains("capital_id")
    def _check_not_climate(self):
        for line in self:
            if line.capital_id.source == "carbon":
                raise ValidationError(
                    self.env._(
                        "The capital “%(capital)s” reads the carbon envelopes of the "
                        "budget lines: set the direction's envelope as planned kgCO2e "
                        "on its budget lines, not as a capital budget line.",
                        capital=line.capital_id.display_name,
                    )
                )

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
