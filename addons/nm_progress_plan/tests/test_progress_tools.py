# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.tests import BaseCase, tagged

from ..tools.progress import (
    evidence_allowed,
    interim_dates,
    parse_decimal,
    progress_ratio,
)


@tagged("post_install", "-at_install")
class TestProgressTools(BaseCase):
    def test_progress_ratio_both_directions(self):
        # higher is better: 20 -> 40, value 30 is half way
        self.assertAlmostEqual(progress_ratio(20, 40, 30), 0.5)
        # lower is better: 100 -> 80, value 90 is half way, 75 beyond the target
        self.assertAlmostEqual(progress_ratio(100, 80, 90), 0.5)
        self.assertAlmostEqual(progress_ratio(100, 80, 75), 1.25)
        # moving away from the target is negative progress
        self.assertAlmostEqual(progress_ratio(100, 80, 110), -0.5)
        self.assertIsNone(progress_ratio(5, 5, 7))
        self.assertIsNone(progress_ratio(5, 10, None))

    def test_parse_decimal(self):
        self.assertEqual(parse_decimal("12,5"), 12.5)
        self.assertEqual(parse_decimal(" 1 234.5 "), 1234.5)
        self.assertEqual(parse_decimal("1\u202f000"), 1000.0)
        for bad in ("", "abc", "12,5kg", "nan", "inf"):
            with self.assertRaises(ValueError):
                parse_decimal(bad)

    def test_interim_dates(self):
        self.assertEqual(
            interim_dates(date(2026, 1, 1), date(2026, 12, 31), 3),
            [date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1)],
        )
        # month ends are clamped: 31 January + 1 month = 28 February
        self.assertEqual(
            interim_dates(date(2026, 1, 31), date(2026, 4, 1), 1),
            [date(2026, 2, 28), date(2026, 3, 31)],
        )
        self.assertEqual(interim_dates(date(2026, 1, 1), date(2026, 12, 31), 0), [])

    def test_evidence_types(self):
        self.assertTrue(evidence_allowed("Relevé.PDF"))
        self.assertTrue(evidence_allowed("enquete.csv"))
        self.assertFalse(evidence_allowed("script.exe"))
        self.assertFalse(evidence_allowed("page.html"))
        self.assertFalse(evidence_allowed(""))
