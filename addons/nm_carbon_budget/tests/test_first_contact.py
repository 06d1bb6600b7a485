# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a new user meets first: Settings, readable names, the directions list."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import CarbonBudgetCase


@tagged("post_install", "-at_install")
class TestCarbonSettings(CarbonBudgetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_admin = new_test_user(
            cls.env,
            login="nm_settings_admin",
            groups="base.group_system,account.group_account_manager,"
            "nm_carbon_budget.group_carbon_admin",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def test_settings_open_and_save_as_admin(self):
        # Opening Settings raised "Field res.config.settings.default_emission_factor_id
        # without attribute 'default_model'" on every Settings page.
        settings = self.env["res.config.settings"].with_user(self.user_admin)
        with Form(settings) as form:
            form.carbon_plan_id = self.directions_plan
            form.carbon_default_factor_id = self.ratio_technical
            form.carbon_amendment_executive_margin = 7.5
        form.record.execute()
        self.assertEqual(self.company.default_emission_factor_id, self.ratio_technical)
        self.assertEqual(self.company.carbon_plan_id, self.directions_plan)
        self.assertEqual(self.company.carbon_amendment_executive_margin, 7.5)
        # opened again, the form shows what was saved
        reopened = Form(settings)
        self.assertEqual(reopened.carbon_default_factor_id, self.ratio_technical)

    def test_no_settings_field_is_an_unqualified_default(self):
        # Odoo reads every default_* field of res.config.settings as an ir.default
        # setting: each must name its model.
        Settings = self.env["res.config.settings"]
        for name, field in Settings._fields.items():
            if name.startswith("default_"):
                self.assertTrue(
                    getattr(field, "default_model", False),
                    f"res.config.settings.{name} has no default_model",
                )


@tagged("post_install", "-at_install")
class TestSettingsPage(HttpCase):
    def test_settings_page_loads_as_admin(self):
        """The carbon budget's Settings page opens in a browser without an error
        dialog (the web client logs an error, which fails the test)."""
        code = """
            const started = Date.now();
            const wait = () => {
                if (document.querySelector('.o_error_dialog')) {
                    console.error('Settings answered with an error dialog');
                } else if (document.querySelector('.o_setting_container, .settings')) {
                    console.log('test successful');
                } else if (Date.now() - started > 20000) {
                    console.error('Settings did not open');
                } else {
                    setTimeout(wait, 200);
                }
            };
            wait();
        """
        self.browser_js(
            "/odoo/action-nm_carbon_budget.res_config_settings_action",
            code,
            login="admin",
            timeout=60,
        )


@tagged("post_install", "-at_install")
class TestReadableNames(CarbonBudgetCase):
    def test_budget_line_reads_direction_position_budget(self):
        line = self._budget_line(self.dir_culture, self.position_services, 1000.0)
        self.assertEqual(
            line.display_name,
            "Culture (test) — Prestations (test) — Budget 2026 (test)",
        )
        # the line picker finds it by the direction's name
        found = self.env["crossovered.budget.lines"].name_search("Culture (test)")
        self.assertIn(line.id, [line_id for line_id, _name in found])
        self.assertNotIn("crossovered.budget.lines", line.display_name)

    def test_budget_line_without_direction(self):
        line = self._budget_line(False, self.position_services, 0.0, -500.0)
        self.assertEqual(line.display_name, "Prestations (test) — Budget 2026 (test)")

    def test_amendment_line_names_its_budget_line(self):
        budget_line = self._budget_line(self.dir_culture, self.position_mobility, 500.0)
        amendment = self.env["nm.carbon.amendment"].create(
            {
                "budget_id": self.budget.id,
                "amendment_type": "decrease",
                "justification": "Test",
                "line_ids": [
                    Command.create({"budget_line_id": budget_line.id, "delta_kg": -100})
                ],
            }
        )
        self.assertEqual(
            amendment.line_ids.display_name,
            f"{amendment.name} — Culture (test) — Mobilité (test) — Budget 2026 (test)",
        )


@tagged("post_install", "-at_install")
class TestDirections(CarbonBudgetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_head = new_test_user(
            cls.env,
            login="nm_direction_head",
            groups="nm_carbon_budget.group_carbon_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.user_finance = new_test_user(
            cls.env,
            login="nm_direction_finance",
            groups="nm_carbon_budget.group_carbon_controller",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.user_agent = new_test_user(
            cls.env,
            login="nm_direction_agent",
            groups="nm_carbon_budget.group_carbon_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.dir_culture.direction_head_ids = cls.user_head
        # a vendor bill on her direction: the form's bill counter reads journal
        # items, which a direction head may not read
        cls._bill([(cls.dir_culture, 100)], price=100.0)
        cls._carbon_line(cls.dir_culture, 40.0, date(2025, 6, 1), cls.cat_energy)
        cls._carbon_line(cls.dir_culture, 250.0, date(2026, 6, 1), cls.cat_energy)

    def test_direction_head_opens_her_direction(self):
        # "Erreur d'accès… account.move.line" when the direction opened
        direction = self.dir_culture.with_user(self.user_head)
        form = Form(direction)
        self.assertEqual(form.name, "Culture (test)")

    def test_agent_reads_the_directions_carbon_not_its_lines(self):
        # the Directions list sent an agent back home ("account.analytic.line")
        direction = self.dir_culture.with_user(self.user_agent)
        form = Form(direction)
        self.assertEqual(form.name, "Culture (test)")
        in_2026 = direction.with_context(from_date="2026-01-01", to_date="2026-12-31")
        self.assertAlmostEqual(in_2026.carbon_kg, 250.0 + 11.0, 4)
        # the lines themselves stay out of reach
        with self.assertRaises(AccessError):
            self.env["account.analytic.line"].with_user(self.user_agent).search([])

    def test_directions_are_the_reference_plan_accounts_only(self):
        Account = self.env["account.analytic.account"].with_user(self.user_finance)
        directions = Account.search([("is_direction", "=", True)])
        self.assertIn(self.dir_culture, directions)
        self.assertIn(self.dir_property, directions)
        self.assertNotIn(self.project_account, directions)
        self.assertEqual(directions.root_plan_id, self.directions_plan)
        others = Account.search([("is_direction", "=", False)])
        self.assertIn(self.project_account, others)
        self.assertNotIn(self.dir_culture, others)
        action = Account._action_on_my_direction(
            "nm_carbon_budget.account_analytic_account_action_directions"
        )
        self.assertEqual(action["domain"], "[('is_direction', '=', True)]")

    def test_direction_head_lands_on_her_direction(self):
        xmlid = "nm_carbon_budget.account_analytic_account_action_directions"
        Account = self.env["account.analytic.account"]
        action = Account.with_user(self.user_head)._action_on_my_direction(xmlid)
        self.assertEqual(action["context"]["search_default_my_direction"], 1)
        # finance heads no direction: it sees them all
        action = Account.with_user(self.user_finance)._action_on_my_direction(xmlid)
        self.assertNotIn("search_default_my_direction", str(action["context"]))
        # the filter "My direction" is her direction
        mine = Account.with_user(self.user_head).search(
            [("direction_head_ids", "in", [self.user_head.id])]
        )
        self.assertEqual(mine, self.dir_culture)
        lines_action = Account.with_user(self.user_head)._action_on_my_direction(
            "nm_carbon_budget.crossovered_budget_lines_action_carbon"
        )
        self.assertEqual(lines_action["context"]["search_default_my_direction"], 1)
        # the budget lines action keeps its own default filter
        context = lines_action["context"]
        self.assertEqual(context["search_default_filter_current_year"], 1)

    def test_year_filters_on_carbon(self):
        # 40 kg booked in 2025, 250 kg in 2026, and the bill's 11 kg in 2026
        # (100 € × 110 kgCO2e/k€)
        account = self.dir_culture.with_user(self.user_head)
        in_2026 = account.with_context(from_date="2026-01-01", to_date="2026-12-31")
        in_2025 = account.with_context(from_date="2025-01-01", to_date="2025-12-31")
        self.assertAlmostEqual(in_2025.carbon_kg, 40.0, 4)
        self.assertAlmostEqual(in_2026.carbon_kg, 250.0 + 11.0, 4)
        self.assertAlmostEqual(account.carbon_kg, 40.0 + 250.0 + 11.0, 4)
