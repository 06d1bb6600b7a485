# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.nm_carbon_budget.tests.common import NmFixtures


class MultiCapitalCase(NmFixtures, AccountTestInvoicingCommon):
    """Two directions in a plan of their own, a project in the Project plan and four
    capitals in four units, built from scratch for each test class on the shared
    fixture's builders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._nm_run_carbon_budget()
        cls.company = cls.env.company
        cls.plan = cls._nm_plan("Directions (test)")
        cls.dir_a, cls.dir_b = cls._nm_directions(
            cls.plan, "Voirie (test)", "Sports (test)"
        )
        cls.project = cls._nm_directions(cls._nm_project_plan(), "Parc (test)")
        Capital = cls.env["nm.capital"]
        cls.climate = Capital.create(
            {
                "code": "T-CLIM",
                "name": "Climat (test)",
                "kind": "climate",
                "unit": "kgCO2e",
                "source": "carbon",
            }
        )
        cls.land = Capital.create(
            {"code": "T-LAND", "name": "Sols (test)", "kind": "natural", "unit": "m²"}
        )
        cls.water = Capital.create(
            {"code": "T-WATER", "name": "Eau (test)", "kind": "natural", "unit": "m³"}
        )
        cls.training = Capital.create(
            {
                "code": "T-TRAIN",
                "name": "Formation (test)",
                "kind": "human",
                "unit": "h",
                "threshold_type": "floor",
            }
        )

    @classmethod
    def _carbon_line(cls, account, date, carbon_kg):
        return cls.env["account.analytic.line"].create(
            {
                "name": "Carbone (test)",
                "date": date,
                "amount": 0.0,
                "carbon_kg": carbon_kg,
                "carbon_source": "partner",
                account.root_plan_id._column_name(): account.id,
            }
        )

    @classmethod
    def _entry(cls, capital, account, date, quantity, **values):
        return cls.env["nm.capital.entry"].create(
            {
                "capital_id": capital.id,
                "analytic_account_id": account.id,
                "date": date,
                "quantity": quantity,
                **values,
            }
        )

    @classmethod
    def _budget_line(cls, capital, account, planned, year=2026):
        return cls.env["nm.capital.budget.line"].create(
            {
                "capital_id": capital.id,
                "analytic_account_id": account.id,
                "date_from": f"{year}-01-01",
                "date_to": f"{year}-12-31",
                "planned_qty": planned,
            }
        )
