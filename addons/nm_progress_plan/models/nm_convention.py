# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.nm_carbon_budget.models.nm_locked_mixin import ALL

from ..tools.progress import add_months, interim_dates
from .nm_progress_clause_template import MATURITIES

FREQUENCY_MONTHS = {"quarterly": 3, "half_yearly": 6, "yearly": 12, "end": 0}
LOCKED_STATES = ("signed", "assessment", "closed")
# What was signed: it changes only through an amendment or the next convention.
SIGNED_FIELDS = (
    "name",
    "title",
    "partner_id",
    "company_id",
    "date_start",
    "date_end",
    "subsidy_amount",
    "convention_type",
)


class NmConvention(models.Model):
    _name = "nm.convention"
    _description = "Convention with an operator"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "nm.locked.mixin",
    ]
    _order = "date_start desc, id desc"
    # the paying direction and its budget line belong to the convention's company
    _check_company_auto = True
    # operators write to the culture direction from the convention's portal page
    _mail_post_access = "read"
    _nm_workflow_fields = frozenset({"state", "previous_convention_id"})
    _nm_locked_fields = {
        "signed": SIGNED_FIELDS,
        "assessment": SIGNED_FIELDS,
        "closed": ALL,
    }
    _nm_undeletable_states = ("negotiation", "signed", "assessment", "closed")

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        default="/",
        tracking=True,
    )
    title = fields.Char(string="Subject", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Operator",
        required=True,
        tracking=True,
        index=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
        help="Culture direction officer following the convention; notified when the "
        "operator submits a review.",
    )
    convention_type = fields.Selection(
        [
            ("annual", "Annual convention"),
            ("cpo", "Multi-year objective convention (CPO)"),
        ],
        string="Type",
        required=True,
        default="cpo",
        tracking=True,
    )
    date_start = fields.Date(string="Start date", required=True, tracking=True)
    date_end = fields.Date(string="End date", required=True, tracking=True)
    subsidy_amount = fields.Monetary(string="Yearly subsidy", tracking=True)
    # The city's own accounting and appraisal: staff only, never the operator's.
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Paying direction",
        tracking=True,
        check_company=True,
        groups="base.group_user",
        help="The direction's analytic account the subsidy is paid from.",
    )
    budget_line_id = fields.Many2one(
        "crossovered.budget.lines",
        string="Budget line",
        check_company=True,
        domain="[('analytic_account_id', '=', analytic_account_id)]",
        groups="base.group_user",
    )
    operator_maturity = fields.Selection(
        MATURITIES,
        required=True,
        default="starting",
        tracking=True,
        groups="base.group_user",
    )
    review_grace_days = fields.Integer(
        string="Days accepted after a review's due date",
        default=0,
        tracking=True,
        help="A review still open this many days after its due date closes, "
        "without submission. 0: it closes the day after its due date.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("negotiation", "Negotiation"),
            ("signed", "Signed"),
            ("assessment", "Final assessment"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        index=True,
    )
    clause_ids = fields.One2many(
        "nm.progress.clause", "convention_id", string="Clauses", copy=True
    )
    review_ids = fields.One2many(
        "nm.progress.review", "convention_id", string="Reviews"
    )
    measure_ids = fields.One2many(
        "nm.progress.measure", "convention_id", string="Measures"
    )
    adjustment_ids = fields.One2many(
        "nm.progress.adjustment", "convention_id", string="Adjustments"
    )
    previous_convention_id = fields.Many2one(
        "nm.convention",
        string="Previous convention",
        copy=False,
        readonly=True,
        index=True,
    )
    next_convention_ids = fields.One2many(
        "nm.convention", "previous_convention_id", string="Next conventions"
    )
    assessment_summary = fields.Html(
        string="Final assessment", help="Conclusions shared with the operator."
    )
    notes = fields.Html(
        groups="base.group_user",
        help="The culture direction's own notes: never shown to the operator.",
    )
    shared_document_ids = fields.Many2many(
        "ir.attachment",
        "nm_convention_shared_document_rel",
        "convention_id",
        "attachment_id",
        string="Documents shared with the operator",
        copy=False,
        help="Files the operator reads and downloads on its portal page. Files of "
        "internal notes are never shared.",
    )
    clause_count = fields.Integer(compute="_compute_counts")
    review_count = fields.Integer(compute="_compute_counts")
    open_review_id = fields.Many2one(
        "nm.progress.review", compute="_compute_open_review_id"
    )

    _check_dates = models.Constraint(
        "CHECK(date_end >= date_start)",
        "The end date of a convention must be after its start date.",
    )
    _check_review_grace_days = models.Constraint(
        "CHECK(review_grace_days >= 0)",
        "The days accepted after a review's due date cannot be negative: 0 closes "
        "a review the day after its due date.",
    )
    _check_subsidy = models.Constraint(
        "CHECK(subsidy_amount >= 0)", "The subsidy amount cannot be negative."
    )

    @api.depends("clause_ids", "review_ids")
    def _compute_counts(self):
        for convention in self:
            convention.clause_count = len(convention.clause_ids)
            convention.review_count = len(convention.review_ids)

    @api.depends("review_ids.state")
    def _compute_open_review_id(self):
        for convention in self:
            convention.open_review_id = convention.review_ids.filtered(
                lambda r: r.state == "open"
            )[:1]

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for convention in self:
            convention.access_url = f"/my/conventions/{convention.id}"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                # numbered in the year the convention starts
                start = vals.get("date_start")
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_context(ir_sequence_date=start)
                    .next_by_code("nm.convention", sequence_date=start)
                    or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            # the rights first: a reader is told they may not write at all
            self.check_access("write")
        return super().write(vals)

    def _nm_check_unlink(self):
        # called by nm.locked.mixin's unlink, whatever the context
        self.check_access("unlink")
        if any(c.measure_ids for c in self.sudo()):
            raise UserError(self._nm_unlink_message())
        return super()._nm_check_unlink()

    def _nm_lock_message(self, names):
        return self.env._(
            "A signed convention cannot be edited (%(fields)s): its operator, dates, "
            "type and subsidy are those signed. Renew it or write an amendment.",
            fields=self._nm_field_labels(names),
        )

    def _nm_unlink_message(self):
        return self.env._(
            "Only draft or cancelled conventions without measures can be deleted."
        )

    def _nm_workflow_write(self, vals):
        # the buttons run with the caller's rights up to this write
        self.check_access("write")
        return super()._nm_workflow_write(vals)

    def _nm_portal_documents(self):
        """The files the operator may download: those the direction shared, those
        sent to the operator in a message (never the files of internal notes),
        and the evidence of the convention's measures."""
        self.ensure_one()
        shared = self.sudo().shared_document_ids.filtered(
            lambda a: a.res_model == "nm.convention" and a.res_id == self.id
        )
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "nm.convention"),
                    ("res_id", "=", self.id),
                    ("message_type", "in", ("comment", "email")),
                    ("is_internal", "=", False),
                    ("subtype_id.internal", "=", False),
                ]
            )
        )
        return shared | messages.attachment_ids.filtered(
            lambda a: a.res_model == "nm.convention" and a.res_id == self.id
        )

    def _display_state(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def action_negotiate(self):
        self._check_state(("draft",))
        self._nm_workflow_write({"state": "negotiation"})

    def action_sign(self):
        self._check_state(("draft", "negotiation"))
        for convention in self:
            if not convention.clause_ids:
                raise UserError(
                    self.env._(
                        "Convention %(name)s has no clause: add at least one objective "
                        "before signing.",
                        name=convention.name,
                    )
                )
        self._nm_workflow_write({"state": "signed"})
        for convention in self:
            convention.message_subscribe(partner_ids=convention.partner_id.ids)
        self.filtered(lambda c: not c.review_ids).action_schedule_reviews()

    def action_start_assessment(self):
        self._check_state(("signed",))
        for clause in self.clause_ids:
            clause.assessed_value = (
                clause.latest_value if clause.has_value else clause.baseline
            )
            if not clause.next_target:
                clause.next_target = clause.target
        self._nm_workflow_write({"state": "assessment"})

    def action_close(self):
        self._check_state(("assessment",))
        self.check_access("write")
        self.review_ids.filtered(
            lambda r: r.state in ("planned", "open")
        )._nm_workflow_write({"state": "cancelled"})
        self._nm_workflow_write({"state": "closed"})

    def action_cancel(self):
        self._check_state(("draft", "negotiation", "signed"))
        self.check_access("write")
        self.review_ids.filtered(
            lambda r: r.state in ("planned", "open")
        )._nm_workflow_write({"state": "cancelled"})
        self._nm_workflow_write({"state": "cancelled"})

    def action_draft(self):
        self._check_state(("negotiation", "cancelled"))
        self._nm_workflow_write({"state": "draft"})

    def _check_state(self, allowed):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for convention in self:
            if convention.state not in allowed:
                raise UserError(
                    self.env._(
                        "Convention %(name)s is %(state)s: this step is not possible "
                        "now.",
                        name=convention.name,
                        state=labels[convention.state],
                    )
                )

    def action_schedule_reviews(self):
        """Plan the reviews from the clauses' frequencies: one before (at the
        start), one at each period of the most frequent clause, one after (at the
        end, due within six months as for a CPO's yearly report)."""
        Review = self.env["nm.progress.review"]
        for convention in self:
            months = [
                FREQUENCY_MONTHS[f]
                for f in convention.clause_ids.mapped("frequency")
                if FREQUENCY_MONTHS[f]
            ]
            existing = convention.review_ids.filtered(lambda r: r.state != "cancelled")
            planned = {(r.review_type, r.date_planned) for r in existing}
            vals_list = [
                (
                    "before",
                    convention.date_start,
                    convention.date_start + datetime.timedelta(30),
                )
            ]
            for day in interim_dates(
                convention.date_start, convention.date_end, min(months) if months else 0
            ):
                vals_list.append(("during", day, day + datetime.timedelta(30)))
            vals_list.append(
                ("after", convention.date_end, add_months(convention.date_end, 6))
            )
            Review.create(
                [
                    {
                        "convention_id": convention.id,
                        "review_type": review_type,
                        "date_planned": planned_date,
                        "date_due": due,
                    }
                    for review_type, planned_date, due in vals_list
                    if (review_type, planned_date) not in planned
                ]
            )
        return True

    def action_renew(self):
        """Next convention from a closed one: same operator and type, dates
        following on, clauses carried over with the assessed value as baseline
        and the target decided at the final assessment."""
        self._check_state(("closed",))
        self.check_access("write")
        self.browse().check_access("create")
        new = self.browse()
        for convention in self:
            duration = (convention.date_end - convention.date_start).days
            start = convention.date_end + datetime.timedelta(1)
            # sudo: the link to the previous convention is the workflow's
            next_convention = self.sudo().create(
                {
                    "title": convention.title,
                    "partner_id": convention.partner_id.id,
                    "company_id": convention.company_id.id,
                    "user_id": convention.user_id.id,
                    "convention_type": convention.convention_type,
                    "date_start": start,
                    "date_end": start + datetime.timedelta(duration),
                    "subsidy_amount": convention.subsidy_amount,
                    "analytic_account_id": convention.analytic_account_id.id,
                    "operator_maturity": convention.operator_maturity,
                    "previous_convention_id": convention.id,
                    "clause_ids": [
                        fields.Command.create(clause._renewal_values())
                        for clause in convention.clause_ids
                    ],
                }
            )
            convention.message_post(
                body=self.env._("Renewed as %(name)s.", name=next_convention.name)
            )
            new |= next_convention.sudo(False)
        if len(new) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "nm.convention",
                "res_id": new.id,
                "view_mode": "form",
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": "nm.convention",
            "domain": [("id", "in", new.ids)],
            "view_mode": "list,form",
        }

    def action_preview(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": self.get_portal_url(),
        }

    def action_view_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nm_progress_plan.nm_progress_review_action"
        )
        action["domain"] = [("convention_id", "=", self.id)]
        action["context"] = {"default_convention_id": self.id}
        return action

    @api.constrains("date_start", "date_end")
    def _check_reviews_within_period(self):
        """New dates must not leave planned reviews outside the convention."""
        self.review_ids._check_within_convention()

    @api.constrains("previous_convention_id", "partner_id")
    def _check_previous_same_operator(self):
        for convention in self:
            previous = convention.previous_convention_id
            if previous and previous.partner_id.commercial_partner_id != (
                convention.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._("A renewed convention must be with the same operator.")
                )
