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
            categories = annex._category_labels()
            currency = annex.currency_id.name
            sheet = workbook.add_worksheet(
                self.env._("Annex %(year)s", year=annex.year)[:31]
            )
            sheet.set_column(0, 0, 50)
            sheet.set_column(1, len(categories) + 1, 20)
            sheet.write(
                0,
                0,
                self.env._(
                    "Impact of the budget on the ecological transition – financial "
                    "year %(year)s",
                    year=annex.year,
                ),
                bold,
            )
            sheet.write(
                1, 0, self.env._("Budget: %(budget)s", budget=annex._budget_label())
            )
            sheet.write_row(
                3,
                0,
                [
                    self.env._("Axis"),
                    *categories.values(),
                    self.env._("Total (%(cur)s)", cur=currency),
                ],
                bold,
            )
            row = 4
            for axis, figures in annex._annex_summary().items():
                sheet.write(row, 0, axis.display_name)
                sheet.write(row + 1, 0, self.env._("Share (%)"))
                for column, (amount, share) in enumerate(
                    figures["categories"].values(), start=1
                ):
                    sheet.write_number(row, column, amount, money)
                    sheet.write_number(row + 1, column, share, percent)
                sheet.write_number(row, len(categories) + 1, figures["total"], money)
                row += 2
            row += 1
            sheet.write(
                row,
                0,
                self.env._("Real spending in scope, each euro counted once"),
                bold,
            )
            sheet.write_number(row, 1, annex.total_spending, money)
            if annex.order_operations_amount:
                row += 1
                sheet.write(row, 0, self.env._("Order operations left out"))
                sheet.write_number(row, 1, annex.order_operations_amount, money)
            for note in (annex.scope_note, annex.pending_note):
                if note:
                    row += 1
                    sheet.write(row, 0, note, wrap)

            detail = workbook.add_worksheet(self.env._("Detail by account")[:31])
            detail.set_column(0, 1, 14)
            detail.set_column(2, 3, 35)
            detail.set_column(4, 7, 18)
            detail.set_column(8, 8, 60)
            detail.write_row(
                0,
                0,
                [
                    self.env._("Axis"),
                    self.env._("Account"),
                    self.env._("Account name"),
                    self.env._("Budget line"),
                    self.env._("Annex category"),
                    self.env._("Executed spending (%(cur)s)", cur=currency),
                    self.env._("Share of the axis (%)"),
                    self.env._("Rating (I4CE analysis)"),
                    self.env._("Justification"),
                ],
                bold,
            )
            for index, line in enumerate(annex.line_ids, start=1):
                detail.write(index, 0, line.axis_id.sequence)
                detail.write(index, 1, line.account_id.code or "")
                detail.write(index, 2, line.account_id.name or "")
                detail.write(index, 3, line.budget_line_id.display_name or "")
                detail.write(index, 4, categories[line.category])
                detail.write_number(index, 5, line.amount, money)
                detail.write_number(index, 6, line.share, percent)
                detail.write(index, 7, labels[line.rating])
                detail.write(index, 8, line.justification or "", wrap)

            analysis = workbook.add_worksheet(self.env._("I4CE analysis")[:31])
            analysis.set_column(0, 0, 45)
            analysis.set_column(1, 3, 18)
            row = 0
            for axis, figures in annex._summary().items():
                analysis.write(row, 0, axis.display_name, bold)
                row += 1
                analysis.write_row(
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
                    analysis.write(row, 0, labels[code])
                    analysis.write_number(row, 1, amount, money)
                    analysis.write_number(row, 2, share, percent)
                    row += 1
                row += 1
