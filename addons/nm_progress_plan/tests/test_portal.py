# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.http import Request
from odoo.tests import HttpCase, JsonRpcException, tagged

from .common import setup_progress_fixtures


@tagged("post_install", "-at_install")
class TestPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_progress_fixtures(cls)
        cls.clause_bike = cls.convention_a.clause_ids.filtered(
            lambda c: c.indicator_unit == "%"
        )
        cls.clause_carbon = cls.convention_a.clause_ids.filtered(
            lambda c: c.indicator_unit == "kgCO2e"
        )
        cls.review_url = (
            f"/my/conventions/{cls.convention_a.id}/review/{cls.review_a.id}"
        )

    def _login_a(self):
        self.authenticate("pp_portal_a", "pp_portal_a")

    def _submit(self, data, files=None):
        payload = {"csrf_token": Request.csrf_token(self), **data}
        return self.url_open(self.review_url + "/submit", data=payload, files=files)

    def test_list_shows_only_own(self):
        """Acceptance 1 (list and counters)."""
        self._login_a()
        response = self.url_open("/my/conventions")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.convention_a.name, response.text)
        self.assertNotIn(self.convention_b.name, response.text)
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["nm_convention_count", "nm_review_open_count"]},
        )
        self.assertEqual(counters["nm_convention_count"], 1)
        self.assertEqual(counters["nm_review_open_count"], 1)

    def test_foreign_pages_not_found(self):
        """Acceptance 1: B's convention, review form and attachments give a
        403/404 page to A, never B's data nor a server error."""
        self._login_a()
        urls = [
            f"/my/conventions/{self.convention_b.id}",
            f"/my/conventions/{self.convention_b.id}/review/{self.review_b.id}",
            f"/my/conventions/{self.convention_a.id}/review/{self.review_b.id}",
            f"/my/conventions/{self.convention_b.id}?report_type=pdf",
            f"/web/content/{self.attachment_b.id}?download=true",
            f"/web/content/{self.doc_b.id}?download=true",
            f"/my/conventions/{self.convention_b.id}/attachment/{self.attachment_b.id}",
            f"/my/conventions/{self.convention_a.id}/attachment/{self.attachment_b.id}",
            f"/my/conventions/{self.convention_a.id}/attachment/{self.doc_b.id}",
            "/my/conventions/999999",
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertIn(response.status_code, (403, 404))
                self.assertNotIn("B's secret figure", response.text)
                self.assertNotIn("Convention B", response.text)
                self.assertNotIn("B data", response.text)
        # posting to B's review is refused too, and writes nothing
        response = self.url_open(
            f"/my/conventions/{self.convention_b.id}/review/{self.review_b.id}/submit",
            data={
                "csrf_token": Request.csrf_token(self),
                f"value_{self.convention_b.clause_ids[0].id}": "5",
            },
        )
        self.assertIn(response.status_code, (403, 404))
        self.assertEqual(len(self.review_b.measure_ids), 1)

    def test_own_pages(self):
        self._login_a()
        response = self.url_open(f"/my/conventions/{self.convention_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Venue des publics à vélo", response.text)
        # the authority's commitment is shown on the convention page
        self.assertIn("Navettes les soirs de concert", response.text)
        response = self.url_open(self.review_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'name="value_{self.clause_bike.id}"', response.text)
        # no input for the authority's own commitment
        shuttles = self.convention_a.clause_ids.filtered(
            lambda c: c.committer == "authority"
        )
        self.assertNotIn(f'name="value_{shuttles.id}"', response.text)
        # the documents shared with the operator are listed and downloadable
        # through the convention (a file merely attached to it is not shared)
        doc_a = self.env["ir.attachment"].create(
            {
                "name": "convention_a_signee.pdf",
                "raw": b"%PDF-1.4 signed A",
                "res_model": "nm.convention",
                "res_id": self.convention_a.id,
            }
        )
        self.convention_a.shared_document_ids = doc_a
        response = self.url_open(f"/my/conventions/{self.convention_a.id}")
        self.assertIn("convention_a_signee.pdf", response.text)
        response = self.url_open(
            f"/my/conventions/{self.convention_a.id}/attachment/{doc_a.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF-1.4 signed A")

    def test_submit_with_evidence(self):
        """Acceptance 2: measures and attachment exist, the authority is notified."""
        self._login_a()
        response = self._submit(
            {
                f"value_{self.clause_bike.id}": "27,5",
                f"comment_{self.clause_bike.id}": "<script>alert(1)</script>",
                f"value_{self.clause_carbon.id}": "950",
                "comment": "Premier trimestre",
            },
            files=[
                (f"evidence_{self.clause_bike.id}", ("enquete.pdf", b"%PDF-1.4 A")),
                (f"evidence_{self.clause_bike.id}", ("releve.csv", b"jour;velos\n")),
            ],
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(
            response.url.endswith(
                f"/my/conventions/{self.convention_a.id}?success=submitted"
            )
        )
        self.review_a.invalidate_recordset()
        self.assertEqual(self.review_a.state, "submitted")
        measures = self.review_a.measure_ids
        self.assertEqual(
            sorted((m.clause_id.id, m.value) for m in measures),
            sorted([(self.clause_bike.id, 27.5), (self.clause_carbon.id, 950.0)]),
        )
        bike = measures.filtered(lambda m: m.clause_id == self.clause_bike)
        self.assertEqual(bike.submitted_by_id, self.portal_a)
        self.assertEqual(
            sorted(bike.evidence_attachment_ids.mapped("name")),
            ["enquete.pdf", "releve.csv"],
        )
        attachment = bike.evidence_attachment_ids.filtered(
            lambda a: a.name == "enquete.pdf"
        )
        self.assertEqual(attachment.name, "enquete.pdf")
        self.assertEqual(attachment.res_model, "nm.progress.measure")
        self.assertEqual(attachment.res_id, bike.id)
        self.assertEqual(attachment.raw, b"%PDF-1.4 A")
        self.assertEqual(self.review_a.operator_comment, "Premier trimestre")
        # the culture officer is notified
        notified = self.review_a.message_ids.filtered(
            lambda m: self.manager.partner_id in m.partner_ids
        )
        self.assertTrue(notified)
        # A can download its own evidence; the comment is escaped on the page
        response = self.url_open(
            f"/my/conventions/{self.convention_a.id}/attachment/{attachment.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF-1.4 A")
        response = self.url_open(self.review_url)
        self.assertIn("releve.csv", response.text)
        self.assertNotIn("<script>alert(1)</script>", response.text)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", response.text)

    def test_submit_refused(self):
        """Acceptance 2: a non-numeric value or a closed review is refused with a
        message and writes nothing."""
        self._login_a()
        Attachment = self.env["ir.attachment"]
        attachments_before = Attachment.search_count(
            [("res_model", "=", "nm.progress.measure")]
        )
        response = self._submit(
            {
                f"value_{self.clause_bike.id}": "30",
                f"value_{self.clause_carbon.id}": "beaucoup",
            },
            files={f"evidence_{self.clause_bike.id}": ("enquete.pdf", b"%PDF-1.4 A")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not a number", response.text)
        self.assertIn("beaucoup", response.text)
        self.review_a.invalidate_recordset()
        self.assertFalse(self.review_a.measure_ids)
        self.assertEqual(self.review_a.state, "open")
        # a forbidden file type
        response = self._submit(
            {f"value_{self.clause_bike.id}": "30"},
            files={f"evidence_{self.clause_bike.id}": ("macro.exe", b"MZ")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("macro.exe", response.text)
        self.assertFalse(self.review_a.measure_ids)
        self.assertEqual(
            Attachment.search_count([("res_model", "=", "nm.progress.measure")]),
            attachments_before,
        )
        # too many files for one indicator
        response = self._submit(
            {f"value_{self.clause_bike.id}": "30"},
            files=[
                (f"evidence_{self.clause_bike.id}", (f"piece{i}.pdf", b"%PDF-1.4"))
                for i in range(6)
            ],
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Send at most 5 files", response.text)
        self.assertFalse(self.review_a.measure_ids)
        self.assertEqual(
            Attachment.search_count([("res_model", "=", "nm.progress.measure")]),
            attachments_before,
        )
        # a closed review (put so directly: a state only the workflow writes)
        self.review_a.sudo().state = "done"
        response = self._submit({f"value_{self.clause_bike.id}": "30"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("This review is not open", response.text)
        self.review_a.invalidate_recordset()
        self.assertFalse(self.review_a.measure_ids)

    def test_accept_adjustment_on_portal(self):
        adjustment = (
            self.env["nm.progress.adjustment"]
            .with_user(self.manager)
            .create(
                {
                    "clause_id": self.clause_bike.id,
                    "new_target": 35.0,
                    "reason": "Parvis en travaux",
                }
            )
        )
        self._login_a()
        response = self.url_open(f"/my/conventions/{self.convention_a.id}")
        self.assertIn("Parvis en travaux", response.text)
        response = self.url_open(
            f"/my/conventions/{self.convention_a.id}/adjustment/{adjustment.id}/accept",
            data={"csrf_token": Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 200)
        self.clause_bike.invalidate_recordset()
        self.assertEqual(self.clause_bike.target, 35.0)
        self.assertEqual(adjustment.state, "applied")
        self.assertEqual(adjustment.operator_user_id, self.portal_a)

    def test_tour_submit_review(self):
        """Acceptance 3: an operator opens the review and submits it in Chromium."""
        # the subject of a signed convention is frozen: set it as the server would
        self.convention_a.sudo().title = "Tour convention"
        self.start_tour("/my", "nm_progress_plan_portal_review", login="pp_portal_a")
        self.review_a.invalidate_recordset()
        self.assertEqual(self.review_a.state, "submitted")
        self.assertEqual(self.review_a.measure_ids.mapped("value"), [42.5])

    def test_messages_on_own_convention_only(self):
        """The operator follows its signed convention and writes to the culture
        direction from the portal chatter, never on another operator's."""
        self.assertIn(self.operator_a, self.convention_a.message_partner_ids)
        self._login_a()
        response = self.url_open(f"/my/conventions/{self.convention_a.id}")
        self.assertIn('data-res_model="nm.convention"', response.text)
        result = self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "nm.convention",
                "thread_id": self.convention_a.id,
                "post_data": {
                    "body": "Question sur la clause vélo",
                    "message_type": "comment",
                },
            },
        )
        message = self.env["mail.message"].browse(result["message_id"])
        self.assertEqual(message.model, "nm.convention")
        self.assertEqual(message.res_id, self.convention_a.id)
        self.assertEqual(message.author_id, self.portal_a.partner_id)
        count_b = len(self.convention_b.message_ids)
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "nm.convention",
                    "thread_id": self.convention_b.id,
                    "post_data": {"body": "Intrus", "message_type": "comment"},
                },
            )
        self.convention_b.invalidate_recordset()
        self.assertEqual(len(self.convention_b.message_ids), count_b)

    def test_final_assessment_on_portal(self):
        self._login_a()
        url = f"/my/conventions/{self.convention_a.id}?report_type=html"
        # no assessment before the final assessment
        self.assertEqual(self.url_open(url).status_code, 404)
        self.convention_a.action_start_assessment()
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("Venue des publics à vélo", html)
        self.assertIn(self.convention_a.name, html)

    def test_decline_adjustment_on_portal(self):
        adjustment = (
            self.env["nm.progress.adjustment"]
            .with_user(self.manager)
            .create(
                {
                    "clause_id": self.clause_bike.id,
                    "new_target": 30.0,
                    "reason": "Baisse de fréquentation",
                }
            )
        )
        self._login_a()
        response = self.url_open(
            f"/my/conventions/{self.convention_a.id}/adjustment/{adjustment.id}/refuse",
            data={"csrf_token": Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(adjustment.state, "refused")
        self.clause_bike.invalidate_recordset()
        self.assertEqual(self.clause_bike.target, 40.0)
        told = self.convention_a.message_ids.filtered(
            lambda m: self.manager.partner_id in m.partner_ids
        )
        self.assertTrue(told)
        # B's operator cannot answer A's proposal
        adjustment_2 = self.env["nm.progress.adjustment"].create(
            {"clause_id": self.clause_bike.id, "new_target": 35.0, "reason": "x"}
        )
        self.authenticate("pp_portal_b", "pp_portal_b")
        response = self.url_open(
            f"/my/conventions/{self.convention_a.id}/adjustment/{adjustment_2.id}/accept",
            data={"csrf_token": Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(adjustment_2.state, "proposed")
