# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CarbonBudgetCase(AccountTestInvoicingCommon):
    """Directions in a plan of their own (not the Project plan), expense accounts,
    emission items, factors and a budget, built from scratch for each test class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the accounting test user also runs the carbon budget
        cls.env.user.group_ids += cls.env.ref(
            "analytic.group_analytic_accounting"
        ) | cls.env.ref("nm_carbon_budget.group_carbon_admin")
        cls.company = cls.env.company
        cls.directions_plan = cls.env["account.analytic.plan"].create(
            {"name": "Directions (test)"}
        )
        cls.company.carbon_plan_id = cls.directions_plan
        cls.dir_culture = cls._direction("Culture (test)")
        cls.dir_property = cls._direction("Patrimoine (test)")
        project_plan, _others = cls.env["account.analytic.plan"]._get_all_plans()
        cls.project_plan = project_plan
        cls.project_account = cls.env["account.analytic.account"].create(
            {"name": "Projet (test)", "plan_id": project_plan.id}
        )
        cls.expense_services = cls.copy_account(
            cls.company_data["default_account_expense"]
        )
        cls.expense_energy = cls.copy_account(
            cls.company_data["default_account_expense"]
        )
        Category = cls.env["nm.carbon.category"]
        cls.cat_mobility = Category.create({"name": "Mobilité (test)", "code": "T-MOB"})
        cls.cat_commute = Category.create(
            {
                "name": "Domicile-travail (test)",
                "code": "T-MOB-C",
                "parent_id": cls.cat_mobility.id,
            }
        )
        cls.cat_energy = Category.create({"name": "Énergie (test)", "code": "T-ENE"})
        Factor = cls.env["nm.emission.factor"]
        cls.ratio_technical = Factor.create(
            {
                "name": "Services techniques (test)",
                "code": "T-RATIO-110",
                "value": 110.0,
                "unit": "keur",
                "uncertainty": 50.0,
                "source": "test",
                "date_start": date(2020, 1, 1),
            }
        )
        cls.product_category = cls.env["product.category"].create(
            {"name": "Études (test)", "emission_factor_id": cls.ratio_technical.id}
        )
        cls.product_study = cls.env["product.product"].create(
            {
                "name": "Étude (test)",
                "type": "service",
                "categ_id": cls.product_category.id,
                "property_account_expense_id": cls.expense_services.id,
                "supplier_taxes_id": [Command.clear()],
            }
        )
        Position = cls.env["account.budget.post"]
        cls.position_services = Position.create(
            {
                "name": "Prestations (test)",
                "account_ids": [Command.set(cls.expense_services.ids)],
            }
        )
        cls.position_mobility = Position.create(
            {
                "name": "Mobilité (test)",
                "carbon_category_ids": [Command.set(cls.cat_mobility.ids)],
            }
        )
        cls.budget = cls.env["crossovered.budget"].create(
            {
                "name": "Budget 2026 (test)",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
            }
        )

    @classmethod
    def _direction(cls, name, plan=None):
        return cls.env["account.analytic.account"].create(
            {"name": name, "plan_id": (plan or cls.directions_plan).id}
        )

    @classmethod
    def _budget_line(
        cls, account, position, planned_kg=0.0, planned_amount=0.0, budget=None, **extra
    ):
        budget = budget or cls.budget
        return cls.env["crossovered.budget.lines"].create(
            {
                "crossovered_budget_id": budget.id,
                "analytic_account_id": account.id if account else False,
                "general_budget_id": position.id,
                "date_from": extra.pop("date_from", budget.date_from),
                "date_to": extra.pop("date_to", budget.date_to),
                "planned_amount": planned_amount,
                "planned_carbon_kg": planned_kg,
                **extra,
            }
        )

    @classmethod
    def _carbon_line(
        cls, account, kg, on_date, category=None, general_account=None, amount=0.0
    ):
        return cls.env["account.analytic.line"].create(
            {
                "name": "Carbone (test)",
                "date": on_date,
                account.root_plan_id._column_name(): account.id,
                "amount": amount,
                "carbon_kg": kg,
                "carbon_category_id": category.id if category else False,
                "general_account_id": general_account.id if general_account else False,
                "carbon_source": "manual",
            }
        )

    @classmethod
    def _bill(
        cls, distribution, price=1000.0, product=None, bill_date=date(2026, 3, 10)
    ):
        bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": cls.partner_a.id,
                "invoice_date": bill_date,
                "date": bill_date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": (product or cls.product_study).id,
                            "quantity": 1,
                            "price_unit": price,
                            "tax_ids": [Command.clear()],
                            "analytic_distribution": {
                                str(account.id): share
                                for account, share in distribution
                            },
                        }
                    )
                ],
            }
        )
        bill.action_post()
        return bill
