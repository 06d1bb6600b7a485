# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bad input across addons: each gives a message in the user's words and writes
nothing (records counted before and after)."""

import base64
from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.nm_carbon_budget.tests.common import NmFixtures


@tagged("post_install", "-at_install")
class TestBadInput(NmFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.direction = cls._nm_directions(
            cls._nm_plan("Directions (entrées)"), "Culture (entrées)"
        )
        department = env["hr.department"].create(
            {"name": "Culture (entrées)", "analytic_account_id": cls.direction.id}
        )
        cls.employee = env["hr.employee"].create(
            {"name": "Agent (entrées)", "department_id": department.id}
        )
        cls.car = env["nm.travel.mode"].search([("code", "=", "car_thermal")], limit=1)

    def _count(self, model):
        return self.env[model].search_count([])

    def _declare(self, distance, travel_type="commute"):
        return self.env["nm.travel.declaration"].create(
            {
                "employee_id": self.employee.id,
                "date": date(2026, 5, 1),
                "line_ids": [
                    Command.create(
                        {
                            "travel_type": travel_type,
                            "mode_id": self.car.id,
                            "distance_km": distance,
                            "trip_count": 10,
                        }
                    )
                ],
            }
        )

    @mute_logger("odoo.sql_db")
    def test_absurd_distances_write_nothing(self):
        before = (
            self._count("nm.travel.declaration"),
            self._count("nm.travel.declaration.line"),
        )
        for distance, message in (
            (-12, "cannot be negative"),
            (1200, "at most 1,000 km"),
            (350, "Long distance confirmed"),
        ):
            with self.subTest(distance=distance):
                with self.assertRaisesRegex(ValidationError, message):
                    with self.env.cr.savepoint():
                        self._declare(distance)
        after = (
            self._count("nm.travel.declaration"),
            self._count("nm.travel.declaration.line"),
        )
        self.assertEqual(before, after)

    def test_dm_line_on_another_companys_budget(self):
        other = self.env["res.company"].create({"name": "Autre collectivité"})
        plan = self.env["account.analytic.plan"].create({"name": "Autre plan"})
        account = self.env["account.analytic.account"].create(
            {"name": "Autre direction", "plan_id": plan.id, "company_id": other.id}
        )
        position = self.env["account.budget.post"].create(
            {
                "name": "Mobilité (autre)",
                "company_id": other.id,
                "carbon_category_ids": [
                    Command.set(
                        [self.env.ref("nm_carbon_budget.nm_carbon_category_mob").id]
                    )
                ],
            }
        )
        foreign_budget = self.env["crossovered.budget"].create(
            {
                "name": "Budget de l'autre",
                "company_id": other.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
            }
        )
        foreign_line = self.env["crossovered.budget.lines"].create(
            {
                "crossovered_budget_id": foreign_budget.id,
                "analytic_account_id": account.id,
                "general_budget_id": position.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "planned_amount": 0,
                "planned_carbon_kg": 1000,
            }
        )
        own_budget = self.env["crossovered.budget"].create(
            {
                "name": "Notre budget",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
            }
        )
        amendments = self._count("nm.carbon.amendment")
        with self.assertRaises(UserError):  # ValidationError is a UserError
            with self.env.cr.savepoint():
                amendment = self.env["nm.carbon.amendment"].create(
                    {
                        "budget_id": own_budget.id,
                        "amendment_type": "decrease",
                        "justification": "Ligne d'un autre budget",
                        "line_ids": [
                            Command.create(
                                {"budget_line_id": foreign_line.id, "delta_kg": -100}
                            )
                        ],
                    }
                )
                amendment.action_submit()
        self.assertEqual(self._count("nm.carbon.amendment"), amendments)
        self.assertEqual(foreign_line.planned_carbon_kg, 1000)

    def test_overflowing_trips_refused_alike_by_rpc_import_and_grid(self):
        """Figures no database column or trip holds (99,999,999,999 trips, 1e308
        km, a product of both) get the same message over RPC, in an import and
        in the team grid, and write nothing."""
        Line = self.env["nm.travel.declaration.line"]
        before = (
            self._count("nm.travel.declaration"),
            self._count("nm.travel.declaration.line"),
        )
        grid = {
            "employee_id": self.employee.id,
            "date": "2026-06-01",
            "travel_type": "mission",
            "mode_id": self.car.id,
            "distance_km": 12.0,
            "trip_count": 10,
        }
        for vals, message in (
            ({"trip_count": 99999999999}, "trips in a month is not possible"),
            ({"distance_km": 1e308}, "at most 40,000 km"),
            ({"distance_km": 39000.0, "trip_count": 99999999}, "is not possible"),
            ({"occupants": 2**40}, "occupants is not possible"),
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(ValidationError, message):
                    with self.env.cr.savepoint():
                        Line.create(dict(grid, **vals))
        result = Line.load(
            ["employee_id", "date", "travel_type", "mode_id", "distance_km",
             "trip_count", "round_trip", "occupants"],
            [["Agent (entrées)", "2026-06-01", "mission", "car_thermal", "1e308",
              "1", "1", "1"],
             ["Agent (entrées)", "2026-06-01", "mission", "car_thermal", "12",
              "99999999999", "1", "1"]],
        )  # fmt: skip
        self.assertFalse(result["ids"])
        self.assertIn("is not possible", result["messages"][0]["message"])
        self.assertEqual(
            (
                self._count("nm.travel.declaration"),
                self._count("nm.travel.declaration.line"),
            ),
            before,
        )

    def test_malformed_and_duplicate_ademe_files(self):
        factors = self._count("nm.emission.factor")
        header = '"Type Ligne";"Identifiant de l\'élément";"Nom base français";'
        header += '"Unité français";"Total poste non décomposé"'
        good = '"Elément";"990001";"Essai";"kgCO2e/kWh";"0,1"'
        bad = '"Elément";"990002";"Essai";"kgCO2e/kWh";"douze"'
        Wizard = self.env["nm.emission.factor.import"]

        def upload(*rows):
            return Wizard.create(
                {
                    "data_file": base64.b64encode("\n".join(rows).encode()),
                    "filename": "ademe.csv",
                }
            )

        with self.assertRaisesRegex(UserError, "not a number"):
            upload(header, good, bad).action_import()
        self.assertEqual(self._count("nm.emission.factor"), factors)
        with self.assertRaisesRegex(UserError, "not an ADEME"):
            upload("a;b;c", "1;2;3").action_import()
        upload(header, good).action_import()
        upload(header, good).action_import()  # the same file again
        self.assertEqual(self._count("nm.emission.factor"), factors + 1)
