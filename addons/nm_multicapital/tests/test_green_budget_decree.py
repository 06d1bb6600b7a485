# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The annex as the decree of 16 July 2024 and the State's maquette define it, with
the shipped scopes (copied to the test company) and figures worked out by hand."""

import io

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MultiCapitalCase

try:
    from openpyxl import load_workbook
except ImportError:  # pragma: no cover
    load_workbook = None


@tagged("post_install", "-at_install")
class TestGreenBudgetDecree(MultiCapitalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"]

        def account(code, name, account_type="asset_non_current"):
            return Account.create(
                {"code": code, "name": name, "account_type": account_type}
            )

        cls.acc_2033 = account("203300", "Frais d'insertion (test)")
        cls.acc_21312 = account("213120", "Bâtiments scolaires (test)")
        cls.acc_21311 = account("213110", "Hôtel de ville (test)")
        cls.acc_loan = account("164100", "Emprunts (test)", "liability_non_current")
        cls.acc_ppp = account(
            "167500", "Dettes marchés de partenariat (test)", "liability_non_current"
        )
        cls.acc_operating = account("604000", "Achats de prestations (test)", "expense")
        cls.acc_works_income = account("722000", "Travaux en régie (test)", "income")
        cls.acc_supplier = account(
            "404100", "Fournisseurs d'immobilisations (test)", "liability_current"
        )
        Scope = cls.env["nm.green.budget.scope"]
        Scope.search([("company_id", "=", cls.company.id)]).unlink()
        for year in (2024, 2025, 2027):
            # the shipped scope belongs to the main company: read it as the system
            cls.env.ref(f"nm_multicapital.nm_green_budget_scope_{year}").sudo().copy(
                {"company_id": cls.company.id, "year": year}
            )
        axes = cls.env["nm.green.budget.axis"].search([])
        cls.axis_1 = axes.filtered(lambda a: a.sequence == 1)
        cls.axis_6 = axes.filtered(lambda a: a.sequence == 6)
        Journal = cls.env["account.journal"]
        cls.journal = cls.company_data["default_journal_misc"]
        cls.order_journal = Journal.create(
            {
                "name": "Opérations d'ordre (test)",
                "code": "ORDT",
                "type": "general",
                "nm_order_operations": True,
            }
        )
        cls.water_budget = cls.env["nm.public.budget"].create(
            {"name": "Eau (test)", "budget_kind": "annex", "instruction": "m4"}
        )
        cls.water_journal = Journal.create(
            {
                "name": "Budget annexe eau (test)",
                "code": "EAUT",
                "type": "general",
                "nm_public_budget_id": cls.water_budget.id,
            }
        )

    @classmethod
    def _move(cls, date, account, amount, journal=None, counterpart=None):
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "date": date,
                "journal_id": (journal or cls.journal).id,
                "line_ids": [
                    Command.create({"account_id": account.id, "debit": amount}),
                    Command.create(
                        {
                            "account_id": (counterpart or cls.acc_supplier).id,
                            "credit": amount,
                        }
                    ),
                ],
            }
        )
        move.action_post()
        return move

    def _annex(self, year, **values):
        annex = self.env["nm.green.budget.annex"].create({"year": year, **values})
        annex.action_compute()
        return annex

    def _rate(self, axis, prefix, rating):
        self.env["nm.green.budget.rating"].create(
            {
                "axis_id": axis.id,
                "account_prefix": prefix,
                "rating": rating,
                "justification": f"Règle {prefix} (test)",
            }
        )

    def test_2024_decree_accounts_and_axis_1_only(self):
        self._move("2024-03-01", self.acc_2033, 5000.0)
        self._move("2024-04-01", self.acc_21312, 12000.0)
        self._move("2024-05-01", self.acc_21311, 3000.0)  # 2131 as a whole is out
        annex = self._annex(2024)
        self.assertEqual(annex.scope_id.axis_ids, self.axis_1)
        # 2033 (5,000) and 21311 (3,000) are not in the decree's list: 12,000
        self.assertEqual(annex.line_ids.account_id, self.acc_21312)
        self.assertEqual(annex.total_spending, 12000.0)

    def test_2024_m4_budget_has_no_annex_yet(self):
        with self.assertRaisesRegex(UserError, "M4 instruction"):
            self._annex(2024, budget_id=self.water_budget.id)

    def test_2025_all_real_investment_spending_except_loans_and_order_operations(
        self,
    ):
        self._move("2025-02-01", self.acc_2033, 5000.0)
        self._move("2025-03-01", self.acc_21312, 12000.0)
        self._move("2025-04-01", self.acc_loan, 40000.0)  # loan repayment: out
        self._move("2025-05-01", self.acc_ppp, 6000.0)  # partnership contract: in
        self._move("2025-06-01", self.acc_operating, 2000.0)  # operating: out
        # works done by the staff (chapter 040), an order operation: out
        self._move(
            "2025-07-01",
            self.acc_21312,
            9000.0,
            journal=self.order_journal,
            counterpart=self.acc_works_income,
        )
        # the annex budget's spending is in its own annex, not the main one
        self._move("2025-08-01", self.acc_21311, 7000.0, journal=self.water_journal)
        annex = self._annex(2025)
        self.assertEqual(annex.scope_id.axis_ids, self.axis_1 | self.axis_6)
        # 5,000 + 12,000 + 6,000 = 23,000
        self.assertEqual(annex.total_spending, 23000.0)
        self.assertEqual(
            annex.line_ids.account_id, self.acc_2033 | self.acc_21312 | self.acc_ppp
        )
        self.assertEqual(annex.order_operations_amount, 9000.0)
        with_order = self._annex(2025, include_order_operations=True)
        self.assertEqual(with_order.total_spending, 32000.0)
        water = self._annex(2025, budget_id=self.water_budget.id)
        self.assertEqual(water.total_spending, 7000.0)
        self.assertEqual(water.line_ids.account_id, self.acc_21311)

    def test_expense_rated_on_two_axes_counted_once(self):
        self._move("2025-03-01", self.acc_21312, 8500.0)
        self._rate(self.axis_1, "21312", "very_favorable")
        self._rate(self.axis_6, "21312", "unfavorable")
        annex = self._annex(2025)
        self.assertEqual(len(annex.line_ids), 2)  # one line per axis
        self.assertEqual(sum(annex.line_ids.mapped("amount")), 17000.0)
        self.assertEqual(annex.total_spending, 8500.0)
        summary = annex._annex_summary()
        self.assertEqual(summary[self.axis_1]["categories"]["favorable"][0], 8500.0)
        self.assertEqual(summary[self.axis_6]["categories"]["unfavorable"][0], 8500.0)
        self.assertEqual([f["total"] for f in summary.values()], [8500.0, 8500.0])

    def test_printed_categories_are_the_maquettes(self):
        self._move("2025-03-01", self.acc_21312, 8500.0)
        self._move("2025-03-02", self.acc_2033, 1500.0)
        self._rate(self.axis_1, "21312", "very_favorable")
        self._rate(self.axis_1, "2033", "favorable")
        annex = self._annex(2025)
        summary = annex._annex_summary()
        # très favorable and plutôt favorable both print as favourable: 10,000
        self.assertEqual(
            summary[self.axis_1]["categories"]["favorable"], (10000.0, 100.0)
        )
        # nothing rated on axis 6 yet: not rated, not hidden
        self.assertEqual(
            summary[self.axis_6]["categories"]["not_rated"], (10000.0, 100.0)
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "nm_multicapital.nm_green_budget_annex_report", annex.ids
            )[0]
            .decode()
        )
        table = html.split("o_nm_annex_categories", 1)[1].split("</table>", 1)[0]
        for label in (
            "Favourable spending",
            "Unfavourable spending",
            "Neutral spending",
            "Spending not rated",
        ):
            self.assertIn(label, table)
        for i4ce in ("Very favourable", "To be examined further"):
            self.assertNotIn(i4ce, table)
        self.assertIn("Main budget", html)
        content, _report_type = self.env["ir.actions.report"]._render(
            "nm_multicapital.nm_green_budget_annex_xlsx", annex.ids, {}
        )
        if load_workbook is None:
            self.skipTest("openpyxl is needed to read the XLSX back")
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(
            rows[3][:6],
            (
                "Axis",
                "Favourable spending",
                "Unfavourable spending",
                "Neutral spending",
                "Spending not rated",
                f"Total ({annex.currency_id.name})",
            ),
        )
        # axis 1: 10,000 favourable; the total row counts each euro once
        self.assertEqual(rows[4][1], 10000.0)
        total_row = next(row for row in rows if row[0] and "once" in row[0])
        self.assertEqual(total_row[1], 10000.0)

    def test_2027_scope_is_conditional(self):
        self._move("2027-03-01", self.acc_21312, 4000.0)
        self._move("2027-03-02", self.acc_operating, 1000.0)
        annex = self._annex(2027)
        self.assertEqual(annex.scope_id.year, 2025)
        self.assertEqual(annex.scope_id.axis_ids, self.axis_1 | self.axis_6)
        self.assertIn("conditional and not confirmed", annex.pending_note)
        scope_2027 = self.env["nm.green.budget.scope"].search(
            [("company_id", "=", self.company.id), ("year", "=", 2027)]
        )
        scope_2027.confirmed = True
        confirmed = self._annex(2027)
        self.assertEqual(len(confirmed.scope_id.axis_ids), 6)
        # investment only: the operating 1,000 stays out
        self.assertEqual(confirmed.total_spending, 4000.0)
        self.assertFalse(confirmed.pending_note)

    def test_annex_of_another_collectivite_is_refused(self):
        other = self.env["res.company"].sudo().create({"name": "Autre commune (test)"})
        # a company created by a user is given to them: take it back
        self.env.user.sudo().company_ids -= other
        with self.assertRaises(AccessError):
            self.env["nm.green.budget.annex"].create(
                {"year": 2025, "company_id": other.id}
            )
