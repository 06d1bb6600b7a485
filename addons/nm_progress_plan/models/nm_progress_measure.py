# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.progress import MAX_FIGURE

# Only evidence may be added to a submitted measure (never removed); the booked
# carbon line is the workflow's (_book_carbon).
EDITABLE_AFTER_SUBMISSION = {"evidence_attachment_ids"}


class NmProgressMeasure(models.Model):
    _name = "nm.progress.measure"
    _description = "Indicator measure"
    _inherit = ["nm.locked.mixin"]
    _order = "date desc, id desc"
    # frozen in every state (see write); the lock reads the review's state
    _nm_lock_state = "review_id.state"
    _nm_workflow_fields = frozenset(
        {
            "submitted_by_id",
            "analytic_line_id",
            "convention_id",
            "partner_id",
            "company_id",
            "date",
            "objective_id",
            "theme",
        }
    )

    review_id = fields.Many2one(
        "nm.progress.review", required=True, ondelete="restrict", index=True
    )
    clause_id = fields.Many2one(
        "nm.progress.clause", required=True, ondelete="restrict", index=True
    )
    convention_id = fields.Many2one(
        related="review_id.convention_id", store=True, index=True
    )
    partner_id = fields.Many2one(
        related="review_id.convention_id.partner_id",
        store=True,
        string="Operator",
        index=True,
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    date = fields.Date(related="review_id.date_planned", store=True)
    indicator_unit = fields.Char(related="clause_id.indicator_unit")
    objective_id = fields.Many2one(related="clause_id.objective_id", store=True)
    theme = fields.Selection(related="clause_id.theme", store=True)
    value = fields.Float(required=True, aggregator="sum")
    comment = fields.Text()
    # Several files may support one measure (a survey and its raw data, the
    # invoices behind an energy figure...). Until 19.0.1.1.0 this was a single
    # Many2one; the migration moves the existing files into this relation.
    evidence_attachment_ids = fields.Many2many(
        "ir.attachment",
        "nm_progress_measure_evidence_rel",
        "measure_id",
        "attachment_id",
        string="Evidence",
        copy=False,
    )
    evidence_count = fields.Integer(
        compute="_compute_evidence_count", string="Evidence files"
    )
    submitted_by_id = fields.Many2one(
        "res.users",
        string="Submitted by",
        default=lambda self: self.env.user,
        readonly=True,
    )
    analytic_line_id = fields.Many2one(
        "account.analytic.line",
        string="Booked carbon line",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )

    @api.depends("clause_id.name", "review_id.name")
    def _compute_display_name(self):
        for measure in self:
            parts = (measure.clause_id.name, measure.review_id.name)
            measure.display_name = " — ".join(part for part in parts if part)

    @api.depends("evidence_attachment_ids")
    def _compute_evidence_count(self):
        for measure in self:
            measure.evidence_count = len(measure.evidence_attachment_ids)

    @api.constrains("clause_id", "review_id")
    def _check_same_convention(self):
        for measure in self:
            if measure.clause_id.convention_id != measure.review_id.convention_id:
                raise UserError(
                    self.env._(
                        "A measure must belong to a clause of the review's convention."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            value = vals.get("value") or 0.0
            if not -MAX_FIGURE <= value <= MAX_FIGURE:
                raise UserError(
                    self.env._(
                        "%(value)s is not a plausible figure for an indicator: enter "
                        "at most 12 digits.",
                        value=value,
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        editable = EDITABLE_AFTER_SUBMISSION | (
            self._nm_workflow_fields if self.env.su else set()
        )
        if set(vals) - editable:
            raise UserError(
                self.env._(
                    "A submitted measure cannot be changed: record a new measure to "
                    "correct it."
                )
            )
        if "evidence_attachment_ids" not in vals:
            return super().write(vals)
        # evidence may be added to a submitted measure, never taken away
        before = {measure: measure.evidence_attachment_ids for measure in self}
        result = super().write(vals)
        for measure, attachments in before.items():
            if attachments - measure.evidence_attachment_ids:
                raise UserError(
                    self.env._(
                        "The evidence of a submitted measure cannot be removed or "
                        "replaced: add a new file instead."
                    )
                )
        return result

    def _nm_check_unlink(self):
        # Never deleted, whatever the context: nm.locked.mixin's unlink calls this
        # for every caller but the server itself (uninstalling runs as superuser).
        self.check_access("unlink")
        if self:
            raise UserError(self._nm_unlink_message())

    def _nm_unlink_message(self):
        return self.env._(
            "A submitted measure cannot be deleted: record a new measure to correct it."
        )

    def _book_carbon(self):
        """Book the kgCO2e reported on carbon clauses on the operator's account
        of the Partners plan (carbon_source 'partner'). That plan is never the
        company's carbon reference plan, so the authority's totals exclude it.
        All the measures are booked together: the accounts of each company found
        at once, the analytic lines created in one create."""
        measures = self.filtered(
            lambda m: m.clause_id.is_carbon and not m.analytic_line_id
        )
        if not measures:
            return
        accounts = {}
        for company in measures.company_id:
            of_company = measures.filtered(lambda m, c=company: m.company_id == c)
            found = of_company.partner_id._nm_get_analytic_accounts(company)
            for measure in of_company:
                accounts[measure] = found[measure.partner_id.commercial_partner_id]
        lines = (
            self.env["account.analytic.line"]
            .sudo()
            .create(
                [
                    {
                        "name": f"{measure.convention_id.name} \u2013 "
                        f"{measure.clause_id.name}",
                        "date": measure.date,
                        accounts[measure].plan_id._column_name(): accounts[measure].id,
                        "amount": 0.0,
                        "partner_id": measure.partner_id.id,
                        "company_id": measure.company_id.id,
                        "carbon_kg": measure.value,
                        "carbon_source": "partner",
                    }
                    for measure in measures
                ]
            )
        )
        for measure, line in zip(measures, lines, strict=True):
            measure._nm_workflow_write({"analytic_line_id": line.id})
