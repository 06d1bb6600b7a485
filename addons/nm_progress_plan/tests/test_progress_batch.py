# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Query-count regression: submitting measures (with their evidence) and booking
their carbon cost as many queries for 10 measures as for 90 (below the 100 rows
the ORM writes per statement, so that any query per measure shows)."""

from odoo import Command
from odoo.tests import TransactionCase, tagged

from .common import due_in_a_month, make_convention, setup_progress_fixtures


@tagged("post_install", "-at_install")
class TestProgressBatch(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_progress_fixtures(cls)
        cls.reviews = []
        for count in (1, 10, 90):
            convention = make_convention(
                cls.env, cls.operator_a, f"Convention {count}", cls.manager
            )
            convention.write(
                {
                    "clause_ids": [
                        Command.create(
                            {
                                "name": f"Bilan {index}",
                                "theme": "touring",
                                "committer": "operator",
                                "indicator_name": f"Émissions {index}",
                                "indicator_unit": "kgCO2e",
                                "baseline": 100.0,
                                "target": 80.0,
                                "direction": "lower",
                                "frequency": "yearly",
                                "is_carbon": True,
                            }
                        )
                        for index in range(count)
                    ]
                }
            )
            convention.action_sign()
            review = convention.review_ids.filtered(
                lambda r: r.review_type == "during"
            )[:1]
            review.date_due = due_in_a_month(review)
            review.action_open()
            cls.reviews.append(review)

    def _queries(self, call):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        call()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def _lines(self, review):
        clauses = review.convention_id.clause_ids.filtered(
            lambda c: c.is_carbon and c.name.startswith("Bilan ")
        )
        return [
            {
                "clause": clause,
                "value": 12.5,
                "comment": "tournée",
                "evidence": [(f"bilan_{clause.id}.pdf", b"%PDF-1.4 bilan")],
            }
            for clause in clauses
        ]

    def test_submit_and_book_same_queries_for_10_and_90_measures(self):
        counts = {}
        for review in self.reviews:
            lines = self._lines(review)
            submitted = self._queries(
                lambda review=review, lines=lines: review._submit_measures(
                    lines, user=self.portal_a
                )
            )
            booked = self._queries(
                lambda review=review: review.measure_ids._book_carbon()
            )
            counts[len(lines)] = (submitted, booked)
        self.assertEqual(counts[10], counts[90])
        many = self.reviews[2]
        self.assertEqual(len(many.measure_ids), 90)
        self.assertEqual(len(many.measure_ids.evidence_attachment_ids), 90)
        for measure in many.measure_ids:
            self.assertEqual(measure.evidence_attachment_ids.res_id, measure.id)
        # 90 × 12.5 = 1,125 kgCO2e on the operator's one account of the Partners plan
        lines = many.measure_ids.analytic_line_id
        self.assertEqual(len(lines), 90)
        self.assertAlmostEqual(sum(lines.mapped("carbon_kg")), 1125.0)
        account = self.operator_a.with_company(self.env.company).nm_analytic_account_id
        self.assertEqual(len(account), 1)
        plan = self.env.company._nm_get_partner_plan()
        self.assertEqual({line[plan._column_name()] for line in lines}, {account})
