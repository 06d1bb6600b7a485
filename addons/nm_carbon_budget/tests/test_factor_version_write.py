# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A factor written on several analytic lines at once: each line books the version
valid on its own date, in a number of queries that does not grow with the lines."""

from datetime import date

from odoo.tests import tagged

from .common import CarbonBudgetCase


@tagged("post_install", "-at_install")
class TestFactorVersionWrite(CarbonBudgetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 0.00293 kgCO2e per passenger.km until 31 May 2026, then 0.004
        cls.tgv_2024 = cls.env["nm.emission.factor"].create(
            {
                "name": "TGV (test)",
                "code": "T-TGV-W",
                "value": 0.00293,
                "unit": "passenger_km",
                "source": "test",
                "date_start": date(2024, 1, 1),
            }
        )
        cls.tgv_2026 = cls.tgv_2024._create_version(0.004, date(2026, 6, 1))

    def _lines(self, count, on_dates, unit_amount=1000):
        return self.env["account.analytic.line"].create(
            [
                {
                    "name": f"Mission {i}",
                    "date": on_dates[i % len(on_dates)],
                    self.directions_plan._column_name(): self.dir_culture.id,
                    "unit_amount": unit_amount,
                }
                for i in range(count)
            ]
        )

    def test_one_write_books_each_line_at_its_date(self):
        march = self._lines(1, [date(2026, 3, 1)], unit_amount=1000)
        july = self._lines(1, [date(2026, 7, 1)], unit_amount=2000)
        # the newest version is given for both lines in one write
        (march | july).write({"emission_factor_id": self.tgv_2026.id})
        # March is before the new version: 1,000 pkm × 0.00293 = 2.93 kgCO2e
        self.assertEqual(march.emission_factor_id, self.tgv_2024)
        self.assertAlmostEqual(march.carbon_kg, 2.93, 6)
        # July is under it: 2,000 pkm × 0.004 = 8 kgCO2e
        self.assertEqual(july.emission_factor_id, self.tgv_2026)
        self.assertAlmostEqual(july.carbon_kg, 8.0, 6)
        self.assertEqual(march.carbon_source, "physical")
        self.assertEqual(july.carbon_source, "physical")

    def test_old_version_given_to_later_lines(self):
        march = self._lines(1, [date(2026, 3, 1)], unit_amount=1000)
        july = self._lines(1, [date(2026, 7, 1)], unit_amount=2000)
        (march | july).write({"emission_factor_id": self.tgv_2024.id})
        self.assertEqual(march.emission_factor_id, self.tgv_2024)
        self.assertEqual(july.emission_factor_id, self.tgv_2026)
        self.assertAlmostEqual(march.carbon_kg + july.carbon_kg, 2.93 + 8.0, 6)

    def test_write_moving_the_date_uses_the_new_date(self):
        march = self._lines(1, [date(2026, 3, 1)], unit_amount=1000)
        april = self._lines(1, [date(2026, 4, 1)], unit_amount=500)
        # both lines move to August in the same write: the 2026 version applies,
        # 1,000 × 0.004 = 4 and 500 × 0.004 = 2 kgCO2e
        (march | april).write(
            {"emission_factor_id": self.tgv_2024.id, "date": date(2026, 8, 1)}
        )
        self.assertEqual((march | april).emission_factor_id, self.tgv_2026)
        self.assertAlmostEqual(march.carbon_kg, 4.0, 6)
        self.assertAlmostEqual(april.carbon_kg, 2.0, 6)

    def test_create_many_resolves_each_date(self):
        lines = self.env["account.analytic.line"].create(
            [
                {
                    "name": "Mission",
                    "date": on_date,
                    self.directions_plan._column_name(): self.dir_culture.id,
                    "unit_amount": 1000,
                    "emission_factor_id": self.tgv_2026.id,
                }
                for on_date in (date(2025, 12, 31), date(2026, 5, 31), date(2026, 6, 1))
            ]
        )
        self.assertEqual(
            [line.emission_factor_id for line in lines],
            [self.tgv_2024, self.tgv_2024, self.tgv_2026],
        )
        # 2.93 + 2.93 + 4 = 9.86 kgCO2e
        self.assertAlmostEqual(sum(lines.mapped("carbon_kg")), 9.86, 6)

    def _write_queries(self, count):
        on_dates = [date(2026, 3, 1), date(2026, 7, 1), date(2026, 9, 15)]
        lines = self._lines(count, on_dates)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        lines.write({"emission_factor_id": self.tgv_2026.id})
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        # a third of the lines (March) keep the 2024 version, the others get 2026
        march = lines.filtered(lambda line: line.date == date(2026, 3, 1))
        self.assertEqual(march.emission_factor_id, self.tgv_2024)
        self.assertEqual((lines - march).emission_factor_id, self.tgv_2026)
        self.assertAlmostEqual(
            sum(lines.mapped("carbon_kg")),
            len(march) * 2.93 + (count - len(march)) * 4.0,
            4,
        )
        return queries

    def test_write_queries_do_not_grow_with_lines(self):
        self._write_queries(3)  # warm the caches (units of measure, fields)
        self.assertEqual(self._write_queries(10), self._write_queries(100))
