# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo data is a French city in euros (reads the demo's own records)."""

from odoo.tests import TransactionCase, tagged

DEMO_LOGINS = ("admin", "controleur", "directrice", "agent", "elu")


@tagged("post_install", "-at_install", "nm_demo")
class TestDemoCity(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.city = cls.env.ref("base.main_company")
        if not cls.env.ref(
            "nm_carbon_budget.crossovered_budget_2026_demo", raise_if_not_found=False
        ):
            cls.skipTest(cls, "the database has no demo data")

    def test_city_in_france_in_euros_with_a_logo(self):
        city = self.city
        self.assertEqual(city.name, "Ville de Montclar")
        self.assertEqual(city.country_id, self.env.ref("base.fr"))
        self.assertEqual(city.currency_id, self.env.ref("base.EUR"))
        self.assertEqual((city.zip, city.city), ("63999", "Montclar"))
        self.assertTrue(city.phone and city.email and city.website)
        self.assertTrue(city.logo, "the portal header would say “Your logo”")
        # every record the demo shows is in euros, the sample entries included
        usd = self.env.ref("base.USD")
        for model in ("account.move", "account.move.line", "account.analytic.line"):
            self.assertFalse(
                self.env[model].search_count(
                    [("company_id", "=", city.id), ("currency_id", "=", usd.id)]
                ),
                f"{model} of the demo city in USD",
            )
        journals = self.env["account.journal"].search([("company_id", "=", city.id)])
        self.assertFalse(journals.filtered(lambda j: j.currency_id == usd))

    def test_demo_users_french_in_paris_in_the_city_only(self):
        users = self.env["res.users"].search([("login", "in", DEMO_LOGINS)])
        self.assertEqual(len(users), len(DEMO_LOGINS))
        for user in users:
            self.assertEqual(user.lang, "fr_FR", user.login)
            self.assertEqual(user.tz, "Europe/Paris", user.login)
            self.assertEqual(user.company_ids, self.city, user.login)
        operator = self.env["res.users"].search([("login", "=", "operateur")])
        if operator:
            self.assertEqual((operator.lang, operator.tz), ("fr_FR", "Europe/Paris"))

    def test_budgets_named_in_french(self):
        names = self.env["crossovered.budget"].search([]).mapped("name")
        self.assertFalse([name for name in names if "Optimistic" in name])
        self.assertIn("Budget 2027 : hypothèse haute (simulation)", names)

    def test_directrice_heads_the_culture_direction(self):
        directrice = self.env.ref("nm_carbon_budget.user_directrice_demo")
        culture = self.env.ref("nm_carbon_budget.analytic_account_dir_culture_demo")
        self.assertIn(directrice, culture.direction_head_ids)

    def test_budget_lines_carry_euros_with_their_carbon(self):
        """No line says “0 € spent, 180 t emitted”: energy and fleet fuel are
        booked in € with their kWh or litres, the kgCO2e computed from them."""
        budget = self.env.ref("nm_carbon_budget.crossovered_budget_2025_demo")
        lines = budget.crossovered_budget_line_ids.filtered(
            lambda line: (
                line.general_budget_id
                in (
                    self.env.ref("nm_carbon_budget.budget_post_energy_demo")
                    | self.env.ref("nm_carbon_budget.budget_post_mobility_demo")
                )
            )
        )
        self.assertTrue(lines)
        for line in lines:
            if line.practical_carbon_kg > 1000:
                self.assertLess(line.practical_amount, 0.0, line.display_name)
        # one electricity bill: kWh × 0.052 kgCO2e/kWh, at 0.20 € per kWh
        bill = self.env.ref("nm_carbon_budget.analytic_line_carbon_2_demo")
        self.assertEqual(bill.product_uom_id, self.env.ref("uom.product_uom_kwh"))
        self.assertEqual(bill.carbon_source, "physical")
        self.assertAlmostEqual(bill.carbon_kg, bill.unit_amount * 0.052, 2)
        self.assertAlmostEqual(bill.amount, -round(bill.unit_amount * 0.20, 2), 2)
        self.assertEqual(bill.general_account_id.code, "60612")
