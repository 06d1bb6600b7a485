# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    nm_partner_plan_id = fields.Many2one(
        "account.analytic.plan",
        string="Partners analytic plan",
        domain=[("parent_id", "=", False)],
        groups="base.group_user",
        help="Root plan holding one analytic account per funded operator. Carbon "
        "reported by operators is booked there, apart from the authority's own "
        "footprint (read on the carbon reference plan only).",
    )

    def _nm_get_partner_plan(self):
        """The "Partners" plan, created on first use. Never the carbon reference
        plan, so operators' emissions are never counted in the authority's total."""
        self.ensure_one()
        plan = self.sudo().nm_partner_plan_id
        if not plan or plan == self.sudo().carbon_plan_id:
            plan = (
                self.env["account.analytic.plan"]
                .sudo()
                .create(
                    {
                        "name": self.env._("Partners"),
                        "default_applicability": "optional",
                    }
                )
            )
            # named in every language of the database, not only the one of the
            # user who happened to create it
            plan.update_field_translations(
                "name",
                {
                    code: self.with_context(lang=code).env._("Partners")
                    for code, _name in self.env["res.lang"].get_installed()
                },
            )
            self.sudo().nm_partner_plan_id = plan
        return plan
