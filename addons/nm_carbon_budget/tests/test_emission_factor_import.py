# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""ADEME's files as ADEME publishes them: the CSV export of base-empreinte.ademe.fr
(67 columns, French headers with spaces, Windows-1252, ";" and decimal comma) and the
data.ademe.fr API export (the same columns with underscores, UTF-8, "," and decimal
point). Column names as the two exports write them (the API dataset
"base-carboner" of data.ademe.fr)."""

import base64
from datetime import date

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

API_COLUMNS = [
    "Type_Ligne",
    "Identifiant_de_l'élément",
    "Structure",
    "Type_de_l'élément",
    "Statut_de_l'élément",
    "Nom_base_français",
    "Nom_base_anglais",
    "Nom_base_espagnol",
    "Nom_attribut_français",
    "Nom_attribut_anglais",
    "Nom_attribut_espagnol",
    "Nom_frontière_français",
    "Nom_frontière_anglais",
    "Nom_frontière_espagnol",
    "Code_de_la_catégorie",
    "Tags_français",
    "Tags_anglais",
    "Tags_espagnol",
    "Unité_français",
    "Unité_anglais",
    "Unité_espagnol",
    "Contributeur",
    "Autres_Contributeurs",
    "Programme",
    "Url_du_programme",
    "Source",
    "Localisation_géographique",
    "Sous-localisation_géographique_français",
    "Sous-localisation_géographique_anglais",
    "Sous-localisation_géographique_espagnol",
    "Date_de_création",
    "Date_de_modification",
    "Période_de_validité",
    "Incertitude",
    "Réglementations",
    "Transparence",
    "Qualité",
    "Qualité_TeR",
    "Qualité_GR",
    "Qualité_TiR",
    "Qualité_C",
    "Qualité_P",
    "Qualité_M",
    "Commentaire_français",
    "Commentaire_anglais",
    "Commentaire_espagnol",
    "Type_poste",
    "Nom_poste_français",
    "Nom_poste_anglais",
    "Nom_poste_espagnol",
    "Total_poste_non_décomposé",
    "CO2f",
    "CH4f",
    "CH4b",
    "N2O",
    "Code_gaz_supplémentaire_1",
    "Valeur_gaz_supplémentaire_1",
    "Code_gaz_supplémentaire_2",
    "Valeur_gaz_supplémentaire_2",
    "Code_gaz_supplémentaire_3",
    "Valeur_gaz_supplémentaire_3",
    "Code_gaz_supplémentaire_4",
    "Valeur_gaz_supplémentaire_4",
    "Code_gaz_supplémentaire_5",
    "Valeur_gaz_supplémentaire_5",
    "Autres_GES",
    "CO2b",
]
CSV_COLUMNS = [column.replace("_", " ") for column in API_COLUMNS]


def csv_export(rows):
    """Base Empreinte CSV export: spaces, ';', decimal comma, Windows-1252."""
    lines = [";".join(f'"{h}"' for h in CSV_COLUMNS)]
    for row in rows:
        values = dict.fromkeys(CSV_COLUMNS, "")
        values.update(row)
        lines.append(";".join(f'"{values[h]}"' for h in CSV_COLUMNS))
    return base64.b64encode("\r\n".join(lines).encode("cp1252"))


def api_export(rows):
    """data.ademe.fr export: underscores, ',', decimal point, UTF-8."""
    lines = [",".join(f'"{h}"' for h in API_COLUMNS)]
    for row in rows:
        values = dict.fromkeys(API_COLUMNS, "")
        for key, value in row.items():
            if key in ("Total poste non décomposé", "Incertitude"):
                value = value.replace(",", ".")
            elif key.startswith("Date") and value:
                day, month, year = value.split("/")
                value = f"{year}-{month}-{day}"  # ISO dates in the API export
            values[key.replace(" ", "_")] = value
        lines.append(",".join(f'"{values[h]}"' for h in API_COLUMNS))
    return base64.b64encode("\n".join(lines).encode("utf-8"))


def element(ident, name, unit, total, **extra):
    row = {
        "Type Ligne": "Elément",
        "Identifiant de l'élément": ident,
        "Type de l'élément": "Facteur d'émission",
        "Statut de l'élément": "Valide générique",
        "Nom base français": name,
        "Unité français": unit,
        "Total poste non décomposé": total,
        "Date de création": "01/10/2025",
        "Date de modification": "01/10/2025",
        "Période de validité": "31/12/2026",
        "Incertitude": "10",
        "Localisation géographique": "France continentale",
        "Source": "Base Empreinte",
    }
    row.update(extra)
    return row


def breakdown(ident, post, total):
    return {
        "Type Ligne": "Poste",
        "Identifiant de l'élément": ident,
        "Type de l'élément": "Facteur d'émission",
        "Statut de l'élément": "Valide générique",
        "Type poste": post,
        "Nom poste français": post,
        "Total poste non décomposé": total,
    }


def sample_rows():
    """A small file with every kind of row, counted by hand:

    - 4 valid factor elements: 99001 (Valide générique, with 2 breakdown rows),
      99002 (Valide spécifique, kWh PCI), 99003 (tonne.km), 99004 (k€);
    - 3 breakdown rows: 2 of 99001, 1 of 99050 (a source data element);
    - 1 source data element (99050, "Données source");
    - 1 archived element (99060) that nobody has here;
    - 1 factor in m² (99070), a unit the product does not have.
    """
    return [
        element("99001", "Gazole routier (test)", "kgCO2e/litre", "3,16"),
        breakdown("99001", "Combustion", "2,51"),
        breakdown("99001", "Amont", "0,65"),
        element(
            "99002",
            "Gaz naturel (test)",
            "kgCO2e/kWh PCI",
            "0,227",
            **{"Statut de l'élément": "Valide spécifique", "Incertitude": "5"},
        ),
        element("99003", "Camion articulé (test)", "kgCO2e/tonne.km", "0,0847"),
        element("99004", "Conseil (test)", "kgCO2e/k€", "67"),
        element(
            "99050",
            "Donnée source (test)",
            "kgCO2e/kWh",
            "1,0",
            **{"Type de l'élément": "Données source"},
        ),
        breakdown("99050", "Combustion", "0,9"),
        element(
            "99060",
            "Ancien facteur (test)",
            "kgCO2e/kWh",
            "1,5",
            **{"Statut de l'élément": "Archivé"},
        ),
        element("99070", "Béton (test)", "kgCO2e/m²", "300"),
    ]


@tagged("post_install", "-at_install")
class TestAdemeImport(TransactionCase):
    def _import(self, data_file, **extra):
        wizard = self.env["nm.emission.factor.import"].create(
            {"data_file": data_file, "filename": "base.csv", **extra}
        )
        wizard.action_import()
        return wizard

    def _factors(self, ident):
        return (
            self.env["nm.emission.factor"]
            .with_context(active_test=False)
            .search([("code", "=", ident)], order="date_start")
        )

    def _check_sample(self, wizard):
        diesel = self._factors("99001")
        self.assertEqual(len(diesel), 1)
        self.assertAlmostEqual(diesel.value, 3.16, 6)
        self.assertEqual((diesel.unit, diesel.date_start), ("l", date(2025, 10, 1)))
        self.assertIn("Breakdown: Combustion: 2.51; Amont: 0.65", diesel.note)
        gas = self._factors("99002")
        self.assertEqual((gas.unit, gas.uncertainty), ("kwh", 5.0))
        self.assertAlmostEqual(gas.value, 0.227, 6)
        self.assertEqual(self._factors("99003").unit, "tonne_km")
        ratio = self._factors("99004")
        self.assertEqual((ratio.unit, ratio.factor_type), ("keur", "monetary"))
        for ident in ("99050", "99060", "99070"):
            self.assertFalse(self._factors(ident), ident)
        # breakdown rows are no factors
        self.assertEqual(
            self.env["nm.emission.factor"].search_count(
                [("code", "in", ["99001", "99002", "99003", "99004"])]
            ),
            4,
        )
        report = wizard.report
        for line in (
            "4 factor element(s) read:",
            "  4 new factor(s)",
            "  0 new version(s)",
            "2 breakdown row(s) kept as the detail of their factor",
            "1 breakdown row(s) without an imported factor",
            "1 source data row(s) ignored",
            "1 archived element(s):",
            "  0 ended the validity of their factor",
            "  1 skipped (no such factor here)",
            "1 factor(s) skipped, unit not supported: kgCO2e/m²",
        ):
            self.assertIn(line, report.splitlines())

    def test_base_empreinte_csv_export(self):
        self._check_sample(self._import(csv_export(sample_rows())))

    def test_data_ademe_api_export(self):
        self._check_sample(self._import(api_export(sample_rows())))

    def test_67_columns(self):
        self.assertEqual(len(API_COLUMNS), 67)

    def test_new_value_is_a_version_archive_ends_it_same_file_changes_nothing(self):
        rows = [
            element(
                "99010",
                "Bus test",
                "kgCO2e/passager.km",
                "0,1132",
                **{"Date de modification": "01/11/2024"},
            )
        ]
        self._import(csv_export(rows))
        second = self._import(csv_export(rows))
        self.assertEqual(len(self._factors("99010")), 1)
        self.assertIn("  1 already up to date", second.report.splitlines())
        self._import(
            api_export([element("99010", "Bus test", "kgCO2e/passager.km", "0,1224")])
        )
        versions = self._factors("99010")
        self.assertEqual(versions.mapped("value"), [0.1132, 0.1224])
        self.assertEqual(versions[0].date_end, date(2025, 9, 30))
        self.assertEqual(versions[1].date_start, date(2025, 10, 1))
        archive = self._import(
            csv_export(
                [
                    element(
                        "99010",
                        "Bus test",
                        "kgCO2e/passager.km",
                        "0,1224",
                        **{
                            "Statut de l'élément": "Archivé",
                            "Date de modification": "15/03/2026",
                        },
                    )
                ]
            )
        )
        self.assertEqual(self._factors("99010")[1].date_end, date(2026, 3, 15))
        self.assertIn(
            "  1 ended the validity of their factor", archive.report.splitlines()
        )

    def test_unreadable_rows_are_reported_and_nothing_half_imported(self):
        rows = [
            element("99020", "Bon", "kgCO2e/kWh", "0,1"),
            element("99021", "Valeur illisible", "kgCO2e/kWh", "beaucoup"),
            element("99022", "Pas un nombre fini", "kgCO2e/kWh", "nan"),
            element("99023", "Infini", "kgCO2e/kWh", "inf"),
        ]
        with self.assertRaisesRegex(UserError, "Line 3 .*not a number") as caught:
            self._import(csv_export(rows))
        self.assertIn("Line 4 (99022)", str(caught.exception))
        self.assertIn("Line 5 (99023)", str(caught.exception))
        self.assertFalse(self._factors("99020"))
        wizard = self._import(csv_export(rows), import_valid_rows=True)
        self.assertEqual(len(self._factors("99020")), 1)
        for ident in ("99021", "99022", "99023"):
            self.assertFalse(self._factors(ident))
        self.assertIn("3 row(s) left out:", wizard.report)

    def test_not_an_ademe_file(self):
        wizard = self.env["nm.emission.factor.import"].create(
            {"data_file": base64.b64encode(b"a,b,c\n1,2,3\n"), "filename": "x.csv"}
        )
        with self.assertRaisesRegex(UserError, "not an ADEME"):
            wizard.action_import()

    def test_shipped_element_ids_take_the_import_without_duplicates(self):
        """The shipped travel factors carry their Base Empreinte element ids: ADEME's
        current file updates them instead of adding the same elements again."""
        bus = self._factors("43739")  # diesel bus: November 2024 and October 2025
        self.assertEqual(len(bus), 2)
        tgv = self._factors("43256")
        self.assertEqual(len(tgv), 1)
        rows = [
            element("43739", "Bus thermique", "kgCO2e/passager.km", "0,1224"),
            element("43256", "TGV", "kgCO2e/passager.km", "0,00293"),
            # the diesel bus element of November 2024, archived by ADEME
            element(
                "28004",
                "Bus thermique",
                "kgCO2e/passager.km",
                "0,1132",
                **{"Statut de l'élément": "Archivé"},
            ),
        ]
        report = self._import(csv_export(rows)).report.splitlines()
        self.assertEqual(self._factors("43739"), bus)
        self.assertEqual(self._factors("43256"), tgv)
        self.assertFalse(self._factors("28004"))
        for line in (
            "2 factor element(s) read:",
            "  0 new factor(s)",
            "  0 new version(s)",
            "  2 already up to date",
            "  1 skipped (no such factor here)",
        ):
            self.assertIn(line, report)
        # a new value of the element is a version of the shipped factor
        self._import(
            csv_export(
                [
                    element(
                        "43256",
                        "TGV",
                        "kgCO2e/passager.km",
                        "0,0031",
                        **{"Date de modification": "01/01/2027"},
                    )
                ]
            )
        )
        versions = self._factors("43256")
        self.assertEqual(versions.mapped("value"), [0.00293, 0.0031])
        self.assertEqual(versions[0], tgv)
        self.assertEqual(tgv.date_end, date(2026, 12, 31))
        self.assertEqual(versions[1].date_start, date(2027, 1, 1))
