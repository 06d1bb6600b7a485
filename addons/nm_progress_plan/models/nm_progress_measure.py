# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

EDITABLE_AFTER_SUBMISSION = {"analytic_line_id", "evidence_attachment_id"}


class NmProgressMeasure(models.Model):
    _name = "nm.progress.measure"
    _description = "Indicator measure"
    _order = "date desc, id desc"

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
    evidence_attachment_id = fields.Many2one(
        "ir.attachment", string="Evidence", copy=False
    )
    evidence_name = fields.Char(
        related="evidence_attachment_id.name", string="Evidence file"
    )
    submitted_by_id = fields.Many2one(
        "res.users",
        string="Submitted by",
        default=lambda self: self.env.user,
        readonly=True,
    )
    analytic_line_id = fields.Many2one(
        "account.analytic.line", string="Booked carbon line", readonly=True, copy=False
    )

    @api.constrains("clause_id", "review_id")
    def _check_same_convention(self):
        for measure in self:
            if measure.clause_id.convention_id != measure.review_id.convention_id:
                raise UserError(
                    self.env._(
                        "A measure must belong to a clause of the review's convention."
                    )
                )

    def write(self, vals):
        self.check_access("write")
        if set(vals) - EDITABLE_AFTER_SUBMISSION:
            raise UserError(
                self.env._(
                    "A submitted measure cannot be changed: record a new measure to "
                    "correct it."
                )
            )
        if "evidence_attachment_id" in vals and self.filtered("evidence_attachment_id"):
            raise UserError(
                self.env._("The evidence of a submitted measure cannot be replaced.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "A submitted measure cannot be deleted: record a new measure to "
                "correct it."
            )
        )

    def _book_carbon(self):
        """Book the kgCO2e reported on carbon clauses on the operator's account
        of the Partners plan (carbon_source 'partner'). That plan is never the
        company's carbon reference plan, so the authority's totals exclude it."""
        Line = self.env["account.analytic.line"].sudo()
        for measure in self.filtered(
            lambda m: m.clause_id.is_carbon and not m.analytic_line_id
        ):
            company = measure.company_id
            account = measure.partner_id._nm_get_analytic_account(company)
            column = account.plan_id._column_name()
            line = Line.create(
                {
                    "name": f"{measure.convention_id.name} \u2013 "
                    f"{measure.clause_id.name}",
                    "date": measure.date,
                    column: account.id,
                    "amount": 0.0,
                    "partner_id": measure.partner_id.id,
                    "company_id": company.id,
                    "carbon_kg": measure.value,
                    "carbon_source": "partner",
                }
            )
            measure.sudo().analytic_line_id = line
