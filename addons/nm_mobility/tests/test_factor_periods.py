# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shipped factors give each trip the value and the distance band of its month:
ADEME's November 2024 values (and 2024 plane bands) until September 2025, the
October 2025 values (and bands) after, without gaps from 2024-01-01."""

from datetime import date

from odoo.tests import TransactionCase, tagged

from .common import TravelFixturesMixin


@tagged("post_install", "-at_install")
class TestFactorPeriods(TravelFixturesMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_travel_fixtures()

    def _flight(self, month, km):
        return self._declaration(
            self.employee_agent,
            [
                {
                    "travel_type": "mission",
                    "mode_id": self.mode_plane_short.id,
                    "distance_km": km,
                    "trip_count": 1,
                    "round_trip": False,
                }
            ],
            month=month,
        ).line_ids

    def test_flight_of_2024_uses_2024_band_and_value(self):
        line = self._flight(date(2024, 6, 1), 2500)
        # 2024 bands: 2,500 km is in 1,001-3,500 km at 0.1876
        self.assertEqual(
            line.mode_id, self.env.ref("nm_mobility.nm_travel_mode_plane_medium_2024")
        )
        self.assertAlmostEqual(line.emission_factor_id.value, 0.1876, 6)
        self.assertAlmostEqual(line.carbon_kg, 2500 * 0.1876, 4)  # 469.0

    def test_same_flight_in_2026_uses_2025_band_and_value(self):
        line = self._flight(date(2026, 6, 1), 2500)
        # October 2025 bands: 2,500 km is over 2,000 km at 0.1668
        self.assertEqual(line.mode_id, self.mode_plane_long)
        self.assertAlmostEqual(line.carbon_kg, 2500 * 0.1668, 4)  # 417.0

    def test_long_haul_2024_and_short_haul_both_periods(self):
        long_2024 = self._flight(date(2024, 9, 1), 6000)
        self.assertAlmostEqual(long_2024.carbon_kg, 6000 * 0.1520, 4)  # 912.0
        short_2024 = self._flight(date(2024, 2, 1), 800)
        self.assertAlmostEqual(short_2024.carbon_kg, 800 * 0.2586, 4)  # 206.88
        short_2026 = self._flight(date(2026, 2, 1), 800)
        self.assertAlmostEqual(short_2026.carbon_kg, 800 * 0.2246, 4)  # 179.68
        # last month of the 2024 bands, first of the new ones
        self.assertAlmostEqual(
            self._flight(date(2025, 9, 1), 1500).carbon_kg, 1500 * 0.1876, 4
        )
        self.assertAlmostEqual(
            self._flight(date(2025, 10, 1), 1500).carbon_kg, 1500 * 0.1847, 4
        )

    def test_moving_a_flight_to_another_month_takes_that_months_band(self):
        line = self._flight(date(2026, 6, 1), 2500)
        line.declaration_id.date = date(2024, 6, 1)
        line.write({"distance_km": 2500})
        self.assertAlmostEqual(line.carbon_kg, 2500 * 0.1876, 4)

    def test_commute_in_march_2024_uses_the_2024_value(self):
        bus = self.env.ref("nm_mobility.nm_travel_mode_bus")
        # 10 km × 20 round trips = 400 km
        march_2024 = self._declaration(
            self.employee_agent, [self._commute(bus, km=10, trips=20)], date(2024, 3, 1)
        )
        self.assertAlmostEqual(march_2024.carbon_kg, 400 * 0.1132, 4)  # 45.28
        march_2026 = self._declaration(
            self.employee_agent, [self._commute(bus, km=10, trips=20)], date(2026, 3, 1)
        )
        self.assertAlmostEqual(march_2026.carbon_kg, 400 * 0.1224, 4)  # 48.96

    def _shipped_factors(self):
        # the data file's factors, not the demo's
        names = self.env["ir.model.data"].search(
            [
                ("module", "=", "nm_carbon_budget"),
                ("model", "=", "nm.emission.factor"),
                ("name", "not like", "%_demo"),
            ]
        )
        return (
            self.env["nm.emission.factor"]
            .with_context(active_test=False)
            .browse(names.mapped("res_id"))
        )

    def test_shipped_factors_cover_time_without_gaps(self):
        factors = self._shipped_factors()
        self.assertTrue(factors)
        by_code = {}
        for factor in factors.sorted("date_start"):
            by_code.setdefault(factor.code, []).append(factor)
        # the plane bands of November 2024 (Base Empreinte elements 28132, 28134)
        # end when ADEME's new bands start (elements 43741, 43747)
        replaced = {"28132", "28134"}
        new_bands = {"43741", "43747"}
        for code, versions in by_code.items():
            with self.subTest(code=code):
                first = date(2025, 10, 1) if code in new_bands else date(2024, 1, 1)
                self.assertLessEqual(versions[0].date_start, first)
                if code in replaced:
                    self.assertEqual(versions[-1].date_end, date(2025, 9, 30))
                else:
                    self.assertFalse(versions[-1].date_end)
                for before, after in zip(versions, versions[1:], strict=False):
                    self.assertEqual((after.date_start - before.date_end).days, 1)

    def test_shipped_travel_factors_carry_their_base_empreinte_element_ids(self):
        # github.com/incubateur-ademe/impactco2, src/data/categories/deplacement.json
        # ("empreinteId"), commits d1d1a015 (2024-11-20) and 65b6e312 (2025-10-16)
        def code(name):
            return self.env.ref(f"nm_carbon_budget.nm_emission_factor_{name}").code

        self.assertEqual(code("bus_diesel"), "43739")
        # the November 2024 version (element 28004) shares the current element's id,
        # so that the trip of March 2024 still finds it from the mode's factor
        self.assertEqual(code("bus_diesel_2024"), "43739")
        self.assertEqual(code("tgv"), "43256")
        self.assertEqual(code("plane_medium_2024"), "28132")
        self.assertEqual(code("plane_long"), "43747")
        # no element id found for the cars: still provisional, not invented
        self.assertEqual(code("car_thermal"), "NM-PROVISIONAL-car-thermal")
        codes = self._shipped_factors().mapped("code")
        self.assertFalse([c for c in codes if c.startswith("ADEME-IMPACTCO2-")])
