# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two cities fund the same operator: each books the operator's carbon on its own
account, and a convention never pays from another city's direction."""

from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import setup_progress_fixtures


@tagged("post_install", "-at_install")
class TestProgressCompanies(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_progress_fixtures(cls)
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Ville B (conventions)"})

    def test_operator_account_per_company(self):
        operator = self.operator_a
        account_a = operator._nm_get_analytic_account(self.company_a)
        account_b = operator._nm_get_analytic_account(self.company_b)
        self.assertEqual(account_a.company_id, self.company_a)
        self.assertEqual(account_b.company_id, self.company_b)
        self.assertEqual(account_b.plan_id, self.company_b._nm_get_partner_plan())
        # B's booking did not overwrite A's account: each company reads its own
        self.assertEqual(
            operator.with_company(self.company_a).nm_analytic_account_id, account_a
        )
        self.assertEqual(
            operator.with_company(self.company_b).nm_analytic_account_id, account_b
        )
        # alternating between them creates no third account
        for company, account in (
            (self.company_a, account_a),
            (self.company_b, account_b),
        ):
            self.assertEqual(operator._nm_get_analytic_account(company), account)
        self.assertEqual(
            self.env["account.analytic.account"].search_count(
                [("partner_id", "=", operator.id)]
            ),
            2,
        )
        # the booking reads the account of the measure's company
        clause = self.convention_a.clause_ids.filtered("is_carbon")
        measure = self.review_a._submit_measures([{"clause": clause, "value": 40.0}])
        measure._book_carbon()
        plan = self.company_a._nm_get_partner_plan()
        self.assertEqual(measure.analytic_line_id[plan._column_name()], account_a)
        self.assertEqual(measure.analytic_line_id.company_id, self.company_a)

    def test_convention_direction_of_its_company(self):
        plan = self.env["account.analytic.plan"].create({"name": "Directions (B)"})
        direction_b = self.env["account.analytic.account"].create(
            {"name": "Culture (B)", "plan_id": plan.id, "company_id": self.company_b.id}
        )
        budget_b = self.env["crossovered.budget"].create(
            {
                "name": "Budget B",
                "company_id": self.company_b.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
            }
        )
        expense = self.env["account.account"].create(
            {
                "code": "B6574",
                "name": "Subventions (B)",
                "account_type": "expense",
                "company_ids": [Command.set(self.company_b.ids)],
            }
        )
        position = self.env["account.budget.post"].create(
            {
                "name": "Subventions (B)",
                "company_id": self.company_b.id,
                "account_ids": [Command.set(expense.ids)],
            }
        )
        line_b = self.env["crossovered.budget.lines"].create(
            {
                "crossovered_budget_id": budget_b.id,
                "analytic_account_id": direction_b.id,
                "general_budget_id": position.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "planned_amount": -50000,
            }
        )
        convention = self.env["nm.convention"].create(
            {
                "title": "Convention de A",
                "partner_id": self.operator_a.id,
                "company_id": self.company_a.id,
                "date_start": date(2026, 1, 1),
                "date_end": date(2026, 12, 31),
            }
        )
        for vals in (
            {"analytic_account_id": direction_b.id},
            {"budget_line_id": line_b.id},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "company"):
                with self.env.cr.savepoint():
                    convention.write(vals)
        self.assertFalse(convention.analytic_account_id)
        # a direction shared by every company is accepted
        shared = self.env["account.analytic.account"].create(
            {"name": "Culture (partagée)", "plan_id": plan.id, "company_id": False}
        )
        convention.analytic_account_id = shared
        self.assertEqual(convention.analytic_account_id, shared)
