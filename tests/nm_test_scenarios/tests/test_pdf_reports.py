# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every PDF report of our addons prints a PDF (wkhtmltopdf, installed by ./nm), in
French, on a record of the demo city (the test database is installed with demo)."""

import shutil

from odoo.tests import HttpCase, tagged

# Printed per direction, several documents in one PDF, which Odoo refuses with a
# wkhtmltopdf built without patched Qt (Debian's): its test prints a direction head's
# single letter (nm_carbon_conference/tests/test_reports.py::test_pdfs).
SEVERAL_DOCUMENTS = {"nm_carbon_conference.report_lettre_cadrage_document"}
# Reports printed from a wizard: the wizard drawn up for the demo city
WIZARDS = {"nm.green.budget.annex": {"year": 2025}}
OUR_MODULES = (
    "nm_carbon_budget",
    "nm_mobility",
    "nm_progress_plan",
    "nm_multicapital",
    "nm_carbon_conference",
    "nm_carbon_mis",
    "nm_carbon_dashboard",
)


@tagged("post_install", "-at_install", "nm_demo")
class TestPdfReports(HttpCase):
    """An HttpCase although it opens no browser: wkhtmltopdf fetches the report's
    assets from the server while the test waits, which only an HttpCase lets the
    server answer under Odoo's own runner (it holds the registry lock during the
    other tests, so the request would wait forever)."""

    def test_every_pdf_report_prints(self):
        self.assertTrue(
            shutil.which("wkhtmltopdf"), "wkhtmltopdf is missing: ./nm installs it"
        )
        data = self.env["ir.model.data"].search(
            [("model", "=", "ir.actions.report"), ("module", "in", OUR_MODULES)]
        )
        reports = (
            self.env["ir.actions.report"]
            .browse(data.mapped("res_id"))
            .filtered(lambda r: r.report_type == "qweb-pdf")
        )
        self.assertGreaterEqual(len(reports), 5, reports.mapped("report_name"))
        self.env["res.lang"]._activate_lang("fr_FR")
        Report = self.env["ir.actions.report"].with_context(
            lang="fr_FR", force_report_rendering=True
        )
        missing, printed = [], []
        for report in reports:
            if report.report_name in SEVERAL_DOCUMENTS:
                continue
            record = self.env[report.model].search([], limit=1)
            if not record and report.model in WIZARDS:
                record = self.env[report.model].create(WIZARDS[report.model])
                record.action_compute()
            if not record:
                missing.append(report.report_name)
                continue
            with self.subTest(report=report.report_name):
                pdf, kind = Report._render_qweb_pdf(report.report_name, record.ids)
                self.assertEqual(kind, "pdf")
                self.assertTrue(pdf.startswith(b"%PDF"), report.report_name)
                printed.append(report.report_name)
        self.assertFalse(
            missing, f"no demo record to print these reports on: {missing}"
        )
