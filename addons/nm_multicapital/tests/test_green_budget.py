# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import MultiCapitalCase

try:
    from openpyxl import load_workbook
except ImportError:  # pragma: no cover
    load_workbook = None


@tagged("post_install", "-at_install")
class TestGreenBudget(MultiCapitalCase):
    """Three rated investment accounts in 2025 (axes 1 and 6):

    2031 studies 10,000; 2313 buildings 50,000 + 10,000 = 60,000; 21571 vehicles
    30,000: 100,000 of posted real spending. A draft 2313 entry of 100,000, a 2313
    entry of 2024 and an operating account 6042 stay out.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"]

        def account(code, name, account_type="asset_non_current"):
            return Account.create(
                {"code": code, "name": name, "account_type": account_type}
            )

        cls.acc_studies = account("203100", "Frais d'études (test)")
        cls.acc_buildings = account("231300", "Constructions en cours (test)")
        cls.acc_vehicles = account("215710", "Matériel roulant (test)")
        cls.acc_services = account("604200", "Prestations (test)", "expense")
        cls.acc_supplier = account(
            "404100", "Fournisseurs d'immobilisations (test)", "liability_current"
        )
        # a liability whose code starts like an investment account stays out
        cls.acc_liability_21 = account("219900", "Dettes (test)", "liability_current")
        cls.scope = cls.env["nm.green.budget.scope"].search(
            [("company_id", "=", cls.company.id)]
        )
        cls.scope.unlink()
        axes = cls.env["nm.green.budget.axis"].search([])
        cls.axis_1 = axes.filtered(lambda a: a.sequence == 1)
        cls.axis_6 = axes.filtered(lambda a: a.sequence == 6)
        cls.env["nm.green.budget.scope"].create(
            {
                "year": 2025,
                "axis_ids": [Command.set((cls.axis_1 | cls.axis_6).ids)],
                "account_prefixes": "20, 21, 23",
            }
        )
        Rating = cls.env["nm.green.budget.rating"]
        for axis, prefix, rating in (
            (cls.axis_1, "2031", "favorable"),
            (cls.axis_1, "2313", "very_favorable"),
            (cls.axis_1, "21571", "unfavorable"),
            (cls.axis_6, "2031", "neutral"),
            (cls.axis_6, "2313", "unfavorable"),
        ):
            Rating.create(
                {
                    "axis_id": axis.id,
                    "account_prefix": prefix,
                    "rating": rating,
                    "justification": f"Règle {prefix} (test)",
                }
            )
        cls._move("2025-03-01", [(cls.acc_studies, 10000.0)], cls.acc_liability_21)
        cls._move("2025-04-01", [(cls.acc_buildings, 50000.0)])
        cls.building_move = cls._move(
            "2025-09-01", [(cls.acc_buildings, 10000.0, {str(cls.dir_a.id): 50.0})]
        )
        cls._move("2025-06-01", [(cls.acc_vehicles, 30000.0)])
        cls._move("2025-06-02", [(cls.acc_buildings, 100000.0)], post=False)
        cls._move("2024-12-31", [(cls.acc_buildings, 7000.0)])
        cls._move("2025-05-01", [(cls.acc_services, 5000.0)])

    @classmethod
    def _move(cls, date, lines, counterpart=None, post=True):
        total = sum(line[1] for line in lines)
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "date": date,
                "journal_id": cls.company_data["default_journal_misc"].id,
                "line_ids": [
                    Command.create(
                        {
                            "account_id": line[0].id,
                            "debit": line[1],
                            "analytic_distribution": line[2]
                            if len(line) > 2
                            else False,
                        }
                    )
                    for line in lines
                ]
                + [
                    Command.create(
                        {
                            "account_id": (counterpart or cls.acc_supplier).id,
                            "credit": total,
                        }
                    )
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def _annex(self, year=2025):
        annex = self.env["nm.green.budget.annex"].create({"year": year})
        annex.action_compute()
        return annex

    def _figures(self, annex):
        return {
            axis.sequence: {
                rating: (round(amount, 2), round(share, 6))
                for rating, (amount, share) in axis_figures["ratings"].items()
                if amount
            }
            for axis, axis_figures in annex._summary().items()
        }

    def test_annex_amounts_and_shares_by_hand(self):
        annex = self._annex()
        figures = self._figures(annex)
        self.assertEqual(set(figures), {1, 6})
        self.assertEqual(
            figures[1],
            {
                "favorable": (10000.0, 10.0),
                "very_favorable": (60000.0, 60.0),
                "unfavorable": (30000.0, 30.0),
            },
        )
        # 21571 has no rule on axis 6: shown as "à approfondir", not hidden
        self.assertEqual(
            figures[6],
            {
                "neutral": (10000.0, 10.0),
                "unfavorable": (60000.0, 60.0),
                "to_deepen": (30000.0, 30.0),
            },
        )
        summary = annex._summary()
        self.assertEqual(
            [figures["total"] for figures in summary.values()], [100000.0] * 2
        )
        unrated = annex.line_ids.filtered(lambda line: line.origin == "unrated")
        self.assertEqual(unrated.account_id, self.acc_vehicles)
        self.assertEqual(unrated.rating, "to_deepen")

    def test_annex_budget_line_override(self):
        position = self.env["account.budget.post"].create(
            {
                "name": "Bâtiments (test)",
                "account_ids": [Command.set(self.acc_buildings.ids)],
            }
        )
        budget = self.env["crossovered.budget"].create(
            {
                "name": "Budget 2025 (test)",
                "date_from": "2025-01-01",
                "date_to": "2025-12-31",
            }
        )
        line = self.env["crossovered.budget.lines"].create(
            {
                "crossovered_budget_id": budget.id,
                "general_budget_id": position.id,
                "analytic_account_id": self.dir_a.id,
                "date_from": "2025-01-01",
                "date_to": "2025-12-31",
                "planned_amount": 20000.0,
            }
        )
        self.env["nm.green.budget.rating"].create(
            {
                "axis_id": self.axis_1.id,
                "budget_line_id": line.id,
                "rating": "neutral",
                "justification": "Mise aux normes sans gain énergétique (test)",
            }
        )
        figures = self._figures(self._annex())
        # half of the 10,000 item goes to direction A's line: 5,000 neutral,
        # the remaining 55,000 of 2313 keep the account rule
        self.assertEqual(figures[1]["neutral"], (5000.0, 5.0))
        self.assertEqual(figures[1]["very_favorable"], (55000.0, 55.0))
        self.assertEqual(figures[6]["unfavorable"], (60000.0, 60.0))

    def test_annex_html_and_xlsx(self):
        annex = self._annex()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "nm_multicapital.nm_green_budget_annex_report", annex.ids
            )[0]
            .decode()
        )
        # the rater's I4CE analysis, one table per axis, after the annex itself
        self.assertEqual(html.count("o_nm_annex_i4ce"), 2)
        self.assertEqual(html.count("o_nm_annex_categories"), 1)
        self.assertIn("To be examined further", html)
        self.assertIn("Règle 2313 (test)", html)
        content, report_type = self.env["ir.actions.report"]._render(
            "nm_multicapital.nm_green_budget_annex_xlsx", annex.ids, {}
        )
        self.assertEqual(report_type, "xlsx")
        if load_workbook is None:
            self.skipTest("openpyxl is needed to read the XLSX back")
        workbook = load_workbook(io.BytesIO(content))
        detail = workbook.worksheets[1]
        rows = list(detail.iter_rows(values_only=True))
        amounts = sorted(row[5] for row in rows[1:] if row[0] == 6)
        self.assertEqual(amounts, [10000.0, 30000.0, 60000.0])

    def test_annex_in_french(self):
        """The year as a year (2025, not 2 025), shares with two decimals in
        French beside the amounts: 60,00 and 100,00, never 0.00 beside 100,00."""
        annex = self._annex()
        self.env["res.lang"]._activate_lang("fr_FR")
        html = (
            self.env["ir.actions.report"]
            .with_context(lang="fr_FR")
            ._render_qweb_html(
                "nm_multicapital.nm_green_budget_annex_report", annex.ids
            )[0]
            .decode()
        )
        text = " ".join(html.split())  # no-break spaces become plain ones
        self.assertRegex(text, r" <span[^>]*>2025</span>")
        self.assertNotIn("2 025", text)
        # axis 1: 10,000 / 60,000 / 30,000 of 100,000
        self.assertRegex(text, r">10,00</td>")
        self.assertRegex(text, r">60,00</td>")
        self.assertRegex(text, r">100,00</td>")
        self.assertRegex(text, r">60 000,00")
        self.assertNotIn("100.00", text)
        self.assertNotIn("60.00", text)

    def test_scope_follows_legal_calendar(self):
        # 2026 uses the scope written for 2025; before 2024 there is no annex
        annex = self._annex(2026)
        self.assertEqual(annex.scope_id.year, 2025)
        self.assertFalse(annex.line_ids)
        with self.assertRaises(UserError):
            self._annex(2023)

    def test_rating_needs_justification(self):
        with self.assertRaises(ValidationError):
            self.env["nm.green.budget.rating"].create(
                {
                    "axis_id": self.axis_1.id,
                    "account_prefix": "2128",
                    "rating": "favorable",
                }
            )

    def test_recomputed_annex_keeps_its_title(self):
        """Computing the annex reopens its dialog under its own title, not "Odoo"."""
        annex = self.env["nm.green.budget.annex"].create({"year": 2025})
        action = annex.action_compute()
        self.assertEqual(
            action["name"],
            self.env.ref("nm_multicapital.nm_green_budget_annex_action").name,
        )
        self.assertTrue(action["name"])
