# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class NmProgressAdjustment(models.Model):
    _name = "nm.progress.adjustment"
    _description = "Target adjustment"
    _inherit = ["mail.thread", "nm.locked.mixin"]
    _order = "create_date desc, id desc"
    # who accepted and when, and the outcome: only the workflow writes them
    _nm_workflow_fields = frozenset(
        {
            "state",
            "old_target",
            "authority_accepted",
            "authority_user_id",
            "authority_date",
            "operator_accepted",
            "operator_user_id",
            "operator_date",
        }
    )
    # the terms a side accepted never change under it: refuse and propose again
    _nm_locked_fields = {
        "proposed": ("clause_id", "new_target", "proposed_by"),
        "applied": ("clause_id", "new_target", "reason", "proposed_by"),
        "refused": ("clause_id", "new_target", "reason", "proposed_by"),
    }
    # the history of targets, agreed or declined, is kept
    _nm_undeletable_states = ("applied", "refused")

    clause_id = fields.Many2one(
        "nm.progress.clause", required=True, ondelete="cascade", index=True
    )
    convention_id = fields.Many2one(
        related="clause_id.convention_id", store=True, index=True
    )
    partner_id = fields.Many2one(
        related="clause_id.convention_id.partner_id",
        store=True,
        string="Operator",
        index=True,
    )
    company_id = fields.Many2one(related="clause_id.company_id", store=True)
    indicator_unit = fields.Char(related="clause_id.indicator_unit")
    old_target = fields.Float(string="Previous target", readonly=True)
    new_target = fields.Float(string="New target", required=True)
    reason = fields.Text(required=True)
    proposed_by = fields.Selection(
        [("authority", "Authority"), ("operator", "Operator")],
        required=True,
        default="authority",
    )
    authority_accepted = fields.Boolean(readonly=True)
    authority_user_id = fields.Many2one(
        "res.users", string="Accepted by (authority)", readonly=True
    )
    authority_date = fields.Datetime(string="Authority acceptance", readonly=True)
    operator_accepted = fields.Boolean(readonly=True)
    operator_user_id = fields.Many2one(
        "res.users", string="Accepted by (operator)", readonly=True
    )
    operator_date = fields.Datetime(string="Operator acceptance", readonly=True)
    state = fields.Selection(
        [
            ("proposed", "Proposed"),
            ("applied", "Applied"),
            ("refused", "Refused"),
        ],
        required=True,
        default="proposed",
        tracking=True,
        readonly=True,
    )

    @api.depends("clause_id.name")
    def _compute_display_name(self):
        for adjustment in self:
            adjustment.display_name = self.env._(
                "%(clause)s: target adjustment", clause=adjustment.clause_id.name or ""
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("new_target") is not None:
                self.env["nm.progress.clause"]._check_figures(
                    {"target": vals["new_target"]}
                )
        adjustments = super().create(vals_list)
        now = fields.Datetime.now()
        template = self.env.ref("nm_progress_plan.mail_template_adjustment_proposed")
        for adjustment in adjustments:
            if adjustment.clause_id.convention_id.state != "signed":
                raise UserError(
                    self.env._(
                        "Targets are adjusted only while the convention is running."
                    )
                )
            # the side proposing the change agrees with it; the operator's
            # consent is the operator's own, never recorded by the city's staff
            side = adjustment.proposed_by
            vals = {"old_target": adjustment.clause_id.target}
            if side == "authority" or adjustment._is_operator_user(self.env.user):
                vals.update(
                    {
                        f"{side}_accepted": True,
                        f"{side}_user_id": self.env.user.id,
                        f"{side}_date": now,
                    }
                )
            adjustment.sudo().write(vals)
            if adjustment.proposed_by == "operator":
                adjustment.convention_id.message_post(
                    body=self.env._(
                        "The operator proposes to change the target of \u00ab "
                        "%(clause)s \u00bb "
                        "to %(target)s.",
                        clause=adjustment.clause_id.name,
                        target=adjustment.new_target,
                    ),
                    partner_ids=adjustment.convention_id.user_id.partner_id.ids,
                )
            else:
                adjustment.message_post_with_source(
                    template, subtype_xmlid="mail.mt_comment"
                )
        return adjustments

    def _is_operator_user(self, user):
        """Whether ``user`` speaks for the operator of the convention (one of its
        portal users), or is the server itself."""
        self.ensure_one()
        if self.env.su and user._is_superuser():
            return True
        return user._is_portal() and (
            user.partner_id.commercial_partner_id
            == self.sudo().partner_id.commercial_partner_id
        )

    def write(self, vals):
        if "new_target" in vals:
            self.env["nm.progress.clause"]._check_figures(
                {"target": vals["new_target"]}
            )
        return super().write(vals)

    def _nm_workflow_write(self, vals):
        # the buttons run with the caller's rights up to this write
        self.check_access("write")
        return super()._nm_workflow_write(vals)

    def action_accept_authority(self):
        self._check_proposed()
        self._nm_workflow_write(
            {
                "authority_accepted": True,
                "authority_user_id": self.env.user.id,
                "authority_date": fields.Datetime.now(),
            }
        )
        self._apply_if_agreed()

    def _accept_operator(self, user):
        """Acceptance by the operator (from the portal)."""
        self._check_proposed()
        self.sudo()._nm_workflow_write(
            {
                "operator_accepted": True,
                "operator_user_id": user.id,
                "operator_date": fields.Datetime.now(),
            }
        )
        self.sudo()._apply_if_agreed()

    def action_refuse(self):
        self._check_proposed()
        self._nm_workflow_write({"state": "refused"})

    def _refuse_operator(self, user):
        """Refusal by the operator (from the portal): the target stays, the
        culture officer is told so that the discussion goes on."""
        self._check_proposed()
        self.sudo()._nm_workflow_write({"state": "refused"})
        for adjustment in self.sudo():
            adjustment.convention_id.message_post(
                body=self.env._(
                    "%(user)s declined the proposed target %(target)s for "
                    "\u00ab %(clause)s \u00bb.",
                    user=user.name,
                    target=adjustment.new_target,
                    clause=adjustment.clause_id.name,
                ),
                partner_ids=adjustment.convention_id.user_id.partner_id.ids,
                author_id=user.partner_id.id,
            )

    def _check_proposed(self):
        if any(a.state != "proposed" for a in self):
            raise UserError(self.env._("This adjustment has already been decided."))

    def _apply_if_agreed(self):
        """The target changes only when both sides accepted; the previous target
        is kept on the adjustment for the history."""
        for adjustment in self.filtered(
            lambda a: a.authority_accepted and a.operator_accepted
        ):
            clause = adjustment.clause_id
            adjustment._nm_workflow_write(
                {"old_target": clause.target, "state": "applied"}
            )
            clause._nm_set_target(adjustment.new_target)
            clause.convention_id.message_post(
                body=self.env._(
                    "Target of \u00ab %(clause)s \u00bb changed from %(old)s to "
                    "%(new)s %(unit)s "
                    "(accepted by both sides). Reason: %(reason)s",
                    clause=clause.name,
                    old=adjustment.old_target,
                    new=adjustment.new_target,
                    unit=clause.indicator_unit,
                    reason=adjustment.reason,
                )
            )
