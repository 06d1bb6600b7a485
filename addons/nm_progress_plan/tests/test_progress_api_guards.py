# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The progress plan's rules hold at the API: a signed convention, its clauses,
the reviews and the operator's measures, as a direction head or an operator would
call ``write``, ``unlink`` or ``read`` over JSON-RPC, with every context key the
code or Odoo ever honoured; and what the operator reads of the back office."""

import base64
import json

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import setup_progress_fixtures

CONTEXTS = [
    {},
    {"install_mode": True},
    {"_force_unlink": True},
    {"nm_adjustment": True},
    {"nm_travel_workflow": True},
    {"tracking_disable": True},
    {"module_uninstall": True},
    {
        "install_mode": True,
        "_force_unlink": True,
        "nm_adjustment": True,
        "module_uninstall": True,
    },
]


def _tier_review(env):
    """A tier.review of the database (a DM's approval), made if there is none."""
    review = env["tier.review"].sudo().search([], limit=1)
    if review:
        return review
    return (
        env["tier.review"]
        .sudo()
        .create({"model": "res.partner", "res_id": env.user.partner_id.id})
    )


@tagged("post_install", "-at_install")
class TestProgressApiGuards(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_progress_fixtures(cls)
        cls.clause_bike = cls.convention_a.clause_ids.filtered(
            lambda c: c.indicator_unit == "%"
        )

    def _refused(self, call, exception=UserError, message=None):
        with self.assertRaises(exception) as caught, self.env.cr.savepoint():
            call()
        self.assertTrue(str(caught.exception))
        if message:
            self.assertIn(message, str(caught.exception))
        return caught.exception

    def test_signed_convention_frozen(self):
        convention = self.convention_a
        self.assertEqual(convention.state, "signed")
        for context in CONTEXTS:
            as_head = convention.with_user(self.manager).with_context(**context)
            with self.subTest(context=context):
                for vals in (
                    {"subsidy_amount": 90000.0},
                    {"date_end": "2027-12-31"},
                    {"partner_id": self.operator_b.id},
                    {"title": "Autre objet"},
                ):
                    self._refused(
                        lambda v=vals, c=as_head: c.write(v),
                        message="A signed convention cannot be edited",
                    )
                self._refused(
                    lambda c=as_head: c.write({"state": "draft"}),
                    message="change only through the buttons",
                )
                self._refused(lambda c=as_head: c.unlink())
        self.assertEqual(convention.subsidy_amount, 50000.0)
        self.assertEqual(convention.partner_id, self.operator_a)
        self.assertEqual(convention.state, "signed")
        # what is not signed stays the staff's
        convention.with_user(self.manager).notes = "<p>Relancer en juin</p>"
        self.assertIn("Relancer", convention.notes)

    def test_clause_target_only_through_an_adjustment(self):
        clause = self.clause_bike
        for context in CONTEXTS:
            as_head = clause.with_user(self.manager).with_context(**context)
            with self.subTest(context=context):
                self._refused(
                    lambda c=as_head: c.write({"target": 25.0}),
                    message="only through an adjustment",
                )
                self._refused(lambda c=as_head: c.write({"baseline": 5.0}))
                self._refused(lambda c=as_head: c.unlink())
        self.assertEqual(clause.target, 40.0)
        self.assertEqual(clause.baseline, 20.0)
        adjustment = (
            self.env["nm.progress.adjustment"]
            .with_user(self.manager)
            .create(
                {
                    "clause_id": clause.id,
                    "new_target": 35.0,
                    "reason": "Travaux du parvis",
                }
            )
        )
        # nobody forges the operator's consent
        for context in CONTEXTS:
            as_head = adjustment.with_user(self.manager).with_context(**context)
            with self.subTest(adjustment_context=context):
                self._refused(
                    lambda a=as_head: a.write(
                        {
                            "operator_accepted": True,
                            "operator_user_id": self.portal_a.id,
                        }
                    ),
                    message="change only through the buttons",
                )
                self._refused(lambda a=as_head: a.write({"state": "applied"}))
                # nor changes the terms once a side accepted them
                self._refused(lambda a=as_head: a.write({"new_target": 20.0}))
        self.assertEqual(clause.target, 40.0)
        adjustment._accept_operator(self.portal_a)
        self.assertEqual(clause.target, 35.0)
        self.assertEqual(adjustment.state, "applied")
        self.assertEqual(adjustment.old_target, 40.0)
        self._refused(lambda: adjustment.with_user(self.manager).unlink())

    def test_staff_cannot_speak_for_the_operator(self):
        """An adjustment the staff record as proposed by the operator waits for
        the operator's own acceptance on the portal."""
        clause = self.clause_bike
        adjustment = (
            self.env["nm.progress.adjustment"]
            .with_user(self.manager)
            .create(
                {
                    "clause_id": clause.id,
                    "new_target": 30.0,
                    "reason": "Demande reçue par courriel",
                    "proposed_by": "operator",
                }
            )
        )
        self.assertFalse(adjustment.operator_accepted)
        self.assertFalse(adjustment.operator_user_id)
        adjustment.with_user(self.manager).action_accept_authority()
        self.assertEqual(adjustment.state, "proposed")
        self.assertEqual(clause.target, 40.0)
        adjustment._accept_operator(self.portal_a)
        self.assertEqual(adjustment.state, "applied")
        self.assertEqual(clause.target, 30.0)

    def test_review_workflow_fields(self):
        review = self.review_a
        self.assertEqual(review.state, "open")
        for context in CONTEXTS:
            as_head = review.with_user(self.manager).with_context(**context)
            with self.subTest(context=context):
                for vals in (
                    {"state": "done"},
                    {"submitted_by_id": self.portal_a.id},
                    {"operator_comment": "Écrit par la ville"},
                ):
                    self._refused(
                        lambda v=vals, r=as_head: r.write(v),
                        message="change only through the buttons",
                    )
        self.assertEqual(review.state, "open")
        self.assertFalse(review.operator_comment)
        # submitted, the review and its measures are kept whatever the context
        review._submit_measures(
            [{"clause": self.clause_bike, "value": 27.5}], user=self.portal_a
        )
        self.assertEqual(review.state, "submitted")
        for context in CONTEXTS:
            with self.subTest(submitted_context=context):
                self._refused(
                    lambda c=context: (
                        review.with_user(self.manager).with_context(**c).unlink()
                    )
                )
                self._refused(
                    lambda c=context: (
                        review.with_user(self.manager)
                        .with_context(**c)
                        .write({"date_planned": "2026-05-01"})
                    )
                )

    def test_submitted_measures_never_deleted(self):
        measure = self.measure_b
        for context in CONTEXTS:
            with self.subTest(context=context):
                self._refused(
                    lambda c=context: (
                        measure.with_user(self.manager).with_context(**c).unlink()
                    ),
                    message="cannot be deleted",
                )
                self._refused(
                    lambda c=context: (
                        measure.with_user(self.manager)
                        .with_context(**c)
                        .write({"value": 1.0})
                    )
                )
                self._refused(
                    lambda c=context: (
                        measure.with_user(self.manager)
                        .with_context(**c)
                        .write({"submitted_by_id": self.manager.id})
                    )
                )
                self._refused(
                    lambda c=context: (
                        measure.with_user(self.portal_b).with_context(**c).unlink()
                    ),
                    AccessError,
                )
                # nor the convention or clause holding them
                self._refused(
                    lambda c=context: (
                        self.convention_b.with_user(self.manager)
                        .with_context(**c)
                        .unlink()
                    )
                )
                self._refused(
                    lambda c=context: (
                        measure.clause_id.with_user(self.manager)
                        .with_context(**c)
                        .unlink()
                    )
                )
        self.assertTrue(measure.exists())
        self.assertEqual(measure.value, 12.0)
        self.assertEqual(measure.submitted_by_id, self.portal_b)

    def test_operator_reads_no_staff_notes(self):
        self.convention_a.notes = "<p>Opérateur fragile, budget serré</p>"
        as_operator = self.convention_a.with_user(self.portal_a)
        for context in CONTEXTS:
            with self.subTest(context=context):
                self._refused(
                    lambda c=context: as_operator.with_context(**c).read(["notes"]),
                    AccessError,
                )
                self._refused(
                    lambda c=context: as_operator.with_context(**c).search_read(
                        [("id", "=", self.convention_a.id)], ["notes"]
                    ),
                    AccessError,
                )
        # nor the city's accounting and appraisal of the operator
        for name in ("analytic_account_id", "budget_line_id", "operator_maturity"):
            with self.subTest(field=name):
                self._refused(lambda n=name: as_operator.read([n]), AccessError)
                self.assertNotIn(name, as_operator.fields_get())
        self._refused(
            lambda: self.measure_b.with_user(self.portal_b).read(["analytic_line_id"]),
            AccessError,
        )
        self._refused(
            lambda: self.portal_a.partner_id.commercial_partner_id.with_user(
                self.portal_a
            ).read(["nm_analytic_account_id"]),
            AccessError,
        )
        # the rest of its convention it reads
        self.assertEqual(as_operator.read(["title"])[0]["title"], "Convention A")
        self.assertNotIn("notes", as_operator.fields_get())

    def test_operator_lists_no_approval(self):
        review = _tier_review(self.env)
        TierReview = self.env["tier.review"].with_user(self.portal_a)
        # operators hold no right at all on approvals: listing them is refused
        self._refused(lambda: TierReview.search_count([]), AccessError)
        self._refused(
            lambda: TierReview.search_read([], ["done_by", "reviewed_date"]),
            AccessError,
        )
        self._refused(
            lambda: review.with_user(self.portal_a).read(["done_by"]), AccessError
        )
        self._refused(
            lambda: (
                self.env["tier.definition"].with_user(self.portal_a).search_count([])
            ),
            AccessError,
        )

    def test_bad_figures_and_texts_refused(self):
        review = self.review_a
        cases = [
            ({"value": 1e308}, "not a plausible figure"),
            ({"value": 1e13}, "not a plausible figure"),
            ({"value": 10.0, "comment": "a\x00b"}, "NUL"),
            ({"value": 10.0, "comment": "x" * 10001}, "too long"),
        ]
        for line, message in cases:
            with self.subTest(line=line):
                self._refused(
                    lambda v=line: review._submit_measures(
                        [dict(v, clause=self.clause_bike)], user=self.portal_a
                    ),
                    ValidationError,
                    message,
                )
        self._refused(
            lambda: review._submit_measures(
                [{"clause": self.clause_bike, "value": 10.0}],
                comment="merci\x00",
                user=self.portal_a,
            ),
            ValidationError,
            "NUL",
        )
        self._refused(
            lambda: review._submit_measures(
                [
                    {
                        "clause": self.clause_bike,
                        "value": 10.0,
                        "evidence": [("rapport\x00.pdf", b"%PDF-1.4")],
                    }
                ],
                user=self.portal_a,
            ),
            UserError,
            "cannot be saved",
        )
        self.assertEqual(review.state, "open")
        self.assertFalse(review.measure_ids)
        # an indicator figure over RPC: the same bound
        self._refused(
            lambda: (
                self.env["nm.progress.measure"]
                .with_user(self.manager)
                .create(
                    {
                        "review_id": review.id,
                        "clause_id": self.clause_bike.id,
                        "value": 1e300,
                    }
                )
            ),
            UserError,
            "not a plausible figure",
        )
        self.assertFalse(review.measure_ids)


@tagged("post_install", "-at_install")
class TestOperatorDocuments(HttpCase):
    """Files of the staff's internal notes never reach the operator: neither on
    its pages, nor through /web/content, nor with an access token logged out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_progress_fixtures(cls)
        Attachment = cls.env["ir.attachment"]
        cls.internal_file = Attachment.create(
            {
                "name": "note_interne_budget.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 SECRET-NOTE-FILE"),
                "res_model": "nm.convention",
                "res_id": cls.convention_a.id,
            }
        )
        cls.convention_a.with_user(cls.manager).message_post(
            body="Ne pas transmettre",
            attachment_ids=cls.internal_file.ids,
            subtype_xmlid="mail.mt_note",
        )
        cls.review_file = Attachment.create(
            {
                "name": "note_revue_interne.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 SECRET-NOTE-FILE review"),
                "res_model": "nm.progress.review",
                "res_id": cls.review_a.id,
            }
        )
        cls.review_a.with_user(cls.manager).message_post(
            body="Interne",
            attachment_ids=cls.review_file.ids,
            subtype_xmlid="mail.mt_note",
        )
        cls.sent_file = Attachment.create(
            {
                "name": "courrier_operateur.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 sent"),
                "res_model": "nm.convention",
                "res_id": cls.convention_a.id,
            }
        )
        cls.convention_a.with_user(cls.manager).message_post(
            body="Voici le courrier",
            attachment_ids=cls.sent_file.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        cls.convention_a._portal_ensure_token()
        cls.review_a._portal_ensure_token()

    def _download(self, attachment, token=None):
        suffix = f"?access_token={token}" if token else ""
        return [
            self.url_open(
                f"/my/conventions/{self.convention_a.id}/attachment/{attachment.id}"
                + suffix
            ),
            self.url_open(
                f"/web/content/{attachment.id}"
                + (suffix + "&" if suffix else "?")
                + "download=true"
            ),
        ]

    def test_internal_note_files_hidden(self):
        page_token = self.convention_a.access_token
        for login in ("pp_portal_a", None):
            if login:
                self.authenticate(login, login)
            else:
                self.authenticate(None, None)
            for attachment in (self.internal_file, self.review_file):
                for token in (None, page_token, self.review_a.access_token):
                    with self.subTest(login=login, file=attachment.name, token=token):
                        for response in self._download(attachment, token):
                            self.assertNotIn(b"SECRET-NOTE-FILE", response.content)
                            self.assertIn(response.status_code, (200, 403, 404))
                            if response.status_code == 200:
                                # the login page, never the file
                                self.assertIn(b"login", response.content)
        self.authenticate("pp_portal_a", "pp_portal_a")
        page = self.url_open(f"/my/conventions/{self.convention_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("note_interne_budget.pdf", page.text)
        # the file sent to the operator in a message is its document
        self.assertIn("courrier_operateur.pdf", page.text)
        response = self.url_open(
            f"/my/conventions/{self.convention_a.id}/attachment/{self.sent_file.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF-1.4 sent")

    def _call_kw(self, model, method, args, kwargs=None):
        return self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()

    @mute_logger("odoo.http")
    def test_operator_over_json_rpc(self):
        self.convention_a.notes = "<p>Opérateur fragile</p>"
        review = _tier_review(self.env)
        self.authenticate("pp_portal_a", "pp_portal_a")
        context = {"install_mode": True, "_force_unlink": True}
        reply = self._call_kw(
            "nm.convention",
            "read",
            [[self.convention_a.id], ["notes"]],
            {"context": context},
        )
        self.assertIn("error", reply)
        self.assertNotIn("fragile", json.dumps(reply))
        reply = self._call_kw(
            "nm.convention",
            "web_read",
            [[self.convention_a.id]],
            {"specification": {"notes": {}}, "context": context},
        )
        self.assertIn("error", reply)
        self.assertNotIn("fragile", json.dumps(reply))
        reply = self._call_kw(
            "tier.review",
            "search_read",
            [[]],
            {"fields": ["done_by", "status"], "context": context},
        )
        self.assertIn("error", reply)
        self.assertNotIn("result", reply)
        reply = self._call_kw(
            "tier.review", "read", [review.ids, ["done_by"]], {"context": context}
        )
        self.assertIn("error", reply)
        reply = self._call_kw(
            "nm.progress.measure",
            "unlink",
            [self.measure_b.ids],
            {"context": context},
        )
        self.assertIn("error", reply)
        self.assertTrue(self.measure_b.exists())
