# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class MultiCapitalCase(AccountTestInvoicingCommon):
    """Two directions in a plan of their own, a project in the Project plan and four
    capitals in four units, built from scratch for each test class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref(
            "analytic.group_analytic_accounting"
        ) | cls.env.ref("nm_carbon_budget.group_carbon_admin")
        cls.company = cls.env.company
        cls.plan = cls.env["account.analytic.plan"].create(
            {"name": "Directions (test)"}
        )
        Account = cls.env["account.analytic.account"]
        cls.dir_a = Account.create({"name": "Voirie (test)", "plan_id": cls.plan.id})
        cls.dir_b = Account.create({"name": "Sports (test)", "plan_id": cls.plan.id})
        project_plan, _others = cls.env["account.analytic.plan"]._get_all_plans()
        cls.project = Account.create(
            {"name": "Parc (test)", "plan_id": project_plan.id}
        )
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
