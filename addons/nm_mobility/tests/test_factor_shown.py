# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from .common import TravelFixturesMixin


@tagged("post_install", "-at_install")
class TestFactorShown(TravelFixturesMixin, TransactionCase):
    """The agent sees, on each trip, the factor behind its kgCO2e and its source."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_travel_fixtures()

    def test_agent_reads_factor_and_source(self):
        declaration = self._declaration(
            self.employee_agent,
            [self._commute(self.mode_car, km=10.0, trips=10)],
            env=self.env(user=self.user_agent),
        )
        line = declaration.line_ids.with_user(self.user_agent)
        factor = line.emission_factor_id
        self.assertTrue(factor)
        # 10 km × 10 trips × 2 (round trip) = 200 km at the factor's value
        self.assertAlmostEqual(line.total_km, 200.0)
        self.assertAlmostEqual(line.carbon_kg, 200.0 * line.emission_factor_value, 4)
        self.assertEqual(line.emission_factor_value, factor.value)
        self.assertEqual(line.emission_factor_source, factor.source)
        self.assertTrue(line.emission_factor_source)
        arch = self.env["nm.travel.declaration"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn("emission_factor_value", arch)
        self.assertIn("emission_factor_source", arch)
