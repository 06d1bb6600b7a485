# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.tests import BaseCase, tagged

from ..tools import travel


@tagged("post_install", "-at_install")
class TestTravelTools(BaseCase):
    def test_total_km(self):
        # 12 km × 18 trips × 2 (round trip) = 432 km
        self.assertEqual(travel.total_km(12, 18, True), 432)
        self.assertEqual(travel.total_km(400, 1, False), 400)
        self.assertEqual(travel.total_km(0, 18, True), 0)

    def test_carbon(self):
        # 432 km × 0.2176 = 94.0032 kgCO2e; shared by 3: 31.3344
        self.assertAlmostEqual(travel.carbon_kg(432, 0.2176), 94.0032, places=6)
        self.assertAlmostEqual(
            travel.carbon_kg(432, 0.2176, per_vehicle=True, occupants=3),
            31.3344,
            places=6,
        )
        # occupants only divide factors per vehicle.km
        self.assertAlmostEqual(
            travel.carbon_kg(800, 0.00293, per_vehicle=False, occupants=3),
            2.344,
            places=6,
        )

    def test_band(self):
        self.assertTrue(travel.in_band(1000, 0, 1000))
        self.assertFalse(travel.in_band(1000.5, 0, 1000))
        self.assertTrue(travel.in_band(1500, 1000, 2000))
        self.assertFalse(travel.in_band(1000, 1000, 2000))
        self.assertTrue(travel.in_band(9000, 2000, 0))

    def test_months(self):
        self.assertEqual(travel.month_end(date(2026, 2, 10)), date(2026, 2, 28))
        self.assertEqual(travel.month_end(date(2024, 2, 1)), date(2024, 2, 29))
        self.assertEqual(travel.previous_month(date(2026, 1, 15)), date(2025, 12, 1))
        self.assertEqual(travel.parse_month("2026-03"), date(2026, 3, 1))
        self.assertIsNone(travel.parse_month("mars"))
        self.assertEqual(travel.trip_legs(18, True), 36)
        self.assertEqual(travel.share(1, 4), 25.0)
        self.assertEqual(travel.share(1, 0), 0.0)
