# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.tests import BaseCase, tagged

from ..tools import carbon


@tagged("post_install", "-at_install")
class TestCarbonTools(BaseCase):
    def test_target_kg_2026(self):
        # 1,000,000 × 0.96**5 = 815,372.6976
        self.assertAlmostEqual(
            carbon.target_kg(1_000_000, 0.04, 2021, 2026), 815372.70, 2
        )

    def test_remaining_share_2050(self):
        # 0.96**27 = 0.33214...: −4 %/yr for 27 years leaves a third, not zero
        self.assertAlmostEqual(carbon.remaining_share(0.04, 27), 0.3321, 4)

    def test_monetary_ratio_per_keur(self):
        # 110 kgCO2e per k€ on 600 € -> 66 kgCO2e
        self.assertAlmostEqual(carbon.carbon_from_amount(110, "keur", 600), 66.0)
        self.assertAlmostEqual(carbon.carbon_from_amount(0.110, "eur", 400), 44.0)

    def test_convert_quantity(self):
        self.assertEqual(carbon.convert_quantity(2, "mwh", "kwh"), 2000)
        self.assertEqual(carbon.convert_quantity(1500, "l", "m3"), 1.5)
        self.assertEqual(carbon.convert_quantity(12, "km", "passenger_km"), 12)
        with self.assertRaises(ValueError):
            carbon.convert_quantity(1, "kwh", "passenger_km")

    def test_prorata(self):
        start, end = date(2026, 1, 1), date(2026, 12, 31)
        self.assertEqual(carbon.prorata(1000, start, end, date(2025, 12, 1)), 0.0)
        self.assertEqual(carbon.prorata(1000, start, end, date(2027, 1, 1)), 1000)
        # 2026-07-02 is 182 days after 2026-01-01, of 364 -> half
        self.assertAlmostEqual(
            carbon.prorata(1000, start, end, date(2026, 7, 2)), 500.0
        )

    def test_split_by_weights_adds_up(self):
        parts = carbon.split_by_weights(1001, [1, 1, 1])
        self.assertEqual(sum(parts), 1001)
        self.assertEqual(carbon.split_by_weights(100, [3, 1]), [75, 25])

    def test_share_used(self):
        # 400 of 1,000 kg booked is 40 %; overrun beyond 100 %; nothing planned is 0
        self.assertEqual(carbon.share_used(400.0, 1000.0), 40.0)
        self.assertEqual(carbon.share_used(1250.0, 1000.0), 125.0)
        self.assertEqual(carbon.share_used(-30.0, 600.0), -5.0)
        self.assertEqual(carbon.share_used(250.0, 0.0), 0.0)
        self.assertEqual(carbon.share_used(0.0, 0.0), 0.0)

    def test_parse_decimal(self):
        self.assertEqual(carbon.parse_decimal("4,5"), 4.5)
        self.assertEqual(carbon.parse_decimal(" 1 234.5 "), 1234.5)
        self.assertEqual(carbon.parse_decimal("", empty=0.0), 0.0)
        for text in ("", "douze", "nan", "inf", "1e999"):
            with self.assertRaises(ValueError):
                carbon.parse_decimal(text)
