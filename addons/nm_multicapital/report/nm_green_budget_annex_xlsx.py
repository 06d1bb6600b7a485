# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..tools import multicapital


class NmGreenBudgetAnnexXlsx(models.AbstractModel):
    _name = "report.nm_multicapital.green_budget_annex_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Budget vert annex (XLSX)"

    def generate_xlsx_report(self, workbook, data, annexes):
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        percent = workbook.add_format({"num_format": "0.00"})
        wrap = workbook.add_format({"text_wrap": True})
        for annex in annexes:
            annex._ensure_computed()
            labels = annex._rating_labels()
            currency = annex.currency_id.name
            sheet_name = self.env._("Axes %(year)s", year=annex.year)
            summary = workbook.add_worksheet(sheet_name[:31])
            summary.set_column(0, 0, 45)
            summary.set_column(1, 3, 18)
            summary.write(
                0,
                0,
                self.env._(
                    "Impact of the budget on the ecological transition – %(year)s",
                    year=annex.year,
                ),
                bold,
            )
            row = 2
            for axis, figures in annex._summary().items():
                summary.write(row, 0, axis.display_name, bold)
                row += 1
                summary.write_row(
                    row,
                    0,
                    [
                        self.env._("Rating"),
                        self.env._("Executed spending (%(cur)s)", cur=currency),
                        self.env._("Share (%)"),
                    ],
                    bold,
                )
                row += 1
                for code in multicapital.RATING_CODES:
                    amount, share = figures["ratings"][code]
                    summary.write(row, 0, labels[code])
                    summary.write_number(row, 1, amount, money)
                    summary.write_number(row, 2, share, percent)
                    row += 1
                summary.write(row, 0, self.env._("Total of the axis"), bold)
                summary.write_number(row, 1, figures["total"], money)
                row += 2
            detail = workbook.add_worksheet(self.env._("Detail by account")[:31])
            detail.set_column(0, 1, 14)
            detail.set_column(2, 3, 35)
            detail.set_column(4, 6, 16)
            detail.set_column(7, 7, 60)
            detail.write_row(
                0,
                0,
                [
                    self.env._("Axis"),
                    self.env._("Account"),
                    self.env._("Account name"),
                    self.env._("Budget line"),
                    self.env._("Rating"),
                    self.env._("Executed spending (%(cur)s)", cur=currency),
                    self.env._("Share of the axis (%)"),
                    self.env._("Justification"),
                ],
                bold,
            )
            for index, line in enumerate(annex.line_ids, start=1):
                detail.write(index, 0, line.axis_id.sequence)
                detail.write(index, 1, line.account_id.code or "")
                detail.write(index, 2, line.account_id.name or "")
                detail.write(index, 3, line.budget_line_id.display_name or "")
                detail.write(index, 4, labels[line.rating])
                detail.write_number(index, 5, line.amount, money)
                detail.write_number(index, 6, line.share, percent)
                detail.write(index, 7, line.justification or "", wrap)
