# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import MultiCapitalCase


@tagged("post_install", "-at_install")
class TestAnnexQueries(MultiCapitalCase):
    """The annex reads spending, overrides and accounts in a constant number of
    queries: 10 or 100 accounts in scope cost the same."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["nm.green.budget.scope"].search(
            [("company_id", "=", cls.company.id)]
        ).unlink()
        axes = cls.env["nm.green.budget.axis"].search([])
        cls.axis_1 = axes.filtered(lambda a: a.sequence == 1)
        cls.axis_6 = axes.filtered(lambda a: a.sequence == 6)
        cls.scope_record = cls.env["nm.green.budget.scope"].create(
            {
                "year": 2025,
                "axis_ids": [Command.set((cls.axis_1 | cls.axis_6).ids)],
                "account_prefixes": "23",
            }
        )
        cls.env["nm.green.budget.rating"].create(
            {
                "axis_id": cls.axis_1.id,
                "account_prefix": "2313",
                "rating": "favorable",
                "justification": "Règle 2313 (test)",
            }
        )
        cls.supplier = cls.env["account.account"].create(
            {
                "code": "404199",
                "name": "Fournisseurs (test)",
                "account_type": "liability_current",
            }
        )
        cls.accounts = cls.env["account.account"]
        cls._spend(0, 10)
        # direction A's budget line on the first account overrides its rating
        position = cls.env["account.budget.post"].create(
            {
                "name": "Constructions (test)",
                "account_ids": [Command.set(cls.accounts[:1].ids)],
            }
        )
        budget = cls.env["crossovered.budget"].create(
            {"name": "2025 (test)", "date_from": "2025-01-01", "date_to": "2025-12-31"}
        )
        cls.budget_line = cls.env["crossovered.budget.lines"].create(
            {
                "crossovered_budget_id": budget.id,
                "general_budget_id": position.id,
                "analytic_account_id": cls.dir_a.id,
                "date_from": "2025-01-01",
                "date_to": "2025-12-31",
                "planned_amount": 1000.0,
            }
        )
        cls.env["nm.green.budget.rating"].create(
            {
                "axis_id": cls.axis_1.id,
                "budget_line_id": cls.budget_line.id,
                "rating": "neutral",
                "justification": "Mise aux normes (test)",
            }
        )

    @classmethod
    def _spend(cls, first, last):
        """Accounts 2313<first>..2313<last - 1>, 100 € each (the first one's item
        half distributed to direction A), in one posted entry."""
        accounts = cls.env["account.account"].create(
            [
                {
                    "code": f"2313{i:02d}",
                    "name": f"Constructions {i} (test)",
                    "account_type": "asset_non_current",
                }
                for i in range(first, last)
            ]
        )
        cls.accounts |= accounts
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "date": "2025-05-01",
                "journal_id": cls.company_data["default_journal_misc"].id,
                "line_ids": [
                    Command.create(
                        {
                            "account_id": account.id,
                            "debit": 100.0,
                            "analytic_distribution": {str(cls.dir_a.id): 50.0}
                            if account == cls.accounts[0]
                            else False,
                        }
                    )
                    for account in accounts
                ]
                + [
                    Command.create(
                        {"account_id": cls.supplier.id, "credit": 100.0 * len(accounts)}
                    )
                ],
            }
        )
        move.action_post()

    def _computed(self):
        annex = self.env["nm.green.budget.annex"].create({"year": 2025})
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        values, total, _order = annex._annex_line_values(self.scope_record)
        return self.env.cr.sql_log_count - before, values, total

    def test_annex_in_constant_queries(self):
        self._computed()  # warm-up: record rules and caches read once
        queries_10, values, total = self._computed()
        self.assertEqual(total, 1000.0)
        # axis 1: the override takes 50 € of the first account, its rule the rest
        override = [v for v in values if v["origin"] == "override"]
        self.assertEqual(
            [(v["account_id"], v["amount"]) for v in override],
            [(self.accounts[0].id, 50.0)],
        )
        self.assertEqual(
            sum(v["amount"] for v in values if v["axis_id"] == self.axis_1.id), 1000.0
        )
        # axis 6: no rule, every euro "à approfondir", counted once
        self.assertEqual(
            sum(v["amount"] for v in values if v["origin"] == "unrated"), 1000.0
        )
        self._spend(10, 100)
        queries_100, values, total = self._computed()
        self.assertEqual(total, 10000.0)
        self.assertEqual(
            len([v for v in values if v["axis_id"] == self.axis_6.id]), 100
        )
        self.assertEqual(queries_100, queries_10)

    def test_annex_rates_a_euro_once_over_two_plans(self):
        """1,000 € on the second account, distributed 100 % to direction A and
        100 % to the project (each plan distributes the whole item), both lines
        overridden on axis 1: the euros are rated once, by the lines of one plan
        (the carbon reference plan first, else the plan created first)."""
        account = self.accounts[1]
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": "2025-06-01",
                "journal_id": self.company_data["default_journal_misc"].id,
                "line_ids": [
                    Command.create(
                        {
                            "account_id": account.id,
                            "debit": 1000.0,
                            "analytic_distribution": {
                                str(self.dir_a.id): 100.0,
                                str(self.project.id): 100.0,
                            },
                        }
                    ),
                    Command.create({"account_id": self.supplier.id, "credit": 1000.0}),
                ],
            }
        )
        move.action_post()
        position = self.env["account.budget.post"].create(
            {"name": "Mobilier (test)", "account_ids": [Command.set(account.ids)]}
        )
        lines = self.env["crossovered.budget.lines"].create(
            [
                {
                    "crossovered_budget_id": self.budget_line.crossovered_budget_id.id,
                    "general_budget_id": position.id,
                    "analytic_account_id": analytic.id,
                    "date_from": "2025-01-01",
                    "date_to": "2025-12-31",
                    "planned_amount": 1000.0,
                }
                for analytic in (self.dir_a, self.project)
            ]
        )
        self.env["nm.green.budget.rating"].create(
            [
                {
                    "axis_id": self.axis_1.id,
                    "budget_line_id": line.id,
                    "rating": rating,
                    "justification": "Mobilier (test)",
                }
                for line, rating in zip(
                    lines, ("neutral", "very_favorable"), strict=True
                )
            ]
        )

        def axis_1_rows():
            _queries, values, total = self._computed()
            self.assertEqual(total, 2000.0)
            rows = [v for v in values if v["axis_id"] == self.axis_1.id]
            self.assertFalse([v for v in rows if v["amount"] < 0], rows)
            self.assertEqual(sum(v["amount"] for v in rows), 2000.0)
            return {
                (
                    v["budget_line_id"] if "budget_line_id" in v else False,
                    v["account_id"],
                ): v["amount"]
                for v in rows
                if v["account_id"] == account.id
            }

        # no carbon reference plan: the Project plan (created first) rates them;
        # the 100 € of the fixture keep the account rule
        self.assertEqual(
            axis_1_rows(),
            {(lines[1].id, account.id): 1000.0, (False, account.id): 100.0},
        )
        # the company's carbon reference plan comes first: direction A rates them
        self.company.carbon_plan_id = self.plan
        self.assertEqual(
            axis_1_rows(),
            {(lines[0].id, account.id): 1000.0, (False, account.id): 100.0},
        )
