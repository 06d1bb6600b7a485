# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare
from odoo.tools.misc import format_date, formatLang

from .nm_locked_mixin import ALL

# States in which a DM's content is frozen: under approval, approved, applied,
# cancelled (sent back to draft to be edited again).
FROZEN_STATES = ("submitted", "approved", "applied", "cancel")
# Recorded by controllers and approvers once the assembly has voted, while the DM
# waits to be applied; frozen with the DM once applied.
DELIBERATION_FIELDS = frozenset({"deliberation_number", "deliberation_date"})
DELIBERATION_GROUPS = (
    "nm_carbon_budget.group_carbon_controller",
    "nm_carbon_budget.group_carbon_approver",
)
# The M57 routes of a DM, from the lightest to the heaviest (see _nm_route).
ROUTES = [
    ("direction", "Inside a direction"),
    ("executive", "Executive"),
    ("assembly", "Deliberative assembly"),
]
ROUTE_ORDER = {route: rank for rank, (route, _label) in enumerate(ROUTES)}


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
            "approval_route",
            "moved_between_kg",
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
    moved_between_kg = fields.Float(
        string="Moved between directions (kgCO2e)",
        compute="_compute_moved_between_kg",
        store=True,
        digits=(16, 0),
        help="The sum of the directions' net increases: what the amendment moves "
        "from some directions to others. Moves between the emission items of one "
        "direction do not count.",
    )
    approval_route = fields.Selection(
        ROUTES,
        string="Decided by",
        compute="_compute_approval_route",
        store=True,
        tracking=True,
        help="Inside a direction (moves between its emission items, total "
        "unchanged): the direction head and the carbon controller. Between "
        "directions, total unchanged, within what is left of the year's executive "
        "margin: the executive, reported to the assembly. Anything else (beyond "
        "the margin, any increase or decrease of the total): the deliberative "
        "assembly's vote.",
    )
    deliberation_number = fields.Char(
        tracking=True,
        copy=False,
        help="Number of the deliberative assembly's deliberation that voted the "
        "amendment: required before applying an amendment the assembly decides.",
    )
    deliberation_date = fields.Date(tracking=True, copy=False)
    executive_margin_kg = fields.Float(
        string="Executive margin (kgCO2e)",
        compute="_compute_executive_margin",
        digits=(16, 0),
        help="The company's executive margin (%) of the envelopes voted in the "
        "budget (before any amendment).",
    )
    executive_margin_used_kg = fields.Float(
        string="Executive margin used (kgCO2e)",
        compute="_compute_executive_margin",
        digits=(16, 0),
        help="Moved between directions by the budget's other applied amendments "
        "the executive decided.",
    )
    executive_margin_left_kg = fields.Float(
        string="Executive margin left (kgCO2e)",
        compute="_compute_executive_margin",
        digits=(16, 0),
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

    @api.depends("line_ids.delta_kg", "line_ids.budget_line_id")
    def _compute_moved_between_kg(self):
        for amendment in self:
            amendment.moved_between_kg = amendment._nm_moved_between_kg()

    def _nm_moved_between_kg(self):
        """The sum of the directions' net increases (for a balanced transfer, the
        sum of their net decreases too)."""
        self.ensure_one()
        by_direction = defaultdict(float)
        for line in self.line_ids:
            by_direction[line.budget_line_id.analytic_account_id.id] += line.delta_kg
        return sum(delta for delta in by_direction.values() if delta > 0)

    @api.model
    def _nm_executive_margins(self, budgets, exclude_ids=(), flush_routes=True):
        """{budget id: (margin kg, used kg)} in two grouped queries, whatever the
        number of budgets.

        The margin is the company's percentage of the envelopes voted in the
        budget: its lines' planned kgCO2e minus the applied amendments (so that
        neither the assembly's increases nor the transfers move it during the
        year). Used: what the budget's applied amendments the executive decided
        moved between directions (``exclude_ids`` left out)."""
        budgets = budgets.sudo()
        if not budgets:
            return {}
        self.env["crossovered.budget.lines"].flush_model(
            ["crossovered_budget_id", "planned_carbon_kg"]
        )
        self.env["nm.carbon.amendment.line"].flush_model(["amendment_id", "delta_kg"])
        # the routes are not flushed from their own compute (applied DMs' routes
        # are in the database: they were flushed when applied)
        self.flush_model(
            ["budget_id", "state"]
            + (["approval_route", "moved_between_kg"] if flush_routes else [])
        )
        budgets.company_id.flush_recordset(["carbon_amendment_executive_margin"])
        self.env.cr.execute(
            SQL(
                """
                SELECT budget.id,
                       COALESCE(company.carbon_amendment_executive_margin, 0),
                       COALESCE((SELECT SUM(line.planned_carbon_kg)
                                   FROM crossovered_budget_lines line
                                  WHERE line.crossovered_budget_id = budget.id), 0)
                     - COALESCE((SELECT SUM(dm_line.delta_kg)
                                   FROM nm_carbon_amendment_line dm_line
                                   JOIN nm_carbon_amendment dm
                                     ON dm.id = dm_line.amendment_id
                                  WHERE dm.budget_id = budget.id
                                    AND dm.state = 'applied'), 0),
                       COALESCE((SELECT SUM(dm.moved_between_kg)
                                   FROM nm_carbon_amendment dm
                                  WHERE dm.budget_id = budget.id
                                    AND dm.state = 'applied'
                                    AND dm.approval_route = 'executive'
                                    AND dm.id != ALL(%s)), 0)
                  FROM crossovered_budget budget
                  JOIN res_company company ON company.id = budget.company_id
                 WHERE budget.id = ANY(%s)
                """,
                list(exclude_ids),
                budgets.ids,
            )
        )
        return {
            budget_id: (voted * percent / 100.0, used)
            for budget_id, percent, voted, used in self.env.cr.fetchall()
        }

    @api.depends("budget_id", "approval_route", "state")
    def _compute_executive_margin(self):
        margins = self._nm_executive_margins(
            self.budget_id, exclude_ids=self._origin.ids
        )
        for amendment in self:
            margin, used = margins.get(amendment.budget_id.id, (0.0, 0.0))
            amendment.executive_margin_kg = margin
            amendment.executive_margin_used_kg = used
            amendment.executive_margin_left_kg = max(margin - used, 0.0)

    @api.depends("amendment_type", "line_ids.delta_kg", "line_ids.budget_line_id")
    def _compute_approval_route(self):
        # the lines are frozen once submitted: the route is computed while a draft,
        # and once more when it is submitted, against the margin left then
        margins = self._nm_executive_margins(
            self.budget_id, exclude_ids=self._origin.ids, flush_routes=False
        )
        for amendment in self:
            margin, used = margins.get(amendment.budget_id.id, (0.0, 0.0))
            amendment.approval_route = amendment._nm_route(margin - used)

    def _nm_route(self, margin_left):
        """The M57 rule, in carbon: moves between the emission items of the
        directions (each direction's net change is zero): the direction; moves
        between directions, total unchanged, within the margin left: the
        executive; anything else, an increase or a decrease of the total
        included: the deliberative assembly. ``margin_left`` None: no limit."""
        self.ensure_one()
        deltas = self.line_ids.mapped("delta_kg")
        if self.amendment_type != "transfer" or round(sum(deltas)) != 0:
            return "assembly"
        moved = self._nm_moved_between_kg()
        if not round(moved):
            return "direction"
        if (
            margin_left is None
            or float_compare(moved, margin_left, precision_rounding=1) <= 0
        ):
            return "executive"
        return "assembly"

    def _nm_refresh_route(self):
        """Computed again against the margin left now (other DMs may have been
        applied since the draft was last changed)."""
        self.env.add_to_compute(self._fields["approval_route"], self)
        self._recompute_recordset(["approval_route"])

    @api.depends("line_ids.delta_kg", "budget_id", "state")
    def _compute_trajectory(self):
        """In a number of queries that does not grow with the number of DMs: one
        grouped sum of the budgets' envelopes, one search of the trajectories."""
        budgets = self.budget_id
        totals = {
            budget.id: total
            for budget, total in self.env["crossovered.budget.lines"]._read_group(
                [("crossovered_budget_id", "in", budgets.ids)],
                ["crossovered_budget_id"],
                ["planned_carbon_kg:sum"],
            )
        }
        trajectories = {}
        if budgets:
            for trajectory in self.env["nm.carbon.trajectory"].search(
                [
                    ("company_id", "in", budgets.company_id.ids),
                    ("analytic_account_id", "=", False),
                ]
            ):
                # the first in the model's order, as _find_for takes it
                trajectories.setdefault(trajectory.company_id.id, trajectory)
        for amendment in self:
            budget = amendment.budget_id
            total = totals.get(budget.id, 0.0)
            if amendment.state == "applied":
                before, after = total - amendment.total_delta_kg, total
            else:
                before, after = total, total + amendment.total_delta_kg
            amendment.organisation_before_kg = before
            amendment.organisation_after_kg = after
            trajectory = trajectories.get(budget.company_id.id)
            target = trajectory.target_kg(budget.date_from.year) if trajectory else 0.0
            amendment.trajectory_target_kg = target
            amendment.trajectory_gap_kg = after - target if trajectory else 0.0

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get(name) for vals in vals_list for name in DELIBERATION_FIELDS
        ):
            self._nm_check_can_record_deliberation()
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
            if DELIBERATION_FIELDS & set(vals):
                self._nm_check_can_record_deliberation()
                if set(vals) <= DELIBERATION_FIELDS:
                    # the deliberation is recorded under approval too, where the
                    # rest of the DM is frozen (approvers have no write right)
                    return super(NmCarbonAmendment, self.sudo()).write(vals)
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

    def _nm_check_can_record_deliberation(self):
        """The deliberation's number and date are recorded by controllers and
        approvers, on a DM they read, until it is applied."""
        if not any(self.env.user.has_group(group) for group in DELIBERATION_GROUPS):
            raise AccessError(
                self.env._(
                    "Only a carbon controller or an approver records the deliberative "
                    "assembly's deliberation on a carbon amendment."
                )
            )
        self.check_access("read")
        for amendment in self:
            if amendment.state in ("applied", "cancel"):
                raise UserError(
                    self.env._(
                        "%(name)s is applied or cancelled: its deliberation can no "
                        "longer change.",
                        name=amendment.name,
                    )
                )

    def _nm_kg(self, value, sign=False):
        """kgCO2e rounded to the kg, in the user's language (12 346 in French)."""
        text = formatLang(self.env, value, digits=0)
        return "+" + text if sign and round(value) > 0 else text

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
        # the route is decided against the executive margin left now
        self._nm_refresh_route()
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

    @api.model
    def _get_under_validation_exceptions(self):
        # the assembly's deliberation is recorded while its tier waits
        return super()._get_under_validation_exceptions() + sorted(DELIBERATION_FIELDS)

    @api.model
    def _get_after_validation_exceptions(self):
        return super()._get_after_validation_exceptions() + sorted(DELIBERATION_FIELDS)

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
                    total=self._nm_kg(total, sign=True),
                    gap=self._nm_kg(abs(total)),
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
                            current=self._nm_kg(current_by_line[line.id]),
                            delta=self._nm_kg(-deltas[line.id]),
                        )
                        for line in lines
                    ),
                )
            )

    def _check_route_approved(self):
        """The route is a rule of the domain, not only a configuration: a DM the
        executive or the assembly decides is applied only once an approver has
        approved it, and the assembly's only with its deliberation recorded. The
        route is read again from the lines: a stored value lighter than what the
        lines are (forged in the database) does not count."""
        self.ensure_one()
        route = self.approval_route
        # None: the lightest route the lines allow, whatever the margin left
        lightest = self._nm_route(None)
        if ROUTE_ORDER.get(route, -1) < ROUTE_ORDER[lightest]:
            route = lightest
        if route == "direction":
            return route
        if route == "assembly" and not (
            self.deliberation_number and self.deliberation_date
        ):
            raise UserError(
                self.env._(
                    "%(name)s is decided by the deliberative assembly: enter the "
                    "number and the date of its deliberation before applying it.",
                    name=self.name,
                )
            )
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
                    "%(name)s needs the approval of %(who)s before it is applied.",
                    name=self.name,
                    who=self.env._("the executive")
                    if route == "executive"
                    else self.env._("the deliberative assembly"),
                )
            )
        return route

    def _check_margin_left(self):
        """Under the lock of the budget: the executive margin left, read from the
        committed DMs, still covers this one."""
        self.ensure_one()
        margin, used = self._nm_executive_margins(self.budget_id, exclude_ids=self.ids)[
            self.budget_id.id
        ]
        moved = self._nm_moved_between_kg()
        left = max(margin - used, 0.0)
        if float_compare(moved, left, precision_rounding=1) > 0:
            raise UserError(
                self.env._(
                    "%(name)s moves %(moved)s kgCO2e between directions, but only "
                    "%(left)s kg of the executive margin of %(budget)s is left: other "
                    "transfers were applied since it was submitted. It now needs the "
                    "deliberative assembly's vote: cancel it, set it back to draft "
                    "and submit it again.",
                    name=self.name,
                    moved=self._nm_kg(moved),
                    left=self._nm_kg(left),
                    budget=self.budget_id.display_name,
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
        # Lock the budget, and mark it as changed: a transaction that began
        # before this one commits and applies another DM of the budget meets a
        # serialization failure (retried by the server, then reading the margin
        # this one consumed), never a stale margin.
        cr.execute(
            SQL(
                """SELECT id FROM crossovered_budget WHERE id = %s
                    FOR UPDATE NOWAIT""",
                self.budget_id.id,
            )
        )
        cr.execute(
            SQL(
                """UPDATE crossovered_budget SET write_date = now() at time zone 'UTC'
                    WHERE id = %s""",
                self.budget_id.id,
            )
        )
        route = self._check_route_approved()
        if route == "executive":
            self._check_margin_left()
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
                self._nm_kg(line.before_kg),
                self._nm_kg(line.after_kg),
                self._nm_kg(line.delta_kg, sign=True),
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
        if self.approval_route == "assembly" and self.deliberation_number:
            message += Markup("<p>%s</p>") % self.env._(
                "Voted by the deliberative assembly: deliberation %(number)s of "
                "%(date)s.",
                number=self.deliberation_number,
                date=format_date(self.env, self.deliberation_date),
            )
        elif self.approval_route == "executive":
            message += Markup("<p>%s</p>") % self.env._(
                "Decided by the executive within its margin: %(moved)s kgCO2e moved "
                "between directions, listed in the statement of the year's "
                "executive transfers for the assembly.",
                moved=self._nm_kg(self.moved_between_kg),
            )
        self.invalidate_recordset(
            ["organisation_after_kg", "trajectory_target_kg", "trajectory_gap_kg"]
        )
        if self.total_delta_kg > 0 and self.trajectory_gap_kg > 0:
            message += Markup("<p>%s</p>") % self.env._(
                "The organisation's total, %(after)s kgCO2e, is %(gap)s kg above "
                "the trajectory target of %(target)s kgCO2e.",
                after=self._nm_kg(self.organisation_after_kg),
                gap=self._nm_kg(self.trajectory_gap_kg),
                target=self._nm_kg(self.trajectory_target_kg),
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
