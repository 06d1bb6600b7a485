# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The rules of a submission live in ``_submit_measures``: the portal form only
reads numbers and files, and shows the model's message."""

from markupsafe import escape

from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..tools.progress import MAX_EVIDENCE_FILES
from .common import setup_progress_fixtures

PDF = b"%PDF-1.4 evidence"
# (rule, value typed, comment, files, message); the bike share's clause
RULES = [
    ("a comment alone", "", "pas encore mesuré", [], "a comment or a file alone"),
    ("a file alone", "", "", [("enquete.pdf", PDF)], "a comment or a file alone"),
    (
        "too many files",
        "27,5",
        "",
        [(f"preuve_{i}.pdf", PDF) for i in range(MAX_EVIDENCE_FILES + 1)],
        f"Send at most {MAX_EVIDENCE_FILES} files",
    ),
    ("a file of no accepted kind", "27,5", "", [("virus.exe", b"MZ")], "not accepted"),
    ("a share over 100 %", "140", "", [], "cannot be more than 100"),
    ("a negative share", "-3", "", [], "cannot be negative"),
    ("nothing at all", "", "", [], "Enter at least one value"),
]


@tagged("post_install", "-at_install")
class TestProgressRules(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_progress_fixtures(cls)
        cls.clause_bike = cls.convention_a.clause_ids.filtered(
            lambda c: c.indicator_unit == "%"
        )
        cls.review_url = (
            f"/my/conventions/{cls.convention_a.id}/review/{cls.review_a.id}/submit"
        )

    def _model_refusal(self, typed, comment, files):
        value = float(typed.replace(",", ".")) if typed else None
        with self.assertRaises(UserError) as caught:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                self.review_a._submit_measures(
                    [
                        {
                            "clause": self.clause_bike,
                            "value": value,
                            "comment": comment,
                            "evidence": files,
                        }
                    ],
                    user=self.portal_a,
                )
        return caught.exception.args[0]

    def test_portal_refuses_what_the_model_refuses(self):
        self.authenticate("pp_portal_a", "pp_portal_a")
        Measure = self.env["nm.progress.measure"]
        for name, typed, comment, files, message in RULES:
            with self.subTest(rule=name):
                expected = self._model_refusal(typed, comment, files)
                self.assertIn(message, expected)
                count = Measure.search_count([])
                response = self.url_open(
                    self.review_url,
                    data={
                        "csrf_token": Request.csrf_token(self),
                        f"value_{self.clause_bike.id}": typed,
                        f"comment_{self.clause_bike.id}": comment,
                    },
                    files=[(f"evidence_{self.clause_bike.id}", f) for f in files],
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn(str(escape(expected)), response.text)
                self.assertEqual(Measure.search_count([]), count)
                self.review_a.invalidate_recordset()
                self.assertEqual(self.review_a.state, "open")

    def test_model_accepts_what_the_portal_accepts(self):
        """An indicator left empty is skipped, the others recorded: 27,5 %."""
        measures = self.review_a._submit_measures(
            [
                {
                    "clause": self.clause_bike,
                    "value": 27.5,
                    "evidence": [("a.pdf", PDF)],
                },
                {"clause": self.convention_a.clause_ids[1], "value": None},
            ],
            user=self.portal_a,
        )
        self.assertEqual(measures.clause_id, self.clause_bike)
        self.assertEqual(measures.value, 27.5)
        self.assertEqual(measures.evidence_attachment_ids.mapped("name"), ["a.pdf"])
        self.assertEqual(measures.evidence_attachment_ids.res_id, measures.id)
        self.assertEqual(self.review_a.state, "submitted")
