# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two transactions at once, as two users clicking together: a travel declaration
validated twice, a month declared twice, a review submitted twice from the portal.

Each test works on demo records from cursors of its own (the second transaction
must see what the first committed) and puts them back as they were afterwards.
The server retries a request that meets a serialization failure; a test does the
same by hand: the retry then gets the user's message, and nothing is doubled."""

from contextlib import contextmanager
from datetime import date, timedelta
from types import SimpleNamespace

import psycopg2

from odoo import SUPERUSER_ID, Command, api, http
from odoo.exceptions import UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

from odoo.addons.nm_mobility.controllers.portal import TravelPortal

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
            cr.execute(
                "UPDATE nm_travel_declaration_line SET state = 'submitted'"
                " WHERE declaration_id = %s",
                [declaration_id],
            )
            self._delete_messages(cr, "nm.travel.declaration", [declaration_id])

    def _open_submitted(self, xmlid):
        """A submitted demo declaration: its id, its commute line's id, and the
        km of the whole declaration (a reference read, to compare with)."""
        with self.registry.cursor() as cr:
            declaration = self._env(cr).ref(xmlid)
            self.assertEqual(declaration.state, "submitted")
            self.assertFalse(declaration.analytic_line_ids)
            commute = declaration.line_ids.filtered(
                lambda line: line.travel_type == "commute"
            )
            ids = (declaration.id, commute.id, commute.distance_km)
        # cleanups run last first: back to submitted, then the distance restored
        self.addCleanup(self._restore_distance, ids[1], ids[2])
        self.addCleanup(self._reset_declaration, ids[0])
        return ids

    def _restore_distance(self, line_id, km):
        with self.registry.cursor() as cr:
            line = self._env(cr)["nm.travel.declaration.line"].browse(line_id)
            if line.distance_km != km:
                line.write({"distance_km": km})

    def _booked_km(self, declaration_id):
        with self.registry.cursor() as cr:
            declaration = self._env(cr)["nm.travel.declaration"].browse(declaration_id)
            self.assertEqual(declaration.state, "booked")
            return sum(declaration.analytic_line_ids.mapped("unit_amount"))

    @mute_logger("odoo.sql_db")
    def test_agent_edits_after_the_validation(self):
        """The agent cannot change the declaration once submitted. The manager
        validates while the agent's head still has it open and doubles a
        distance: the head's change is refused with the reason, the booked km are
        those the validating manager saw."""
        declaration_id, line_id, km = self._open_submitted(
            "nm_mobility.nm_travel_declaration_lucas_petit_2026_11_demo"
        )
        self.assertEqual(km, 12.0)
        with self.registry.cursor() as cr:
            agent = self._env(cr).ref("nm_carbon_budget.user_agent_demo")
            line = (
                self._env(cr)["nm.travel.declaration.line"]
                .with_user(agent)
                .browse(line_id)
            )
            with self.assertRaises(UserError) as caught:
                line.write({"distance_km": 24.0})
            self.assertIn("has been sent to your manager", str(caught.exception))
            cr.rollback()
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = self._env(cr1)
            head = self._env(cr2).ref("nm_carbon_budget.user_directrice_demo")
            env2 = api.Environment(cr2, head.id, {})
            line = env2["nm.travel.declaration.line"].browse(line_id)
            self.assertEqual(line.declaration_id.state, "submitted")
            env1["nm.travel.declaration"].browse(declaration_id).action_validate()
            env1.flush_all()
            cr1.commit()  # pylint: disable=invalid-commit
            with self.assertRaises(CONCURRENCY_ERRORS):
                line.write({"distance_km": 24.0})
                env2.flush_all()
            cr2.rollback()
            env2.invalidate_all()
            with self.assertRaises(UserError) as caught:
                line.write({"distance_km": 24.0})
            self.assertIn("cannot be changed: it is validated", str(caught.exception))
            cr2.rollback()
        # car 12 km × 11 trips × 2 = 264 km, bike 3 km × 5 × 2 = 30 km
        self.assertEqual(self._booked_km(declaration_id), 294.0)

    @mute_logger("odoo.sql_db")
    def test_validation_after_the_agent_edits(self):
        """The head's correction of a submitted declaration (the agent can no
        longer change it) is committed first: the manager's validation, begun
        on the old figures, fails and is retried on the new ones, so the booked
        km are the corrected ones (no lost update)."""
        declaration_id, line_id, km = self._open_submitted(
            "nm_mobility.nm_travel_declaration_karim_benali_2026_11_demo"
        )
        self.assertEqual(km, 9.0)
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1, env2 = self._env(cr1), self._env(cr2)
            declaration = env1["nm.travel.declaration"].browse(declaration_id)
            # motorbike 9 km × 12 trips × 2 = 216 km, car 8 km × 17 × 2 = 272 km
            self.assertEqual(declaration.total_km, 488.0)
            env2["nm.travel.declaration.line"].browse(line_id).write(
                {"distance_km": 18.0}
            )
            env2.flush_all()
            cr2.commit()  # pylint: disable=invalid-commit
            with self.assertRaises(CONCURRENCY_ERRORS):
                declaration.action_validate()
                env1.flush_all()
            cr1.rollback()
            env1.invalidate_all()
            declaration.action_validate()
            env1.flush_all()
            cr1.commit()  # pylint: disable=invalid-commit
        # motorbike 18 km × 12 trips × 2 = 432 km, car 8 km × 17 × 2 = 272 km
        self.assertEqual(self._booked_km(declaration_id), 704.0)

    @contextmanager
    def _portal_request(self, env):
        """The travel page's own code, run in ``env`` as in a request."""
        http._request_stack.push(SimpleNamespace(env=env))
        try:
            yield TravelPortal()
        finally:
            http._request_stack.pop()

    @mute_logger("odoo.sql_db")
    def test_month_submitted_twice_from_the_portal(self):
        """A double click on "Submit" (or the page sent from two tabs): the first
        post replaces the draft's lines and submits; the second, retried, is told
        the month has been sent. One set of lines, the first post's."""
        month = date(2024, 3, 1)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            employee = env.ref("nm_mobility.hr_employee_nathalie_girard_demo")
            car = env.ref("nm_mobility.nm_travel_mode_car_thermal")
            draft = env["nm.travel.declaration"].create(
                {
                    "employee_id": employee.id,
                    "date": month,
                    "line_ids": [
                        Command.create(
                            {"mode_id": car.id, "distance_km": 5, "trip_count": 4}
                        )
                    ],
                }
            )
            ids = (employee.id, car.id, draft.id)
        self.addCleanup(self._delete_declarations, [ids[2]])
        employee_id, car_id, draft_id = ids

        def submit(env, km, trips):
            with self._portal_request(env) as portal:
                portal._save_rows(
                    env["hr.employee"].browse(employee_id),
                    month,
                    env["nm.travel.declaration"].browse(draft_id),
                    [
                        {
                            "travel_type": "commute",
                            "mode_id": car_id,
                            "distance_km": km,
                            "trip_count": trips,
                            "round_trip": True,
                            "occupants": 1,
                        }
                    ],
                    {},
                    "submit",
                )
                env.flush_all()

        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1, env2 = self._env(cr1), self._env(cr2)
            for env in (env1, env2):
                draft = env["nm.travel.declaration"].browse(draft_id)
                self.assertEqual((draft.state, draft.total_km), ("draft", 40.0))
            submit(env1, 10, 20)
            cr1.commit()  # pylint: disable=invalid-commit
            with self.assertRaises(CONCURRENCY_ERRORS):
                submit(env2, 8, 15)
            cr2.rollback()
            env2.invalidate_all()
            with self.assertRaises(UserError) as caught:
                submit(env2, 8, 15)
            self.assertIn("This month has already been sent", str(caught.exception))
            cr2.rollback()
        with self.registry.cursor() as cr:
            declaration = self._env(cr)["nm.travel.declaration"].browse(draft_id)
            self.assertEqual(declaration.state, "submitted")
            # 10 km × 20 trips × 2 = 400 km, in one line
            self.assertEqual(len(declaration.line_ids), 1)
            self.assertEqual(declaration.total_km, 400.0)

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
            # still accepting measures today (a review past its due date closes)
            due = review.date_due
            review.date_due = max(due, date.today()) + timedelta(30)
        self.addCleanup(self._reset_review, review_id, due)

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

    def _reset_review(self, review_id, due=None):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM nm_progress_measure WHERE review_id = %s", [review_id]
            )
            if due:
                cr.execute(
                    "UPDATE nm_progress_review SET date_due = %s, date_closing = %s"
                    " WHERE id = %s",
                    [due, due, review_id],
                )
            cr.execute(
                "UPDATE nm_progress_review SET state = 'open', operator_comment = NULL,"
                " submitted_date = NULL, submitted_by_id = NULL WHERE id = %s",
                [review_id],
            )
            self._delete_messages(cr, "nm.progress.review", [review_id])
