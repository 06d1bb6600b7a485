# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Cross-addon scenario: a direction kept in a non-Project plan, from an agent's travel
declaration to the budget line, the climate capital and a DM carbone."""

from datetime import date

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCarbonCycle(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        cls.plan = env["account.analytic.plan"].create(
            {"name": "Directions (scénario)"}
        )
        cls.company.carbon_plan_id = cls.plan
        Account = env["account.analytic.account"]
        cls.dir_culture = Account.create(
            {"name": "Culture (scénario)", "plan_id": cls.plan.id}
        )
        cls.dir_property = Account.create(
            {"name": "Patrimoine (scénario)", "plan_id": cls.plan.id}
        )
        position = env["account.budget.post"].create(
            {
                "name": "Mobilité (scénario)",
                "carbon_category_ids": [
                    Command.set([env.ref("nm_carbon_budget.nm_carbon_category_mob").id])
                ],
            }
        )
        cls.budget = env["crossovered.budget"].create(
            {
                "name": "Budget 2026 (scénario)",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
            }
        )

        def line(account):
            return env["crossovered.budget.lines"].create(
                {
                    "crossovered_budget_id": cls.budget.id,
                    "analytic_account_id": account.id,
                    "general_budget_id": position.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 12, 31),
                    "planned_amount": -10000,
                    "planned_carbon_kg": 1000,
                }
            )

        cls.line_culture = line(cls.dir_culture)
        cls.line_property = line(cls.dir_property)
        cls.budget.action_budget_confirm()
        cls.budget.action_budget_validate()

        cls.agent = new_test_user(
            env, login="scenario_agent", groups="nm_carbon_budget.group_carbon_user"
        )
        department = env["hr.department"].create(
            {"name": "Culture (scénario)", "analytic_account_id": cls.dir_culture.id}
        )
        cls.employee = env["hr.employee"].create(
            {
                "name": "Agent (scénario)",
                "user_id": cls.agent.id,
                "department_id": department.id,
            }
        )
        car = env.ref("nm_carbon_budget.nm_emission_factor_car_thermal")
        cls.car_mode = env["nm.travel.mode"].search(
            [("emission_factor_id", "=", car.id)], limit=1
        )
        cls.climate = env.ref("nm_multicapital.nm_capital_climate")

    def _declare(self):
        declaration = self.env["nm.travel.declaration"].create(
            {
                "employee_id": self.employee.id,
                "date": date(2026, 3, 1),
                "line_ids": [
                    Command.create(
                        {
                            "travel_type": "commute",
                            "mode_id": self.car_mode.id,
                            "distance_km": 12,
                            "trip_count": 18,
                            "round_trip": True,
                        }
                    )
                ],
            }
        )
        declaration.action_submit()
        declaration.action_validate()
        return declaration

    def _refresh(self):
        self.env.invalidate_all()

    def _climate_culture(self):
        """(planned, booked) kgCO2e of the climate capital on culture in 2026."""
        return self.env["nm.capital"]._climate_figures(
            self.dir_culture, date(2026, 1, 1), date(2026, 12, 31), self.company
        )[self.dir_culture.id]

    def test_declaration_to_budget_line_capital_and_amendment(self):
        declaration = self._declare()
        # 12 km × 18 trips × 2 = 432 km × 0.2176 = 94.0032 kgCO2e, on culture's column
        self.assertEqual(declaration.analytic_account_id, self.dir_culture)
        self._refresh()
        self.assertAlmostEqual(self.line_culture.practical_carbon_kg, 94.0032, 4)
        self.assertAlmostEqual(self.line_property.practical_carbon_kg, 0.0, 4)
        self.assertAlmostEqual(
            self.env["account.analytic.line"]._carbon_total_kg(
                [("company_id", "=", self.company.id), ("date", ">=", "2026-01-01")]
            ),
            94.0032,
            4,
        )
        # the climate capital reads the same carbon and the same envelope, in
        # kgCO2e, never in euros
        self.assertEqual(
            self._climate_culture(), (1000, self.line_culture.practical_carbon_kg)
        )
        self.assertAlmostEqual(self._climate_culture()[1], 94.0032, 4)
        self.assertEqual(self.climate.unit, "kgCO2e")

        # a DM carbone moves 500 kg of envelope from culture to property: with a
        # 25 % executive margin of the 2 000 kg voted, exactly the executive's
        self.company.carbon_amendment_executive_margin = 25.0
        amendment = self.env["nm.carbon.amendment"].create(
            {
                "budget_id": self.budget.id,
                "amendment_type": "transfer",
                "justification": "Réaffectation vers le patrimoine (scénario)",
                "line_ids": [
                    Command.create(
                        {"budget_line_id": self.line_culture.id, "delta_kg": -500}
                    ),
                    Command.create(
                        {"budget_line_id": self.line_property.id, "delta_kg": 500}
                    ),
                ],
            }
        )
        head = new_test_user(
            self.env,
            login="scenario_head",
            groups="nm_carbon_budget.group_carbon_manager",
        )
        # the direction-head tier goes to the heads of the DM's directions
        (self.dir_culture | self.dir_property).direction_head_ids = head
        amendment.action_submit()
        finance = new_test_user(
            self.env,
            login="scenario_finance",
            groups="nm_carbon_budget.group_carbon_controller",
        )
        executive = new_test_user(
            self.env,
            login="scenario_executive",
            groups="nm_carbon_budget.group_carbon_approver",
        )
        # 500 kg between two directions, within the executive margin: the
        # executive's tier only
        self.assertEqual(amendment.approval_route, "executive")
        self.assertEqual(amendment.review_ids.mapped("name"), ["Executive"])
        for user in (head, finance, executive):
            pending = amendment.review_ids.filtered(
                lambda review, user=user: (
                    review.status == "pending" and user in review.reviewer_ids
                )
            )
            if pending:
                amendment.with_user(user).validate_tier()
        self.assertEqual(amendment.state, "approved")
        amendment.action_apply()
        self.assertEqual(amendment.state, "applied")
        self._refresh()
        self.assertEqual(self.line_culture.planned_carbon_kg, 500)
        self.assertEqual(self.line_property.planned_carbon_kg, 1500)
        # one carbon budget: the climate capital's envelope moved with the DM
        self.assertEqual(self._climate_culture()[0], 500)
        # booked carbon does not move with the envelope: 94.0032 / 500 = 18.8 %
        self.assertAlmostEqual(self.line_culture.carbon_percentage, 18.80064, 4)

        # cancelling the declaration takes its carbon back everywhere
        declaration.action_cancel()
        self._refresh()
        self.assertAlmostEqual(self.line_culture.practical_carbon_kg, 0.0, 4)
        self.assertAlmostEqual(self._climate_culture()[1], 0.0, 4)
