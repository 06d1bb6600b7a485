# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.nm_carbon_budget.models.nm_locked_mixin import ALL

STATES = [
    ("draft", "Draft"),
    ("proposals", "Proposals"),
    ("arbitration", "Arbitration"),
    ("voted", "Voted"),
]
SETUP_FIELDS = ("year", "reference_budget_id", "trajectory_id", "company_id")
CONTROLLER = "nm_carbon_budget.group_carbon_controller"
APPROVER = "nm_carbon_budget.group_carbon_approver"


def trajectory_share(target_next, target_now):
    """What the trajectory keeps of this year's envelope next year (0.96 at −4 %)."""
    return target_next / target_now if target_now else 1.0


class NmCarbonConference(models.Model):
    """Conférence budgétaire carbone: next year's envelopes, proposed by the
    direction heads, arbitrated by the carbon controller, voted by the assembly."""

    _name = "nm.carbon.conference"
    _description = "Carbon budget conference"
    _inherit = ["mail.thread", "mail.activity.mixin", "nm.locked.mixin"]
    _order = "year desc, id desc"

    _nm_workflow_fields = frozenset({"state", "voted_date", "voted_by_id"})
    _nm_locked_fields = {
        "proposals": SETUP_FIELDS,
        "arbitration": SETUP_FIELDS,
        "voted": ALL,
    }
    _nm_undeletable_states = ("proposals", "arbitration", "voted")

    name = fields.Char(compute="_compute_name", store=True, readonly=False)
    year = fields.Integer(
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self).year + 1,
        help="The year whose envelopes are negotiated (N+1).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    trajectory_id = fields.Many2one(
        "nm.carbon.trajectory",
        domain="[('company_id', '=', company_id), ('analytic_account_id', '=', False)]",
        default=lambda self: self.env["nm.carbon.trajectory"]._find_for(),
        tracking=True,
        help="The organisation's trajectory: its target for the year is the ceiling "
        "the voted envelopes are compared with.",
    )
    reference_budget_id = fields.Many2one(
        "crossovered.budget",
        string="This year's budget",
        required=True,
        domain="[('company_id', '=', company_id)]",
        tracking=True,
        help="Its envelopes and booked carbon, per direction and emission item, "
        "open the conference.",
    )
    budget_id = fields.Many2one(
        "crossovered.budget",
        string="Budget to vote",
        domain="[('company_id', '=', company_id), ('state', '=', 'draft')]",
        tracking=True,
        help="The draft budget of the year whose lines receive the voted envelopes "
        "(missing direction × position lines are created).",
    )
    state = fields.Selection(
        STATES, default="draft", required=True, tracking=True, index=True, copy=False
    )
    deliberation_number = fields.Char(tracking=True, copy=False)
    deliberation_date = fields.Date(tracking=True, copy=False)
    voted_date = fields.Datetime(string="Recorded on", readonly=True, copy=False)
    voted_by_id = fields.Many2one(
        "res.users", string="Recorded by", readonly=True, copy=False
    )
    note = fields.Html()
    line_ids = fields.One2many(
        "nm.carbon.conference.line", "conference_id", string="Proposals", copy=False
    )
    target_kg = fields.Float(
        string="Trajectory target kgCO2e",
        compute="_compute_targets",
        digits=(16, 0),
        help="The trajectory's ceiling for the year of the conference.",
    )
    current_target_kg = fields.Float(
        string="This year's target kgCO2e", compute="_compute_targets", digits=(16, 0)
    )
    reference_planned_kg = fields.Float(
        string="This year's envelopes kgCO2e", compute="_compute_totals", digits=(16, 0)
    )
    reference_practical_kg = fields.Float(
        string="Booked this year kgCO2e", compute="_compute_totals", digits=(16, 0)
    )
    proposed_kg = fields.Float(
        string="Proposed kgCO2e", compute="_compute_totals", digits=(16, 0)
    )
    arbitrated_kg = fields.Float(
        string="Arbitrated kgCO2e", compute="_compute_totals", digits=(16, 0)
    )
    proposed_gap_kg = fields.Float(
        string="Proposals against the target kgCO2e",
        compute="_compute_totals",
        digits=(16, 0),
        help="Sum of the proposals minus the trajectory's target: above zero, the "
        "proposals exceed the trajectory.",
    )
    gap_kg = fields.Float(
        string="Arbitration against the target kgCO2e",
        compute="_compute_totals",
        digits=(16, 0),
        help="Sum of the arbitrated envelopes minus the trajectory's target: above "
        "zero, the envelopes exceed the trajectory.",
    )
    line_count = fields.Integer(compute="_compute_totals")

    _year_range = models.Constraint(
        "CHECK (year BETWEEN 1990 AND 2100)",
        "The year of a carbon budget conference must be between 1990 and 2100.",
    )

    @api.depends("year")
    def _compute_name(self):
        for conference in self:
            conference.name = self.env._(
                "Carbon budget conference %(year)s", year=conference.year or ""
            )

    @api.depends("trajectory_id", "year")
    def _compute_targets(self):
        for conference in self:
            trajectory = conference.trajectory_id
            if trajectory and conference.year:
                conference.target_kg = trajectory.target_kg(conference.year)
                conference.current_target_kg = trajectory.target_kg(conference.year - 1)
            else:
                conference.target_kg = conference.current_target_kg = 0.0

    @api.depends(
        "line_ids.current_planned_kg",
        "line_ids.current_practical_kg",
        "line_ids.proposed_kg",
        "line_ids.arbitrated_kg",
        "target_kg",
    )
    def _compute_totals(self):
        for conference in self:
            lines = conference.line_ids
            conference.line_count = len(lines)
            conference.reference_planned_kg = sum(lines.mapped("current_planned_kg"))
            conference.reference_practical_kg = sum(
                lines.mapped("current_practical_kg")
            )
            conference.proposed_kg = sum(lines.mapped("proposed_kg"))
            conference.arbitrated_kg = sum(lines.mapped("arbitrated_kg"))
            conference.proposed_gap_kg = conference.proposed_kg - conference.target_kg
            conference.gap_kg = conference.arbitrated_kg - conference.target_kg

    # ------------------------------------------------------------------ actions

    def action_open_proposals(self):
        """Open the proposals: one line per direction and emission item of this
        year's budget, with its envelope, its booked carbon and what the
        trajectory's slope leaves of it next year."""
        self._nm_check_group(CONTROLLER)
        for conference in self:
            conference._nm_check_state("draft")
            conference._nm_create_reference_lines()
            conference._nm_workflow_write({"state": "proposals"})
        return True

    def action_start_arbitration(self):
        """Close the proposals; each line's arbitrated envelope starts at its
        proposal."""
        self._nm_check_group(CONTROLLER)
        for conference in self:
            conference._nm_check_state("proposals")
            conference._nm_workflow_write({"state": "arbitration"})
            for line in conference.line_ids:
                # under sudo: the arbitration starts from the proposal
                line.sudo().arbitrated_kg = line.proposed_kg
        return True

    def action_back_to_proposals(self):
        """Reopen the proposals (the arbitrated values and comments are kept in
        the lines' history)."""
        self._nm_check_group(CONTROLLER)
        for conference in self:
            conference._nm_check_state("arbitration")
            conference._nm_workflow_write({"state": "proposals"})
        return True

    def action_vote(self):
        """Record the assembly's vote: the arbitrated envelopes become the planned
        kgCO2e of the year's budget lines."""
        if not (
            self.env.su
            or self.env.user.has_group(CONTROLLER)
            or self.env.user.has_group(APPROVER)
        ):
            raise AccessError(
                self.env._(
                    "Only the carbon controllers and the approvers record the "
                    "assembly's vote."
                )
            )
        for conference in self:
            conference._nm_check_state("arbitration")
            conference._nm_check_can_vote()
        for conference in self:
            conference._nm_apply_voted_envelopes()
            conference._nm_workflow_write(
                {
                    "state": "voted",
                    "voted_date": fields.Datetime.now(),
                    "voted_by_id": self.env.user.id,
                }
            )
            conference.message_post(
                body=self.env._(
                    "Voted by the assembly (deliberation %(number)s of %(date)s): "
                    "%(count)s envelopes written in the budget %(budget)s.",
                    number=conference.deliberation_number,
                    date=fields.Date.to_string(conference.deliberation_date),
                    count=len(conference.line_ids),
                    budget=conference.budget_id.display_name,
                )
            )
        return True

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nm_carbon_conference.nm_carbon_conference_line_action"
        )
        action["domain"] = [("conference_id", "=", self.id)]
        action["context"] = {"default_conference_id": self.id}
        return action

    def action_print_lettres(self):
        self.ensure_one()
        return self.env.ref("nm_carbon_conference.report_lettre_cadrage").report_action(
            self
        )

    # ------------------------------------------------------------------ business

    def _nm_check_group(self, group):
        if not (self.env.su or self.env.user.has_group(group)):
            raise AccessError(
                self.env._(
                    "Only the carbon controllers run the carbon budget conference: "
                    "ask one of them."
                )
            )

    def _nm_check_state(self, state):
        self.ensure_one()
        if self.state != state:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(conference)s is at the step “%(current)s”; this button works "
                    "at the step “%(expected)s”.",
                    conference=self.display_name,
                    current=labels[self.state],
                    expected=labels[state],
                )
            )

    def _nm_check_can_vote(self):
        self.ensure_one()
        if not self.deliberation_number or not self.deliberation_date:
            raise UserError(
                self.env._(
                    "Enter the number and the date of the assembly's deliberation "
                    "before recording the vote of %(conference)s.",
                    conference=self.display_name,
                )
            )
        budget = self.budget_id
        if not budget:
            raise UserError(
                self.env._(
                    "Choose the draft budget of %(year)s that receives the voted "
                    "envelopes.",
                    year=self.year,
                )
            )
        if budget.state != "draft":
            raise UserError(
                self.env._(
                    "The budget %(budget)s is no longer a draft: the voted envelopes "
                    "can only be written in a draft budget. Reset it to draft or "
                    "choose another budget; once voted, envelopes change through a "
                    "DM carbone.",
                    budget=budget.display_name,
                )
            )
        if budget.date_from.year != self.year or budget.date_to.year != self.year:
            raise UserError(
                self.env._(
                    "The budget %(budget)s does not cover the year %(year)s of the "
                    "conference: choose the budget of %(year)s.",
                    budget=budget.display_name,
                    year=self.year,
                )
            )
        if budget.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "The budget %(budget)s belongs to another organisation.",
                    budget=budget.display_name,
                )
            )

    def _nm_create_reference_lines(self):
        """One proposal line per direction × emission item of this year's budget
        (lines with a direction), summing its planned and booked kgCO2e."""
        self.ensure_one()
        budget_lines = self.reference_budget_id.crossovered_budget_line_ids.filtered(
            "analytic_account_id"
        )
        figures = budget_lines._practical_figures()
        totals = defaultdict(lambda: [0.0, 0.0])
        for line in budget_lines:
            key = (line.analytic_account_id.id, line.general_budget_id.id)
            totals[key][0] += line.planned_carbon_kg
            totals[key][1] += figures.get(line.id, (0.0, 0.0))[1]
        existing = {
            (line.analytic_account_id.id, line.general_budget_id.id)
            for line in self.line_ids
        }
        vals_list = []
        for (account_id, position_id), (planned, practical) in totals.items():
            if (account_id, position_id) in existing:
                continue
            direction = self.env["account.analytic.account"].browse(account_id)
            suggested = round(planned * self._nm_trajectory_share(direction), 0)
            vals_list.append(
                {
                    "conference_id": self.id,
                    "analytic_account_id": account_id,
                    "general_budget_id": position_id,
                    "current_planned_kg": planned,
                    "current_practical_kg": practical,
                    "suggested_kg": suggested,
                    "proposed_kg": suggested,
                }
            )
        # the snapshot fields belong to the workflow
        self.env["nm.carbon.conference.line"].sudo().create(vals_list)

    def _nm_trajectory_share(self, direction):
        """Next year's share of this year's ceiling on the direction's own
        trajectory, else the organisation's."""
        self.ensure_one()
        trajectory = (
            self.env["nm.carbon.trajectory"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("analytic_account_id", "=", direction.id),
                ],
                limit=1,
            )
            or self.trajectory_id
        )
        if not trajectory:
            return 1.0
        return trajectory_share(
            trajectory.target_kg(self.year), trajectory.target_kg(self.year - 1)
        )

    def _nm_apply_voted_envelopes(self):
        """Write each line's arbitrated envelope as the planned kgCO2e of the
        budget's line for its direction and emission item, creating it if
        missing. Under sudo: the budget lines are the controllers' and the
        approvers' vote writes them."""
        self.ensure_one()
        budget = self.budget_id.sudo()
        BudgetLine = self.env["crossovered.budget.lines"].sudo()
        by_key = defaultdict(lambda: BudgetLine)
        for budget_line in budget.crossovered_budget_line_ids:
            key = (
                budget_line.analytic_account_id.id,
                budget_line.general_budget_id.id,
            )
            by_key[key] |= budget_line
        lines = self.line_ids.sudo()
        for line in lines:
            key = (line.analytic_account_id.id, line.general_budget_id.id)
            if len(by_key[key]) > 1:
                raise UserError(
                    self.env._(
                        "The budget %(budget)s has several lines for %(direction)s – "
                        "%(position)s: keep one line per direction and position "
                        "before recording the vote.",
                        budget=budget.display_name,
                        direction=line.analytic_account_id.display_name,
                        position=line.general_budget_id.display_name,
                    )
                )
        for line in lines:
            key = (line.analytic_account_id.id, line.general_budget_id.id)
            target = by_key[key]
            if target:
                target.write({"planned_carbon_kg": line.arbitrated_kg})
            else:
                target = BudgetLine.create(
                    {
                        "crossovered_budget_id": budget.id,
                        "analytic_account_id": line.analytic_account_id.id,
                        "general_budget_id": line.general_budget_id.id,
                        "date_from": budget.date_from,
                        "date_to": budget.date_to,
                        "planned_amount": 0.0,
                        "planned_carbon_kg": line.arbitrated_kg,
                    }
                )
            line.write({"voted_kg": line.arbitrated_kg, "budget_line_id": target.id})
