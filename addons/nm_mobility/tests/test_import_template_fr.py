# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The import template a French user downloads has French column names and a
decimal comma, and Odoo's import reads it as it is."""

from pathlib import Path

from odoo.tests import TransactionCase, tagged

from .common import TravelFixturesMixin

TEMPLATES = Path(__file__).resolve().parent.parent / "static" / "src" / "csv"


@tagged("post_install", "-at_install")
class TestImportTemplateFr(TravelFixturesMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_travel_fixtures()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"].search(
            [("name", "in", ("nm_mobility", "nm_carbon_budget"))]
        )._update_translations("fr_FR")

    def test_french_template_imports_as_is(self):
        Line = self.env["nm.travel.declaration.line"].with_user(self.user_head)
        url = Line.with_context(lang="fr_FR").get_import_templates()[0]["template"]
        self.assertTrue(url.endswith("_template_fr.csv"))
        self.assertTrue(Line.get_import_templates()[0]["template"].endswith("e.csv"))
        content = (TEMPLATES / Path(url).name).read_text(encoding="utf-8")
        header = content.splitlines()[0]
        self.assertEqual(
            header,
            "Employé;Mois;Type;Mode;km par trajet;Trajets;Aller-retour;Occupants",
        )
        self.assertIn(";4,5;", content)
        content = content.replace("Lucas Petit", self.employee_agent.name)
        importer = (
            self.env["base_import.import"]
            .with_user(self.user_head)
            .with_context(lang="fr_FR")
            .create(
                {
                    "res_model": "nm.travel.declaration.line",
                    "file": content.encode(),
                    "file_name": "modele.csv",
                    "file_type": "text/csv",
                }
            )
        )
        # what the import dialog sends for a French user
        options = {
            "quoting": '"',
            "separator": ";",
            "has_headers": True,
            "encoding": "utf-8",
            "float_decimal_separator": ",",
            "float_thousand_separator": "\u202f",
            "date_format": "%Y-%m-%d",
        }
        preview = importer.parse_preview(options)
        self.assertFalse(preview.get("error"), preview)
        fields = [
            matches[0] if matches else False
            for matches in (preview["matches"].get(i) for i in range(8))
        ]
        self.assertEqual(
            [f[0] if isinstance(f, list) else f for f in fields],
            ["employee_id", "date", "travel_type", "mode_id", "distance_km",
             "trip_count", "round_trip", "occupants"],
        )  # fmt: skip
        result = importer.execute_import(
            [f[0] if isinstance(f, list) else f for f in fields],
            preview["headers"],
            options,
        )
        self.assertFalse(result["messages"], result["messages"])
        lines = self.env["nm.travel.declaration.line"].browse(result["ids"])
        bike = lines.filtered(lambda line: line.mode_id == self.mode_bike)
        # 4,5 km × 18 trips × 2 (round trip) = 162 km
        self.assertEqual(bike.distance_km, 4.5)
        self.assertEqual(bike.travel_type, "commute")
        self.assertEqual(bike.total_km, 162.0)
        self.assertEqual(lines.declaration_id.employee_id, self.employee_agent)
