# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # One account per company: an operator funded by two authorities has its
    # carbon booked on each authority's own account (until 19.0.1.3.0 a single
    # value, overwritten by whichever company booked last).
    nm_analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Operator analytic account",
        company_dependent=True,
        copy=False,
        groups="base.group_user",
        help="Account of the Partners plan on which this operator's reported "
        "carbon is booked, in the current company.",
    )
    nm_convention_ids = fields.One2many(
        "nm.convention", "partner_id", string="Conventions"
    )

    def _nm_get_analytic_account(self, company):
        """The operator's account of ``company`` in its Partners plan, created on
        first use. An operator funded by several companies has one account in
        each: reused, never one more per alternation between them."""
        self.ensure_one()
        return self._nm_get_analytic_accounts(company)[self.commercial_partner_id]

    def _nm_get_analytic_accounts(self, company):
        """{commercial partner: its account of ``company`` in the Partners plan}
        for all the partners at once: one read of the accounts, one search and
        one create for the operators that have none yet."""
        partners = self.commercial_partner_id.sudo().with_company(company)
        plan = company._nm_get_partner_plan()
        accounts = {}
        for partner in partners:
            account = partner.nm_analytic_account_id
            if account.plan_id.root_id == plan and account.company_id in (
                company,
                company.browse(),
            ):
                accounts[partner] = account
        missing = partners.filtered(lambda p: p not in accounts)
        if not missing:
            return accounts
        Account = self.env["account.analytic.account"].sudo()
        for account in Account.search(
            [
                ("partner_id", "in", missing.ids),
                ("plan_id", "=", plan.id),
                ("company_id", "=", company.id),
            ],
            order="id desc",
        ):
            # the oldest account of each operator wins (searched newest first)
            accounts[account.partner_id.with_company(company)] = account
        new = missing.filtered(lambda p: p not in accounts)
        created = Account.create(
            [
                {
                    "name": partner.name,
                    "plan_id": plan.id,
                    "partner_id": partner.id,
                    "company_id": company.id,
                }
                for partner in new
            ]
        )
        accounts.update(zip(new, created, strict=True))
        for partner in missing:
            # the value of this company only: the other companies keep theirs
            partner.nm_analytic_account_id = accounts[partner]
        return accounts
