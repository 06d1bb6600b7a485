# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import carbon
from .crossovered_budget_lines_amendment import VOTED_STATES


class CrossoveredBudget(models.Model):
    _name = "crossovered.budget"
    _inherit = ["crossovered.budget", "nm.locked.mixin"]

    # The state moves only through the buttons (action_budget_*), by those who
    # may edit budgets; a voted budget keeps its period and company, and is never
    # prepared again: its envelopes change through DM carbone.
    _nm_workflow_fields = frozenset({"state", "voted_date"})
    _nm_locked_fields = dict.fromkeys(
        VOTED_STATES, ("date_from", "date_to", "company_id")
    )
    _nm_undeletable_states = VOTED_STATES

    voted_date = fields.Datetime(
        string="Confirmed on",
        readonly=True,
        copy=False,
        help="When the budget was first confirmed: from then on its envelopes change "
        "only through amendments.",
    )

    planned_carbon_kg = fields.Float(
        string="Planned kgCO2e", compute="_compute_carbon_totals", digits=(16, 0)
    )
    practical_carbon_kg = fields.Float(
        string="Booked kgCO2e", compute="_compute_carbon_totals", digits=(16, 4)
    )
    carbon_percentage = fields.Float(
        string="Envelope used (%)", compute="_compute_carbon_totals"
    )
    planned_amount = fields.Float(compute="_compute_carbon_totals", digits=0)
    practical_amount = fields.Float(
        string="Booked amount", compute="_compute_carbon_totals", digits=0
    )

    @api.depends(
        "crossovered_budget_line_ids.planned_carbon_kg",
        "crossovered_budget_line_ids.practical_carbon_kg",
        "crossovered_budget_line_ids.planned_amount",
        "crossovered_budget_line_ids.practical_amount",
    )
    def _compute_carbon_totals(self):
        lines = self.crossovered_budget_line_ids
        # one batched computation for all budgets
        lines._nm_batch_compute("practical_amount", "practical_carbon_kg")
        for budget in self:
            own = budget.crossovered_budget_line_ids
            budget.planned_carbon_kg = sum(own.mapped("planned_carbon_kg"))
            budget.practical_carbon_kg = sum(own.mapped("practical_carbon_kg"))
            budget.planned_amount = sum(own.mapped("planned_amount"))
            budget.practical_amount = sum(own.mapped("practical_amount"))
            budget.carbon_percentage = carbon.share_used(
                budget.practical_carbon_kg, budget.planned_carbon_kg
            )

    def _nm_set_state(self, state, extra=None):
        """The budget's buttons: for those who may edit it, as the workflow."""
        if not self.env.su:
            self.check_access("write")
        return self._nm_workflow_write({"state": state, **(extra or {})})

    def action_budget_confirm(self):
        self._nm_set_state("confirm")
        self.filtered(lambda b: not b.voted_date)._nm_workflow_write(
            {"voted_date": fields.Datetime.now()}
        )

    def action_budget_draft(self):
        voted = self.filtered(lambda b: b.voted_date or b.state in VOTED_STATES)
        if voted and not self.env.su:
            raise UserError(
                self.env._(
                    "The budget %(budget)s has been confirmed: it is not prepared "
                    "again. Change its envelopes with a carbon amendment (DM "
                    "carbone), or copy it to prepare a new budget.",
                    budget=voted[0].display_name,
                )
            )
        self._nm_set_state("draft")

    def action_budget_validate(self):
        self._nm_set_state("validate")

    def action_budget_cancel(self):
        self._nm_set_state("cancel")

    def action_budget_done(self):
        self._nm_set_state("done")

    @api.constrains("date_from", "date_to")
    def _check_period_holds_its_records(self):
        """Moving a budget's dates must not leave its lines, nor an execution
        review's quarter, outside its period."""
        self.crossovered_budget_line_ids._check_within_budget_period()
        self.env["nm.budget.review"].sudo().search(
            [("budget_id", "in", self.ids)]
        )._check_quarter_within_budget()
