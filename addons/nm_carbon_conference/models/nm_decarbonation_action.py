# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class NmDecarbonationAction(models.Model):
    """Measures tracked like Oslo's climate budget: owner, status, cost, estimated
    effect and its uncertainty, the budget line the measure acts on."""

    _inherit = "nm.decarbonation.action"

    cost = fields.Monetary(tracking=True)
    uncertainty = fields.Float(
        string="Uncertainty (%)",
        digits=(16, 0),
        default=50.0,
        tracking=True,
        help="How far the estimated effect may be off, in percent (± 50 % for an "
        "order of magnitude).",
    )
    reduction_low_kg = fields.Float(
        string="Effect, low estimate (kgCO2e/yr)",
        compute="_compute_reduction_range",
        digits=(16, 0),
    )
    reduction_high_kg = fields.Float(
        string="Effect, high estimate (kgCO2e/yr)",
        compute="_compute_reduction_range",
        digits=(16, 0),
    )
    budget_line_id = fields.Many2one(
        "crossovered.budget.lines",
        string="Budget line acted on",
        index=True,
        domain="[('analytic_account_id', '=', direction_id)]",
        tracking=True,
        help="The envelope (direction × emission item) whose emissions the measure "
        "lowers.",
    )
    conference_line_id = fields.Many2one(
        "nm.carbon.conference.line",
        string="Proposed at the conference",
        index=True,
        ondelete="set null",
        copy=False,
        help="The conference proposal the action makes reachable.",
    )
    status_note = fields.Text(
        string="Progress",
        tracking=True,
        help="Where the measure stands, reported three times a year.",
    )

    _uncertainty_range = models.Constraint(
        "CHECK (uncertainty >= 0 AND uncertainty <= 100)",
        "The uncertainty is a percentage between 0 and 100.",
    )

    @api.depends("reduction_kg", "uncertainty")
    def _compute_reduction_range(self):
        for action in self:
            spread = action.reduction_kg * action.uncertainty / 100.0
            action.reduction_low_kg = action.reduction_kg - spread
            action.reduction_high_kg = action.reduction_kg + spread

    @api.constrains("conference_line_id", "direction_id", "lever_direction_id")
    def _check_conference_line_direction(self):
        for action in self:
            # read as the workflow: a line the user cannot read is refused too
            line = action.conference_line_id.sudo()
            if line and line.analytic_account_id not in (
                action.direction_id | action.lever_direction_id
            ):
                raise ValidationError(
                    self.env._(
                        "The action “%(action)s” concerns %(direction)s: it can only "
                        "support a conference proposal of that direction.",
                        action=action.name,
                        direction=action.direction_id.display_name,
                    )
                )

    @api.onchange("conference_line_id")
    def _onchange_conference_line_id(self):
        line = self.conference_line_id
        if line:
            self.direction_id = line.analytic_account_id
            if line.general_budget_id.carbon_category_ids[:1]:
                self.carbon_category_id = line.general_budget_id.carbon_category_ids[:1]
