# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.safe_eval import safe_eval

from ..engine import BookedEngine


class AccountAnalyticAccount(models.Model):
    _name = "account.analytic.account"
    _inherit = ["account.analytic.account", "nm.batched.aggregate.mixin"]
    # carbon_kg is computed per plan column; grouped views sum it like the balance
    _batched_aggregates = frozenset({"carbon_kg:sum"})

    carbon_kg = fields.Float(
        string="kgCO2e",
        compute="_compute_carbon_kg",
        digits=(16, 4),
        aggregator="sum",
        help="Carbon booked on the account, read on its plan's column. Use the "
        "date filters (from_date / to_date) to restrict the period.",
    )

    direction_head_ids = fields.Many2many(
        "res.users",
        "nm_direction_head_rel",
        "analytic_account_id",
        "user_id",
        string="Direction heads",
        help="Who heads this direction: they see and approve its carbon amendments "
        "(the direction-head tier). Set by the carbon controllers.",
    )

    is_direction = fields.Boolean(
        compute="_compute_is_direction",
        search="_search_is_direction",
        help="An account of the company's carbon reference plan.",
    )

    @api.depends("root_plan_id", "company_id")
    @api.depends_context("allowed_company_ids")
    def _compute_is_direction(self):
        plans = self.env.companies.carbon_plan_id
        for account in self:
            account.is_direction = account.root_plan_id in plans

    def _search_is_direction(self, operator, value):
        if operator != "in":
            return NotImplemented
        plans = self.env.companies.carbon_plan_id
        if not plans:
            # no reference plan chosen yet: every account may be a direction
            return [] if True in value else [("id", "=", False)]
        if True in value:
            return [("root_plan_id", "in", plans.ids)]
        return [("root_plan_id", "not in", plans.ids)]

    @api.model
    def _action_on_my_direction(self, xmlid):
        """The window action ``xmlid``, filtered on “My direction” for a user who
        heads a direction (the others, finance included, see every direction)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        if self.search_count([("direction_head_ids", "in", self.env.uid)], limit=1):
            action["context"] = {
                **safe_eval(action.get("context") or "{}"),
                "search_default_my_direction": 1,
            }
        return action

    @api.depends_context("from_date", "to_date")
    def _compute_carbon_kg(self):
        # A direction's total is the aggregate every agent reads on its fiche
        # carbone; the analytic lines themselves stay out of an agent's reach.
        totals = BookedEngine(self.env).carbon_by_account(
            self,
            companies=[False, *self.env.companies.ids],
            date_from=self.env.context.get("from_date"),
            date_to=self.env.context.get("to_date"),
            sudo=True,
        )
        for account in self:
            account.carbon_kg = totals.get(account.id, 0.0)

    def write(self, vals):
        # heading a direction is a right (approving its DM carbone): not for the
        # analytic accountants to give themselves
        if (
            "direction_head_ids" in vals
            and not self.env.su
            and not self.env.user.has_group("nm_carbon_budget.group_carbon_controller")
        ):
            raise AccessError(
                self.env._("Only a carbon controller names the heads of a direction.")
            )
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        if (
            any(vals.get("direction_head_ids") for vals in vals_list)
            and not self.env.su
            and not self.env.user.has_group("nm_carbon_budget.group_carbon_controller")
        ):
            raise AccessError(
                self.env._("Only a carbon controller names the heads of a direction.")
            )
        return super().create(vals_list)
