# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

from ..engine import BookedEngine
from ..tools import carbon

# Non-stored figures computed in one batch, summed per group in the pivot and graph.
BATCHED_AGGREGATES = frozenset(
    {
        "practical_amount:sum",
        "theoretical_amount:sum",
        "practical_carbon_kg:sum",
        "theoretical_carbon_kg:sum",
    }
)


class CrossoveredBudgetLines(models.Model):
    _name = "crossovered.budget.lines"
    _inherit = ["crossovered.budget.lines", "nm.batched.aggregate.mixin"]
    _batched_aggregates = BATCHED_AGGREGATES
    _rec_names_search = [
        "analytic_account_id.name",
        "analytic_account_id.code",
        "general_budget_id.name",
        "crossovered_budget_id.name",
    ]

    # OCA computes the € practical amount line by line on the Project plan's column
    # only; it is computed here with the carbon, in one query, on the column of the
    # plan each line's analytic account belongs to.
    practical_amount = fields.Float(
        compute="_compute_practical_figures", aggregator="sum"
    )
    theoretical_amount = fields.Float(aggregator="sum")
    planned_amount = fields.Float(aggregator="sum")
    analytic_plan_id = fields.Many2one(
        related="analytic_account_id.root_plan_id", string="Analytic plan"
    )
    planned_carbon_kg = fields.Float(
        string="Planned kgCO2e",
        digits=(16, 0),
        aggregator="sum",
        help="Carbon envelope of the line: the ceiling of emissions for the period.",
    )
    practical_carbon_kg = fields.Float(
        string="Booked kgCO2e",
        compute="_compute_practical_figures",
        digits=(16, 4),
        aggregator="sum",
    )
    theoretical_carbon_kg = fields.Float(
        string="Theoretical kgCO2e",
        compute="_compute_theoretical_carbon_kg",
        digits=(16, 4),
        aggregator="sum",
        help="Share of the envelope expected to be used by today, linear in time.",
    )
    carbon_percentage = fields.Float(
        string="Envelope used (%)",
        compute="_compute_carbon_percentage",
        help="Booked kgCO2e as a percentage of the planned envelope.",
    )
    remaining_carbon_kg = fields.Float(
        string="Remaining kgCO2e",
        compute="_compute_carbon_percentage",
        digits=(16, 4),
    )
    planned_carbon_t = fields.Float(
        string="Planned tCO2e", compute="_compute_carbon_tonnes", digits=(16, 1)
    )
    practical_carbon_t = fields.Float(
        string="Booked tCO2e", compute="_compute_carbon_tonnes", digits=(16, 1)
    )

    _planned_carbon_positive = models.Constraint(
        "CHECK (planned_carbon_kg >= 0)", "A carbon envelope cannot be negative."
    )

    @api.depends(
        "analytic_account_id.name",
        "general_budget_id.name",
        "crossovered_budget_id.name",
    )
    def _compute_display_name(self):
        # "Direction — Position — Budget": what a user picks in a DM, a rating or a
        # review, instead of "crossovered.budget.lines,19"
        for line in self:
            parts = (
                line.analytic_account_id.name,
                line.general_budget_id.name,
                line.crossovered_budget_id.name,
            )
            line.display_name = " — ".join(part for part in parts if part)

    @api.depends(
        "general_budget_id.account_ids",
        "general_budget_id.carbon_category_ids",
        "date_from",
        "date_to",
        "analytic_account_id",
    )
    def _compute_practical_figures(self):
        figures = self._practical_figures()
        for line in self:
            amount, carbon_kg = figures.get(line._origin.id, (0.0, 0.0))
            line.practical_amount = amount
            line.practical_carbon_kg = carbon_kg

    @api.depends("planned_carbon_kg", "date_from", "date_to")
    def _compute_theoretical_carbon_kg(self):
        today = fields.Date.context_today(self)
        for line in self:
            line.theoretical_carbon_kg = carbon.prorata(
                line.planned_carbon_kg, line.date_from, line.date_to, today
            )

    @api.depends("planned_carbon_kg", "practical_carbon_kg")
    def _compute_carbon_percentage(self):
        for line in self:
            planned = line.planned_carbon_kg
            line.carbon_percentage = carbon.share_used(
                line.practical_carbon_kg, planned
            )
            line.remaining_carbon_kg = planned - line.practical_carbon_kg

    @api.depends("planned_carbon_kg", "practical_carbon_kg")
    def _compute_carbon_tonnes(self):
        for line in self:
            line.planned_carbon_t = line.planned_carbon_kg / 1000.0
            line.practical_carbon_t = line.practical_carbon_kg / 1000.0

    @api.constrains("date_from", "date_to", "crossovered_budget_id")
    def _check_within_budget_period(self):
        for line in self:
            budget = line.crossovered_budget_id
            if line.date_from and line.date_to and line.date_from > line.date_to:
                raise ValidationError(
                    self.env._(
                        "The budget line “%(position)s” ends (%(end)s) before it "
                        "starts (%(start)s).",
                        position=line.general_budget_id.display_name,
                        start=format_date(self.env, line.date_from),
                        end=format_date(self.env, line.date_to),
                    )
                )
            if (
                budget.date_from
                and budget.date_to
                and line.date_from
                and line.date_to
                and (line.date_from < budget.date_from or line.date_to > budget.date_to)
            ):
                raise ValidationError(
                    self.env._(
                        "The budget line “%(position)s” (%(start)s – %(end)s) goes "
                        "beyond its budget “%(budget)s” (%(budget_start)s – "
                        "%(budget_end)s): give it dates within the budget's period.",
                        position=line.general_budget_id.display_name,
                        start=format_date(self.env, line.date_from),
                        end=format_date(self.env, line.date_to),
                        budget=budget.display_name,
                        budget_start=format_date(self.env, budget.date_from),
                        budget_end=format_date(self.env, budget.date_to),
                    )
                )

    @api.constrains("planned_carbon_kg", "analytic_account_id")
    def _check_carbon_needs_analytic_account(self):
        for line in self:
            if line.planned_carbon_kg and not line.analytic_account_id:
                raise ValidationError(
                    self.env._(
                        "The budget line “%(position)s” has a carbon envelope but no "
                        "analytic account: choose the direction it belongs to.",
                        position=line.general_budget_id.display_name,
                    )
                )

    def _practical_figures(self):
        """{line id: (€ booked, kgCO2e booked)} for all lines in one SQL query:
        the booked engine's rule (``engine/booked.py``)."""
        return BookedEngine(self.env).budget_line_figures(self)
