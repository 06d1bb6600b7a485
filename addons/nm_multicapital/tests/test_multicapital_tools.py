# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import BaseCase, tagged

from ..tools import multicapital


@tagged("post_install", "-at_install")
class TestMultiCapitalTools(BaseCase):
    def test_threshold_status_ceiling(self):
        self.assertEqual(multicapital.threshold_status("ceiling", 100, 101), "crossed")
        # 90 % of the ceiling is the warning zone
        self.assertEqual(multicapital.threshold_status("ceiling", 100, 90), "warning")
        self.assertEqual(multicapital.threshold_status("ceiling", 100, 89.9), "ok")
        self.assertEqual(multicapital.threshold_status("ceiling", 100, 100), "warning")
        self.assertEqual(multicapital.threshold_status("ceiling", 0, 10), "none")

    def test_threshold_status_floor(self):
        self.assertEqual(multicapital.threshold_status("floor", 100, 60), "crossed")
        self.assertEqual(multicapital.threshold_status("floor", 100, 100), "ok")

    def test_best_rule_longest_prefix_then_year(self):
        rules = [
            ("21", 0, "neutral", "a"),
            ("2157", 0, "unfavorable", "b"),
            ("2157", 2025, "favorable", "c"),
        ]
        self.assertEqual(multicapital.best_rule("215710", rules)[2], "favorable")
        self.assertEqual(multicapital.best_rule("2128", rules)[2], "neutral")
        self.assertIsNone(multicapital.best_rule("2031", rules))

    def test_parse_prefixes(self):
        self.assertEqual(
            multicapital.parse_prefixes("2031, 2313 ;21571"), ["2031", "2313", "21571"]
        )

    def test_annex_totals_show_every_rating(self):
        totals = multicapital.annex_totals(
            [(1, "favorable", 25.0), (1, "unfavorable", 75.0), (1, "favorable", 0.0)]
        )
        self.assertEqual(totals[1]["total"], 100.0)
        self.assertEqual(totals[1]["ratings"]["favorable"], (25.0, 25.0))
        self.assertEqual(totals[1]["ratings"]["to_deepen"], (0.0, 0.0))
        self.assertEqual(set(totals[1]["ratings"]), set(multicapital.RATING_CODES))
