# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import date

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

HEADER = [
    "Type Ligne",
    "Identifiant de l'élément",
    "Structure",
    "Type de l'élément",
    "Statut de l'élément",
    "Nom base français",
    "Nom base anglais",
    "Nom attribut français",
    "Nom frontière français",
    "Code de la catégorie",
    "Tags français",
    "Unité français",
    "Contributeur",
    "Source",
    "Localisation géographique",
    "Date de création",
    "Date de modification",
    "Période de validité",
    "Incertitude",
    "Commentaire français",
    "Type poste",
    "Nom poste français",
    "Total poste non décomposé",
    "CO2f",
    "CH4f",
    "N2O",
]


def ademe_csv(rows):
    """A file in the layout of ADEME's export: French headers, ';', decimal comma."""
    lines = [";".join(f'"{h}"' for h in HEADER)]
    for row in rows:
        values = {h: "" for h in HEADER}
        values.update(row)
        lines.append(";".join(f'"{values[h]}"' for h in HEADER))
    return base64.b64encode("\r\n".join(lines).encode("utf-8"))


def element(
    ident,
    name,
    unit,
    total,
    modified="01/10/2025",
    status="Valide générique",
    uncertainty="10",
):
    return {
        "Type Ligne": "Elément",
        "Identifiant de l'élément": ident,
        "Statut de l'élément": status,
        "Nom base français": name,
        "Unité français": unit,
        "Total poste non décomposé": total,
        "Date de modification": modified,
        "Incertitude": uncertainty,
        "Source": "Base Empreinte",
    }


@tagged("post_install", "-at_install")
class TestAdemeImport(TransactionCase):
    def _import(self, rows, **extra):
        wizard = self.env["nm.emission.factor.import"].create(
            {"data_file": ademe_csv(rows), "filename": "base.csv", **extra}
        )
        wizard.action_import()
        return wizard

    def _factors(self, ident):
        return (
            self.env["nm.emission.factor"]
            .with_context(active_test=False)
            .search([("code", "=", f"ADEME-{ident}")], order="date_start")
        )

    def test_import_reads_french_layout(self):
        rows = [
            element("99001", "TGV test", "kgCO2e/passager.km", "0,00293"),
            {
                "Type Ligne": "Poste",
                "Identifiant de l'élément": "99001",
                "Total poste non décomposé": "0,001",
            },
            element(
                "99002", "Électricité test", "kgCO2e/kWh", "0,052", uncertainty="5"
            ),
            element("99003", "Ancien facteur", "kgCO2e/kWh", "1,5", status="Archivé"),
        ]
        wizard = self._import(rows)
        tgv = self._factors("99001")
        self.assertEqual(len(tgv), 1)
        self.assertAlmostEqual(tgv.value, 0.00293, 6)
        self.assertEqual(tgv.unit, "passenger_km")
        self.assertEqual(tgv.date_start, date(2025, 10, 1))
        elec = self._factors("99002")
        self.assertAlmostEqual(elec.value, 0.052, 6)
        self.assertEqual(elec.unit, "kwh")
        self.assertEqual(elec.uncertainty, 5.0)
        self.assertFalse(self._factors("99003"))
        self.assertIn("2 new factor(s)", wizard.report)

    def test_same_file_twice_changes_nothing_and_new_value_is_a_version(self):
        rows = [
            element(
                "99010",
                "Bus test",
                "kgCO2e/passager.km",
                "0,1132",
                modified="01/11/2024",
            )
        ]
        self._import(rows)
        second = self._import(rows)
        self.assertEqual(len(self._factors("99010")), 1)
        self.assertIn("1 already up to date", second.report)
        self._import(
            [
                element(
                    "99010",
                    "Bus test",
                    "kgCO2e/passager.km",
                    "0,1224",
                    modified="01/10/2025",
                )
            ]
        )
        versions = self._factors("99010")
        self.assertEqual(versions.mapped("value"), [0.1132, 0.1224])
        self.assertEqual(versions[0].date_end, date(2025, 9, 30))

    def test_unreadable_rows_are_reported_and_nothing_half_imported(self):
        rows = [
            element("99020", "Bon", "kgCO2e/kWh", "0,1"),
            element("99021", "Valeur illisible", "kgCO2e/kWh", "beaucoup"),
            element("99022", "Unité inconnue", "kgCO2e/parsec", "2,0"),
        ]
        with self.assertRaisesRegex(UserError, "Line 3 .*not a number") as caught:
            self._import(rows)
        self.assertIn("parsec", str(caught.exception))
        self.assertFalse(self._factors("99020"))
        wizard = self._import(rows, import_valid_rows=True)
        self.assertEqual(len(self._factors("99020")), 1)
        self.assertFalse(self._factors("99021"))
        self.assertIn("2 row(s) left out", wizard.report)

    def test_not_an_ademe_file(self):
        wizard = self.env["nm.emission.factor.import"].create(
            {"data_file": base64.b64encode(b"a,b,c\n1,2,3\n"), "filename": "x.csv"}
        )
        with self.assertRaisesRegex(UserError, "not an ADEME"):
            wizard.action_import()
