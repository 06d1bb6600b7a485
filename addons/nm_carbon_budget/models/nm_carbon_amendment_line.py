# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .nm_carbon_amendment import FROZEN_STATES
from .nm_locked_mixin import ALL


class NmCarbonAmendmentLine(models.Model):
    _name = "nm.carbon.amendment.line"
    _description = "Carbon budget amendment line"
    _inherit = ["nm.locked.mixin"]
    _order = "amendment_id, id"

    # A line changes only while its DM is a draft; what it did to the envelope is
    # recorded by the application alone.
    _nm_workflow_fields = frozenset({"before_kg", "after_kg"})
    _nm_lock_state = "amendment_id.state"
    _nm_locked_fields = dict.fromkeys(FROZEN_STATES, ALL)
    _nm_undeletable_states = FROZEN_STATES

    amendment_id = fields.Many2one(
        "nm.carbon.amendment", required=True, ondelete="cascade", index=True
    )
    budget_id = fields.Many2one(related="amendment_id.budget_id")
    state = fields.Selection(related="amendment_id.state", store=True)
    budget_line_id = fields.Many2one(
        "crossovered.budget.lines",
        string="Budget line",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('crossovered_budget_id', '=', budget_id)]",
    )
    analytic_account_id = fields.Many2one(
        related="budget_line_id.analytic_account_id", string="Direction", store=True
    )
    general_budget_id = fields.Many2one(
        related="budget_line_id.general_budget_id", string="Budgetary position"
    )
    company_id = fields.Many2one(related="amendment_id.company_id", store=True)
    delta_kg = fields.Float(
        string="Change (kgCO2e)",
        digits=(16, 0),
        help="Positive to add to the envelope, negative to take from it.",
    )
    planned_carbon_kg = fields.Float(
        string="Envelope now (kgCO2e)",
        related="budget_line_id.planned_carbon_kg",
        digits=(16, 0),
    )
    new_kg = fields.Float(
        string="Envelope after (kgCO2e)",
        compute="_compute_new_kg",
        digits=(16, 0),
        help="The envelope this line leaves, before the amendment is applied.",
    )
    before_kg = fields.Float(
        string="Before (kgCO2e)", readonly=True, copy=False, digits=(16, 0)
    )
    after_kg = fields.Float(
        string="After (kgCO2e)", readonly=True, copy=False, digits=(16, 0)
    )
    applied_date = fields.Datetime(related="amendment_id.applied_date")

    @api.depends("amendment_id.name", "budget_line_id.display_name")
    def _compute_display_name(self):
        for line in self:
            parts = (line.amendment_id.name, line.budget_line_id.display_name)
            line.display_name = " — ".join(part for part in parts if part)

    @api.depends("delta_kg", "budget_line_id.planned_carbon_kg", "state", "after_kg")
    def _compute_new_kg(self):
        for line in self:
            line.new_kg = (
                line.after_kg
                if line.state == "applied"
                else line.budget_line_id.planned_carbon_kg + line.delta_kg
            )

    @api.constrains("budget_line_id", "amendment_id")
    def _check_budget(self):
        for line in self:
            budget_line = line.budget_line_id
            amendment = line.amendment_id
            if budget_line.crossovered_budget_id != amendment.budget_id:
                raise ValidationError(
                    self.env._(
                        "Every line of %(name)s must belong to the budget %(budget)s; "
                        "%(line)s belongs to %(other)s.",
                        name=amendment.name,
                        budget=amendment.budget_id.display_name,
                        line=budget_line.display_name,
                        other=budget_line.crossovered_budget_id.display_name,
                    )
                )
            if budget_line.company_id != amendment.company_id:
                raise ValidationError(
                    self.env._(
                        "Every line of an amendment must belong to the amendment's "
                        "company."
                    )
                )
            if not budget_line.analytic_account_id:
                raise ValidationError(
                    self.env._(
                        "The budget line %(line)s has no direction (analytic "
                        "account): it has no carbon envelope to amend.",
                        line=budget_line.display_name,
                    )
                )

    def write(self, vals):
        if (
            not self.env.su
            and "amendment_id" in vals
            and any(line.amendment_id.id != vals["amendment_id"] for line in self)
        ):
            raise UserError(
                self.env._(
                    "A line stays on the amendment it was created on: remove it and "
                    "add a new line on the other amendment."
                )
            )
        return super().write(vals)
