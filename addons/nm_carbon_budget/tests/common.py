# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The shared test fixture of the Nouvelles Mesures addons.

``NmFixtures`` builds, from scratch and in any test case, what every addon's
tests start from: a plan of directions (or the Project plan), directions,
budgetary positions, budgets and their lines, analytic lines with carbon, and
users of each carbon role. ``CarbonBudgetCase`` is the carbon budget's fixture
built with it; each addon's ``tests/common.py`` builds its own on the same
builders (``from odoo.addons.nm_carbon_budget.tests.common import NmFixtures``).
"""

from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

# the carbon roles, from the least to the most rights
ROLE_GROUPS = {
    "user": "nm_carbon_budget.group_carbon_user",
    "manager": "nm_carbon_budget.group_carbon_manager",
    "controller": "nm_carbon_budget.group_carbon_controller",
    "approver": "nm_carbon_budget.group_carbon_approver",
    "admin": "nm_carbon_budget.group_carbon_admin",
}


def role_user(env, login, role=None, groups=None, **values):
    """A test user with a carbon role (a key of ``ROLE_GROUPS``) and/or more
    ``groups`` (comma-separated XML ids), e.g. ``role_user(env, "x", "manager")``."""
    all_groups = [ROLE_GROUPS[role]] if role else []
    if groups:
        all_groups += [group for group in groups.split(",") if group]
    return new_test_user(env, login=login, groups=",".join(all_groups), **values)


def make_budget_line(env, budget, account, position, planned_amount=0.0, **values):
    """A budget line over the whole budget unless dates are given; ``planned_kg``
    is the carbon envelope."""
    return env["crossovered.budget.lines"].create(
        {
            "crossovered_budget_id": budget.id,
            "analytic_account_id": account.id if account else False,
            "general_budget_id": position.id,
            "date_from": values.pop("date_from", budget.date_from),
            "date_to": values.pop("date_to", budget.date_to),
            "planned_amount": planned_amount,
            "planned_carbon_kg": values.pop("planned_kg", 0.0),
            **values,
        }
    )


class NmFixtures:
    """Builders of the shared fixture, as class methods of any test case."""

    @classmethod
    def _nm_run_carbon_budget(cls):
        """The test user also runs the carbon budget (and sees analytic plans)."""
        cls.env.user.group_ids += cls.env.ref(
            "analytic.group_analytic_accounting"
        ) | cls.env.ref(ROLE_GROUPS["admin"])

    @classmethod
    def _nm_plan(cls, name, env=None):
        return (env or cls.env)["account.analytic.plan"].create({"name": name})

    @classmethod
    def _nm_project_plan(cls, env=None):
        project_plan, _others = (env or cls.env)[
            "account.analytic.plan"
        ]._get_all_plans()
        return project_plan

    @classmethod
    def _nm_directions(cls, plan, *names, env=None, **values):
        """One direction (analytic account) of ``plan`` per name, in that order."""
        return (env or cls.env)["account.analytic.account"].create(
            [{"name": name, "plan_id": plan.id, **values} for name in names]
        )

    @classmethod
    def _nm_position(cls, name, accounts=None, categories=None, env=None, **values):
        """A budgetary position on general accounts and/or emission items."""
        if accounts is not None:
            values["account_ids"] = [Command.set(accounts.ids)]
        if categories is not None:
            values["carbon_category_ids"] = [Command.set(categories.ids)]
        return (env or cls.env)["account.budget.post"].create({"name": name, **values})

    @classmethod
    def _nm_budget(cls, name, year=2026, env=None, **values):
        """A calendar-year budget."""
        return (env or cls.env)["crossovered.budget"].create(
            {
                "name": name,
                "date_from": date(year, 1, 1),
                "date_to": date(year, 12, 31),
                **values,
            }
        )

    @classmethod
    def _nm_role_users(cls, prefix, roles=tuple(ROLE_GROUPS), env=None, **values):
        """``{role: user}``, one user of each carbon role, logins ``prefix_role``."""
        return {
            role: role_user(env or cls.env, f"{prefix}_{role}", role, **values)
            for role in roles
        }


class CarbonBudgetCase(NmFixtures, AccountTestInvoicingCommon):
    """Directions in a plan of their own (not the Project plan), expense accounts,
    emission items, factors and a budget, built from scratch for each test class.

    Users of each role are built on demand: ``cls._nm_role_users("prefix")``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the accounting test user also runs the carbon budget
        cls._nm_run_carbon_budget()
        cls.company = cls.env.company
        cls.directions_plan = cls._nm_plan("Directions (test)")
        cls.company.carbon_plan_id = cls.directions_plan
        cls.dir_culture = cls._direction("Culture (test)")
        cls.dir_property = cls._direction("Patrimoine (test)")
        cls.project_plan = cls._nm_project_plan()
        cls.project_account = cls._nm_directions(cls.project_plan, "Projet (test)")
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
        cls.position_services = cls._nm_position(
            "Prestations (test)", accounts=cls.expense_services
        )
        cls.position_mobility = cls._nm_position(
            "Mobilité (test)", categories=cls.cat_mobility
        )
        cls.budget = cls._nm_budget("Budget 2026 (test)")

    @classmethod
    def _direction(cls, name, plan=None):
        return cls._nm_directions(plan or cls.directions_plan, name)

    @classmethod
    def _budget_line(
        cls, account, position, planned_kg=0.0, planned_amount=0.0, budget=None, **extra
    ):
        return make_budget_line(
            cls.env,
            budget or cls.budget,
            account,
            position,
            planned_amount,
            planned_kg=planned_kg,
            **extra,
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
