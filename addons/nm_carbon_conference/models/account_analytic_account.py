# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"

    # The same field (same relation table) as the direction-head tier of the DM
    # carbone defines in nm_carbon_budget: whichever module loads it, a direction has
    # one list of heads, who see and propose the conference lines of their direction.
    direction_head_ids = fields.Many2many(
        "res.users",
        "nm_direction_head_rel",
        "analytic_account_id",
        "user_id",
        string="Direction heads",
        help="Who heads this direction: they see and propose its envelopes at the "
        "carbon budget conference. Set by the carbon controllers.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("direction_head_ids") for vals in vals_list):
            self._nm_check_names_heads()
        return super().create(vals_list)

    def write(self, vals):
        if "direction_head_ids" in vals:
            self._nm_check_names_heads()
        return super().write(vals)

    def _nm_check_names_heads(self):
        # heading a direction is a right (proposing its envelopes): not for the
        # analytic accountants to give themselves
        if self.env.su or self.env.user.has_group(
            "nm_carbon_budget.group_carbon_controller"
        ):
            return
        raise AccessError(
            self.env._("Only a carbon controller names the heads of a direction.")
        )
