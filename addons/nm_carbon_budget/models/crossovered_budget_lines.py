# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_date

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
        """{line id: (€ booked, kgCO2e booked)} for all lines in one SQL query.

        A line counts the analytic lines of its budget's company whose column for
        the plan of the line's analytic account holds that account (an account
        shared by several companies never mixes their figures), dated within the
        line's dates; the €
        those whose general account is one of the position's accounts (OCA's rule),
        the kgCO2e also those whose emission item, or an item above it, is one of the
        position's emission items. Lines without analytic account keep OCA's rule
        (posted journal items on the position's accounts), in € only.
        """
        lines = self.browse(
            {line._origin.id for line in self if isinstance(line._origin.id, int)}
        )
        if not lines:
            return {}
        self.env["account.analytic.line"].flush_model(
            [
                "amount",
                "carbon_kg",
                "carbon_category_id",
                "general_account_id",
                "date",
                "company_id",
            ]
            + self.env["account.analytic.line"]._get_plan_fnames()
        )
        self.env["account.move.line"].flush_model(
            ["balance", "date", "account_id", "parent_state", "company_id"]
        )
        self.flush_recordset(
            [
                "analytic_account_id",
                "general_budget_id",
                "date_from",
                "date_to",
                "company_id",
            ]
        )
        # one query per model whatever the number of lines (reading fields line by
        # line would fetch them by 1,000)
        lines.fetch(
            ["analytic_account_id", "general_budget_id", "date_from", "date_to"]
        )
        lines.analytic_account_id.fetch(["root_plan_id"])
        self.env["account.budget.post"].flush_model(
            ["account_ids", "carbon_category_ids"]
        )

        # Lines are grouped by plan column and period (a budget usually has one
        # period): the analytic lines of each group are scanned once and summed by
        # account, general account and emission item before meeting the budget
        # lines, instead of once per budget line.
        groups = defaultdict(list)
        without_account = []
        for line in lines:
            account = line.analytic_account_id
            if account:
                column = account.root_plan_id._column_name()
                groups[(column, line.date_from, line.date_to)].append(line)
            else:
                without_account.append(line.id)
        position_categories = lines.general_budget_id._carbon_category_pairs()

        branches = [
            SQL(
                """SELECT bl.id AS line_id, bl.general_budget_id AS position_id,
                          agg.amount, agg.carbon_kg, agg.general_account_id,
                          agg.carbon_category_id
                     FROM (SELECT aal.%s AS account_id, aal.general_account_id,
                                  aal.carbon_category_id, aal.company_id,
                                  SUM(aal.amount) AS amount,
                                  SUM(aal.carbon_kg) AS carbon_kg
                             FROM account_analytic_line aal
                            WHERE aal.%s = ANY(%s)
                              AND aal.date BETWEEN %s AND %s
                         GROUP BY 1, 2, 3, 4) agg
                     JOIN crossovered_budget_lines bl
                       ON bl.analytic_account_id = agg.account_id
                      AND bl.company_id = agg.company_id
                    WHERE bl.id = ANY(%s)""",
                SQL.identifier(column),
                SQL.identifier(column),
                list({line.analytic_account_id.id for line in group}),
                date_from,
                date_to,
                [line.id for line in group],
            )
            for (column, date_from, date_to), group in groups.items()
        ]
        if without_account:
            branches.append(
                SQL(
                    """SELECT bl.id AS line_id, bl.general_budget_id AS position_id,
                              -aml.balance AS amount, 0.0 AS carbon_kg,
                              aml.account_id AS general_account_id,
                              NULL::integer AS carbon_category_id
                         FROM crossovered_budget_lines bl
                         JOIN account_budget_rel rel
                           ON rel.budget_id = bl.general_budget_id
                         JOIN account_move_line aml
                           ON aml.account_id = rel.account_id
                          AND aml.company_id = bl.company_id
                          AND aml.parent_state = 'posted'
                          AND aml.date BETWEEN bl.date_from AND bl.date_to
                        WHERE bl.id = ANY(%s)""",
                    without_account,
                )
            )
        query = SQL(
            """
            WITH booked AS (%s),
                 position_category AS (
                     SELECT *
                       FROM unnest(%s::int[], %s::int[]) AS pc(position_id, category_id)
                 )
            SELECT b.line_id,
                   COALESCE(SUM(b.amount) FILTER (WHERE rel.account_id IS NOT NULL), 0),
                   COALESCE(SUM(b.carbon_kg) FILTER (
                       WHERE rel.account_id IS NOT NULL
                          OR pc.category_id IS NOT NULL
                   ), 0)
              FROM booked b
         LEFT JOIN account_budget_rel rel
                ON rel.budget_id = b.position_id
               AND rel.account_id = b.general_account_id
         LEFT JOIN position_category pc
                ON pc.position_id = b.position_id
               AND pc.category_id = b.carbon_category_id
          GROUP BY b.line_id
            """,
            SQL(" UNION ALL ").join(branches),
            [pair[0] for pair in position_categories],
            [pair[1] for pair in position_categories],
        )
        self.env.cr.execute(query)
        return {
            line_id: (amount, carbon_kg)
            for line_id, amount, carbon_kg in self.env.cr.fetchall()
        }
