# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""CARE: the integrated result of a year, beside the financial result, with figures
worked out by hand."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..tools import multicapital
from .common import MultiCapitalCase


@tagged("post_install", "-at_install")
class TestIntegratedResult(MultiCapitalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"]
        cls.acc_income = Account.create(
            {"code": "706100", "name": "Redevances (test)", "account_type": "income"}
        )
        cls.acc_charges = Account.create(
            {"code": "604100", "name": "Prestations (test)", "account_type": "expense"}
        )
        cls.acc_cash = Account.create(
            {"code": "515100", "name": "Trésor (test)", "account_type": "asset_cash"}
        )
        cls.river = cls.env["nm.capital"].create(
            {
                "code": "T-RIVER",
                "name": "Rivière Tiretaine (test)",
                "kind": "natural",
                "unit": "m³",
                "threshold_note": "Bon état écologique (test)",
            }
        )
        Preservation = cls.env["nm.capital.preservation"]
        for capital, name, planned, incurred, year in (
            (cls.river, "Restauration des berges", 30000.0, 10000.0, 2026),
            (cls.land, "Désimperméabilisation", 5000.0, 8000.0, 2026),
            (cls.river, "Autre année", 99000.0, 0.0, 2025),
        ):
            Preservation.create(
                {
                    "name": f"{name} (test)",
                    "capital_id": capital.id,
                    "analytic_account_id": cls.dir_a.id,
                    "year": year,
                    "planned_cost": planned,
                    "incurred_cost": incurred,
                }
            )
        for account, amount, is_income in (
            (cls.acc_income, 150000.0, True),
            (cls.acc_charges, 50000.0, False),
        ):
            cls.env["account.move"].create(
                {
                    "move_type": "entry",
                    "date": "2026-06-01",
                    "journal_id": cls.company_data["default_journal_misc"].id,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": account.id,
                                "debit": 0.0 if is_income else amount,
                                "credit": amount if is_income else 0.0,
                            }
                        ),
                        Command.create(
                            {
                                "account_id": cls.acc_cash.id,
                                "debit": amount if is_income else 0.0,
                                "credit": 0.0 if is_income else amount,
                            }
                        ),
                    ],
                }
            ).action_post()

    def test_integrated_result_beside_financial_result(self):
        result = self.env["nm.integrated.result"].create({"year": 2026})
        # 150,000 income − 50,000 charges
        self.assertEqual(result.financial_result, 100000.0)
        self.assertEqual(result.planned_cost, 35000.0)
        self.assertEqual(result.incurred_cost, 18000.0)
        # river: 30,000 − 10,000 = 20,000 due; soil preserved beyond its plan
        # (8,000 > 5,000) does not pay the river's debt: 0 due, not −3,000
        self.assertEqual(result.due_cost, 20000.0)
        self.assertEqual(result.integrated_result, 80000.0)
        self.assertEqual(len(result.preservation_ids), 2)

    def test_plain_functions(self):
        self.assertEqual(
            multicapital.integrated_result(100000.0, [(30000.0, 10000.0)]), 80000.0
        )
        self.assertEqual(
            multicapital.preservation_due([(30000.0, 10000.0), (5000.0, 8000.0)]),
            20000.0,
        )
        self.assertEqual(multicapital.integrated_result(-5000.0, []), -5000.0)

    def test_integrated_result_of_another_collectivite_is_refused(self):
        other = self.env["res.company"].sudo().create({"name": "Autre commune (test)"})
        # a company created by a user is given to them: take it back
        self.env.user.sudo().company_ids -= other
        with self.assertRaises(AccessError):
            self.env["nm.integrated.result"].create(
                {"year": 2026, "company_id": other.id}
            )
