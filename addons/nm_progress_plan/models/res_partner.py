# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    nm_analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Operator analytic account",
        copy=False,
        help="Account of the Partners plan on which this operator's reported "
        "carbon is booked.",
    )
    nm_convention_ids = fields.One2many(
        "nm.convention", "partner_id", string="Conventions"
    )

    def _nm_get_analytic_account(self, company):
        """The operator's account in the Partners plan, created on first use."""
        self.ensure_one()
        partner = self.commercial_partner_id.sudo()
        plan = company._nm_get_partner_plan()
        account = partner.nm_analytic_account_id
        if not account or account.plan_id.root_id != plan:
            account = (
                self.env["account.analytic.account"]
                .sudo()
                .create(
                    {
                        "name": partner.name,
                        "plan_id": plan.id,
                        "partner_id": partner.id,
                        "company_id": company.id,
                    }
                )
            )
            partner.nm_analytic_account_id = account
        return account
