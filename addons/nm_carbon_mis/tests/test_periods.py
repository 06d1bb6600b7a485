# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.tests import TransactionCase, tagged

from ..tools import periods


@tagged("post_install", "-at_install")
class TestQuarters(TransactionCase):
    def test_calendar_year(self):
        self.assertEqual(
            periods.quarters(date(2026, 1, 1), date(2026, 12, 31)),
            [
                (1, 2026, date(2026, 1, 1), date(2026, 3, 31)),
                (2, 2026, date(2026, 4, 1), date(2026, 6, 30)),
                (3, 2026, date(2026, 7, 1), date(2026, 9, 30)),
                (4, 2026, date(2026, 10, 1), date(2026, 12, 31)),
            ],
        )
        # 90 + 91 + 92 + 92 days
        self.assertEqual(
            [
                periods.days(s, e)
                for _q, _y, s, e in periods.quarters(
                    date(2026, 1, 1), date(2026, 12, 31)
                )
            ],
            [90, 91, 92, 92],
        )

    def test_period_across_years_is_clipped(self):
        self.assertEqual(
            periods.quarters(date(2025, 11, 15), date(2026, 2, 10)),
            [
                (4, 2025, date(2025, 11, 15), date(2025, 12, 31)),
                (1, 2026, date(2026, 1, 1), date(2026, 2, 10)),
            ],
        )
