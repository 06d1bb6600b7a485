# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError

from .nm_locked_mixin import ALL


class NmBudgetReviewDecision(models.Model):
    _name = "nm.budget.review.decision"
    _description = "Execution review decision"
    _inherit = ["nm.locked.mixin"]
    _order = "review_id, due_date, id"
    _check_company_auto = True

    # The decisions of a closed review are its record; reopen it to change them.
    _nm_lock_state = "review_id.state"
    _nm_locked_fields = {"closed": ALL}
    _nm_undeletable_states = ("closed",)

    review_id = fields.Many2one(
        "nm.budget.review", required=True, ondelete="cascade", index=True
    )
    name = fields.Text(string="Decision", required=True)
    owner_id = fields.Many2one("res.users")
    due_date = fields.Date()
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("dropped", "Dropped")],
        default="open",
        required=True,
    )
    amendment_id = fields.Many2one(
        "nm.carbon.amendment",
        string="Carbon amendment",
        copy=False,
        check_company=True,
    )
    action_id = fields.Many2one(
        "nm.decarbonation.action",
        string="Decarbonisation action",
        copy=False,
        check_company=True,
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)

    def action_done(self):
        self.write({"state": "done"})
        return True

    def action_open_amendment(self):
        """Open a draft DM carbone on the review's budget for this decision."""
        self.ensure_one()
        if not self.amendment_id:
            self.amendment_id = self.env["nm.carbon.amendment"].create(
                {
                    "budget_id": self.review_id.budget_id.id,
                    "amendment_type": "transfer",
                    "justification": self.env._(
                        "Decided in %(review)s: %(decision)s",
                        review=self.review_id.name,
                        decision=self.name,
                    ),
                }
            )
        return self._open(self.amendment_id)

    def action_create_action(self):
        """Record the decision as a decarbonisation action of the direction."""
        self.ensure_one()
        if not self.action_id:
            direction = self.review_id.direction_ids[:1]
            if not direction:
                raise UserError(self.env._("The review has no direction."))
            self.action_id = self.env["nm.decarbonation.action"].create(
                {
                    "name": self.name.splitlines()[0][:120],
                    "direction_id": direction.id,
                    "user_id": (self.owner_id or self.env.user).id,
                    "date_target": self.due_date,
                    "review_id": self.review_id.id,
                    "company_id": self.review_id.company_id.id,
                }
            )
        return self._open(self.action_id)

    def _open(self, record):
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
        }
