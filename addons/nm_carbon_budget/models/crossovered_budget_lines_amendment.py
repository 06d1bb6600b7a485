# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The task keeps these fields in a file of their own, beside the core's.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.exceptions import AccessError

# Budget states in which an envelope only changes through a DM carbone.
VOTED_STATES = ("confirm", "validate", "done")
# What a voted budget line is: its envelopes, where and when they apply.
VOTED_FIELDS = (
    "planned_carbon_kg",
    "planned_amount",
    "analytic_account_id",
    "general_budget_id",
    "date_from",
    "date_to",
    "paid_date",
    "crossovered_budget_id",
    "company_id",
)
CONTROLLER_GROUP = "nm_carbon_budget.group_carbon_controller"


class CrossoveredBudgetLines(models.Model):
    _name = "crossovered.budget.lines"
    _inherit = ["crossovered.budget.lines", "nm.locked.mixin"]

    _nm_lock_state = "crossovered_budget_id.state"
    _nm_locked_fields = dict.fromkeys(VOTED_STATES, VOTED_FIELDS)
    _nm_undeletable_states = VOTED_STATES

    initial_carbon_kg = fields.Float(
        string="Initial kgCO2e",
        compute="_compute_amendment_figures",
        digits=(16, 0),
        help="Envelope voted with the budget, before any applied amendment.",
    )
    amendment_carbon_kg = fields.Float(
        string="Amendments kgCO2e",
        compute="_compute_amendment_figures",
        digits=(16, 0),
        help="Sum of the applied carbon amendments (DM carbone) on this line.",
    )
    amendment_line_ids = fields.One2many(
        "nm.carbon.amendment.line",
        "budget_line_id",
        string="Amendment history",
        domain=[("state", "=", "applied")],
        readonly=True,
    )

    def _compute_amendment_figures(self):
        applied = dict(
            self.env["nm.carbon.amendment.line"]
            .sudo()
            ._read_group(
                [("budget_line_id", "in", self._origin.ids), ("state", "=", "applied")],
                ["budget_line_id"],
                ["delta_kg:sum"],
            )
        )
        applied = {line.id: total for line, total in applied.items()}
        for line in self:
            delta = applied.get(line._origin.id, 0.0)
            line.amendment_carbon_kg = delta
            line.initial_carbon_kg = line.planned_carbon_kg - delta

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("planned_carbon_kg") for vals in vals_list):
            self._nm_check_carbon_writer()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and "planned_carbon_kg" in vals:
            self._nm_check_carbon_writer()
        return super().write(vals)

    def _nm_check_carbon_writer(self):
        """Carbon envelopes are the carbon controllers' (accountants keep the €)."""
        if not self.env.user.has_group(CONTROLLER_GROUP):
            raise AccessError(
                self.env._(
                    "Only a carbon controller sets the carbon envelopes (planned "
                    "kgCO2e) of budget lines."
                )
            )

    def _nm_lock_message(self, names):
        self.ensure_one()
        return self.env._(
            "The budget %(budget)s is voted: its lines (%(fields)s) change through a "
            "carbon amendment (DM carbone), which keeps their history.",
            budget=self.crossovered_budget_id.display_name,
            fields=self._nm_field_labels(names),
        )

    def _nm_unlink_message(self):
        self.ensure_one()
        return self.env._(
            "The budget %(budget)s is voted: its lines are kept; correct an envelope "
            "with a carbon amendment (DM carbone).",
            budget=self.crossovered_budget_id.display_name,
        )
