# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import date
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import make_convention, setup_progress_fixtures


@tagged("post_install", "-at_install")
class TestConvention(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_progress_fixtures(cls)

    def _clause(self, convention, unit):
        return convention.clause_ids.filtered(lambda c: c.indicator_unit == unit)

    def test_reviews_scheduled_from_frequencies(self):
        # quarterly is the most frequent: before at the start, three interim
        # reviews, after at the end (due six months later)
        reviews = self.convention_a.review_ids.sorted("date_planned")
        self.assertEqual(
            [(r.review_type, r.date_planned) for r in reviews],
            [
                ("before", date(2026, 1, 1)),
                ("during", date(2026, 4, 1)),
                ("during", date(2026, 7, 1)),
                ("during", date(2026, 10, 1)),
                ("after", date(2026, 12, 31)),
            ],
        )
        self.assertEqual(reviews[0].date_due, date(2026, 1, 31))
        self.assertEqual(reviews[-1].date_due, date(2027, 6, 30))
        # planning again adds nothing
        self.convention_a.action_schedule_reviews()
        self.assertEqual(len(self.convention_a.review_ids), 5)

    def test_reference_in_start_year(self):
        self.assertIn("/2026/", self.convention_a.name)
        convention = self.env["nm.convention"].create(
            {
                "title": "2025",
                "partner_id": self.operator_a.id,
                "date_start": date(2025, 3, 1),
                "date_end": date(2025, 12, 31),
            }
        )
        self.assertTrue(convention.name.startswith("CONV/2025/"))

    def test_sign_needs_a_clause(self):
        convention = self.env["nm.convention"].create(
            {
                "title": "Sans clause",
                "partner_id": self.operator_a.id,
                "date_start": date(2026, 1, 1),
                "date_end": date(2026, 12, 31),
            }
        )
        with self.assertRaises(UserError):
            convention.action_sign()
        self.assertEqual(convention.state, "draft")

    def test_signed_convention_is_frozen(self):
        clause = self._clause(self.convention_a, "%")
        with self.assertRaises(UserError):
            clause.with_user(self.manager).target = 50.0
        with self.assertRaises(UserError):
            self.convention_a.with_user(self.manager).subsidy_amount = 1.0
        with self.assertRaises(UserError):
            self.convention_a.with_user(self.manager).unlink()
        self.assertEqual(clause.target, 40.0)

    def test_submission_progress_and_notification(self):
        clause = self._clause(self.convention_a, "%")
        measures = self.review_a._submit_measures(
            [{"clause": clause, "value": 30.0, "comment": "enquête"}],
            comment="RAS",
            user=self.portal_a,
        )
        self.assertEqual(self.review_a.state, "submitted")
        self.assertEqual(measures.value, 30.0)
        # 20 -> 40, 30 is half way
        self.assertEqual(clause.latest_value, 30.0)
        self.assertEqual(clause.progress, 50.0)
        # the responsible officer gets a message and an activity
        message = self.review_a.message_ids.filtered(
            lambda m: self.manager.partner_id in m.partner_ids
        )
        self.assertTrue(message)
        self.assertTrue(
            self.review_a.activity_ids.filtered(lambda a: a.user_id == self.manager)
        )
        # a submitted review takes nothing more
        with self.assertRaises(UserError):
            self.review_a._submit_measures(
                [{"clause": clause, "value": 31.0}], user=self.portal_a
            )
        self.assertEqual(len(clause.measure_ids), 1)

    def test_evidence_checked_and_nothing_written(self):
        clause = self._clause(self.convention_a, "%")
        for name, content in (
            ("virus.exe", b"MZ"),
            ("big.pdf", b"0" * (10 * 1024 * 1024 + 1)),
        ):
            with self.assertRaises(UserError):
                self.review_a._submit_measures(
                    [
                        {"clause": clause, "value": 1.0},
                        {
                            "clause": self._clause(self.convention_a, "kgCO2e"),
                            "value": 2.0,
                            # a good file does not save a bad one
                            "evidence": [
                                ("ok.pdf", b"%PDF-1.4 fine"),
                                (name, content),
                            ],
                        },
                    ],
                    user=self.portal_a,
                )
        self.assertFalse(self.review_a.measure_ids)
        self.assertEqual(self.review_a.state, "open")

    def test_evidence_added_never_removed(self):
        """Several files support one measure; a submitted measure may receive
        more evidence, never lose or swap any."""
        measure = self.measure_b
        self.assertEqual(
            measure.evidence_attachment_ids.mapped("name"), ["b_evidence.pdf"]
        )
        Attachment = self.env["ir.attachment"]
        extra = Attachment.create(
            {
                "name": "b_factures.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 invoices"),
                "res_model": "nm.progress.measure",
                "res_id": measure.id,
            }
        )
        measure.with_user(self.manager).write(
            {"evidence_attachment_ids": [Command.link(extra.id)]}
        )
        self.assertEqual(measure.evidence_count, 2)
        for command in (
            [Command.unlink(self.attachment_b.id)],
            [Command.set([extra.id])],
            [Command.clear()],
        ):
            with self.assertRaises(UserError) as caught:
                measure.with_user(self.manager).write(
                    {"evidence_attachment_ids": command}
                )
            self.assertIn("cannot be removed or replaced", str(caught.exception))
            self.assertEqual(measure.evidence_attachment_ids, self.attachment_b | extra)

    def test_measures_locked(self):
        measure = self.measure_b
        # operator: no write, no unlink (acceptance 6)
        with self.assertRaises(AccessError):
            measure.with_user(self.portal_b).unlink()
        with self.assertRaises(AccessError):
            measure.with_user(self.portal_b).write({"value": 1.0})
        # staff neither: corrections are new measures
        with self.assertRaises(UserError):
            measure.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            measure.with_user(self.manager).write({"value": 1.0})
        self.assertTrue(measure.exists())
        self.assertEqual(measure.value, 12.0)

    def test_adjustment_needs_both_sides(self):
        """Acceptance 4: the target changes once both sides accepted; the history
        keeps old and new targets."""
        clause = self._clause(self.convention_a, "%")
        adjustment = (
            self.env["nm.progress.adjustment"]
            .with_user(self.manager)
            .create(
                {
                    "clause_id": clause.id,
                    "new_target": 35.0,
                    "reason": "Travaux du parvis",
                    "proposed_by": "authority",
                }
            )
        )
        self.assertTrue(adjustment.authority_accepted)
        self.assertFalse(adjustment.operator_accepted)
        self.assertEqual(clause.target, 40.0)
        self.assertEqual(adjustment.state, "proposed")
        adjustment._accept_operator(self.portal_a)
        self.assertEqual(clause.target, 35.0)
        self.assertEqual(adjustment.state, "applied")
        self.assertEqual(
            [(a.old_target, a.new_target) for a in clause.adjustment_ids],
            [(40.0, 35.0)],
        )
        with self.assertRaises(UserError):
            adjustment.action_accept_authority()

    def test_adjustment_proposed_by_operator(self):
        clause = self._clause(self.convention_a, "kgCO2e")
        adjustment = self.env["nm.progress.adjustment"].create(
            {
                "clause_id": clause.id,
                "new_target": 900.0,
                "reason": "Tournée européenne",
                "proposed_by": "operator",
            }
        )
        self.assertEqual(clause.target, 800.0)
        adjustment.with_user(self.manager).action_accept_authority()
        self.assertEqual(clause.target, 900.0)
        self.assertEqual((adjustment.old_target, adjustment.new_target), (800.0, 900.0))

    def test_refused_adjustment_keeps_target(self):
        clause = self._clause(self.convention_a, "%")
        adjustment = self.env["nm.progress.adjustment"].create(
            {"clause_id": clause.id, "new_target": 30.0, "reason": "x"}
        )
        adjustment.action_refuse()
        with self.assertRaises(UserError):
            adjustment._accept_operator(self.portal_a)
        self.assertEqual(clause.target, 40.0)

    def test_renewal_carries_assessed_targets(self):
        """Acceptance 5."""
        convention = self.convention_a
        bike = self._clause(convention, "%")
        self.review_a._submit_measures(
            [{"clause": bike, "value": 34.0}], user=self.portal_a
        )
        convention.action_start_assessment()
        self.assertEqual(bike.assessed_value, 34.0)
        bike.write({"achievement": "partial", "next_target": 45.0})
        convention.action_close()
        convention.action_renew()
        renewed = convention.next_convention_ids
        self.assertEqual(len(renewed), 1)
        self.assertEqual(renewed.previous_convention_id, convention)
        self.assertEqual(renewed.state, "draft")
        self.assertEqual(renewed.partner_id, self.operator_a)
        self.assertEqual(renewed.date_start, date(2027, 1, 1))
        self.assertEqual(renewed.date_end, date(2027, 12, 31))
        self.assertEqual(len(renewed.clause_ids), 3)
        new_bike = renewed.clause_ids.filtered(lambda c: c.indicator_unit == "%")
        # baseline = assessed value, target = the one decided at the assessment
        self.assertEqual((new_bike.baseline, new_bike.target), (34.0, 45.0))
        # a clause without measure keeps its baseline and target
        shuttles = renewed.clause_ids.filtered(lambda c: c.indicator_unit == "soirs")
        self.assertEqual((shuttles.baseline, shuttles.target), (0.0, 10.0))
        self.assertEqual(shuttles.committer, "authority")
        with self.assertRaises(UserError):
            self.convention_b.action_renew()

    def test_carbon_booked_in_partners_plan_only(self):
        directions = self.env["account.analytic.plan"].create({"name": "Directions PP"})
        self.env.company.carbon_plan_id = directions
        culture = self.env["account.analytic.account"].create(
            {"name": "Culture PP", "plan_id": directions.id}
        )
        self.convention_a.analytic_account_id = culture
        carbon = self._clause(self.convention_a, "kgCO2e")
        self.review_a._submit_measures(
            [{"clause": carbon, "value": 950.0}], user=self.portal_a
        )
        self.review_a.feedback = "Merci"
        self.review_a.with_user(self.manager).action_post_feedback()
        self.assertEqual(self.review_a.state, "done")
        line = self.review_a.measure_ids.analytic_line_id
        self.assertEqual(line.carbon_kg, 950.0)
        self.assertEqual(line.carbon_source, "partner")
        self.assertEqual(line.amount, 0.0)
        account = self.operator_a.nm_analytic_account_id
        plan = self.env.company.nm_partner_plan_id
        self.assertEqual(account.plan_id, plan)
        self.assertNotEqual(plan, directions)
        self.assertEqual(line[plan._column_name()], account)
        self.assertFalse(line[directions._column_name()])
        self.assertEqual(culture.carbon_kg, 0.0)
        self.assertEqual(account.carbon_kg, 950.0)
        # booking twice books nothing more
        self.review_a.measure_ids._book_carbon()
        self.assertEqual(
            self.env["account.analytic.line"].search_count(
                [
                    ("carbon_source", "=", "partner"),
                    ("partner_id", "=", self.operator_a.id),
                ]
            ),
            1,
        )

    def test_feedback_required(self):
        clause = self._clause(self.convention_a, "%")
        self.review_a._submit_measures([{"clause": clause, "value": 25.0}])
        with self.assertRaises(UserError):
            self.review_a.action_post_feedback()
        self.review_a.feedback = "Bravo"
        self.review_a.action_post_feedback()
        self.assertEqual(
            self.review_a.feedback_date, fields.Date.context_today(self.review_a)
        )

    def test_reminder_cron(self):
        self.review_a.date_due = date(2026, 4, 20)
        with patch.object(fields.Date, "context_today", return_value=date(2026, 4, 15)):
            reminded = self.env["nm.progress.review"]._cron_send_reminders()
        self.assertIn(self.review_a, reminded)
        self.assertTrue(self.review_a.reminder_sent)
        # review B is due later than a week: no reminder
        self.assertNotIn(self.review_b, reminded)

    def test_portal_user_sees_only_own(self):
        Convention = self.env["nm.convention"].with_user(self.portal_a)
        self.assertEqual(Convention.search([]), self.convention_a)
        self.assertFalse(
            self.env["nm.progress.measure"].with_user(self.portal_a).search([])
        )
        with self.assertRaises(AccessError):
            self.convention_b.with_user(self.portal_a).check_access("read")
        with self.assertRaises(AccessError):
            self.attachment_b.with_user(self.portal_a).check_access("read")
        with self.assertRaises(AccessError):
            self.doc_b.with_user(self.portal_a).check_access("read")
        # draft conventions are not shown to operators
        draft = make_convention(self.env, self.operator_a, "Brouillon", self.manager)
        self.assertNotIn(draft, Convention.search([]))

    def test_finance_reads_only(self):
        self.assertTrue(
            self.env["nm.convention"].with_user(self.finance).search_count([]) >= 2
        )
        with self.assertRaises(AccessError):
            self.convention_a.with_user(self.finance).write({"title": "x"})

    def test_operator_notified(self):
        """Review opened, feedback posted and adjustment proposed reach the
        operator through the French mail templates."""
        operator = self.operator_a

        def messages_to_operator(record):
            return record.message_ids.filtered(lambda m: operator in m.partner_ids)

        opened = messages_to_operator(self.review_a)
        self.assertEqual(len(opened), 1)
        self.assertIn(self.convention_a.name, opened.subject)
        self.assertIn(self.review_a.access_url, opened.body)
        clause = self._clause(self.convention_a, "%")
        self.review_a._submit_measures([{"clause": clause, "value": 22.0}])
        self.review_a.feedback = "Bon début"
        self.review_a.action_post_feedback()
        self.assertEqual(len(messages_to_operator(self.review_a)), 2)
        self.assertIn("Bon début", messages_to_operator(self.review_a)[0].body)
        adjustment = self.env["nm.progress.adjustment"].create(
            {"clause_id": clause.id, "new_target": 30.0, "reason": "Chantier du tram"}
        )
        proposed = messages_to_operator(adjustment)
        self.assertEqual(len(proposed), 1)
        self.assertIn("Chantier du tram", proposed.body)

    def test_staff_records_authority_commitment(self):
        shuttles = self._clause(self.convention_a, "soirs")
        self.review_a.with_user(self.manager).write(
            {"measure_ids": [Command.create({"clause_id": shuttles.id, "value": 4.0})]}
        )
        self.assertEqual(shuttles.latest_value, 4.0)
        # 0 -> 10 evenings, 4 done: 40 %
        self.assertEqual(shuttles.progress, 40.0)

    def test_final_assessment_report(self):
        bike = self._clause(self.convention_a, "%")
        self.review_a._submit_measures([{"clause": bike, "value": 34.0}])
        self.convention_a.action_start_assessment()
        bike.write({"achievement": "partial", "next_target": 45.0})
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "nm_progress_plan.action_report_nm_convention_assessment",
                self.convention_a.ids,
            )[0]
            .decode()
        )
        self.assertIn(self.convention_a.name, html)
        self.assertIn("Venue des publics à vélo", html)
        self.assertIn("34", html)
        self.assertIn("45", html)
