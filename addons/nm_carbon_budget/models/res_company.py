# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class ResCompany(models.Model):
    _inherit = "res.company"

    carbon_plan_id = fields.Many2one(
        "account.analytic.plan",
        string="Carbon reference plan",
        domain=[("parent_id", "=", False)],
        help="The analytic plan whose accounts (the directions) carry the "
        "organisation's carbon total. A journal item split over several plans "
        "creates one analytic line per plan: totals are read on this plan only, so "
        "nothing is counted twice.",
    )
    default_emission_factor_id = fields.Many2one(
        "nm.emission.factor",
        string="Default monetary ratio",
        domain=[("factor_type", "=", "monetary")],
        help="Ratio applied to vendor bill lines when neither the product, its "
        "category nor the expense account has one.",
    )

    def _nm_demo_set_currency(self, currency_id):
        """Demo data only: put the demo city in the currency ``currency_id`` (euros).

        ``account``'s demo loads the generic chart of accounts on the main company in
        USD and posts its sample entries before any addon of ours is installed, after
        which Odoo refuses a change of currency. The demo city works in euros, so the
        company's records are relabelled in that currency, amounts unchanged (they
        are sample figures, nothing is converted)."""
        self.ensure_one()
        currency = self.env["res.currency"].browse(currency_id)
        old = self.currency_id
        if not currency or old == currency:
            return
        currency.active = True
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """SELECT src.relname, att.attname
                 FROM pg_constraint con
                 JOIN pg_class src ON src.oid = con.conrelid
                 JOIN pg_attribute att
                   ON att.attrelid = con.conrelid AND att.attnum = ANY(con.conkey)
                WHERE con.contype = 'f'
                  AND con.confrelid = 'res_currency'::regclass
                  -- rates are per currency: a USD rate stays a USD rate
                  AND src.relname != 'res_currency_rate'
                  AND EXISTS (SELECT 1 FROM pg_attribute company
                               WHERE company.attrelid = con.conrelid
                                 AND company.attname = 'company_id'
                                 AND NOT company.attisdropped)"""
        )
        for table, column in cr.fetchall():
            cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE %s = %s "
                    "AND (company_id = %s OR (%s AND company_id IS NULL))",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    currency.id,
                    SQL.identifier(column),
                    old.id,
                    self.id,
                    # shared pricelists are the ones the demo's customers get
                    table == "product_pricelist",
                )
            )
        cr.execute(
            "UPDATE res_company SET currency_id = %s WHERE id = %s",
            [currency.id, self.id],
        )
        self.env.invalidate_all()
