# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.nm_carbon_budget.models.nm_locked_mixin import ALL

from .nm_carbon_conference import CONTROLLER

PROPOSAL_FIELDS = (
    "analytic_account_id",
    "general_budget_id",
    "proposed_kg",
    "proposal_note",
)
ARBITRATION_FIELDS = ("arbitrated_kg", "arbitration_comment")


class NmCarbonConferenceLine(models.Model):
    """A direction's envelope for one emission item: this year's figures, the
    direction head's proposal and the controller's arbitration, each tracked."""

    _name = "nm.carbon.conference.line"
    _description = "Carbon budget conference: proposal"
    _inherit = ["mail.thread", "nm.locked.mixin"]
    _order = "conference_id, analytic_account_id, general_budget_id"
    _check_company_auto = True

    _nm_workflow_fields = frozenset(
        {
            "current_planned_kg",
            "current_practical_kg",
            "suggested_kg",
            "voted_kg",
            "budget_line_id",
        }
    )
    _nm_lock_state = "conference_id.state"
    _nm_locked_fields = {
        "draft": ARBITRATION_FIELDS,
        "proposals": ARBITRATION_FIELDS,
        "arbitration": PROPOSAL_FIELDS,
        "voted": ALL,
    }
    _nm_undeletable_states = ("arbitration", "voted")

    conference_id = fields.Many2one(
        "nm.carbon.conference",
        required=True,
        index=True,
        ondelete="cascade",
    )
    state = fields.Selection(related="conference_id.state", store=True)
    year = fields.Integer(related="conference_id.year", store=True)
    company_id = fields.Many2one(
        related="conference_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Direction",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    general_budget_id = fields.Many2one(
        "account.budget.post",
        string="Emission item",
        required=True,
        check_company=True,
        tracking=True,
        help="The budgetary position (and its emission items) of the envelope.",
    )
    current_planned_kg = fields.Float(
        string="Envelope this year kgCO2e", digits=(16, 0), aggregator="sum"
    )
    current_practical_kg = fields.Float(
        string="Booked this year kgCO2e",
        digits=(16, 0),
        aggregator="sum",
        help="Booked when the proposals opened.",
    )
    suggested_kg = fields.Float(
        string="Trajectory reference kgCO2e",
        digits=(16, 0),
        aggregator="sum",
        help="This year's envelope following the trajectory's slope into next year "
        "(the direction's own trajectory, else the organisation's).",
    )
    proposed_kg = fields.Float(
        string="Proposed kgCO2e", digits=(16, 0), aggregator="sum", tracking=True
    )
    proposal_note = fields.Text(string="Justification", tracking=True)
    arbitrated_kg = fields.Float(
        string="Arbitrated kgCO2e", digits=(16, 0), aggregator="sum", tracking=True
    )
    arbitration_comment = fields.Text(tracking=True)
    voted_kg = fields.Float(
        string="Voted kgCO2e", digits=(16, 0), aggregator="sum", readonly=True
    )
    budget_line_id = fields.Many2one(
        "crossovered.budget.lines",
        string="Voted budget line",
        readonly=True,
        ondelete="set null",
    )
    change_pct = fields.Float(
        string="Change (%)",
        compute="_compute_change_pct",
        help="Proposal against this year's envelope.",
    )
    action_ids = fields.One2many(
        "nm.decarbonation.action", "conference_line_id", string="Actions"
    )
    action_reduction_kg = fields.Float(
        string="Actions' effect kgCO2e",
        compute="_compute_action_figures",
        digits=(16, 0),
        help="Sum of the expected effects of the actions that make the proposal "
        "reachable.",
    )
    action_cost = fields.Monetary(
        string="Actions' cost", compute="_compute_action_figures"
    )
    reachable_kg = fields.Float(
        string="Reachable kgCO2e",
        compute="_compute_action_figures",
        digits=(16, 0),
        help="This year's booked carbon minus the actions' expected effect.",
    )

    _one_line_per_item = models.UniqueIndex(
        "(conference_id, analytic_account_id, general_budget_id)",
        "A direction has one proposal per emission item in a conference.",
    )
    _proposed_positive = models.Constraint(
        "CHECK (proposed_kg >= 0 AND arbitrated_kg >= 0)",
        "A carbon envelope cannot be negative.",
    )

    @api.depends("proposed_kg", "current_planned_kg")
    def _compute_change_pct(self):
        for line in self:
            planned = line.current_planned_kg
            line.change_pct = (
                (line.proposed_kg - planned) / planned * 100.0 if planned else 0.0
            )

    @api.depends("action_ids.reduction_kg", "action_ids.cost", "current_practical_kg")
    def _compute_action_figures(self):
        for line in self:
            actions = line.action_ids
            line.action_reduction_kg = sum(actions.mapped("reduction_kg"))
            line.action_cost = sum(actions.mapped("cost"))
            line.reachable_kg = line.current_practical_kg - line.action_reduction_kg

    @api.depends("analytic_account_id", "general_budget_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " – ".join(
                filter(
                    None,
                    [
                        line.analytic_account_id.name,
                        line.general_budget_id.name,
                        line.conference_id.name,
                    ],
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # a head adds an emission item to a conference open for proposals;
            # the conference is named on creation only
            conferences = self.env["nm.carbon.conference"].browse(
                [
                    vals["conference_id"]
                    for vals in vals_list
                    if vals.get("conference_id")
                ]
            )
            if any(conference.state != "proposals" for conference in conferences):
                raise UserError(
                    self.env._(
                        "Proposals are added while the conference is open for "
                        "proposals."
                    )
                )
            if any(set(vals) & set(ARBITRATION_FIELDS) for vals in vals_list):
                self._nm_check_arbitrator()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if "conference_id" in vals:
                raise UserError(
                    self.env._("A proposal cannot be moved to another conference.")
                )
            if set(vals) & set(ARBITRATION_FIELDS):
                self._nm_check_arbitrator()
        res = super().write(vals)
        if not self.env.su and "analytic_account_id" in vals:
            # record rules are checked before a write: a head must not move a
            # proposal to a direction they do not head
            self.check_access("write")
        return res

    def action_open_form(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def _nm_check_arbitrator(self):
        if not self.env.user.has_group(CONTROLLER):
            raise AccessError(
                self.env._(
                    "Only the carbon controllers arbitrate the envelopes; direction "
                    "heads propose them."
                )
            )
