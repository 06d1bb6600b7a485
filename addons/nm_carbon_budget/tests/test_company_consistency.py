# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two companies: a record of one never points to a record of the other (a review
is its budget's, an action its direction's, a line's factor is shared or its
company's), and a user of one reads neither the other's review snapshots nor its
trajectory years."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CarbonBudgetCase, role_user


@tagged("post_install", "-at_install")
class TestCompanyConsistency(CarbonBudgetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create({"name": "Ville B (test)"})
        cls.env.user.company_ids += cls.company_b
        env_b = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids)
        )
        cls.dir_b = (
            env_b["account.analytic.account"]
            .create(
                {
                    "name": "Culture (ville B)",
                    "plan_id": cls.directions_plan.id,
                    "company_id": cls.company_b.id,
                }
            )
            .with_env(cls.env)
        )
        cls.budget_b = (
            env_b["crossovered.budget"]
            .create(
                {
                    "name": "Budget 2026 (ville B)",
                    "company_id": cls.company_b.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 12, 31),
                }
            )
            .with_env(cls.env)
        )
        cls.position_b = env_b["account.budget.post"].create(
            {
                "name": "Mobilité (ville B)",
                "company_id": cls.company_b.id,
                "carbon_category_ids": [Command.set(cls.cat_mobility.ids)],
            }
        )
        cls.line_a = cls._budget_line(cls.dir_culture, cls.position_mobility, 1000)
        cls.line_b = cls._budget_line(
            cls.dir_b, cls.position_b, 500, budget=cls.budget_b
        )
        # 300 kg booked by A on its direction, 40 kg by B on its own
        cls._carbon_line(cls.dir_culture, 300.0, date(2026, 3, 1), cls.cat_commute)
        env_b["account.analytic.line"].create(
            {
                "name": "Carbone (ville B)",
                "date": date(2026, 4, 1),
                cls.directions_plan._column_name(): cls.dir_b.id,
                "carbon_kg": 40.0,
                "carbon_category_id": cls.cat_commute.id,
                "carbon_source": "manual",
                "company_id": cls.company_b.id,
            }
        )
        cls.user_a = role_user(
            cls.env,
            "nm_company_a_controller",
            "controller",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )

    def _review(self, budget, direction, **extra):
        return self.env["nm.budget.review"].create(
            {
                "budget_id": budget.id,
                "direction_ids": [Command.set(direction.ids)],
                "date": date(2026, 4, 15),
                "year": 2026,
                "quarter": "1",
                **extra,
            }
        )

    # -- a review is its budget's ------------------------------------------------

    def test_review_takes_its_budget_company(self):
        # created while A is the current company, on B's budget: the review is B's
        review = self._review(self.budget_b, self.dir_b)
        self.assertEqual(self.env.company, self.company_a)
        self.assertEqual(review.company_id, self.company_b)
        review.action_hold()
        self.assertEqual(review.line_ids.company_id, self.company_b)
        self.assertEqual(review.line_ids.planned_carbon_kg, 500.0)

    def test_review_cannot_mix_companies(self):
        # A's budget with B's direction
        with self.assertRaises(UserError):
            self._review(self.budget, self.dir_b)
        review = self._review(self.budget, self.dir_culture)
        action_b = self.env["nm.decarbonation.action"].create(
            {
                "name": "Vélos (ville B)",
                "direction_id": self.dir_b.id,
                "company_id": self.company_b.id,
            }
        )
        with self.assertRaises(UserError):
            review.focus_action_id = action_b
        decision = self.env["nm.budget.review.decision"].create(
            {"review_id": review.id, "name": "Suivre les vélos"}
        )
        with self.assertRaises(UserError):
            decision.action_id = action_b
        # moving the review to B's budget while it keeps A's direction is refused
        with self.assertRaises(UserError):
            review.budget_id = self.budget_b

    def test_action_direction_of_its_company(self):
        with self.assertRaises(UserError):
            self.env["nm.decarbonation.action"].create(
                {
                    "name": "Chaudière (mélange)",
                    "direction_id": self.dir_b.id,
                    "company_id": self.company_a.id,
                }
            )
        action = self.env["nm.decarbonation.action"].create(
            {
                "name": "Chaudière (A)",
                "direction_id": self.dir_culture.id,
                "company_id": self.company_a.id,
            }
        )
        with self.assertRaises(UserError):
            action.lever_direction_id = self.dir_b
        review_b = self._review(self.budget_b, self.dir_b)
        with self.assertRaises(UserError):
            action.review_id = review_b

    def test_line_factor_shared_or_own_company(self):
        factor_b = self.env["nm.emission.factor"].create(
            {
                "name": "Électricité (ville B)",
                "code": "T-ELEC-B",
                "value": 52.0,
                "unit": "mwh",
                "source": "test",
                "company_id": self.company_b.id,
                "date_start": date(2020, 1, 1),
            }
        )
        vals = {
            "name": "Consommation",
            "date": date(2026, 2, 1),
            self.directions_plan._column_name(): self.dir_culture.id,
            "unit_amount": 2,
            "company_id": self.company_a.id,
        }
        Line = self.env["account.analytic.line"]
        with self.assertRaises(UserError):
            Line.create({**vals, "emission_factor_id": factor_b.id})
        # a shared factor (no company) is fine: 2 MWh × 52 = 104 kgCO2e
        shared = factor_b.copy({"code": "T-ELEC-ALL", "company_id": False})
        line = Line.create({**vals, "emission_factor_id": shared.id})
        self.assertAlmostEqual(line.carbon_kg, 104.0, 6)
        with self.assertRaises(UserError):
            line.emission_factor_id = factor_b

    # -- record rules ------------------------------------------------------------

    def test_user_of_a_reads_no_snapshot_of_b(self):
        review_a = self._review(self.budget, self.dir_culture)
        review_b = self._review(self.budget_b, self.dir_b)
        (review_a | review_b).action_hold()
        Snapshot = self.env["nm.budget.review.line"].with_user(self.user_a)
        self.assertEqual(
            Snapshot.search([("review_id", "in", (review_a | review_b).ids)]),
            review_a.line_ids.with_user(self.user_a),
        )
        self.assertEqual(review_a.line_ids.practical_carbon_kg, 300.0)
        with self.assertRaises(AccessError):
            review_b.line_ids.with_user(self.user_a).check_access("read")

    def test_user_of_a_reads_no_trajectory_year_of_b(self):
        Trajectory = self.env["nm.carbon.trajectory"]
        trajectory_a = Trajectory.create(
            {
                "name": "Trajectoire A",
                "baseline_year": 2021,
                "baseline_kg": 1000,
                "company_id": self.company_a.id,
            }
        )
        trajectory_b = Trajectory.create(
            {
                "name": "Trajectoire B",
                "baseline_year": 2021,
                "baseline_kg": 1000,
                "company_id": self.company_b.id,
            }
        )
        Point = self.env["nm.carbon.trajectory.point"]
        ids = (trajectory_a | trajectory_b).ids
        self.assertEqual(
            set(Point.search([("trajectory_id", "in", ids)]).company_id.ids),
            {self.company_a.id, self.company_b.id},
        )
        points_a = Point.with_user(self.user_a).search([("trajectory_id", "in", ids)])
        self.assertTrue(points_a)
        self.assertEqual(points_a.company_id, self.company_a)
        self.assertEqual(points_a.trajectory_id, trajectory_a)
        # 2026 booked by A: 300 kg, B's 40 kg not counted
        self.assertEqual(points_a.filtered(lambda p: p.year == 2026).booked_kg, 300.0)
        point_b = Point.search([("trajectory_id", "=", trajectory_b.id)], limit=1)
        with self.assertRaises(AccessError):
            point_b.with_user(self.user_a).check_access("read")
