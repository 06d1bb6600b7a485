# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import MAXYEAR, MINYEAR, date

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import date_utils
from odoo.tools.misc import format_date

from ..tools import carbon
from .nm_locked_mixin import ALL

QUARTERS = [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]


def review_date(year, quarter):
    """Default meeting date: the 15th of the month after the quarter."""
    quarter_end = date_utils.end_of(date(year, int(quarter) * 3, 1), "month")
    return date_utils.add(quarter_end, days=15)


def quarter_bounds(year, quarter):
    """First and last day of a quarter; None for a year no calendar has."""
    if not MINYEAR <= (year or 0) <= MAXYEAR:
        return None
    return date_utils.get_quarter(date(year, int(quarter) * 3, 1))


class NmBudgetReview(models.Model):
    """Réunion de suivi d'exécution: finance and a direction go through the € and
    carbon execution of the direction's budget lines and record decisions."""

    _name = "nm.budget.review"
    _description = "Execution review meeting"
    _inherit = ["mail.thread", "mail.activity.mixin", "nm.locked.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # The snapshot is taken by "Hold" and is the meeting's record: what it covers
    # is frozen once held, everything once closed (reopen to complete the minutes).
    _nm_workflow_fields = frozenset({"state", "held_date", "line_ids"})
    _nm_locked_fields = {
        "held": (
            "budget_id",
            "direction_ids",
            "year",
            "quarter",
            "company_id",
            "held_date",
        ),
        "closed": ALL,
    }
    _nm_undeletable_states = ("held", "closed")

    name = fields.Char(compute="_compute_name", store=True, readonly=False)
    direction_ids = fields.Many2many(
        "account.analytic.account",
        string="Directions",
        required=True,
        tracking=True,
        check_company=True,
    )
    budget_id = fields.Many2one(
        "crossovered.budget",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    date = fields.Date(required=True, tracking=True)
    year = fields.Integer(required=True, default=lambda self: date.today().year)
    quarter = fields.Selection(QUARTERS, string="Period", required=True, default="1")
    participant_ids = fields.Many2many("res.users", string="Participants")
    template_id = fields.Many2one(
        "nm.budget.review.template", string="Outline template", check_company=True
    )
    outline = fields.Html(
        string="Interview outline",
        compute="_compute_outline",
        store=True,
        readonly=False,
    )
    minutes = fields.Html()
    focus_action_id = fields.Many2one(
        "nm.decarbonation.action",
        string="Focus action",
        check_company=True,
        help="The decarbonisation action discussed in depth in this meeting.",
    )
    state = fields.Selection(
        [("planned", "Planned"), ("held", "Held"), ("closed", "Closed")],
        default="planned",
        required=True,
        tracking=True,
        index=True,
    )
    held_date = fields.Datetime(string="Snapshot taken on", readonly=True, copy=False)
    line_ids = fields.One2many(
        "nm.budget.review.line",
        "review_id",
        string="Snapshot",
        readonly=True,
        copy=False,
    )
    decision_ids = fields.One2many(
        "nm.budget.review.decision", "review_id", string="Decisions", copy=False
    )
    decision_count = fields.Integer(compute="_compute_decision_count")
    # the review is the budget's: its company is the budget's, never another
    company_id = fields.Many2one(
        related="budget_id.company_id", store=True, index=True, precompute=True
    )
    planned_amount = fields.Float(
        string="Planned €", compute="_compute_snapshot_totals", digits=(16, 0)
    )
    practical_amount = fields.Float(
        string="Booked €", compute="_compute_snapshot_totals", digits=(16, 0)
    )
    planned_carbon_kg = fields.Float(
        string="Planned kgCO2e", compute="_compute_snapshot_totals", digits=(16, 0)
    )
    practical_carbon_kg = fields.Float(
        string="Booked kgCO2e", compute="_compute_snapshot_totals", digits=(16, 0)
    )
    carbon_percentage = fields.Float(
        string="Envelope used (%)", compute="_compute_snapshot_totals"
    )

    @api.depends("direction_ids", "quarter", "year")
    def _compute_name(self):
        for review in self:
            directions = ", ".join(review.direction_ids.mapped("name"))
            review.name = self.env._(
                "Q%(quarter)s %(year)s review - %(directions)s",
                quarter=review.quarter or "",
                year=review.year or "",
                directions=directions,
            )

    @api.depends("template_id")
    def _compute_outline(self):
        for review in self:
            if review.template_id:
                review.outline = review.template_id.outline

    def _compute_decision_count(self):
        counts = dict(
            self.env["nm.budget.review.decision"]._read_group(
                [("review_id", "in", self.ids)], ["review_id"], ["__count"]
            )
        )
        for review in self:
            review.decision_count = counts.get(review, 0)

    @api.depends(
        "line_ids.planned_amount",
        "line_ids.practical_amount",
        "line_ids.planned_carbon_kg",
        "line_ids.practical_carbon_kg",
    )
    def _compute_snapshot_totals(self):
        for review in self:
            lines = review.line_ids
            review.planned_amount = sum(lines.mapped("planned_amount"))
            review.practical_amount = sum(lines.mapped("practical_amount"))
            review.planned_carbon_kg = sum(lines.mapped("planned_carbon_kg"))
            review.practical_carbon_kg = sum(lines.mapped("practical_carbon_kg"))
            review.carbon_percentage = carbon.share_used(
                review.practical_carbon_kg, review.planned_carbon_kg
            )

    @api.constrains("budget_id")
    def _check_company_of_budget(self):
        """The budget gives the review its company: what the review already links
        (directions, outline, focus action) must belong to the new one too."""
        self._check_company()

    @api.constrains("year", "quarter", "budget_id")
    def _check_quarter_within_budget(self):
        """The snapshot is the budget's: a quarter the budget does not cover
        would give its figures under another period's name."""
        for review in self:
            budget = review.budget_id
            if not (budget.date_from and budget.date_to and review.quarter):
                continue
            bounds = quarter_bounds(review.year, review.quarter)
            if bounds and bounds[1] >= budget.date_from and bounds[0] <= budget.date_to:
                continue
            raise ValidationError(
                self.env._(
                    "Q%(quarter)s %(year)s is outside the budget “%(budget)s” "
                    "(%(start)s – %(end)s): choose a quarter and a year within the "
                    "budget's period.",
                    quarter=review.quarter,
                    year=review.year,
                    budget=budget.display_name,
                    start=format_date(self.env, budget.date_from),
                    end=format_date(self.env, budget.date_to),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        reviews = super().create(vals_list)
        reviews._schedule_reminders()
        return reviews

    def write(self, vals):
        res = super().write(vals)
        if "participant_ids" in vals or "date" in vals:
            self.filtered(lambda r: r.state == "planned")._schedule_reminders()
        return res

    def _schedule_reminders(self):
        """One to-do per participant on the meeting date, kept in step with it."""
        activity_type = self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        )
        if not activity_type:
            return
        for review in self:
            existing = review.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )
            reminded = existing.user_id
            existing.filtered(
                lambda a, review=review: a.user_id not in review.participant_ids
            ).unlink()
            existing.filtered(
                lambda a, review=review: a.user_id in review.participant_ids
            ).write({"date_deadline": review.date})
            for user in review.participant_ids - reminded:
                review.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=review.date,
                    summary=self.env._("Execution review meeting"),
                    note=self.env._(
                        "Prepare the execution review %(name)s: € and carbon "
                        "execution, focus action, decisions.",
                        name=review.name,
                    ),
                    user_id=user.id,
                )

    def _budget_lines(self):
        self.ensure_one()
        return self.budget_id.crossovered_budget_line_ids.filtered(
            lambda line: line.analytic_account_id in self.direction_ids
        )

    def _nm_check_can_act(self):
        if not self.env.su:
            self.check_access("write")

    def action_hold(self):
        """The meeting is held: freeze the figures of the directions' lines."""
        self._nm_check_can_act()
        for review in self:
            if review.state != "planned":
                raise UserError(
                    self.env._(
                        "Only a planned review can be held (%(name)s).",
                        name=review.name,
                    )
                )
        all_lines = self.env["crossovered.budget.lines"].union(
            *(review._budget_lines() for review in self)
        )
        figures = all_lines._practical_figures()
        for review in self:
            vals = []
            for line in review._budget_lines():
                amount, carbon_kg = figures.get(line.id, (0.0, 0.0))
                vals.append(
                    {
                        "budget_line_id": line.id,
                        "analytic_account_id": line.analytic_account_id.id,
                        "general_budget_id": line.general_budget_id.id,
                        "planned_amount": line.planned_amount,
                        "practical_amount": amount,
                        "planned_carbon_kg": line.planned_carbon_kg,
                        "practical_carbon_kg": carbon_kg,
                    }
                )
            review._nm_workflow_write(
                {
                    "line_ids": [(5, 0, 0)] + [(0, 0, v) for v in vals],
                    "state": "held",
                    "held_date": fields.Datetime.now(),
                }
            )
            review.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref(
                        "mail.mail_activity_data_todo", raise_if_not_found=False
                    )
                )
            ).action_done()
        return True

    def action_close(self):
        self._nm_check_can_act()
        if any(review.state != "held" for review in self):
            raise UserError(self.env._("Only a held review can be closed."))
        self._nm_workflow_write({"state": "closed"})
        return True

    def action_reopen(self):
        self._nm_check_can_act()
        if any(review.state != "closed" for review in self):
            raise UserError(self.env._("Only a closed review can be reopened."))
        self._nm_workflow_write({"state": "held"})
        return True

    def action_print_fiche(self):
        self.ensure_one()
        return self.env.ref("nm_carbon_budget.report_fiche_carbone").report_action(
            self.direction_ids, data={"year": self.year}
        )


class NmBudgetReviewLine(models.Model):
    """A budget line's figures frozen when the review was held."""

    _name = "nm.budget.review.line"
    _description = "Execution review: frozen budget line"
    _inherit = ["nm.locked.mixin"]
    _order = "review_id, analytic_account_id, general_budget_id"
    _check_company_auto = True

    # Figures frozen by "Hold": written by the workflow only, in every state.
    _nm_lock_state = "review_id.state"
    _nm_locked_fields = dict.fromkeys(("planned", "held", "closed"), ALL)
    _nm_undeletable_states = ("planned", "held", "closed")

    review_id = fields.Many2one(
        "nm.budget.review", required=True, ondelete="cascade", index=True
    )
    budget_line_id = fields.Many2one(
        "crossovered.budget.lines", ondelete="set null", check_company=True
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account", string="Direction", check_company=True
    )
    company_id = fields.Many2one(
        related="review_id.company_id", store=True, index=True, precompute=True
    )
    general_budget_id = fields.Many2one(
        "account.budget.post", string="Budgetary position"
    )
    planned_amount = fields.Float(string="Planned €", digits=(16, 0), aggregator="sum")
    practical_amount = fields.Float(string="Booked €", digits=(16, 0), aggregator="sum")
    amount_percentage = fields.Float(
        string="€ executed (%)", compute="_compute_percentages", store=True
    )
    planned_carbon_kg = fields.Float(
        string="Planned kgCO2e", digits=(16, 0), aggregator="sum"
    )
    practical_carbon_kg = fields.Float(
        string="Booked kgCO2e", digits=(16, 1), aggregator="sum"
    )
    carbon_percentage = fields.Float(
        string="Envelope used (%)", compute="_compute_percentages", store=True
    )

    @api.depends("review_id.name", "analytic_account_id.name", "general_budget_id.name")
    def _compute_display_name(self):
        for line in self:
            parts = (
                line.review_id.name,
                line.analytic_account_id.name,
                line.general_budget_id.name,
            )
            line.display_name = " — ".join(part for part in parts if part)

    @api.depends(
        "planned_amount", "practical_amount", "planned_carbon_kg", "practical_carbon_kg"
    )
    def _compute_percentages(self):
        for line in self:
            line.amount_percentage = carbon.share_used(
                line.practical_amount, line.planned_amount
            )
            line.carbon_percentage = carbon.share_used(
                line.practical_carbon_kg, line.planned_carbon_kg
            )
