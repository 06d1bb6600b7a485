# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Query-count regression: writing trip lines and validating (booking) travel
declarations cost as many queries for 10 records as for 90.

90, not 100 nor 1,000: the ORM itself writes at most 100 rows per INSERT or UPDATE
statement, one statement more per 100 rows whatever the code does; below 100 rows
per table, any query per record shows."""

from datetime import date

from odoo.tests import TransactionCase, tagged

from .common import TravelFixturesMixin


def _month(index, start=date(2025, 10, 1)):
    """The index-th month from ``start`` (October 2025: the plane bands' factors
    are valid from then on)."""
    months = start.year * 12 + start.month - 1 + index
    return date(months // 12, months % 12 + 1, 1)


@tagged("post_install", "-at_install")
class TestTravelBatch(TravelFixturesMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_travel_fixtures()
        # 101 months of one agent, two lines each: a warm-up set, 10 and 90
        cls.declarations = cls.env["nm.travel.declaration"].create(
            [
                {
                    "employee_id": cls.employee_agent.id,
                    "date": _month(index),
                    "line_ids": [
                        (0, 0, cls._commute(cls.mode_car)),
                        (
                            0,
                            0,
                            dict(
                                cls._commute(cls.mode_plane_short, 400, 1),
                                travel_type="mission",
                            ),
                        ),
                    ],
                }
                for index in range(101)
            ]
        )

    def _queries(self, call, records):
        self.env.flush_all()
        self.env.invalidate_all()
        records = records.browse(records.ids)
        before = self.env.cr.sql_log_count
        call(records)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def _sets(self):
        return self.declarations[:1], self.declarations[1:11], self.declarations[11:]

    def _assert_constant(self, call, sets):
        warm, few, many = sets
        self._queries(call, warm)
        self.assertEqual(self._queries(call, few), self._queries(call, many))

    def test_line_write_same_queries_for_10_and_90_lines(self):
        lines = [
            d.line_ids.filtered(lambda line: line.travel_type == "commute")
            for d in self._sets()
        ]
        for vals in ({"distance_km": 15.0}, {"trip_count": 3}):
            with self.subTest(vals=vals):
                self._assert_constant(lambda rec, vals=vals: rec.write(vals), lines)
        # a car line of 15 km × 3 trips × 2 = 90 km
        self.assertEqual(set(lines[2].mapped("total_km")), {90.0})

    def test_plane_band_same_queries_for_10_and_90_lines(self):
        """A new distance moves a flight to the band of that distance."""
        flights = [
            d.line_ids.filtered(lambda line: line.travel_type == "mission")
            for d in self._sets()
        ]
        self._assert_constant(lambda rec: rec.write({"distance_km": 1500.0}), flights)
        self.assertEqual(flights[2].mode_id, self.mode_plane_medium)
        # 1,500 km × 1 trip × 2 = 3,000 km per flight
        self.assertEqual(set(flights[2].mapped("total_km")), {3000.0})

    def test_past_months_same_queries_for_10_and_90_lines(self):
        """Lines of months before the factor's current version: each month's
        version is found by one search for all of them."""
        past = self.env["nm.travel.declaration"].create(
            [
                {
                    "employee_id": self.employee_agent.id,
                    "date": _month(index, start=date(2010, 1, 1)),
                    "line_ids": [(0, 0, self._commute(self.mode_car))],
                }
                for index in range(101)
            ]
        )
        sets = [past[:1].line_ids, past[1:11].line_ids, past[11:].line_ids]
        self._assert_constant(lambda rec: rec.write({"distance_km": 10.0}), sets)
        self.assertEqual(set(past.line_ids.mapped("total_km")), {360.0})

    def test_moving_lines_same_queries_for_10_and_90_lines(self):
        cars = [
            d.line_ids.filtered(lambda line: line.travel_type == "commute")
            for d in self._sets()
        ]
        target = {"date": date(2024, 6, 1), "employee_id": self.employee_agent.id}
        self._assert_constant(lambda rec: rec.write(target), cars)
        june = self.env["nm.travel.declaration"].search(
            [("employee_id", "=", self.employee_agent.id), ("date", "=", "2024-06-01")]
        )
        self.assertEqual(len(june.line_ids), 101)
        # 12 km × 18 trips × 2 = 432 km each
        self.assertEqual(june.total_km, 432.0 * 101)

    def test_validation_same_queries_for_10_and_90_declarations(self):
        """Validating books every declaration's carbon: one analytic line per
        declaration, travel type, mode and factor, created together."""
        declarations = self.env["nm.travel.declaration"].create(
            [
                {
                    "employee_id": self.employee_agent2.id,
                    "date": _month(index),
                    "line_ids": [(0, 0, self._commute(self.mode_car))],
                }
                for index in range(101)
            ]
        )
        declarations.action_submit()
        sets = [declarations[:1], declarations[1:11], declarations[11:]]
        self._assert_constant(lambda rec: rec.action_validate(), sets)
        self.assertEqual(set(declarations.mapped("state")), {"booked"})
        # one booked line per month, 12 km × 18 trips × 2 = 432 km each
        lines = declarations.analytic_line_ids
        self.assertEqual(len(lines), 101)
        self.assertEqual(set(lines.mapped("unit_amount")), {432.0})
        self.assertAlmostEqual(
            sum(lines.mapped("carbon_kg")), sum(declarations.mapped("carbon_kg"))
        )
