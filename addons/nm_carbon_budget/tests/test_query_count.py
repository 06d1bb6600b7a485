# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Query-count regression: the budget lines' € and kgCO2e are computed in a number of
queries that does not grow with the number of lines, and the € figures equal OCA's
line-by-line computation for Project-plan accounts."""

from datetime import date

from odoo import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.account_budget_oca.models.account_budget import (
    CrossoveredBudgetLines as OcaBudgetLines,
)


@tagged("post_install", "-at_install")
class TestQueryCount(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        project_plan, _others = env["account.analytic.plan"]._get_all_plans()
        directions = env["account.analytic.plan"].create({"name": "Directions (QC)"})
        # 1,000 directions: half in the Project plan (compared with OCA), half in
        # a plan of their own
        Account = env["account.analytic.account"]
        cls.accounts = Account.create(
            [
                {
                    "name": f"Direction {i} (QC)",
                    "plan_id": (project_plan if i % 2 else directions).id,
                }
                for i in range(1000)
            ]
        )
        expense = env["account.account"].create(
            {"code": "QC6061", "name": "Achats (QC)", "account_type": "expense"}
        )
        other = env["account.account"].create(
            {"code": "QC6062", "name": "Autres (QC)", "account_type": "expense"}
        )
        category = env["nm.carbon.category"].create({"name": "QC", "code": "QC-CAT"})
        position = env["account.budget.post"].create(
            {
                "name": "Achats (QC)",
                "account_ids": [Command.set(expense.ids)],
                "carbon_category_ids": [Command.set(category.ids)],
            }
        )
        budget = env["crossovered.budget"].create(
            {"name": "QC", "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)}
        )
        cls.lines = env["crossovered.budget.lines"].create(
            [
                {
                    "crossovered_budget_id": budget.id,
                    "analytic_account_id": account.id,
                    "general_budget_id": position.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 12, 31),
                    "planned_amount": -1000,
                    "planned_carbon_kg": 100,
                }
                for account in cls.accounts
            ]
        )
        # 2,000 more lines on two other positions of a second budget, to go beyond
        # the 1,000 records Odoo computes a non-stored field for at a time
        other_only = env["account.budget.post"].create(
            {"name": "Autres (QC)", "account_ids": [Command.set(other.ids)]}
        )
        both = env["account.budget.post"].create(
            {"name": "Tout (QC)", "account_ids": [Command.set((expense | other).ids)]}
        )
        budget_2 = env["crossovered.budget"].create(
            {
                "name": "QC 2",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
            }
        )
        cls.more_lines = env["crossovered.budget.lines"].create(
            [
                {
                    "crossovered_budget_id": budget_2.id,
                    "analytic_account_id": account.id,
                    "general_budget_id": position.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 12, 31),
                    "planned_amount": -1000,
                }
                for position in (other_only, both)
                for account in cls.accounts
            ]
        )
        # Per direction, in one INSERT: −10 € and 2 kg on the position's account,
        # −5 € and 1 kg on another account but the position's item, and −7 € and
        # 4 kg out of the period: each line books −10 € and 3 kg.
        columns = {
            account.id: account.root_plan_id._column_name() for account in cls.accounts
        }
        env["account.analytic.line"].flush_model()
        rows = []
        for account in cls.accounts:
            for amount, kg, general, cat, day in (
                (-10.0, 2.0, expense.id, None, "2026-03-01"),
                (-5.0, 1.0, other.id, category.id, "2026-04-01"),
                (-7.0, 4.0, expense.id, category.id, "2025-12-31"),
            ):
                rows.append(
                    (columns[account.id], account.id, amount, kg, general, cat, day)
                )
        for column in set(columns.values()):
            values = [row[1:] for row in rows if row[0] == column]
            env.cr.execute(
                f"""
                INSERT INTO account_analytic_line
                       (name, {column}, amount, carbon_kg, general_account_id,
                        carbon_category_id, date, company_id, currency_id,
                        unit_amount, category, carbon_source)
                SELECT 'QC', v.account, v.amount, v.kg, v.general, v.cat, v.day::date,
                       %s, %s, 0, 'other', 'manual'
                  FROM unnest(%s::int[], %s::float[], %s::float[], %s::int[],
                              %s::int[], %s::text[])
                    AS v(account, amount, kg, general, cat, day)
                """,  # noqa: S608 - column from plan._column_name()
                [
                    cls.company.id,
                    cls.company.currency_id.id,
                    [v[0] for v in values],
                    [v[1] for v in values],
                    [v[2] for v in values],
                    [v[3] for v in values],
                    [v[4] for v in values],
                    [v[5] for v in values],
                ],
            )
        env.invalidate_all()

    def _count(self, lines):
        self.env.invalidate_all()
        lines = lines.browse(lines.ids)
        before = self.env.cr.sql_log_count
        figures = list(
            zip(
                lines.mapped("practical_amount"),
                lines.mapped("practical_carbon_kg"),
                strict=True,
            )
        )
        return self.env.cr.sql_log_count - before, figures

    def test_same_queries_for_10_and_1000_lines(self):
        self._count(self.lines[:10])  # warm the registry caches (plans, parameters)
        few, few_figures = self._count(self.lines[:10])
        many, many_figures = self._count(self.lines)
        self.assertEqual(few, many)
        self.assertEqual(set(few_figures), {(-10.0, 3.0)})
        self.assertEqual(set(many_figures), {(-10.0, 3.0)})

    def test_one_computation_beyond_1000_lines(self):
        """Odoo computes a non-stored field by 1,000 records at a time: the batch
        API computes 3,000 lines in as many queries as 10 lines."""

        def batch_count(lines):
            self.env.invalidate_all()
            lines = lines.browse(lines.ids)
            before = self.env.cr.sql_log_count
            lines._nm_batch_compute("practical_amount", "practical_carbon_kg")
            queries = self.env.cr.sql_log_count - before
            figures = list(
                zip(
                    lines.mapped("practical_amount"),
                    lines.mapped("practical_carbon_kg"),
                    strict=True,
                )
            )
            # everything was in the cache: reading made no query
            self.assertEqual(self.env.cr.sql_log_count - before, queries)
            return queries, figures

        all_lines = self.lines | self.more_lines
        self.assertEqual(len(all_lines), 3000)
        batch_count(self.lines[:10])  # warm the registry caches
        few, _figures = batch_count(self.lines[:10])
        many, figures = batch_count(all_lines)
        self.assertEqual(few, many)
        by_position = {}
        for line, figure in zip(all_lines, figures, strict=True):
            by_position.setdefault(line.general_budget_id.name, set()).add(figure)
        # position's account −10 € / 2 kg plus its item −5 € / 1 kg; other account
        # only −5 € / 1 kg; both accounts −15 € / 3 kg (the 2025 line is out)
        self.assertEqual(
            by_position,
            {
                "Achats (QC)": {(-10.0, 3.0)},
                "Autres (QC)": {(-5.0, 1.0)},
                "Tout (QC)": {(-15.0, 3.0)},
            },
        )

    def test_euros_equal_oca_for_project_plan_accounts(self):
        project_lines = self.lines.filtered(
            lambda line: (
                line.analytic_account_id.root_plan_id._column_name() == "account_id"
            )
        )
        self.assertEqual(len(project_lines), 500)
        ours = dict(
            zip(
                project_lines.ids, project_lines.mapped("practical_amount"), strict=True
            )
        )
        self.env.invalidate_all()
        OcaBudgetLines._compute_practical_amount(project_lines)
        oca = dict(
            zip(
                project_lines.ids, project_lines.mapped("practical_amount"), strict=True
            )
        )
        self.assertEqual(ours, oca)
