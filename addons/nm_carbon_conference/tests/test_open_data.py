# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import csv
import io
import json
import os
import tempfile

from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import ConferenceCase
from .test_reports import plain

SCHEMA = "nm_carbon_conference/static/open_data/schema.json"


@tagged("post_install", "-at_install")
class TestOpenData(ConferenceCase):
    def test_csv_validates_against_its_schema(self):
        import frictionless

        content = self.budget._nm_open_data_csv()
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "budget_carbone.csv")
            with open(path, "wb") as out:
                out.write(content)
            with open(file_path(SCHEMA), encoding="utf-8") as schema_file:
                schema = frictionless.Schema.from_descriptor(json.load(schema_file))
            self.assertTrue(all(field.title for field in schema.fields))
            resource = frictionless.Resource(
                path="budget_carbone.csv",
                basepath=folder,
                schema=schema,
                encoding="utf-8",
                format="csv",
            )
            report = resource.validate()
            self.assertTrue(report.valid, report.flatten(["type", "note"]))
            self.assertEqual(report.tasks[0].stats["rows"], 3)

    def test_csv_figures_equal_the_budget_lines(self):
        content = self.budget._nm_open_data_csv()
        self.assertFalse(content.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
        self.assertEqual(
            list(rows[0]),
            [
                "annee",
                "collectivite",
                "budget",
                "date_debut",
                "date_fin",
                "direction",
                "poste",
                "enveloppe_kgco2e",
                "realise_kgco2e",
                "ecart_kgco2e",
            ],
        )
        by_key = {(row["direction"], row["poste"]): row for row in rows}
        expected = {
            ("Culture (test)", "Prestations (test)"): (40000.0, 35000.0),
            ("Culture (test)", "Mobilité (test)"): (20000.0, 12000.0),
            ("Patrimoine (test)", "Prestations (test)"): (30000.0, 0.0),
        }
        self.assertEqual(set(by_key), set(expected))
        for line in (
            self.line_culture_services,
            self.line_culture_mobility,
            self.line_property_services,
        ):
            row = by_key[(line.analytic_account_id.name, line.general_budget_id.name)]
            self.assertEqual(float(row["enveloppe_kgco2e"]), line.planned_carbon_kg)
            self.assertEqual(float(row["realise_kgco2e"]), line.practical_carbon_kg)
            self.assertEqual(
                (line.planned_carbon_kg, line.practical_carbon_kg),
                expected[(line.analytic_account_id.name, line.general_budget_id.name)],
            )
            self.assertEqual(row["date_debut"], "2026-01-01")
            self.assertEqual(row["date_fin"], "2026-12-31")
            self.assertEqual(row["annee"], "2026")
        row = by_key[("Culture (test)", "Prestations (test)")]
        self.assertEqual(row["realise_kgco2e"], "35000.0000")
        self.assertEqual(row["ecart_kgco2e"], "5000.0000")

    def test_download_and_public_summary(self):
        user = self._role("conf_agent", "user")
        action = self.budget.with_user(user).action_nm_open_data_csv()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertEqual(attachment.mimetype, "text/csv")
        self.assertEqual(
            base64.b64decode(attachment.datas), self.budget._nm_open_data_csv()
        )
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["nm_carbon_conference"], ["fr_FR"], overwrite=True
        )
        report = self.env.ref("nm_carbon_conference.report_open_data_summary")
        html, _kind = (
            self.env["ir.actions.report"]
            .with_context(lang="fr_FR")
            ._render_qweb_html(report.report_name, self.budget.ids)
        )
        text = plain(html)
        self.assertIn("Budget carbone et son exécution – Budget 2026 (test)", text)
        # 90,000 kg planned, 47,000 booked
        self.assertIn("90,0 tCO2e", text)
        self.assertIn("47,0 tCO2e", text)
        self.assertIn("35 000", text)
