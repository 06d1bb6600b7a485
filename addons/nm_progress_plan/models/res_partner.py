# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    nm_analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Operator analytic account",
        copy=False,
        groups="base.group_user",
        help="Account of the Partners plan on which this operator's reported "
        "carbon is booked.",
    )
    nm_convention_ids = fields.One2many(
        "nm.convention", "partner_id", string="Conventions"
    )

    def _nm_get_analytic_account(self, company):
        """The operator's account of ``company`` in its Partners plan, created on
        first use. An operator funded by several companies has one account in
        each: reused, never one more per alternation between them."""
        self.ensure_one()
        partner = self.commercial_partner_id.sudo()
        plan = company._nm_get_partner_plan()
        account = partner.nm_analytic_account_id
        if account.plan_id.root_id == plan and account.company_id in (
            company,
            company.browse(),
        ):
            return account
        Account = self.env["account.analytic.account"].sudo()
        account = Account.search(
            [
                ("partner_id", "=", partner.id),
                ("plan_id", "=", plan.id),
                ("company_id", "=", company.id),
            ],
            order="id",
            limit=1,
        ) or Account.create(
            {
                "name": partner.name,
                "plan_id": plan.id,
                "partner_id": partner.id,
                "company_id": company.id,
            }
        )
        partner.nm_analytic_account_id = account
        return account
