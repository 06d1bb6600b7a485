# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A review past its due date shows late, refuses measures once the days the
convention accepts after the due date are over, and the daily job closes it."""

from datetime import date
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import setup_progress_fixtures


def on(day):
    return patch.object(fields.Date, "context_today", return_value=day)


@tagged("post_install", "-at_install")
class TestReviewDeadline(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_progress_fixtures(cls)
        cls.review_a.date_due = date(2026, 5, 1)
        cls.clause = cls.convention_a.clause_ids.filtered(
            lambda c: c.indicator_unit == "%"
        )
        cls.Review = cls.env["nm.progress.review"]

    def test_late_after_due_date(self):
        self.assertEqual(self.review_a.date_closing, date(2026, 5, 1))
        with on(date(2026, 5, 1)):
            self.review_a.invalidate_recordset(["is_late"])
            self.assertFalse(self.review_a.is_late)
        with on(date(2026, 5, 2)):
            self.review_a.invalidate_recordset(["is_late"])
            self.assertTrue(self.review_a.is_late)
            late = self.Review.search([("is_late", "=", True)])
            self.assertIn(self.review_a, late)
            self.assertNotIn(self.review_b, late)  # submitted: not late
            self.assertIn(self.review_b, self.Review.search([("is_late", "=", False)]))

    def test_no_measure_after_closing_day(self):
        with on(date(2026, 5, 2)), self.assertRaisesRegex(UserError, "closed on"):
            self.review_a._submit_measures([{"clause": self.clause, "value": 25.0}])
        self.assertFalse(self.review_a.measure_ids)
        self.assertEqual(self.review_a.state, "open")

    def test_grace_days_of_the_convention(self):
        self.convention_a.sudo().review_grace_days = 15
        self.assertEqual(self.review_a.date_closing, date(2026, 5, 16))
        with on(date(2026, 5, 16)):
            # late, but still accepted: the convention allows 15 days
            self.review_a.invalidate_recordset(["is_late"])
            self.assertTrue(self.review_a.is_late)
            self.assertFalse(self.Review._cron_close_late_reviews() & self.review_a)
            self.review_a._submit_measures([{"clause": self.clause, "value": 25.0}])
        self.assertEqual(self.review_a.state, "submitted")

    def test_cron_closes_and_tells(self):
        with on(date(2026, 5, 2)):
            closed = self.Review._cron_close_late_reviews()
        self.assertIn(self.review_a, closed)
        self.assertNotIn(self.review_b, closed)  # submitted in time
        self.assertEqual(self.review_a.state, "missed")
        self.assertEqual(self.review_b.state, "submitted")
        message = self.review_a.message_ids[0]
        self.assertIn("without submission", message.body)
        self.assertIn(self.manager.partner_id, message.partner_ids)
        # reopened only with a later due date
        with on(date(2026, 5, 3)):
            with self.assertRaisesRegex(UserError, "set a later due date"):
                self.review_a.action_reopen()
            self.review_a.date_due = date(2026, 5, 20)
            self.review_a.action_reopen()
            self.assertEqual(self.review_a.state, "open")
            self.review_a._submit_measures([{"clause": self.clause, "value": 25.0}])
        self.assertEqual(self.review_a.state, "submitted")

    def test_cron_is_scheduled_daily(self):
        cron = self.env.ref("nm_progress_plan.ir_cron_review_close_late")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        self.assertEqual(cron.code.strip(), "model._cron_close_late_reviews()")

    def test_grace_days_never_negative(self):
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.convention_a.sudo().review_grace_days = -1
            self.convention_a.flush_recordset()
