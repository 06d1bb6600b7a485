# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import datetime

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date, formatLang

from odoo.addons.nm_carbon_budget.models.nm_locked_mixin import ALL

from ..tools.progress import (
    MAX_EVIDENCE_BYTES,
    MAX_EVIDENCE_FILES,
    MAX_FIGURE,
    MAX_FILENAME_CHARS,
    MAX_TEXT_CHARS,
    evidence_allowed,
)

REMINDER_DAYS = 7


class NmProgressReview(models.Model):
    _name = "nm.progress.review"
    _description = "Progress review"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "nm.locked.mixin",
    ]
    _order = "date_planned, id"
    _mail_post_access = "read"
    # the operator's submission and the feedback's date: only the workflow
    _nm_workflow_fields = frozenset(
        {
            "state",
            "name",
            "partner_id",
            "company_id",
            "operator_comment",
            "submitted_date",
            "submitted_by_id",
            "feedback_date",
            "reminder_sent",
        }
    )
    _nm_locked_fields = {
        "submitted": ("convention_id", "review_type", "date_planned", "date_due"),
        "done": ALL,
    }
    _nm_undeletable_states = ("submitted", "done")

    name = fields.Char(compute="_compute_name", store=True)
    convention_id = fields.Many2one(
        "nm.convention", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(
        related="convention_id.partner_id", store=True, string="Operator", index=True
    )
    company_id = fields.Many2one(related="convention_id.company_id", store=True)
    user_id = fields.Many2one(related="convention_id.user_id", string="Responsible")
    review_type = fields.Selection(
        [("before", "Before"), ("during", "During"), ("after", "After")],
        string="Moment",
        required=True,
        default="during",
    )
    date_planned = fields.Date(string="Review date", required=True)
    date_due = fields.Date(string="Due date", required=True)
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("open", "Open"),
            ("submitted", "Submitted"),
            ("done", "Feedback given"),
            ("missed", "Closed, not submitted"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="planned",
        tracking=True,
        index=True,
    )
    measure_ids = fields.One2many("nm.progress.measure", "review_id", string="Measures")
    convention_clause_ids = fields.One2many(related="convention_id.clause_ids")
    operator_comment = fields.Text(string="Operator's comment", readonly=True)
    submitted_date = fields.Datetime(readonly=True)
    submitted_by_id = fields.Many2one("res.users", string="Submitted by", readonly=True)
    feedback = fields.Text(string="Authority's feedback", tracking=True)
    feedback_date = fields.Date(readonly=True)
    reminder_sent = fields.Boolean(readonly=True, copy=False)
    date_closing = fields.Date(
        string="Closes on",
        compute="_compute_date_closing",
        store=True,
        help="Last day the operator can submit: the due date, plus the days the "
        "convention accepts after it.",
    )
    is_late = fields.Boolean(
        string="Late",
        compute="_compute_is_late",
        search="_search_is_late",
        help="Open and past its due date: nothing submitted in time.",
    )

    @api.constrains("date_planned", "date_due", "convention_id", "state")
    def _check_within_convention(self):
        for review in self:
            convention = review.convention_id
            if review.state == "cancelled" or not convention.date_start:
                continue
            if not convention.date_start <= review.date_planned <= convention.date_end:
                raise ValidationError(
                    self.env._(
                        "The review of %(date)s is outside the convention %(name)s "
                        "(%(start)s – %(end)s): plan it within the convention's "
                        "period.",
                        date=format_date(self.env, review.date_planned),
                        name=convention.display_name,
                        start=format_date(self.env, convention.date_start),
                        end=format_date(self.env, convention.date_end),
                    )
                )
            if review.date_due < review.date_planned:
                raise ValidationError(
                    self.env._(
                        "The due date (%(due)s) of a review cannot be before its "
                        "review date (%(date)s).",
                        due=format_date(self.env, review.date_due),
                        date=format_date(self.env, review.date_planned),
                    )
                )

    @api.depends("convention_id.name", "review_type", "date_planned")
    def _compute_name(self):
        labels = dict(self._fields["review_type"]._description_selection(self.env))
        for review in self:
            day = review.date_planned
            review.name = " ".join(
                [
                    review.convention_id.name or "",
                    "\u2013",
                    labels.get(review.review_type, ""),
                    day.strftime("%d/%m/%Y") if day else "",
                ]
            ).strip()

    @api.depends("date_due", "convention_id.review_grace_days")
    def _compute_date_closing(self):
        for review in self:
            review.date_closing = review.date_due and review.date_due + (
                datetime.timedelta(days=review.convention_id.review_grace_days or 0)
            )

    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for review in self:
            review.is_late = (
                review.state == "open"
                and bool(review.date_due)
                and review.date_due < today
            )

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        today = fields.Date.context_today(self)
        if (operator == "=") == value:
            return [("state", "=", "open"), ("date_due", "<", today)]
        return ["|", ("state", "!=", "open"), ("date_due", ">=", today)]

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for review in self:
            review.access_url = (
                f"/my/conventions/{review.convention_id.id}/review/{review.id}"
            )

    def action_open(self):
        """Open the review to the operator and tell them."""
        for review in self:
            if review.state != "planned":
                raise UserError(self.env._("Only a planned review can be opened."))
            if review.convention_id.state != "signed":
                raise UserError(
                    self.env._("Reviews are opened only on signed conventions.")
                )
        self._nm_workflow_write({"state": "open", "reminder_sent": False})
        template = self.env.ref("nm_progress_plan.mail_template_review_opened")
        for review in self:
            review.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        return True

    def action_reopen(self):
        today = fields.Date.context_today(self)
        for review in self:
            if review.state not in ("submitted", "missed"):
                raise UserError(
                    self.env._(
                        "Only a submitted review, or one closed without submission, "
                        "can be reopened."
                    )
                )
            if review.state == "missed" and review.date_closing < today:
                raise UserError(
                    self.env._(
                        "The review %(name)s closed on %(date)s: set a later due date "
                        "first, then reopen it.",
                        name=review.name,
                        date=format_date(self.env, review.date_closing),
                    )
                )
        self._nm_workflow_write({"state": "open"})

    def action_cancel(self):
        if any(r.state in ("submitted", "done") for r in self):
            raise UserError(
                self.env._("A review with submitted measures cannot be cancelled.")
            )
        self._nm_workflow_write({"state": "cancelled"})

    def action_post_feedback(self):
        """Close the review with the authority's feedback, book reported carbon
        on the operator's account and notify the operator."""
        template = self.env.ref("nm_progress_plan.mail_template_review_feedback")
        for review in self:
            if review.state != "submitted":
                raise UserError(self.env._("Feedback is given on a submitted review."))
            if not (review.feedback or "").strip():
                raise UserError(
                    self.env._("Write your feedback to the operator before posting it.")
                )
        self._nm_workflow_write(
            {"state": "done", "feedback_date": fields.Date.context_today(self)}
        )
        self.measure_ids._book_carbon()
        for review in self:
            review.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        return True

    def _check_open_for_submission(self):
        self.ensure_one()
        if self.state != "open" or self.convention_id.state != "signed":
            raise UserError(
                self.env._(
                    "This review is not open: the measures can no longer be submitted. "
                    "Contact the culture direction if a correction is needed."
                )
            )
        if self.date_closing and self.date_closing < fields.Date.context_today(self):
            raise UserError(
                self.env._(
                    "This review closed on %(date)s, as the convention provides: the "
                    "measures can no longer be submitted. Contact the culture "
                    "direction to have it reopened.",
                    date=format_date(self.env, self.date_closing),
                )
            )

    def _check_measure_value(self, clause, value):
        """The indicators of a convention are quantities, counts and shares: a
        negative figure, or a share beyond 100 %, is a typing mistake."""
        shown = formatLang(
            self.env, value, digits=0 if float(value).is_integer() else 2
        )
        if value < 0:
            raise ValidationError(
                self.env._(
                    "« %(indicator)s » cannot be negative (%(value)s): enter the "
                    "value measured, e.g. 12,5.",
                    indicator=clause.indicator_name,
                    value=shown,
                )
            )
        if not value <= MAX_FIGURE:
            raise ValidationError(
                self.env._(
                    "« %(indicator)s »: %(value)s is not a plausible figure: enter "
                    "the value measured, at most 12 digits.",
                    indicator=clause.indicator_name,
                    value=shown,
                )
            )
        if (clause.indicator_unit or "").strip() == "%" and value > 100:
            raise ValidationError(
                self.env._(
                    "« %(indicator)s » is a share in percent: it cannot be more "
                    "than 100 (%(value)s).",
                    indicator=clause.indicator_name,
                    value=shown,
                )
            )

    def _submit_measures(self, measures, comment=None, user=None):
        """Record the operator's submission in one go, whoever calls it (the
        portal form, a test, a script): the rules are all here.

        :param measures: list of dicts {clause (record), value (float, or None
            for an indicator left empty), comment (str), evidence: list of
            (filename, bytes)}
        Nothing is written unless every line is valid; the measures, their
        evidence and the submission are written in a fixed number of queries,
        whatever the number of lines.
        """
        self.ensure_one()
        self._check_open_for_submission()
        user = user or self.env.user
        measures = self._check_submitted_lines(measures)
        self._check_portal_text(comment, self.env._("Your comment"))
        Measure = self.env["nm.progress.measure"].sudo()
        created = Measure.create(
            [
                {
                    "review_id": self.id,
                    "clause_id": line["clause"].id,
                    "value": line["value"],
                    "comment": line.get("comment") or False,
                    "submitted_by_id": user.id,
                }
                for line in measures
            ]
        )
        evidence = [
            (measure, filename, content)
            for measure, line in zip(created, measures, strict=True)
            for filename, content in line.get("evidence") or ()
        ]
        if evidence:
            attachments = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    [
                        {
                            "name": filename,
                            "datas": base64.b64encode(content),
                            "res_model": "nm.progress.measure",
                            "res_id": measure.id,
                        }
                        for measure, filename, content in evidence
                    ]
                )
            )
            files = {}
            for (measure, _name, _content), attachment in zip(
                evidence, attachments, strict=True
            ):
                files.setdefault(measure, []).append(attachment.id)
            # one insert in the relation for all the measures, as create does
            # (a write per measure would cost one query each)
            Measure._fields["evidence_attachment_ids"].write_batch(
                [(measure, [Command.set(ids)]) for measure, ids in files.items()]
            )
        self.sudo().write(
            {
                "state": "submitted",
                "operator_comment": comment or False,
                "submitted_date": fields.Datetime.now(),
                "submitted_by_id": user.id,
            }
        )
        self.sudo()._notify_authority_submission(created)
        return created

    def _check_submitted_lines(self, measures):
        """The lines of a submission that carry a value, every rule checked before
        anything is written: an indicator of the convention, a plausible value, a
        value for every comment or file, the files' number, names, kinds and
        sizes, the comments' length."""
        clauses = self.convention_id.clause_ids
        lines = []
        for line in measures:
            clause = line["clause"]
            if clause not in clauses:
                raise UserError(
                    self.env._("This indicator is not part of the convention.")
                )
            files = line.get("evidence") or ()
            if line.get("value") is None:
                if files or (line.get("comment") or "").strip():
                    raise UserError(
                        self.env._(
                            "Enter a value for \u00ab %(indicator)s \u00bb: a comment "
                            "or a file "
                            "alone cannot be recorded.",
                            indicator=clause.indicator_name,
                        )
                    )
                continue
            self._check_measure_value(clause, line["value"])
            self._check_portal_text(
                line.get("comment"),
                self.env._(
                    "The comment on « %(indicator)s »",
                    indicator=clause.indicator_name,
                ),
            )
            if len(files) > MAX_EVIDENCE_FILES:
                raise UserError(
                    self.env._(
                        "Send at most %(count)s files for \u00ab %(indicator)s \u00bb.",
                        count=MAX_EVIDENCE_FILES,
                        indicator=clause.indicator_name,
                    )
                )
            for evidence in files:
                self._check_evidence(*evidence)
            lines.append(line)
        if not lines:
            raise UserError(self.env._("Enter at least one value before submitting."))
        return lines

    def _check_evidence(self, filename, content):
        if "\x00" in (filename or "") or len(filename or "") > MAX_FILENAME_CHARS:
            raise UserError(
                self.env._(
                    "The name of a file you joined cannot be saved (too long or with "
                    "a NUL character): rename the file and send it again."
                )
            )
        if not evidence_allowed(filename):
            raise UserError(
                self.env._(
                    "The file \u00ab %(name)s \u00bb is not accepted: send a PDF, an "
                    "image, an "
                    "office document or a CSV file.",
                    name=filename,
                )
            )
        if len(content) > MAX_EVIDENCE_BYTES:
            raise UserError(
                self.env._(
                    "The file \u00ab %(name)s \u00bb is too large (10 MB at most).",
                    name=filename,
                )
            )

    def _notify_authority_submission(self, measures):
        self.ensure_one()
        responsible = self.convention_id.user_id
        body = self.env._(
            "%(operator)s submitted %(count)s measure(s) for review %(review)s.",
            operator=self.partner_id.name,
            count=len(measures),
            review=self.name,
        )
        self.message_post(
            body=body,
            partner_ids=responsible.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
            author_id=self.submitted_by_id.partner_id.id,
        )
        if responsible:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=responsible.id,
                summary=self.env._("Give feedback on the operator's measures"),
            )

    @api.model
    def _cron_send_reminders(self):
        """Remind operators a week before the due date of an open review."""
        today = fields.Date.context_today(self)
        reviews = self.search(
            [
                ("state", "=", "open"),
                ("reminder_sent", "=", False),
                ("date_due", "<=", today + datetime.timedelta(REMINDER_DAYS)),
                ("date_due", ">=", today),
            ]
        )
        template = self.env.ref("nm_progress_plan.mail_template_review_reminder")
        for review in reviews:
            review.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        reviews._nm_workflow_write({"reminder_sent": True})
        return reviews

    def _nm_workflow_write(self, vals):
        # the buttons run with the caller's rights up to this write
        self.check_access("write")
        return super()._nm_workflow_write(vals)

    def _nm_lock_message(self, names):
        return self.env._(
            "Review %(name)s has been submitted by the operator: %(fields)s can no "
            "longer be changed. Reopen it to let the operator correct it.",
            name=self.name,
            fields=self._nm_field_labels(names),
        )

    def _nm_unlink_message(self):
        return self.env._(
            "Review %(name)s carries the operator's submission: it cannot be deleted.",
            name=self.name,
        )

    def _check_portal_text(self, text, what):
        """A text typed on the portal the database can hold: no NUL character,
        a comment's length at most."""
        if not text:
            return
        if "\x00" in text:
            raise ValidationError(
                self.env._(
                    "%(what)s contains a character that cannot be saved (NUL): "
                    "type it again or paste it as plain text.",
                    what=what,
                )
            )
        if len(text) > MAX_TEXT_CHARS:
            raise ValidationError(
                self.env._(
                    "%(what)s is too long (%(count)s characters): write at most "
                    "%(max)s, and join a document for more.",
                    what=what,
                    count=len(text),
                    max=MAX_TEXT_CHARS,
                )
            )

    @api.model
    def _cron_close_late_reviews(self):
        """Close the open reviews whose closing day (due date plus the days the
        convention accepts) has passed, and tell the responsible officer."""
        today = fields.Date.context_today(self)
        reviews = self.search([("state", "=", "open"), ("date_closing", "<", today)])
        for review in reviews:
            review.message_post(
                body=self.env._(
                    "Closed on %(date)s without submission: the due date was %(due)s.",
                    date=format_date(self.env, today),
                    due=format_date(self.env, review.date_due),
                ),
                partner_ids=review.convention_id.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        reviews._nm_workflow_write({"state": "missed"})
        return reviews
