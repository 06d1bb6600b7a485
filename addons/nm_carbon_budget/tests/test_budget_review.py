# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .test_amendment import AmendmentFixtures


@tagged("post_install", "-at_install")
class TestBudgetReview(AmendmentFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_fixtures(cls.env)
        cls._setup_users(cls.env)
        cls.column = cls.plan._column_name()

    def _book(self, account, kg, on_date, category, amount=0.0):
        return self.env["account.analytic.line"].create(
            {
                "name": "Carbone (test)",
                "date": on_date,
                self.column: account.id,
                "amount": amount,
                "carbon_kg": kg,
                "carbon_category_id": category.id,
                "carbon_source": "manual",
            }
        )

    def _review(self, **vals):
        return self.env["nm.budget.review"].create(
            {
                "budget_id": self.budget.id,
                "direction_ids": [(6, 0, self.dir_culture.ids)],
                "year": 2026,
                "quarter": "2",
                "date": date(2026, 7, 15),
                "participant_ids": [(6, 0, (self.user_head | self.user_finance).ids)],
                "template_id": self.env.ref(
                    "nm_carbon_budget.nm_budget_review_template_quarterly"
                ).id,
                **vals,
            }
        )

    def test_outline_and_reminders(self):
        review = self._review()
        self.assertIn("Carbon execution", review.outline)
        self.assertIn("Q2 2026", review.name)
        self.assertEqual(
            review.activity_ids.user_id, self.user_head | self.user_finance
        )
        self.assertEqual(
            set(review.activity_ids.mapped("date_deadline")), {date(2026, 7, 15)}
        )

    def test_snapshot_frozen_when_held(self):
        """Acceptance 5: carbon booked after the meeting does not move the snapshot."""
        self._book(self.dir_culture, 2500, date(2026, 3, 1), self.cat_mobility)
        self._book(self.dir_culture, 6000, date(2026, 4, 1), self.cat_energy)
        self._book(self.dir_property, 999, date(2026, 4, 1), self.cat_energy)
        review = self._review()
        review.action_hold()
        self.assertEqual(review.state, "held")
        self.assertFalse(review.activity_ids)
        by_position = {line.general_budget_id: line for line in review.line_ids}
        self.assertEqual(len(review.line_ids), 2)  # culture only
        self.assertEqual(by_position[self.position_mobility].practical_carbon_kg, 2500)
        self.assertEqual(by_position[self.position_mobility].carbon_percentage, 25.0)
        self.assertEqual(by_position[self.position_energy].practical_carbon_kg, 6000)
        self.assertEqual(by_position[self.position_energy].carbon_percentage, 20.0)
        self.assertEqual(review.practical_carbon_kg, 8500)
        self.assertEqual(review.planned_carbon_kg, 40000)

        self._book(self.dir_culture, 1000, date(2026, 7, 20), self.cat_mobility)
        self.env.invalidate_all()
        self.assertEqual(self.line_culture_mob.practical_carbon_kg, 3500)
        self.assertEqual(by_position[self.position_mobility].practical_carbon_kg, 2500)
        self.assertEqual(review.practical_carbon_kg, 8500)
        with self.assertRaises(UserError):
            review.action_hold()
        with self.assertRaises(UserError):
            review.with_user(self.user_finance).write({"line_ids": [(5, 0, 0)]})
        with self.assertRaises(UserError):
            review.line_ids[0].with_user(self.user_finance).planned_carbon_kg = 1
        self.assertEqual(len(review.line_ids), 2)
        review.action_close()
        self.assertEqual(review.state, "closed")

    def test_decisions_open_a_dm_and_an_action(self):
        review = self._review()
        decision = self.env["nm.budget.review.decision"].create(
            {
                "review_id": review.id,
                "name": "Passer les navettes du festival en car partagé",
                "owner_id": self.user_head.id,
                "due_date": date(2026, 9, 30),
            }
        )
        decision.action_open_amendment()
        self.assertEqual(decision.amendment_id.state, "draft")
        self.assertEqual(decision.amendment_id.budget_id, self.budget)
        self.assertIn("navettes", decision.amendment_id.justification)
        decision.action_create_action()
        action = decision.action_id
        self.assertEqual(action.direction_id, self.dir_culture)
        self.assertEqual(action.user_id, self.user_head)
        self.assertEqual(action.review_id, review)
        self.assertEqual(review.decision_count, 1)

    def test_plan_the_year(self):
        wizard = self.env["nm.budget.review.plan"].create(
            {
                "budget_id": self.budget.id,
                "participant_ids": [(6, 0, self.user_finance.ids)],
            }
        )
        self.assertEqual(wizard.year, 2026)
        self.assertEqual(wizard.direction_ids, self.dir_culture | self.dir_property)
        action = wizard.action_plan()
        reviews = self.env["nm.budget.review"].search(action["domain"])
        self.assertEqual(len(reviews), 8)
        culture = reviews.filtered(lambda r: r.direction_ids == self.dir_culture)
        self.assertEqual(
            sorted(culture.mapped("date")),
            [
                date(2026, 4, 15),
                date(2026, 7, 15),
                date(2026, 10, 15),
                date(2027, 1, 15),
            ],
        )
        self.assertEqual(reviews.activity_ids.user_id, self.user_finance)
        self.assertEqual(len(reviews.activity_ids), 8)
        # planning again adds nothing
        again = self.env["nm.budget.review.plan"].create({"budget_id": self.budget.id})
        self.assertFalse(
            self.env["nm.budget.review"].search(again.action_plan()["domain"])
        )

    def _fiche_html(self, lang="en_US"):
        self._book(self.dir_culture, 12000, date(2025, 5, 1), self.cat_mobility)
        self._book(self.dir_culture, 3000, date(2025, 6, 1), self.cat_energy)
        self._book(self.dir_culture, 2500, date(2026, 3, 1), self.cat_mobility)
        self.env["nm.carbon.trajectory"].create(
            {
                "name": "Trajectoire culture (test)",
                "baseline_year": 2025,
                "baseline_kg": 50000,
                "reduction_rate": 0.04,
                "analytic_account_id": self.dir_culture.id,
            }
        )
        self.env["nm.decarbonation.action"].create(
            {
                "name": "Covoiturage des équipes techniques",
                "direction_id": self.dir_culture.id,
                "reduction_kg": 3000,
            }
        )
        self.env["res.lang"]._activate_lang(lang)
        html, _format = (
            self.env["ir.actions.report"]
            .with_context(lang=lang)
            ._render_qweb_html(
                "nm_carbon_budget.report_fiche_carbone",
                self.dir_culture.ids,
                data={"year": 2026},
            )
        )
        # French groups thousands with a narrow no-break space; split() also
        # turns the no-break space before % into a plain one
        return " ".join(html.decode().split())

    def test_fiche_carbone_html(self):
        html = self._fiche_html()
        self.assertIn("Culture (DM test)", html)
        self.assertIn("Mobilité (DM test)", html)
        self.assertIn("15.0", html)  # 2025 footprint: 15 tCO2e
        self.assertIn("40,000", html)  # 2026 envelope
        self.assertIn("2,500", html)  # booked to date
        self.assertIn("48,000", html)  # trajectory target 2026: 50 000 × 0.96
        self.assertIn("15,000 kgCO2e were booked", html)
        self.assertIn("Covoiturage des équipes techniques", html)

    def test_fiche_carbone_in_french(self):
        """Numbers as a French reader writes them, with fixed decimals: tCO2e
        with one decimal in the footprint, whole kgCO2e in the envelope."""
        html = self._fiche_html("fr_FR")
        # 2025: 12,000 + 3,000 = 15,000 kg = 15,0 tCO2e, 80 % mobility, 20 % energy
        self.assertIn("12,0", html)
        self.assertIn("15,0", html)
        self.assertIn("80 %", html)  # a space before % (no-break in the HTML)
        self.assertIn("40 000", html)  # 2026 envelope
        self.assertIn("2 500", html)  # booked to date
        self.assertIn("48 000", html)  # trajectory target 2026: 50 000 × 0.96
        self.assertNotIn("15.0", html)
        self.assertNotIn("2,500", html)
