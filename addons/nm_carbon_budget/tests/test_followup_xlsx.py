# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from datetime import date

from openpyxl import load_workbook

from odoo.tests import TransactionCase, tagged

from .test_amendment import AmendmentFixtures


@tagged("post_install", "-at_install")
class TestFollowupXlsx(AmendmentFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_fixtures(cls.env)
        cls._setup_users(cls.env)
        column = cls.plan._column_name()
        Line = cls.env["account.analytic.line"]
        for account, kg, category in (
            (cls.dir_culture, 2500, cls.cat_mobility),
            (cls.dir_culture, 6000, cls.cat_energy),
            (cls.dir_property, 15000, cls.cat_energy),
        ):
            Line.create(
                {
                    "name": "Carbone (test)",
                    "date": date(2026, 3, 1),
                    column: account.id,
                    "amount": 0.0,
                    "carbon_kg": kg,
                    "carbon_category_id": category.id,
                    "carbon_source": "manual",
                }
            )
        # an applied decrease of 1 000 kg on property / energy: 60 000 -> 59 000
        amendment = cls.env["nm.carbon.amendment"].create(
            {
                "budget_id": cls.budget.id,
                "amendment_type": "decrease",
                "justification": "Chaufferie bois",
                "line_ids": [
                    (
                        0,
                        0,
                        {"budget_line_id": cls.line_property_ene.id, "delta_kg": -1000},
                    )
                ],
            }
        )
        amendment.action_submit()
        # a decrease of the total: the deliberative assembly's vote
        amendment.with_user(cls.user_approver).validate_tier()
        amendment.write(
            {"deliberation_number": "2026-007", "deliberation_date": "2026-03-12"}
        )
        amendment.action_apply()

    def _workbook(self):
        content, report_format = self.env["ir.actions.report"]._render(
            "nm_carbon_budget.report_carbon_followup_xlsx", self.budget.ids, {}
        )
        self.assertEqual(report_format, "xlsx")
        return load_workbook(io.BytesIO(content))

    def test_sheets_rows_and_totals(self):
        """Acceptance 6: the budget lines' numbers and totals that add up."""
        workbook = self._workbook()
        self.assertEqual(len(workbook.sheetnames), 3)  # summary + two directions
        summary = workbook[workbook.sheetnames[0]]
        self.assertEqual(summary.freeze_panes, "C4")
        culture = workbook["Culture (DM test)"]
        property_ = workbook["Patrimoine (DM test)"]
        header = [cell.value for cell in culture[3]]
        self.assertEqual(header[0], "Direction")
        rows = {row[1].value: row for row in culture.iter_rows(min_row=4, max_row=5)}
        energy = rows["Énergie (DM test)"]
        mobility = rows["Mobilité (DM test)"]
        # columns: C planned €, D booked €, E %, F initial, G amendments, H current,
        # I booked kg, J %, K remaining
        self.assertEqual(mobility[2].value, -20000)
        self.assertEqual(mobility[5].value, 10000)
        self.assertEqual(mobility[7].value, 10000)
        self.assertEqual(mobility[8].value, 2500)
        self.assertEqual(
            mobility[10].value, "=H4-I4" if mobility[0].row == 4 else "=H5-I5"
        )
        self.assertEqual(energy[8].value, 6000)
        self.assertTrue(energy[9].value.startswith("=IF("))
        total = list(culture.iter_rows(min_row=6, max_row=6))[0]
        self.assertEqual(total[0].value, "Total")
        self.assertEqual(total[7].value, "=SUM(H4:H5)")
        self.assertEqual(total[8].value, "=SUM(I4:I5)")
        # property energy: initial 60 000, amendments −1 000, current 59 000
        prop = {row[1].value: row for row in property_.iter_rows(min_row=4, max_row=5)}
        prop_energy = prop["Énergie (DM test)"]
        self.assertEqual(prop_energy[5].value, 60000)
        self.assertEqual(prop_energy[6].value, -1000)
        self.assertEqual(prop_energy[7].value, 59000)
        self.assertEqual(prop_energy[8].value, 15000)
        # summary: one row per direction with its sums, then formulas
        summary_rows = {
            row[0].value: row for row in summary.iter_rows(min_row=4, max_row=5)
        }
        self.assertEqual(summary_rows["Culture (DM test)"][7].value, 40000)
        self.assertEqual(summary_rows["Culture (DM test)"][8].value, 8500)
        self.assertEqual(summary_rows["Patrimoine (DM test)"][7].value, 63000)
        self.assertEqual(summary_rows["Patrimoine (DM test)"][8].value, 15000)
        summary_total = list(summary.iter_rows(min_row=6, max_row=6))[0]
        self.assertEqual(summary_total[7].value, "=SUM(H4:H5)")
        # the formulas add up to the budget's figures
        self.assertEqual(40000 + 63000, self.budget.planned_carbon_kg)
        self.assertEqual(8500 + 15000, self.budget.practical_carbon_kg)
