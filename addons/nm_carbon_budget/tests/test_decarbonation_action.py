# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from ..models.nm_decarbonation_action import priority_score


@tagged("post_install", "-at_install")
class TestDecarbonationAction(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        plan = cls.env["account.analytic.plan"].create(
            {"name": "Directions (action test)"}
        )
        cls.direction = cls.env["account.analytic.account"].create(
            {"name": "Éducation (test)", "plan_id": plan.id}
        )
        cls.property = cls.env["account.analytic.account"].create(
            {"name": "Patrimoine (test)", "plan_id": plan.id}
        )

    def _action(self, name, reduction_kg, data, feasibility, meaning, **vals):
        return self.env["nm.decarbonation.action"].create(
            {
                "name": name,
                "direction_id": self.direction.id,
                "reduction_kg": reduction_kg,
                "score_data": str(data),
                "score_feasibility": str(feasibility),
                "score_meaning": str(meaning),
                **vals,
            }
        )

    def test_formula(self):
        # log10(100 000) = 5, mean(5, 5, 4) = 14/3: 23.33
        self.assertEqual(priority_score(100000, [5, 5, 4]), 23.33)
        # log10(1 000) = 3, mean(1, 1, 3) = 5/3: 5.0
        self.assertEqual(priority_score(1000, [1, 1, 3]), 5.0)
        self.assertEqual(priority_score(0, [5, 5, 5]), 0.0)

    def test_priority_orders_actions(self):
        """Acceptance 7: high reduction, data available, feasible comes first."""
        low = self._action("Affiches de sensibilisation", 500, 2, 1, 3)
        high = self._action(
            "Isolation des écoles",
            100000,
            5,
            5,
            4,
            lever_direction_id=self.property.id,
        )
        self.assertEqual(high.priority_score, 23.33)
        self.assertEqual(low.priority_score, 5.4)  # log10(500) × 2 = 5.40
        found = self.env["nm.decarbonation.action"].search(
            [("id", "in", (low | high).ids)]
        )
        self.assertEqual(found.ids, [high.id, low.id])
        top = self.env["nm.decarbonation.action"]._top_for(self.property)
        self.assertIn(high, top)
        self.assertNotIn(low, top)
        low.score_feasibility = "5"
        self.assertEqual(low.priority_score, 9.0)  # log10(500) × 10/3 = 9.00
