# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager
from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import TravelFixturesMixin


@tagged("post_install", "-at_install")
class TestTravelDeclaration(TravelFixturesMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_travel_fixtures()

    @contextmanager
    def assertRefused(self, exception, regex):
        """assertRaisesRegex in a savepoint, so nothing partial stays behind."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), regex)

    def test_commute_car_alone_and_shared(self):
        """Acceptance 1: 12 km × 18 trips, round trip, combustion car (0.2176)."""
        declaration = self._declaration(
            self.employee_agent, [self._commute(self.mode_car)]
        )
        line = declaration.line_ids
        self.assertEqual(line.total_km, 432.0)
        self.assertAlmostEqual(line.carbon_kg, 94.0032, places=4)
        self.assertAlmostEqual(declaration.carbon_kg, 94.0032, places=4)
        self.assertEqual(declaration.commute_km, 432.0)
        line.occupants = 3
        self.assertAlmostEqual(line.carbon_kg, 31.3344, places=4)
        self.assertAlmostEqual(declaration.commute_carbon_kg, 31.3344, places=4)

    def test_carpool_mode_shares_the_car(self):
        declaration = self._declaration(
            self.employee_agent, [self._commute(self.mode_carpool, occupants=3)]
        )
        self.assertTrue(self.mode_carpool.per_vehicle)
        self.assertAlmostEqual(declaration.carbon_kg, 31.3344, places=4)

    def test_tgv_mission(self):
        """Acceptance 2: a TGV mission of 400 km, round trip: 800 km, 2.344 kg."""
        declaration = self._declaration(
            self.employee_agent,
            [
                {
                    "travel_type": "mission",
                    "mode_id": self.mode_tgv.id,
                    "distance_km": 400,
                    "trip_count": 1,
                    "round_trip": True,
                    # occupants do not divide a factor per passenger.km
                    "occupants": 3,
                }
            ],
        )
        self.assertEqual(declaration.mission_km, 800.0)
        self.assertAlmostEqual(declaration.carbon_kg, 2.344, places=4)
        self.assertEqual(declaration.total_km, 800.0)

    def test_plane_band_follows_distance(self):
        declaration = self._declaration(
            self.employee_agent,
            [
                {"travel_type": "mission", "mode_id": self.mode_plane_short.id,
                 "distance_km": 1500, "trip_count": 1, "round_trip": False},
                {"travel_type": "mission", "mode_id": self.mode_plane_long.id,
                 "distance_km": 600, "trip_count": 1, "round_trip": False},
            ],
        )  # fmt: skip
        medium, short = declaration.line_ids
        self.assertEqual(medium.mode_id, self.mode_plane_medium)
        self.assertEqual(short.mode_id, self.mode_plane_short)
        # 1500 × 0.1847 + 600 × 0.2246 = 277.05 + 134.76 = 411.81
        self.assertAlmostEqual(declaration.carbon_kg, 411.81, places=4)
        short.distance_km = 2500
        self.assertEqual(short.mode_id, self.mode_plane_long)

    def test_factor_version_of_the_month(self):
        """A 2024 month uses the 2024 version of the factor (coach 0.0294)."""
        coach = self.env.ref("nm_mobility.nm_travel_mode_coach")
        old = self.env.ref("nm_carbon_budget.nm_emission_factor_coach_2024")
        declaration = self._declaration(
            self.employee_agent,
            [self._commute(coach, km=10, trips=10)],
            month=old.date_start,
        )
        # 10 × 10 × 2 = 200 km × 0.0294 = 5.88
        self.assertEqual(declaration.line_ids.emission_factor_id, old)
        self.assertAlmostEqual(declaration.carbon_kg, 5.88, places=4)

    def test_distance_checks(self):
        with self.assertRefused(ValidationError, "negative"):
            self._declaration(self.employee_agent, [self._commute(self.mode_car, -5)])
        with self.assertRefused(ValidationError, "1,000 km"):
            self._declaration(self.employee_agent, [self._commute(self.mode_car, 1200)])
        with self.assertRefused(ValidationError, "Long distance confirmed"):
            self._declaration(self.employee_agent, [self._commute(self.mode_car, 250)])
        line = dict(self._commute(self.mode_car, 250), long_distance_confirmed=True)
        declaration = self._declaration(self.employee_agent, [line])
        self.assertEqual(declaration.total_km, 250 * 18 * 2)
        # a long mission needs no confirmation
        declaration.line_ids.write({"travel_type": "mission", "distance_km": 1200})
        self.assertEqual(declaration.total_km, 1200 * 18 * 2)

    def test_long_commute_warning_in_form(self):
        declaration = self._declaration(self.employee_agent, [])
        with Form(declaration) as form, form.line_ids.new() as line:
            line.mode_id = self.mode_car
            line.distance_km = 150
            line.trip_count = 2
        self.assertEqual(declaration.total_km, 600)

    def test_one_declaration_per_employee_and_month(self):
        """Acceptance 6."""
        self._declaration(self.employee_agent, [self._commute(self.mode_bike)])
        with self.assertRefused(
            ValidationError, "already has a travel declaration for 03/2026"
        ):
            self._declaration(
                self.employee_agent,
                [self._commute(self.mode_car)],
                month=date(2026, 3, 20),
            )
        # another month is fine
        self._declaration(
            self.employee_agent, [self._commute(self.mode_bike)], date(2026, 4, 1)
        )

    @mute_logger("odoo.sql_db")
    def test_unique_index_backs_the_check(self):
        self._declaration(self.employee_agent, [])
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env.cr.execute(
                "INSERT INTO nm_travel_declaration "
                "(name, employee_id, date, state, company_id) "
                "VALUES ('x', %s, %s, 'draft', %s)",
                [self.employee_agent.id, self.month, self.env.company.id],
            )

    def _budget_line(self):
        position = self.env["account.budget.post"].create(
            {
                "name": "Mobilité (test)",
                "carbon_category_ids": [
                    (6, 0, [self.env.ref("nm_carbon_budget.nm_carbon_category_mob").id])
                ],
            }
        )
        budget = self.env["crossovered.budget"].create(
            {
                "name": "Budget 2026 (test)",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "crossovered_budget_line_ids": [
                    (0, 0, {
                        "general_budget_id": position.id,
                        "analytic_account_id": self.account_culture.id,
                        "date_from": date(2026, 1, 1),
                        "date_to": date(2026, 12, 31),
                        "planned_amount": 0.0,
                        "planned_carbon_kg": 5000,
                    })
                ],
            }
        )  # fmt: skip
        return budget.crossovered_budget_line_ids

    def test_validation_books_on_the_direction_and_cancel_takes_back(self):
        """Acceptance 3, with the direction in a plan that is not the Project plan."""
        budget_line = self._budget_line()
        self.assertEqual(budget_line.practical_carbon_kg, 0.0)
        declaration = self._declaration(
            self.employee_agent,
            [
                self._commute(self.mode_car),
                {"travel_type": "mission", "mode_id": self.mode_tgv.id,
                 "distance_km": 400, "trip_count": 1, "round_trip": True},
            ],
        )  # fmt: skip
        self.assertEqual(declaration.analytic_account_id, self.account_culture)
        declaration.with_user(self.user_agent).action_submit()
        self.assertEqual(declaration.state, "submitted")
        with self.assertRaises(AccessError):
            declaration.with_user(self.user_agent).action_validate()
        declaration.with_user(self.user_head).action_validate()
        self.assertEqual(declaration.state, "booked")
        self.assertEqual(declaration.validated_by_id, self.user_head)

        lines = declaration.analytic_line_ids
        self.assertEqual(len(lines), 2)
        column = self.plan._column_name()
        self.assertNotEqual(column, "account_id")
        self.assertEqual(lines.mapped(column), self.account_culture)
        self.assertEqual(set(lines.mapped("date")), {date(2026, 3, 31)})
        self.assertEqual(set(lines.mapped("carbon_source")), {"travel"})
        self.assertEqual(sum(lines.mapped("unit_amount")), 1232.0)
        self.assertAlmostEqual(sum(lines.mapped("carbon_kg")), 96.3472, places=4)
        commute = lines.filtered(lambda line: line.unit_amount == 432.0)
        self.assertEqual(
            commute.carbon_category_id,
            self.env.ref("nm_carbon_budget.nm_carbon_category_mob_commute"),
        )
        for line in lines:
            self.assertNotIn("Agent", line.name)
            self.assertIn("2026-03", line.name)
            self.assertIn(declaration.name, line.name)

        budget_line.invalidate_recordset()
        # the budget line may show one decimal only
        self.assertAlmostEqual(budget_line.practical_carbon_kg, 96.3472, delta=0.05)

        # locked: no edit, no deletion, even for a controller (only the
        # workflow's private methods, under sudo(), pass the guard)
        as_controller = declaration.with_user(self.user_controller)
        with self.assertRaises(UserError):
            as_controller.line_ids[0].distance_km = 1
        with self.assertRaises(UserError):
            as_controller.write({"date": date(2026, 4, 1)})
        with self.assertRaises(UserError):
            as_controller.unlink()

        declaration.with_user(self.user_head).action_cancel()
        self.assertEqual(declaration.state, "cancel")
        self.assertIn("Cancelled", declaration.message_ids[0].body)
        self.assertEqual(len(declaration.analytic_line_ids), 4)
        self.assertAlmostEqual(
            sum(declaration.analytic_line_ids.mapped("carbon_kg")), 0.0, places=6
        )
        budget_line.invalidate_recordset()
        self.assertAlmostEqual(budget_line.practical_carbon_kg, 0.0, places=6)

        # corrected and booked again, then cancelled again: only the new booking
        # is taken back
        declaration.action_draft()
        declaration.line_ids[1].unlink()
        declaration.action_submit()
        declaration.with_user(self.user_head).action_validate()
        budget_line.invalidate_recordset()
        self.assertAlmostEqual(budget_line.practical_carbon_kg, 94.0032, delta=0.05)
        declaration.action_cancel()
        self.assertEqual(len(declaration.analytic_line_ids), 6)
        budget_line.invalidate_recordset()
        self.assertAlmostEqual(budget_line.practical_carbon_kg, 0.0, places=6)
        with self.assertRaises(UserError):
            declaration.with_user(self.user_controller).unlink()

    def _submitted_batch(self, size, month):
        employees = self.env["hr.employee"].create(
            [
                {
                    "name": f"Agent lot {month:%m} {i}",
                    "department_id": self.department.id,
                }
                for i in range(size)
            ]
        )
        declarations = self.env["nm.travel.declaration"].create(
            [
                {
                    "employee_id": employee.id,
                    "date": month,
                    "line_ids": [
                        (0, 0, self._commute(self.mode_car)),
                        (0, 0, self._commute(self.mode_bike, 3, 4)),
                    ],
                }
                for employee in employees
            ]
        )
        declarations.action_submit()
        self.env.flush_all()
        self.env.invalidate_all()
        return declarations

    def _validation_queries(self, declarations):
        before = self.env.cr.sql_log_count
        declarations.action_validate()
        self.env.flush_all()
        # what would run at commit (tracking, notes) counts too
        self.env.cr.precommit.run()
        return self.env.cr.sql_log_count - before

    def test_batch_validation_does_not_query_per_declaration(self):
        small = self._submitted_batch(5, date(2026, 1, 1))
        large = self._submitted_batch(40, date(2026, 2, 1))
        small_count = self._validation_queries(small)
        large_count = self._validation_queries(large)
        self.assertEqual(set((small | large).mapped("state")), {"booked"})
        self.assertEqual(len(large.analytic_line_ids), 80)
        self.assertAlmostEqual(
            sum(large.analytic_line_ids.mapped("carbon_kg")), 40 * 94.0032, places=3
        )
        # 8 times more declarations, (almost) the same number of queries
        self.assertLessEqual(large_count, small_count + 6, (small_count, large_count))
        self.assertEqual(large[0].validated_by_id, self.env.user)

    def test_manager_can_change_account_agent_cannot(self):
        declaration = self._declaration(
            self.employee_agent, [self._commute(self.mode_bike)]
        )
        with self.assertRefused(UserError, "Only a manager"):
            declaration.with_user(
                self.user_agent
            ).analytic_account_id = self.account_other
        declaration.with_user(self.user_head).analytic_account_id = self.account_other
        self.assertEqual(declaration.analytic_account_id, self.account_other)

    def test_booking_needs_a_direction(self):
        self.department.analytic_account_id = False
        declaration = self._declaration(
            self.employee_agent, [self._commute(self.mode_bike)]
        )
        declaration.action_submit()
        with self.assertRefused(UserError, "no direction"):
            declaration.with_user(self.user_head).action_validate()
        self.assertEqual(declaration.state, "submitted")

    def test_record_rules(self):
        own = self._declaration(self.employee_agent, [self._commute(self.mode_bike)])
        other = self._declaration(self.employee_agent2, [self._commute(self.mode_car)])
        Declaration = self.env["nm.travel.declaration"]
        self.assertEqual(Declaration.with_user(self.user_agent).search([]), own)
        self.assertEqual(Declaration.with_user(self.user_agent2).search([]), other)
        with self.assertRaises(AccessError):
            other.with_user(self.user_agent).read(["carbon_kg"])
        with self.assertRaises(AccessError):
            other.line_ids.with_user(self.user_agent).read(["carbon_kg"])
        # the head sees the department's declarations, not the other department's
        self.assertEqual(Declaration.with_user(self.user_head).search([]), own)
        self.assertEqual(
            Declaration.with_user(self.user_controller).search(
                [
                    (
                        "employee_id",
                        "in",
                        (self.employee_agent | self.employee_agent2).ids,
                    )
                ]
            ),
            own | other,
        )
        # an agent cannot create a declaration for someone else
        with self.assertRaises(AccessError):
            self._declaration(
                self.employee_agent2,
                [self._commute(self.mode_bike)],
                month=date(2026, 5, 1),
                env=self.env(user=self.user_agent),
            )

    def test_team_grid_and_import_fill_the_declarations(self):
        Line = self.env["nm.travel.declaration.line"].with_user(self.user_head)
        lines = Line.create(
            [
                dict(self._commute(self.mode_bike, 4, 18),
                     employee_id=self.employee_agent.id, date="2026-03-14"),
                dict(self._commute(self.mode_car),
                     employee_id=self.employee_agent.id, date="2026-03-01"),
                dict(self._commute(self.mode_car),
                     employee_id=self.employee_head.id, date="2026-03-01"),
            ]
        )  # fmt: skip
        declarations = lines.declaration_id
        self.assertEqual(len(declarations), 2)
        agent_declaration = declarations.filtered(
            lambda d: d.employee_id == self.employee_agent
        )
        self.assertEqual(agent_declaration.date, self.month)
        self.assertEqual(len(agent_declaration.line_ids), 2)
        # 4 × 18 × 2 = 144 km by bike (0) + 94.0032
        self.assertAlmostEqual(agent_declaration.carbon_kg, 94.0032, places=4)
        # Odoo's import goes through the same path
        result = (
            self.env["nm.travel.declaration.line"]
            .with_user(self.user_head)
            .load(
                ["employee_id", "date", "travel_type", "mode_id", "distance_km",
                 "trip_count", "round_trip", "occupants"],
                [["Agent Un", "2026-04-01", "mission", "tgv", "400", "1", "1", "1"]],
            )
        )  # fmt: skip
        self.assertFalse(result["messages"], result["messages"])
        imported = self.env["nm.travel.declaration.line"].browse(result["ids"])
        self.assertEqual(imported.declaration_id.employee_id, self.employee_agent)
        self.assertEqual(imported.declaration_id.date, date(2026, 4, 1))
        self.assertAlmostEqual(imported.carbon_kg, 2.344, places=4)
        templates = self.env["nm.travel.declaration.line"].get_import_templates()
        self.assertTrue(templates[0]["template"].endswith(".csv"))

    def test_totals_by_type_and_mode(self):
        declaration = self._declaration(
            self.employee_agent,
            [
                {"travel_type": "mission", "mode_id": self.mode_tgv.id,
                 "distance_km": 400, "trip_count": 1, "round_trip": True},
                self._commute(self.mode_car, 12, 10),
                self._commute(self.mode_car, 12, 8),
                self._commute(self.mode_bike, 2, 5),
            ],
        )  # fmt: skip
        # car: 12 × (10 + 8) × 2 = 432 km, 94.0032; bike 20 km; TGV 800 km, 2.344
        # the same figures in the form's list and on the portal, by type and mode
        self.assertEqual(
            [
                (row.travel_type, row.mode_id, row.total_km, round(row.carbon_kg, 4))
                for row in declaration.summary_ids
            ],
            [
                ("commute", self.mode_car, 432.0, 94.0032),
                ("commute", self.mode_bike, 20.0, 0.0),
                ("mission", self.mode_tgv, 800.0, 2.344),
            ],
        )

    def test_reports_group_by_direction_and_mode(self):
        self._declaration(
            self.employee_agent,
            [self._commute(self.mode_car), self._commute(self.mode_bike, 5, 10)],
        )
        groups = self.env["nm.travel.declaration.line"]._read_group(
            [("analytic_account_id", "=", self.account_culture.id)],
            ["is_low_carbon"],
            ["total_km:sum", "journey_count:sum", "carbon_kg:sum"],
        )
        figures = {low: (km, journeys, kg) for low, km, journeys, kg in groups}
        # bike: 5 × 10 × 2 = 100 km, 20 journeys; car: 432 km, 36 journeys
        self.assertEqual(figures[True][:2], (100.0, 20))
        self.assertEqual(figures[False][:2], (432.0, 36))
        declaration = self.env["nm.travel.declaration"].search(
            [("employee_id", "=", self.employee_agent.id)]
        )
        # 100 / 532 km
        self.assertAlmostEqual(declaration.low_carbon_km_share, 18.797, places=2)
