# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Preparing next year's envelopes reads the directions' trajectories in one search
and writes the envelopes in grouped writes: as many queries for 10 directions as
for 100, first run (creating the lines) and second run (updating them)."""

from datetime import date

from odoo.tests import tagged

from .common import CarbonBudgetCase


@tagged("post_install", "-at_install")
class TestPrepareEnvelopesBatch(CarbonBudgetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # organisation: 1,000,000 kg in 2026, −50 % a year -> 500,000 kg in 2027
        cls.trajectory = cls.env["nm.carbon.trajectory"].create(
            {
                "name": "Organisation (test)",
                "baseline_year": 2026,
                "baseline_kg": 1_000_000,
                "reduction_rate": 0.5,
            }
        )

    def _prepare(self, count, run):
        """``count`` directions with a 100 kg envelope in 2026, one in two with a
        trajectory of its own (2,000 kg in 2026 -> 1,000 kg in 2027)."""
        source = self.env["crossovered.budget"].create(
            {
                "name": f"Budget 2026 ({count}, {run})",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
            }
        )
        directions = self.env["account.analytic.account"].create(
            [
                {"name": f"Direction {i} ({run})", "plan_id": self.directions_plan.id}
                for i in range(count)
            ]
        )
        self.env["crossovered.budget.lines"].create(
            [
                {
                    "crossovered_budget_id": source.id,
                    "analytic_account_id": direction.id,
                    "general_budget_id": self.position_mobility.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 12, 31),
                    "planned_amount": -1000,
                    "planned_carbon_kg": 100,
                }
                for direction in directions
            ]
        )
        own = directions[::2]
        self.env["nm.carbon.trajectory"].create(
            [
                {
                    "name": f"{direction.name} (trajectoire)",
                    "baseline_year": 2026,
                    "baseline_kg": 2000,
                    "reduction_rate": 0.5,
                    "analytic_account_id": direction.id,
                }
                for direction in own
            ]
        )
        target = self.env["crossovered.budget"].create(
            {
                "name": f"Budget 2027 ({count}, {run})",
                "date_from": date(2027, 1, 1),
                "date_to": date(2027, 12, 31),
            }
        )
        queries = []
        for _again in range(2):
            wizard = self.env["nm.carbon.budget.prepare"].create(
                {
                    "source_budget_id": source.id,
                    "year": 2027,
                    "trajectory_id": self.trajectory.id,
                    "target_budget_id": target.id,
                }
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            wizard.action_prepare()
            self.env.flush_all()
            queries.append(self.env.cr.sql_log_count - before)
            # own directions: 1,000 kg each; the others share 500,000 − 1,000 × own
            lines = target.crossovered_budget_line_ids
            self.assertEqual(len(lines), count)
            kg = {line.analytic_account_id: line.planned_carbon_kg for line in lines}
            shared = (500_000 - 1000 * len(own)) / (count - len(own))
            for direction in directions:
                self.assertEqual(kg[direction], 1000 if direction in own else shared)
            self.assertEqual(wizard.total_kg, 500_000)
            self.assertFalse(wizard.warning)
        return queries

    def test_envelopes_of_10_and_100_directions(self):
        # 10 directions: 5 × 1,000 kg and 5 × (495,000 / 5 =) 99,000 kg
        # 100 directions: 50 × 1,000 kg and 50 × (450,000 / 50 =) 9,000 kg
        self._prepare(3, "warm-up")
        self.assertEqual(self._prepare(10, "a"), self._prepare(100, "b"))
