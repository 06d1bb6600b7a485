# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two transactions at once, as two users clicking together: a travel declaration
validated twice, a month declared twice, a review submitted twice from the portal.

Each test works on demo records from cursors of its own (the second transaction
must see what the first committed) and puts them back as they were afterwards.
The server retries a request that meets a serialization failure; a test does the
same by hand: the retry then gets the user's message, and nothing is doubled."""

from datetime import date

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

CONCURRENCY_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.UniqueViolation,
)


@tagged("post_install", "-at_install")
class TestConcurrency(BaseCase):
    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
            self.last_message_id = cr.fetchone()[0]

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def _delete_messages(self, cr, model, ids):
        cr.execute(
            "DELETE FROM mail_message WHERE model = %s AND res_id = ANY(%s)"
            " AND id > %s",
            [model, list(ids), self.last_message_id],
        )

    @mute_logger("odoo.sql_db")
    def test_declaration_validated_twice(self):
        with self.registry.cursor() as cr:
            declaration = self._env(cr).ref(
                "nm_mobility.nm_travel_declaration_nathalie_girard_2026_11_demo"
            )
            self.assertEqual(declaration.state, "submitted")
            self.assertFalse(declaration.analytic_line_ids)
            declaration_id = declaration.id
            expected_kg = declaration.carbon_kg
        self.addCleanup(self._reset_declaration, declaration_id)
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1, env2 = self._env(cr1), self._env(cr2)
            first = env1["nm.travel.declaration"].browse(declaration_id)
            second = env2["nm.travel.declaration"].browse(declaration_id)
            # both managers opened the declaration before either validated
            self.assertEqual((first.state, second.state), ("submitted", "submitted"))
            first.action_validate()
            env1.flush_all()
            cr1.commit()  # pylint: disable=invalid-commit
            # the second transaction meets the first one's committed update
            with self.assertRaises(CONCURRENCY_ERRORS):
                second.action_validate()
                env2.flush_all()
            cr2.rollback()
            # retried as the server does: the user is told it is already done
            env2.invalidate_all()
            with self.assertRaises(UserError) as caught:
                second.action_validate()
            self.assertIn(
                "must be submitted before it is validated", str(caught.exception)
            )
            cr2.rollback()
        with self.registry.cursor() as cr:
            declaration = self._env(cr)["nm.travel.declaration"].browse(declaration_id)
            self.assertEqual(declaration.state, "booked")
            # booked once: one set of analytic lines carrying the declaration's kg
            self.assertAlmostEqual(
                sum(declaration.analytic_line_ids.mapped("carbon_kg")),
                expected_kg,
                places=4,
            )
            cr.execute(
                "SELECT count(*) FROM account_analytic_line"
                " WHERE travel_declaration_id = %s",
                [declaration_id],
            )
            self.assertEqual(cr.fetchone()[0], len(declaration.analytic_line_ids))

    def _reset_declaration(self, declaration_id):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM account_analytic_line WHERE travel_declaration_id = %s",
                [declaration_id],
            )
            cr.execute(
                "UPDATE nm_travel_declaration SET state = 'submitted',"
                " validated_by_id = NULL, validation_date = NULL WHERE id = %s",
                [declaration_id],
            )
            self._delete_messages(cr, "nm.travel.declaration", [declaration_id])

    @mute_logger("odoo.sql_db")
    def test_month_declared_twice(self):
        """Two portal posts creating the same agent's month at once: one
        declaration, the other user told to open it."""
        with self.registry.cursor() as cr:
            employee = self._env(cr).ref("nm_mobility.hr_employee_nathalie_girard_demo")
            employee_id = employee.id
            month = date(2024, 2, 1)
            self.assertFalse(
                self._env(cr)["nm.travel.declaration"].search(
                    [("employee_id", "=", employee_id), ("date", "=", month)]
                )
            )
        created = []
        self.addCleanup(self._delete_declarations, created)
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1, env2 = self._env(cr1), self._env(cr2)
            Declaration = "nm.travel.declaration"
            # both transactions have looked at the month: it was free
            for env in (env1, env2):
                self.assertFalse(
                    env[Declaration].search_count(
                        [("employee_id", "=", employee_id), ("date", "=", month)]
                    )
                )
            vals = {"employee_id": employee_id, "date": month}
            first = env1[Declaration].create(vals)
            created.append(first.id)
            cr1.commit()  # pylint: disable=invalid-commit
            with self.assertRaises(CONCURRENCY_ERRORS):
                env2[Declaration].create(vals)
                env2.flush_all()
            cr2.rollback()
            env2.invalidate_all()
            with self.assertRaises(ValidationError) as caught:
                env2[Declaration].create(vals)
            self.assertIn(
                "already has a travel declaration for 02/2024", str(caught.exception)
            )
            cr2.rollback()
        with self.registry.cursor() as cr:
            self.assertEqual(
                self._env(cr)["nm.travel.declaration"].search_count(
                    [("employee_id", "=", employee_id), ("date", "=", month)]
                ),
                1,
            )

    def _delete_declarations(self, ids):
        if not ids:
            return
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM nm_travel_declaration_line WHERE declaration_id = ANY(%s)",
                [ids],
            )
            cr.execute("DELETE FROM nm_travel_declaration WHERE id = ANY(%s)", [ids])
            self._delete_messages(cr, "nm.travel.declaration", ids)

    @mute_logger("odoo.sql_db")
    def test_review_submitted_twice(self):
        """The operator double-clicks "Submit my measures" (or two colleagues
        submit together): one set of measures, the other told the review is
        no longer open."""
        with self.registry.cursor() as cr:
            review = self._env(cr).ref(
                "nm_progress_plan.nm_progress_review_smac_q4_demo"
            )
            self.assertEqual(review.state, "open")
            self.assertFalse(review.measure_ids)
            review_id = review.id
            clause_id = review.convention_id.clause_ids.filtered(
                lambda c: c.committer in ("operator", "both")
            )[:1].id
        self.addCleanup(self._reset_review, review_id)

        def submit(env, value):
            review = env["nm.progress.review"].browse(review_id)
            clause = env["nm.progress.clause"].browse(clause_id)
            review._submit_measures([{"clause": clause, "value": value}])
            env.flush_all()

        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1, env2 = self._env(cr1), self._env(cr2)
            for env in (env1, env2):
                review = env["nm.progress.review"].browse(review_id)
                self.assertEqual(review.state, "open")
            submit(env1, 42.0)
            cr1.commit()  # pylint: disable=invalid-commit
            with self.assertRaises(CONCURRENCY_ERRORS):
                submit(env2, 43.0)
            cr2.rollback()
            env2.invalidate_all()
            with self.assertRaises(UserError) as caught:
                submit(env2, 43.0)
            self.assertIn("This review is not open", str(caught.exception))
            cr2.rollback()
        with self.registry.cursor() as cr:
            review = self._env(cr)["nm.progress.review"].browse(review_id)
            self.assertEqual(review.state, "submitted")
            self.assertEqual(review.measure_ids.mapped("value"), [42.0])

    def _reset_review(self, review_id):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM nm_progress_measure WHERE review_id = %s", [review_id]
            )
            cr.execute(
                "UPDATE nm_progress_review SET state = 'open', operator_comment = NULL,"
                " submitted_date = NULL, submitted_by_id = NULL WHERE id = %s",
                [review_id],
            )
            self._delete_messages(cr, "nm.progress.review", [review_id])
