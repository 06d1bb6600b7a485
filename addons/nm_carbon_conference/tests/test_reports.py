# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
import shutil
import unittest
from datetime import date

from odoo.tests import tagged

from .common import ConferenceCase


def plain(html):
    """The text of rendered HTML, spaces (including French thin and no-break
    spaces) made single ordinary spaces."""
    text = re.sub(r"<[^>]+>", " ", html.decode() if isinstance(html, bytes) else html)
    return re.sub(r"[\s\u202f\xa0]+", " ", text)


@tagged("post_install", "-at_install")
class TestReports(ConferenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["nm_carbon_budget", "nm_carbon_conference"], ["fr_FR"], overwrite=True
        )
        cls.conference = cls._conference()
        cls.conference.action_open_proposals()
        cls.services = cls._line(cls.conference, cls.dir_culture, cls.position_services)
        cls.services.proposed_kg = 12345.0
        cls.action = cls.env["nm.decarbonation.action"].create(
            {
                "name": "Isoler la médiathèque",
                "direction_id": cls.dir_culture.id,
                "conference_line_id": cls.services.id,
                "budget_line_id": cls.line_culture_services.id,
                "reduction_kg": 4500.0,
                "uncertainty": 30.0,
                "cost": 25000.0,
                "user_id": cls.head_culture.id,
                "state": "in_progress",
                "status_note": "Travaux commandés",
            }
        )

    def _html(self, xmlid, records, data=None, user=None):
        report = self.env.ref(xmlid)
        env = self.env(user=user or self.env.user, context={"lang": "fr_FR"})
        html, _kind = (
            self.env["ir.actions.report"]
            .with_env(env)
            ._render_qweb_html(report.report_name, records.ids, data=data)
        )
        return plain(html)

    def test_lettre_de_cadrage_in_french(self):
        text = self._html("nm_carbon_conference.report_lettre_cadrage", self.conference)
        self.assertIn("Lettre de cadrage 2027 – Culture (test)", text)
        self.assertIn("Lettre de cadrage 2027 – Patrimoine (test)", text)
        # culture: 12,345 + 18,000 proposed; the trajectory gives 36,000 + 18,000
        self.assertIn("30 345 kgCO2e", text)
        self.assertIn("54 000 kgCO2e", text)
        self.assertIn("23 655 kgCO2e en deçà", text)
        self.assertIn("Isoler la médiathèque", text)
        self.assertIn("± 30 %", text)
        # no review planned on the 2027 budget: the default quarter dates
        self.assertIn("Calendrier des revues d'exécution", text)
        self.assertIn("T1 2027 – 15/04/2027 (à confirmer)", text)
        self.assertIn("Projet", text)

    def test_lettre_calendar_reads_the_planned_reviews(self):
        self.env["nm.budget.review"].create(
            {
                "direction_ids": [(6, 0, self.dir_culture.ids)],
                "budget_id": self.budget_next.id,
                "date": date(2027, 5, 3),
                "year": 2027,
                "quarter": "1",
            }
        )
        text = self._html("nm_carbon_conference.report_lettre_cadrage", self.conference)
        self.assertIn("T1 2027 – 03/05/2027", text)

    def test_head_gets_their_own_letter_only(self):
        text = self._html(
            "nm_carbon_conference.report_lettre_cadrage",
            self.conference,
            user=self.head_culture,
        )
        self.assertIn("Culture (test)", text)
        self.assertNotIn("Patrimoine (test)", text)

    def test_status_report_in_french(self):
        text = self._html(
            "nm_carbon_conference.report_action_status",
            self.dir_culture,
            data={"year": 2027, "period": "2", "direction_ids": self.dir_culture.ids},
        )
        self.assertIn("État des mesures de décarbonation – Culture (test)", text)
        self.assertIn("T2 (mai – août) 2027", text)
        self.assertIn("Isoler la médiathèque", text)
        self.assertIn("En cours", text)
        self.assertIn("4 500", text)
        self.assertIn("± 30 %", text)
        self.assertIn("Travaux commandés", text)
        self.assertIn("Prestations (test)", text)

    def test_status_wizard_prints(self):
        wizard = (
            self.env["nm.action.status.report"]
            .with_user(self.head_culture)
            .create(
                {
                    "year": 2027,
                    "period": "3",
                    "direction_ids": [(6, 0, self.dir_culture.ids)],
                }
            )
        )
        action = wizard.action_print()
        self.assertEqual(action["data"]["period"], "3")
        self.assertEqual(
            action["report_name"], "nm_carbon_conference.report_action_status_document"
        )

    @unittest.skipUnless(shutil.which("wkhtmltopdf"), "wkhtmltopdf is not installed")
    def test_pdfs(self):
        Report = self.env["ir.actions.report"].with_context(
            lang="fr_FR", force_report_rendering=True
        )
        # one document each (Odoo's wkhtmltopdf without patched Qt prints one):
        # the culture head's own letter, one direction, one budget
        for xmlid, records, data, user in (
            (
                "nm_carbon_conference.report_lettre_cadrage",
                self.conference,
                None,
                self.head_culture,
            ),
            (
                "nm_carbon_conference.report_action_status",
                self.dir_culture,
                {"year": 2027, "period": "1", "direction_ids": self.dir_culture.ids},
                self.env.user,
            ),
            (
                "nm_carbon_conference.report_open_data_summary",
                self.budget,
                None,
                self.env.user,
            ),
        ):
            report = self.env.ref(xmlid)
            pdf, kind = Report.with_user(user)._render_qweb_pdf(
                report.report_name, records.ids, data=data
            )
            self.assertEqual(kind, "pdf")
            self.assertTrue(pdf.startswith(b"%PDF"))
