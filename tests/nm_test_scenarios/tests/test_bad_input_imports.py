# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bad input in a spreadsheet import of capital entries (Odoo's import, which calls
``load``): each bad row is reported with its field, and the good rows of the same
file are not written either."""

import base64

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.nm_carbon_budget.tests.common import NmFixtures

FIELDS = ["capital_id", "analytic_account_id", "date", "quantity", "name"]


@tagged("post_install", "-at_install")
class TestCapitalEntryImport(NmFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site = cls._nm_directions(
            cls._nm_plan("Sites (import)"), "Parc des Rives (import)"
        )
        cls.water = cls.env.ref("nm_multicapital.nm_capital_water")
        cls.climate = cls.env.ref("nm_multicapital.nm_capital_climate")

    def _load(self, rows):
        Entry = self.env["nm.capital.entry"]
        before = Entry.search_count([])
        result = Entry.load(FIELDS, rows)
        self.assertEqual(Entry.search_count([]), before, "nothing may be written")
        self.assertFalse(result["ids"])
        return result["messages"]

    def _good_row(self):
        return [self.water.name, self.site.name, "2026-05-01", "120"]

    @mute_logger("odoo.sql_db", "odoo.models")
    def test_bad_rows_write_nothing(self):
        for row, field in (
            ([*self._good_row()[:3], "beaucoup"], "quantity"),
            ([*self._good_row()[:3], "1e309"], None),
            ([*self._good_row()[:2], "31/02/2026", "120"], "date"),
            (["Capital inconnu", *self._good_row()[1:]], "capital_id"),
            ([self.water.name, "Site inconnu", "2026-05-01", "120"], None),
        ):
            with self.subTest(row=row):
                messages = self._load([self._good_row() + ["bonne ligne"], row + ["x"]])
                self.assertTrue(messages)
                self.assertEqual(messages[0]["type"], "error")
                if field:
                    self.assertEqual(messages[0]["field"], field)

    @mute_logger("odoo.sql_db", "odoo.models")
    def test_infinite_quantity_named(self):
        for raw in ("1e309", "inf", "nan"):
            with self.subTest(raw=raw):
                messages = self._load([[*self._good_row()[:3], raw, "compteur"]])
                self.assertIn("is not a usable number", messages[0]["message"])

    @mute_logger("odoo.sql_db", "odoo.models")
    def test_carbon_capital_refused_in_import(self):
        messages = self._load(
            [
                self._good_row() + ["bonne ligne"],
                [self.climate.name, *self._good_row()[1:], "émissions"],
            ]
        )
        self.assertIn("record emissions in the carbon budget", messages[0]["message"])

    def test_good_file_is_written(self):
        result = self.env["nm.capital.entry"].load(
            FIELDS, [self._good_row() + ["relevé compteur"]]
        )
        self.assertFalse(result["messages"])
        entry = self.env["nm.capital.entry"].browse(result["ids"])
        self.assertEqual((entry.capital_id, entry.quantity), (self.water, 120.0))


@tagged("post_install", "-at_install")
class TestAdemeFileBadInput(TransactionCase):
    """Bad figures in ADEME's file: the one number parser refuses text, nan, inf and
    1e309 (which float() would take), the row is named, nothing is written."""

    HEADER = (
        '"Type Ligne";"Identifiant de l\'élément";"Type de l\'élément";'
        '"Statut de l\'élément";"Nom base français";"Unité français";'
        '"Total poste non décomposé";"Incertitude"'
    )

    def _wizard(self, total, uncertainty="10"):
        row = (
            f'"Elément";"98001";"Facteur d\'émission";"Valide générique";'
            f'"Test";"kgCO2e/kWh";"{total}";"{uncertainty}"'
        )
        data = "\r\n".join([self.HEADER, row]).encode("cp1252")
        return self.env["nm.emission.factor.import"].create(
            {"data_file": base64.b64encode(data), "filename": "base.csv"}
        )

    def test_bad_figures_write_nothing(self):
        Factor = self.env["nm.emission.factor"].with_context(active_test=False)
        for total, uncertainty in (
            ("nan", "10"),
            ("inf", "10"),
            ("1e309", "10"),
            ("-0,5", "10"),
            ("beaucoup", "10"),
            ("0,2", "nan"),
        ):
            with self.subTest(total=total, uncertainty=uncertainty):
                with self.assertRaisesRegex(UserError, "Line 2 .98001."):
                    self._wizard(total, uncertainty).action_import()
                self.assertFalse(Factor.search([("code", "=", "98001")]))

    def test_good_row_is_written(self):
        self._wizard("0,2").action_import()
        factor = self.env["nm.emission.factor"].search([("code", "=", "98001")])
        self.assertAlmostEqual(factor.value, 0.2, 6)
