# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.tests import tagged

from ..engine import BookedEngine
from .common import CarbonBudgetCase

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@tagged("post_install", "-at_install")
class TestBookedEngine(CarbonBudgetCase):
    """The one rule of booked figures, read through the engine itself.

    Culture in 2026: 10 kg of commuting (an item below Mobility), 5 kg of energy,
    7 kg and −200 € on the services account without item, and a bill of 1,000 €
    of studies (110 kgCO2e/k€: 110 kg) half on culture, half on the project:
    500 € and 55 kg on each. 3 kg of 2025 stay out of 2026.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._carbon_line(cls.dir_culture, 10.0, "2026-02-01", cls.cat_commute)
        cls._carbon_line(cls.dir_culture, 5.0, "2026-03-01", cls.cat_energy)
        cls._carbon_line(
            cls.dir_culture,
            7.0,
            "2026-04-01",
            general_account=cls.expense_services,
            amount=-200.0,
        )
        cls._carbon_line(cls.dir_culture, 3.0, "2025-12-31", cls.cat_commute)
        cls._carbon_line(cls.dir_property, 40.0, "2026-05-01", cls.cat_commute)
        cls.bill = cls._bill([(cls.dir_culture, 50.0), (cls.project_account, 50.0)])
        cls.line_mobility = cls._budget_line(cls.dir_culture, cls.position_mobility)
        cls.line_services = cls._budget_line(cls.dir_culture, cls.position_services)
        cls.line_project = cls._budget_line(cls.project_account, cls.position_services)
        # OCA's rule without analytic account: posted journal items, € only
        cls.line_no_account = cls._budget_line(False, cls.position_services)
        cls.engine = BookedEngine(cls.env)

    def test_budget_line_figures(self):
        figures = self.engine.budget_line_figures(
            self.line_mobility
            | self.line_services
            | self.line_project
            | self.line_no_account
        )
        # mobility: the 10 kg of commuting (an item below the position's item)
        self.assertEqual(figures[self.line_mobility.id], (0.0, 10.0))
        # services: −200 − 500 €, 7 + 55 kg (by general account)
        amount, carbon_kg = figures[self.line_services.id]
        self.assertAlmostEqual(amount, -700.0)
        self.assertAlmostEqual(carbon_kg, 62.0)
        # the project's half of the bill counts on the Project plan's column only
        amount, carbon_kg = figures[self.line_project.id]
        self.assertAlmostEqual(amount, -500.0)
        self.assertAlmostEqual(carbon_kg, 55.0)
        # without analytic account: the whole posted bill, in € only
        self.assertEqual(figures[self.line_no_account.id], (-1000.0, 0.0))
        # the models read the same figures
        self.assertAlmostEqual(self.line_services.practical_carbon_kg, 62.0)

    def test_carbon_reads(self):
        # culture: 10 + 5 + 7 + 55 = 77 kg in 2026; the 3 kg of 2025 stay out
        self.assertAlmostEqual(
            self.engine.carbon_by_account(self.dir_culture, self.company, *YEAR)[
                self.dir_culture.id
            ],
            77.0,
        )
        by_item = dict(
            self.engine.carbon_by_item(self.dir_culture, self.company, *YEAR)
        )
        self.assertEqual(by_item[self.cat_commute], 10.0)
        self.assertEqual(by_item[self.cat_energy], 5.0)
        self.assertAlmostEqual(sum(by_item.values()), 77.0)
        self.assertEqual(
            self.engine.carbon_by_year(self.company, 2025, 2026, self.dir_culture),
            {2025: 3.0, 2026: 77.0},
        )
        # the organisation: the carbon reference plan only (77 + 3 + 40), the
        # project's half of the bill is on another plan
        self.assertEqual(
            self.engine.carbon_by_year(self.company, 2025, 2026),
            {2025: 3.0, 2026: 117.0},
        )

    def test_journal_item_mode(self):
        journals = self.bill.journal_id
        self.assertEqual(
            self.engine.posted_spending(
                self.expense_services, self.company, *YEAR, journals
            ),
            {self.expense_services.id: 1000.0},
        )
        # the share distributed to culture: its analytic line, once
        self.assertEqual(
            self.engine.distributed_spending(
                self.line_services | self.line_no_account,
                self.company,
                *YEAR,
                journals,
            ),
            {(self.line_services.id, self.expense_services.id): 500.0},
        )
