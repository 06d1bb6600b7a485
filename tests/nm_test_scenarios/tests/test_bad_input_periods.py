# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bad input: dates outside a budget's or a convention's period. Each is refused
with a message naming the periods, and nothing is written (records counted, values
read back)."""

from datetime import date

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import format_date

from odoo.addons.nm_carbon_budget.tests.common import NmFixtures


def _fmt(env, day):
    """A date as the user reads it (the demo users read French)."""
    return format_date(env, fields.Date.to_date(day))


@tagged("post_install", "-at_install")
class TestPeriods(NmFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.direction = cls._nm_directions(
            cls._nm_plan("Directions (périodes)"), "Culture (périodes)"
        )
        cls.position = cls._nm_position(
            "Mobilité (périodes)",
            categories=env.ref("nm_carbon_budget.nm_carbon_category_mob"),
        )
        cls.budget = cls._nm_budget("Budget 2026 (périodes)")
        cls.line = cls._line(date(2026, 1, 1), date(2026, 12, 31))
        partner = env["res.partner"].create(
            {"name": "Théâtre (périodes)", "is_company": True}
        )
        cls.convention = env["nm.convention"].create(
            {
                "title": "Convention (périodes)",
                "partner_id": partner.id,
                "convention_type": "cpo",
                "date_start": date(2026, 1, 1),
                "date_end": date(2026, 12, 31),
                "subsidy_amount": 20000.0,
                "operator_maturity": "starting",
                "clause_ids": [
                    Command.create(
                        {
                            "name": "Venue à vélo",
                            "theme": "mobility",
                            "committer": "operator",
                            "indicator_name": "Part des publics à vélo",
                            "indicator_unit": "%",
                            "baseline": 20.0,
                            "target": 40.0,
                            "direction": "higher",
                            "frequency": "half_yearly",
                        }
                    )
                ],
            }
        )
        cls.convention.action_schedule_reviews()

    @classmethod
    def _line(cls, date_from, date_to, budget=None):
        return cls.env["crossovered.budget.lines"].create(
            {
                "crossovered_budget_id": (budget or cls.budget).id,
                "analytic_account_id": cls.direction.id,
                "general_budget_id": cls.position.id,
                "date_from": date_from,
                "date_to": date_to,
                "planned_amount": -1000,
                "planned_carbon_kg": 500,
            }
        )

    @mute_logger("odoo.sql_db")
    def test_budget_line_outside_its_budget(self):
        Line = self.env["crossovered.budget.lines"]
        before = Line.search_count([])
        # three lines in one call, the third running into 2027: none is created
        with self.assertRaises(ValidationError) as caught:
            Line.create(
                [
                    {
                        "crossovered_budget_id": self.budget.id,
                        "analytic_account_id": self.direction.id,
                        "general_budget_id": self.position.id,
                        "date_from": start,
                        "date_to": end,
                        "planned_amount": -100,
                        "planned_carbon_kg": 100,
                    }
                    for start, end in (
                        (date(2026, 1, 1), date(2026, 6, 30)),
                        (date(2026, 7, 1), date(2026, 12, 31)),
                        (date(2026, 7, 1), date(2027, 3, 31)),
                    )
                ]
            )
        message = str(caught.exception)
        self.assertIn("goes beyond its budget", message)
        self.assertIn("Budget 2026 (périodes)", message)
        self.assertIn(
            _fmt(self.env, "2027-03-31"), message
        )  # dates in the user's format
        self.assertEqual(Line.search_count([]), before)
        # a line ending before it starts
        with self.assertRaises(ValidationError) as caught:
            self._line(date(2026, 6, 1), date(2026, 5, 1))
        self.assertIn("ends (05/01/2026) before it starts", str(caught.exception))
        self.assertEqual(Line.search_count([]), before)
        # moving an existing line out of the period changes nothing
        with self.assertRaises(ValidationError):
            self.line.write({"date_from": date(2025, 12, 1)})
        self.line.invalidate_recordset()
        self.assertEqual(self.line.date_from, date(2026, 1, 1))

    def test_budget_period_cannot_leave_its_lines_out(self):
        with self.assertRaises(ValidationError) as caught:
            self.budget.write({"date_to": date(2026, 6, 30)})
        self.assertIn("goes beyond its budget", str(caught.exception))
        self.budget.invalidate_recordset()
        self.assertEqual(self.budget.date_to, date(2026, 12, 31))
        # a period that still holds every line is accepted
        self.budget.write({"date_from": date(2025, 12, 1)})
        self.assertEqual(self.budget.date_from, date(2025, 12, 1))

    def test_review_outside_the_convention(self):
        Review = self.env["nm.progress.review"]
        reviews = self.convention.review_ids
        # before (1 Jan), during (1 Jul), after (31 Dec)
        self.assertEqual(
            sorted(reviews.mapped("date_planned")),
            [date(2026, 1, 1), date(2026, 7, 1), date(2026, 12, 31)],
        )
        before = Review.search_count([])
        for planned, due in (
            (date(2025, 12, 31), date(2026, 1, 31)),
            (date(2027, 1, 1), date(2027, 2, 1)),
        ):
            with self.assertRaises(ValidationError) as caught:
                Review.create(
                    {
                        "convention_id": self.convention.id,
                        "review_type": "during",
                        "date_planned": planned,
                        "date_due": due,
                    }
                )
            self.assertIn("is outside the convention", str(caught.exception))
            self.assertIn(
                f"{_fmt(self.env, '2026-01-01')} – {_fmt(self.env, '2026-12-31')}",
                str(caught.exception),
            )
        with self.assertRaises(ValidationError) as caught:
            Review.create(
                {
                    "convention_id": self.convention.id,
                    "date_planned": date(2026, 3, 1),
                    "date_due": date(2026, 2, 1),
                }
            )
        self.assertIn("cannot be before its review date", str(caught.exception))
        self.assertEqual(Review.search_count([]), before)
        # moving a planned review out of the period is refused too
        during = reviews.filtered(lambda r: r.review_type == "during")
        with self.assertRaises(ValidationError):
            during.write({"date_planned": date(2027, 1, 15)})
        during.invalidate_recordset()
        self.assertEqual(during.date_planned, date(2026, 7, 1))
        # a cancelled review no longer binds the dates
        during.write({"state": "cancelled", "date_planned": date(2027, 1, 15)})
        self.assertEqual(during.date_planned, date(2027, 1, 15))

    def test_convention_period_cannot_leave_reviews_out(self):
        with self.assertRaises(ValidationError) as caught:
            self.convention.write({"date_end": date(2026, 9, 30)})
        self.assertIn(
            f"The review of {_fmt(self.env, '2026-12-31')}", str(caught.exception)
        )
        self.convention.invalidate_recordset()
        self.assertEqual(self.convention.date_end, date(2026, 12, 31))

    def test_review_quarter_outside_the_budget(self):
        """An execution review freezes its budget's figures: a quarter the budget
        does not cover is refused, from the form and from the planning wizard."""
        Review = self.env["nm.budget.review"]
        before = Review.search_count([])
        for year, quarter in ((2027, "1"), (2025, "4"), (20266, "2")):
            with self.subTest(year=year, quarter=quarter):
                with self.assertRaises(ValidationError) as caught:
                    Review.create(
                        {
                            "budget_id": self.budget.id,
                            "direction_ids": [Command.set(self.direction.ids)],
                            "year": year,
                            "quarter": quarter,
                            "date": date(2026, 4, 15),
                        }
                    )
                message = str(caught.exception)
                self.assertIn(f"Q{quarter} {year} is outside the budget", message)
                self.assertIn(
                    f"({_fmt(self.env, '2026-01-01')} – "
                    f"{_fmt(self.env, '2026-12-31')})",
                    message,
                )
        wizard = self.env["nm.budget.review.plan"].create(
            {"budget_id": self.budget.id, "year": 2027}
        )
        with self.assertRaises(ValidationError) as caught:
            wizard.action_plan()
        self.assertIn("Q1 2027 is outside the budget", str(caught.exception))
        self.assertEqual(Review.search_count([]), before)
        # the fourth quarter is met in January of the next year: accepted
        budget = self.env["crossovered.budget"].create(
            {
                "name": "Budget sans ligne (périodes)",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
            }
        )
        Review.create(
            {
                "budget_id": budget.id,
                "direction_ids": [Command.set(self.direction.ids)],
                "year": 2026,
                "quarter": "4",
                "date": date(2027, 1, 15),
            }
        )
        self.assertEqual(Review.search_count([]), before + 1)
        # cutting the budget short to September would leave that quarter out
        with self.assertRaises(ValidationError) as caught:
            budget.write({"date_to": date(2026, 9, 30)})
        self.assertIn("Q4 2026 is outside the budget", str(caught.exception))
        budget.invalidate_recordset()
        self.assertEqual(budget.date_to, date(2026, 12, 31))

    def test_travel_in_a_month_no_budget_covers(self):
        """December 2025 lies before every budget: the declaration is booked all
        the same (carbon emitted is never dropped) but the 2026 budget line counts
        only March 2026."""
        env = self.env
        factor = env["nm.emission.factor"].create(
            {
                "name": "Voiture (périodes)",
                "code": "NM-PERIODS-CAR",
                "value": 0.2,
                "unit": "km",
                "date_start": date(2020, 1, 1),
            }
        )
        mode = env["nm.travel.mode"].create(
            {
                "name": "Voiture (périodes)",
                "code": "car_periods",
                "emission_factor_id": factor.id,
                "per_vehicle": True,
            }
        )
        department = env["hr.department"].create(
            {"name": "Culture (périodes)", "analytic_account_id": self.direction.id}
        )
        employee = env["hr.employee"].create(
            {"name": "Agent (périodes)", "department_id": department.id}
        )
        declarations = env["nm.travel.declaration"].create(
            [
                {
                    "employee_id": employee.id,
                    "date": month,
                    "line_ids": [
                        Command.create(
                            {
                                "travel_type": "commute",
                                "mode_id": mode.id,
                                "distance_km": km,
                                "trip_count": 10,
                                "round_trip": True,
                            }
                        )
                    ],
                }
                for month, km in ((date(2025, 12, 1), 10), (date(2026, 3, 1), 5))
            ]
        )
        declarations.action_submit()
        declarations.action_validate()
        december, march = declarations.sorted("date")
        # 10 km × 10 trips × 2 ways = 200 km × 0.2 = 40 kg; 5 km: 100 km, 20 kg
        self.assertEqual(december.state, "booked")
        self.assertEqual(december.analytic_line_ids.date, date(2025, 12, 31))
        self.assertAlmostEqual(december.analytic_line_ids.carbon_kg, 40.0)
        self.assertAlmostEqual(march.analytic_line_ids.carbon_kg, 20.0)
        self.line.invalidate_recordset()
        self.assertAlmostEqual(self.line.practical_carbon_kg, 20.0)
