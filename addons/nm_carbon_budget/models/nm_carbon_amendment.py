# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .nm_locked_mixin import ALL

# States in which a DM's content is frozen: under approval, approved, applied,
# cancelled (sent back to draft to be edited again).
FROZEN_STATES = ("submitted", "approved", "applied", "cancel")


def format_kg(value):
    """12345.6 -> '12 346' (kgCO2e rounded to the kg, thin grouping)."""
    return f"{value:,.0f}".replace(",", "\N{NO-BREAK SPACE}")


class NmCarbonAmendment(models.Model):
    """Décision modificative carbone: moves, raises or lowers carbon envelopes of
    one budget, approved through tier validation and applied all at once."""

    _name = "nm.carbon.amendment"
    _description = "Carbon budget amendment (DM carbone)"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "tier.validation",
        "nm.locked.mixin",
    ]
    _order = "date desc, id desc"

    # The state and what the workflow records change only through the action_*
    # methods and the approval tiers; the chain fields only through sealing.
    _nm_workflow_fields = frozenset(
        {
            "state",
            "applied_date",
            "applied_by_id",
            "chain_sequence",
            "chain_previous_hash",
            "chain_hash",
            "review_ids",
        }
    )
    _nm_locked_fields = dict.fromkeys(FROZEN_STATES, ALL)
    _nm_undeletable_states = ("submitted", "approved", "applied")

    _state_from = ["draft", "submitted"]
    _state_to = ["approved", "applied"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False

    name = fields.Char(
        string="Number", required=True, copy=False, readonly=True, default="/"
    )
    date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True, copy=False
    )
    budget_id = fields.Many2one(
        "crossovered.budget",
        required=True,
        index=True,
        tracking=True,
        domain=[("state", "not in", ("cancel", "done"))],
    )
    company_id = fields.Many2one(
        related="budget_id.company_id", store=True, index=True, string="Company"
    )
    amendment_type = fields.Selection(
        [
            ("transfer", "Transfer between envelopes"),
            ("increase", "Increase"),
            ("decrease", "Decrease"),
        ],
        string="Type",
        required=True,
        default="transfer",
        tracking=True,
    )
    justification = fields.Text(
        required=True,
        help="Why the envelopes change: it is read by the approvers and kept with "
        "the budget's history.",
    )
    line_ids = fields.One2many(
        "nm.carbon.amendment.line", "amendment_id", string="Lines", copy=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "To approve"),
            ("approved", "Approved"),
            ("cancel", "Cancelled"),
            ("applied", "Applied"),
        ],
        default="draft",
        required=True,
        copy=False,
        tracking=True,
        index=True,
    )
    total_delta_kg = fields.Float(
        string="Net change (kgCO2e)", compute="_compute_totals", digits=(16, 0)
    )
    increase_kg = fields.Float(
        string="Added to envelopes (kgCO2e)", compute="_compute_totals", digits=(16, 0)
    )
    direction_ids = fields.Many2many(
        "account.analytic.account",
        string="Directions",
        compute="_compute_totals",
    )
    direction_head_ids = fields.Many2many(
        "res.users",
        string="Direction heads",
        compute="_compute_direction_head_ids",
        help="Reviewers of the direction-head tier: the heads of the amendment's "
        "directions; the carbon controllers for a direction without a head.",
    )
    needs_top_tier = fields.Boolean(
        string="Needs the executive",
        compute="_compute_needs_top_tier",
        help="Increases of the organisation's total, transfers between directions "
        "and transfers inside a direction beyond the executive margin need the "
        "executive / elected approval tier.",
    )
    organisation_before_kg = fields.Float(
        string="Organisation total before (kgCO2e)",
        compute="_compute_trajectory",
        digits=(16, 0),
    )
    organisation_after_kg = fields.Float(
        string="Organisation total after (kgCO2e)",
        compute="_compute_trajectory",
        digits=(16, 0),
    )
    trajectory_target_kg = fields.Float(
        string="Trajectory target (kgCO2e)",
        compute="_compute_trajectory",
        digits=(16, 0),
    )
    trajectory_gap_kg = fields.Float(
        string="Above the trajectory (kgCO2e)",
        compute="_compute_trajectory",
        digits=(16, 0),
        help="Organisation total after the amendment minus the trajectory target of "
        "the budget's year; positive when the total is above the trajectory.",
    )
    applied_date = fields.Datetime(readonly=True, copy=False)
    applied_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    @api.depends("line_ids.delta_kg", "line_ids.budget_line_id")
    def _compute_totals(self):
        for amendment in self:
            deltas = amendment.line_ids.mapped("delta_kg")
            amendment.total_delta_kg = sum(deltas)
            amendment.increase_kg = sum(d for d in deltas if d > 0)
            amendment.direction_ids = (
                amendment.line_ids.budget_line_id.analytic_account_id
            )

    @api.depends("line_ids.budget_line_id.analytic_account_id.direction_head_ids")
    def _compute_direction_head_ids(self):
        controllers = self.env.ref("nm_carbon_budget.group_carbon_controller").sudo()
        for amendment in self:
            directions = amendment.sudo().line_ids.budget_line_id.analytic_account_id
            heads = directions.direction_head_ids
            if not directions or any(not d.direction_head_ids for d in directions):
                company = amendment.company_id
                heads |= controllers.all_user_ids.filtered(
                    lambda u, company=company: u.company_ids & company
                )
            amendment.direction_head_ids = heads

    @api.depends(
        "amendment_type",
        "line_ids.delta_kg",
        "line_ids.budget_line_id",
        "company_id.carbon_amendment_executive_margin",
    )
    def _compute_needs_top_tier(self):
        for amendment in self:
            amendment.needs_top_tier = amendment._needs_top_tier()

    def _needs_top_tier(self):
        """An increase of the total, a transfer between directions and a transfer
        inside one direction above the executive margin go up to the top tier."""
        self.ensure_one()
        if self.amendment_type == "decrease":
            return False
        if self.amendment_type == "increase" or self.total_delta_kg > 0.5:
            return True
        directions = self.line_ids.budget_line_id.analytic_account_id
        if len(directions) != 1:
            return True
        margin = self.company_id.carbon_amendment_executive_margin
        if not margin:
            return True
        envelope = sum(
            self.budget_id.crossovered_budget_line_ids.filtered(
                lambda line: line.analytic_account_id == directions
            ).mapped("planned_carbon_kg")
        )
        return self.increase_kg > envelope * margin / 100.0

    @api.depends("line_ids.delta_kg", "budget_id", "state")
    def _compute_trajectory(self):
        Trajectory = self.env["nm.carbon.trajectory"]
        for amendment in self:
            budget = amendment.budget_id
            total = sum(budget.crossovered_budget_line_ids.mapped("planned_carbon_kg"))
            if amendment.state == "applied":
                before, after = total - amendment.total_delta_kg, total
            else:
                before, after = total, total + amendment.total_delta_kg
            amendment.organisation_before_kg = before
            amendment.organisation_after_kg = after
            trajectory = (
                Trajectory._find_for(company=budget.company_id)
                if budget
                else Trajectory
            )
            target = trajectory.target_kg(budget.date_from.year) if trajectory else 0.0
            amendment.trajectory_target_kg = target
            amendment.trajectory_gap_kg = after - target if trajectory else 0.0

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                date = fields.Date.to_date(
                    vals.get("date")
                ) or fields.Date.context_today(self)
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code(
                        "nm.carbon.amendment", sequence_date=date
                    )
                    or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        # Checked before tier.validation's own write, which deletes the reviews
        # of a document whose state goes back.
        if not self.env.su:
            self._nm_check_write(vals)
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self._nm_check_unlink()
        # the reviews of a deletable draft are the workflow's, removed with it
        self.sudo().review_ids.unlink()
        return super().unlink()

    # ------------------------------------------------------------------ rights

    def _nm_check_can_act(self):
        """Submitting, cancelling or sending back to draft is for those who may
        edit the DM: the heads of its directions and the controllers."""
        if self.env.su:
            return
        self.check_access("write")

    def _nm_check_can_apply(self):
        if self.env.su or self.env.user.has_group(
            "nm_carbon_budget.group_carbon_controller"
        ):
            return
        raise AccessError(
            self.env._(
                "Only a carbon controller applies an approved carbon amendment to "
                "the envelopes."
            )
        )

    def _nm_check_reviewer(self, tiers):
        """Only a reviewer of the tier now open may approve or reject it."""
        self.ensure_one()
        if self.env.su:
            return
        self.check_access("read")
        reviews = self.sudo().review_ids
        if tiers:
            reviews &= tiers.sudo()
        current = reviews.filtered(
            lambda r: (
                r.status in ("waiting", "pending")
                and r.can_review
                and self.env.user in r.reviewer_ids
            )
        )
        if not current:
            open_reviews = self.sudo().review_ids.filtered(
                lambda r: r.status == "pending"
            )
            raise AccessError(
                self.env._(
                    "You are not a reviewer of the tier %(name)s waits for "
                    "(%(tier)s): only its assigned reviewers can approve or reject it.",
                    name=self.name,
                    tier=", ".join(open_reviews.mapped("name")) or self.env._("none"),
                )
            )

    # ------------------------------------------------------------------ actions

    def action_submit(self):
        """Check the rules, then ask for approval through the tiers."""
        self._nm_check_can_act()
        for amendment in self:
            if amendment.state != "draft":
                raise UserError(
                    self.env._(
                        "Only a draft amendment can be submitted (%(name)s).",
                        name=amendment.name,
                    )
                )
            amendment._check_rules()
        self._nm_workflow_write({"state": "submitted"})
        for amendment in self:
            # need_validation has no dependencies: never trust a cached value
            amendment.invalidate_recordset(["need_validation"])
            if amendment.sudo().need_validation:
                amendment._nm_request_validation()
                amendment.invalidate_recordset(["need_validation"])
            else:
                # No tier applies (an administrator removed them): approved at once.
                amendment._nm_workflow_write({"state": "approved"})
        return True

    def action_draft(self):
        self._nm_check_can_act()
        for amendment in self:
            if amendment.state not in ("submitted", "cancel"):
                raise UserError(
                    self.env._(
                        "Only an amendment waiting for approval or cancelled can go "
                        "back to draft."
                    )
                )
        self._nm_restart_validation()
        self._nm_workflow_write({"state": "draft"})
        return True

    def action_cancel(self):
        self._nm_check_can_act()
        if any(a.state == "applied" for a in self):
            raise UserError(
                self.env._(
                    "An applied amendment cannot be cancelled: create a new amendment "
                    "that reverses it."
                )
            )
        self._nm_workflow_write({"state": "cancel"})
        return True

    def action_apply(self):
        """Apply every line or none, under a lock on the budget lines."""
        self._nm_check_can_apply()
        for amendment in self.sorted("id"):
            amendment._apply()
        return True

    # ------------------------------------------------------------------ tiers
    # The tier.review records of a DM change only here, as superuser, once the
    # current user has been checked (see tier_review.py).

    def request_validation(self):
        """Public in base_tier_validation (its "Request validation" button): from
        a user, it submits a draft through the rules; it never adds reviews to a
        DM already under approval."""
        if self.env.su:
            return super().request_validation()
        if any(a.state != "draft" for a in self):
            raise UserError(
                self.env._(
                    "This amendment is already under approval or decided: its "
                    "reviews are created when a draft is submitted."
                )
            )
        self.action_submit()
        return self.sudo().review_ids

    def _nm_request_validation(self):
        return super(NmCarbonAmendment, self.sudo()).request_validation()

    def restart_validation(self):
        self._nm_check_can_act()
        return self._nm_restart_validation()

    def _nm_restart_validation(self):
        return super(NmCarbonAmendment, self.sudo()).restart_validation()

    def _validate_tier(self, tiers=False):
        self._nm_check_reviewer(tiers)
        res = super(NmCarbonAmendment, self.sudo())._validate_tier(
            tiers and (tiers.sudo() & self.sudo().review_ids)
        )
        self.invalidate_recordset(["need_validation", "validation_status"])
        if self.state == "submitted" and self.sudo().validation_status == "validated":
            self._nm_workflow_write({"state": "approved"})
        return res

    def _rejected_tier(self, tiers=False):
        self._nm_check_reviewer(tiers)
        return super(NmCarbonAmendment, self.sudo())._rejected_tier(
            tiers and (tiers.sudo() & self.sudo().review_ids)
        )

    @api.model
    def _update_counter(self, review_counter):
        # promotes the next tier's reviews to pending: the workflow's write
        return super(NmCarbonAmendment, self.sudo())._update_counter(review_counter)

    def _check_rules(self):
        """Raise a UserError naming what is wrong, before anything is written."""
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("Add at least one line to the amendment."))
        if any(line.delta_kg == 0 for line in self.line_ids):
            raise UserError(
                self.env._(
                    "Every line must change its envelope: remove the lines at 0 kg."
                )
            )
        if self.budget_id.state in ("cancel", "done"):
            raise UserError(
                self.env._(
                    "The budget %(budget)s is closed or cancelled: it cannot be "
                    "amended.",
                    budget=self.budget_id.display_name,
                )
            )
        self.line_ids._check_budget()
        total = self.total_delta_kg
        if self.amendment_type == "transfer" and round(total) != 0:
            raise UserError(
                self.env._(
                    "A transfer must add up to zero, but its lines add up to "
                    "%(total)s kgCO2e: it is off by %(gap)s kg. Take %(gap)s kg "
                    "%(where)s.",
                    total=("+" if total > 0 else "") + format_kg(total),
                    gap=format_kg(abs(total)),
                    where=self.env._("from another line")
                    if total > 0
                    else self.env._("less from the lines that give"),
                )
            )
        if self.amendment_type == "increase" and any(
            line.delta_kg < 0 for line in self.line_ids
        ):
            raise UserError(
                self.env._(
                    "An increase only adds to envelopes; use a transfer to move "
                    "carbon between lines."
                )
            )
        if self.amendment_type == "decrease" and any(
            line.delta_kg > 0 for line in self.line_ids
        ):
            raise UserError(
                self.env._(
                    "A decrease only lowers envelopes; use a transfer to move "
                    "carbon between lines."
                )
            )
        self._check_no_negative_envelope(
            {line.id: line.planned_carbon_kg for line in self.line_ids.budget_line_id}
        )

    def _deltas_by_budget_line(self):
        deltas = defaultdict(float)
        for line in self.line_ids:
            deltas[line.budget_line_id.id] += line.delta_kg
        return deltas

    def _check_no_negative_envelope(self, current_by_line):
        deltas = self._deltas_by_budget_line()
        negative = [
            line_id
            for line_id, delta in deltas.items()
            if current_by_line[line_id] + delta < -0.5
        ]
        if negative:
            lines = self.env["crossovered.budget.lines"].browse(negative)
            raise UserError(
                self.env._(
                    "An envelope cannot go below zero: %(lines)s.",
                    lines="; ".join(
                        self.env._(
                            "%(line)s has %(current)s kg and would lose %(delta)s kg",
                            line=line.analytic_account_id.display_name
                            + " / "
                            + line.general_budget_id.display_name,
                            current=format_kg(current_by_line[line.id]),
                            delta=format_kg(-deltas[line.id]),
                        )
                        for line in lines
                    ),
                )
            )

    def _check_top_tier_approved(self):
        """The top tier is a rule of the domain, not only a configuration: an
        amendment that needs it is applied only once an approver has approved it."""
        self.ensure_one()
        if not self.needs_top_tier:
            return
        # tier.review of a DM is written only by the workflow (tier_review.py):
        # who approved, and for which tier, cannot be forged by a user.
        approver_group = self.env.ref("nm_carbon_budget.group_carbon_approver")
        approvers = (
            self.sudo()
            .review_ids.filtered(
                lambda r: (
                    r.status == "approved"
                    and r.definition_id.reviewer_group_id == approver_group
                )
            )
            .done_by
        )
        if not any(
            user.has_group("nm_carbon_budget.group_carbon_approver")
            for user in approvers
        ):
            raise UserError(
                self.env._(
                    "%(name)s needs the approval of the executive or an elected "
                    "official before it is applied.",
                    name=self.name,
                )
            )

    def _apply(self):
        self.ensure_one()
        cr = self.env.cr
        self.flush_recordset(["state"])
        # Lock the amendment first, so that it is applied once even when two
        # users click at the same time; NOWAIT: the loser fails at once and the
        # server retries its request on the committed state.
        cr.execute(
            SQL(
                "SELECT state FROM nm_carbon_amendment WHERE id = %s FOR UPDATE NOWAIT",
                self.id,
            )
        )
        state = cr.fetchone()[0]
        if state == "applied":
            raise UserError(
                self.env._("%(name)s has already been applied.", name=self.name)
            )
        if state != "approved":
            raise UserError(
                self.env._(
                    "%(name)s must be approved through all its tiers before it is "
                    "applied.",
                    name=self.name,
                )
            )
        self._check_top_tier_approved()
        self._check_rules_for_apply()
        budget_lines = self.line_ids.budget_line_id
        # Lock the envelopes in a stable order: two amendments touching the same
        # lines never deadlock and never overwrite each other's update.
        budget_lines.flush_recordset(["planned_carbon_kg"])
        cr.execute(
            SQL(
                """SELECT id, planned_carbon_kg FROM crossovered_budget_lines
                    WHERE id = ANY(%s) ORDER BY id FOR UPDATE NOWAIT""",
                sorted(budget_lines.ids),
            )
        )
        current = {line_id: kg or 0.0 for line_id, kg in cr.fetchall()}
        budget_lines.invalidate_recordset(["planned_carbon_kg"])
        self._check_no_negative_envelope(current)
        running = dict(current)
        for line in self.line_ids.sorted("id"):
            before = running[line.budget_line_id.id]
            running[line.budget_line_id.id] = before + line.delta_kg
            line._nm_workflow_write(
                {"before_kg": before, "after_kg": before + line.delta_kg}
            )
        for budget_line in budget_lines.sorted("id"):
            budget_line._nm_workflow_write(
                {"planned_carbon_kg": running[budget_line.id]}
            )
        self._nm_workflow_write(
            {
                "state": "applied",
                "applied_date": fields.Datetime.now(),
                "applied_by_id": self.env.uid,
            }
        )
        self.flush_recordset()
        self.line_ids.flush_recordset()
        budget_lines.flush_recordset()
        self.budget_id.message_post(body=self._applied_message())
        self.message_post(body=self._applied_message())

    def _check_rules_for_apply(self):
        self.ensure_one()
        self.line_ids._check_budget()
        if self.amendment_type == "transfer" and round(self.total_delta_kg) != 0:
            raise UserError(self.env._("A transfer must add up to zero."))

    def _applied_message(self):
        rows = Markup("").join(
            Markup("<li>%s / %s: %s → %s kgCO2e (%s)</li>")
            % (
                line.budget_line_id.analytic_account_id.display_name,
                line.budget_line_id.general_budget_id.display_name,
                format_kg(line.before_kg),
                format_kg(line.after_kg),
                ("+" if line.delta_kg > 0 else "") + format_kg(line.delta_kg),
            )
            for line in self.line_ids.sorted("id")
        )
        title = escape(
            self.env._(
                "Carbon amendment %(name)s applied: %(justification)s",
                name=self.name,
                justification=self.justification,
            )
        )
        message = Markup("<p>%s</p><ul>%s</ul>") % (title, rows)
        self.invalidate_recordset(
            ["organisation_after_kg", "trajectory_target_kg", "trajectory_gap_kg"]
        )
        if self.total_delta_kg > 0 and self.trajectory_gap_kg > 0:
            message += Markup("<p>%s</p>") % self.env._(
                "The organisation's total, %(after)s kgCO2e, is %(gap)s kg above "
                "the trajectory target of %(target)s kgCO2e.",
                after=format_kg(self.organisation_after_kg),
                gap=format_kg(self.trajectory_gap_kg),
                target=format_kg(self.trajectory_target_kg),
            )
        return message

    @api.model
    def _demo_approve(self, amendment_ids, tiers=None):
        """Demo data: approve the pending tiers (all, or the first ``tiers``) as
        one of their reviewers."""
        for amendment in self.browse(amendment_ids):
            for _round in range(tiers or len(amendment.review_ids)):
                pending = amendment.review_ids.filtered(
                    lambda r: r.status == "pending"
                ).sorted("sequence")[:1]
                if not pending or not pending.reviewer_ids:
                    break
                amendment.with_user(pending.reviewer_ids[0]).validate_tier()
        return True


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    @api.model
    def _get_tier_validation_model_names(self):
        res = super()._get_tier_validation_model_names()
        res.append("nm.carbon.amendment")
        return res
