# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import models

# (header, width, value getter name, number format key); the formula columns
# are written by _write_line.
COLUMNS = [
    "direction",
    "position",
    "planned_amount",
    "practical_amount",
    "amount_percentage",
    "initial_carbon_kg",
    "amendment_carbon_kg",
    "planned_carbon_kg",
    "practical_carbon_kg",
    "carbon_percentage",
    "remaining_carbon_kg",
]
SUMMED = {
    "planned_amount",
    "practical_amount",
    "initial_carbon_kg",
    "amendment_carbon_kg",
    "planned_carbon_kg",
    "practical_carbon_kg",
    "remaining_carbon_kg",
}


class NmCarbonFollowupXlsx(models.AbstractModel):
    """Tableau de suivi: a summary sheet and one sheet per direction, one row per
    budget line, € and kgCO2e side by side; totals and ratios are formulas."""

    _name = "report.nm_carbon_budget.carbon_followup_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Carbon budget follow-up table (XLSX)"

    def _headers(self):
        return {
            "direction": (self.env._("Direction"), 34),
            "position": (self.env._("Budgetary position"), 30),
            "planned_amount": (self.env._("Planned €"), 14),
            "practical_amount": (self.env._("Booked €"), 14),
            "amount_percentage": (self.env._("€ executed (%)"), 12),
            "initial_carbon_kg": (self.env._("Initial kgCO2e"), 14),
            "amendment_carbon_kg": (self.env._("Amendments kgCO2e"), 14),
            "planned_carbon_kg": (self.env._("Current envelope kgCO2e"), 16),
            "practical_carbon_kg": (self.env._("Booked kgCO2e"), 14),
            "carbon_percentage": (self.env._("Envelope used (%)"), 12),
            "remaining_carbon_kg": (self.env._("Remaining kgCO2e"), 14),
        }

    def _formats(self, workbook):
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#D9E7D6", "border": 1, "text_wrap": True}
            ),
            "text": workbook.add_format({}),
            "number": workbook.add_format({"num_format": "#,##0"}),
            "percent": workbook.add_format({"num_format": "0.0%"}),
            "total_text": workbook.add_format({"bold": True, "top": 1}),
            "total_number": workbook.add_format(
                {"bold": True, "top": 1, "num_format": "#,##0"}
            ),
            "total_percent": workbook.add_format(
                {"bold": True, "top": 1, "num_format": "0.0%"}
            ),
        }

    def _line_values(self, lines):
        """{line id: {column: value}} for all lines, computed in one batch."""
        # one query for € and kgCO2e, one grouped query for the amendments
        lines._nm_batch_compute("practical_carbon_kg", "initial_carbon_kg")
        return {
            line.id: {
                "direction": line.analytic_account_id.display_name or "",
                "position": line.general_budget_id.display_name or "",
                "planned_amount": line.planned_amount,
                "practical_amount": line.practical_amount,
                "initial_carbon_kg": line.initial_carbon_kg,
                "amendment_carbon_kg": line.amendment_carbon_kg,
                "planned_carbon_kg": line.planned_carbon_kg,
                "practical_carbon_kg": line.practical_carbon_kg,
            }
            for line in lines
        }

    def _write_sheet(self, sheet, title, rows, fmt):
        """Write a title, the header (frozen), the rows and a total row of
        formulas; return the cell addresses of the total row by column."""
        headers = self._headers()
        col = {name: index for index, name in enumerate(COLUMNS)}
        sheet.write(0, 0, title, fmt["title"])
        for name, index in col.items():
            label, width = headers[name]
            sheet.write(2, index, label, fmt["header"])
            sheet.set_column(index, index, width)
        sheet.freeze_panes(3, 2)
        first = 3
        row = first
        for values in rows:
            self._write_row(sheet, row, col, values, fmt, total=False)
            row += 1
        last = row - 1
        totals = {"direction": self.env._("Total"), "position": ""}
        for name in SUMMED - {"remaining_carbon_kg"}:
            if rows:
                start = xl_rowcol_to_cell(first, col[name])
                end = xl_rowcol_to_cell(last, col[name])
                totals[name] = f"=SUM({start}:{end})"
            else:
                totals[name] = 0
        self._write_row(sheet, row, col, totals, fmt, total=True)
        return row

    def _write_row(self, sheet, row, col, values, fmt, total):
        prefix = "total_" if total else ""
        number, percent = fmt[prefix + "number"], fmt[prefix + "percent"]
        sheet.write(row, col["direction"], values["direction"], fmt[prefix + "text"])
        sheet.write(row, col["position"], values["position"], fmt[prefix + "text"])
        for name in SUMMED - {"remaining_carbon_kg"}:
            sheet.write(row, col[name], values[name], number)

        def cell(name):
            return xl_rowcol_to_cell(row, col[name])

        sheet.write_formula(
            row,
            col["amount_percentage"],
            f'=IF({cell("planned_amount")}=0,"",{cell("practical_amount")}'
            f"/{cell('planned_amount')})",
            percent,
        )
        sheet.write_formula(
            row,
            col["carbon_percentage"],
            f'=IF({cell("planned_carbon_kg")}=0,"",{cell("practical_carbon_kg")}'
            f"/{cell('planned_carbon_kg')})",
            percent,
        )
        sheet.write_formula(
            row,
            col["remaining_carbon_kg"],
            f"={cell('planned_carbon_kg')}-{cell('practical_carbon_kg')}",
            number,
        )

    def generate_xlsx_report(self, workbook, data, objects):
        fmt = self._formats(workbook)
        for budget in objects:
            lines = budget.crossovered_budget_line_ids.sorted(
                lambda line: (
                    line.analytic_account_id.display_name or "",
                    line.general_budget_id.display_name or "",
                    line.id,
                )
            )
            values = self._line_values(lines)
            by_direction = defaultdict(list)
            for line in lines:
                by_direction[line.analytic_account_id].append(values[line.id])
            prefix = f"{budget.name[:15]} - " if len(objects) > 1 else ""
            summary_rows = []
            for direction, rows in by_direction.items():
                summary = {
                    "direction": direction.display_name
                    or self.env._("Without direction"),
                    "position": self.env._("%(count)s lines", count=len(rows)),
                }
                for name in SUMMED - {"remaining_carbon_kg"}:
                    summary[name] = sum(r[name] for r in rows)
                summary_rows.append(summary)
            summary_sheet = workbook.add_worksheet(
                (prefix + self.env._("Summary"))[:31]
            )
            self._write_sheet(
                summary_sheet,
                self.env._("Follow-up table - %(budget)s", budget=budget.name),
                summary_rows,
                fmt,
            )
            used = set()
            for direction, rows in by_direction.items():
                name = prefix + (
                    direction.code or direction.name or self.env._("Without direction")
                )
                for char in "[]:*?/\\":
                    name = name.replace(char, " ")
                name = name[:31]
                base, index = name, 2
                while name.lower() in used:
                    name = f"{base[:28]} {index}"
                    index += 1
                used.add(name.lower())
                sheet = workbook.add_worksheet(name)
                self._write_sheet(
                    sheet,
                    f"{budget.name} - {direction.display_name or ''}",
                    rows,
                    fmt,
                )
