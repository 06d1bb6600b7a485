# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The operators' analytic plan, created on first use, reads "Partenaires" in
French even when an English-speaking job created it."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPartnerPlanName(TransactionCase):
    def test_partner_plan_named_in_every_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        company = self.env["res.company"].create({"name": "Ville (plan test)"})
        plan = company.with_context(lang="en_US")._nm_get_partner_plan()
        self.assertEqual(plan.with_context(lang="en_US").name, "Partners")
        self.assertEqual(plan.with_context(lang="fr_FR").name, "Partenaires")
