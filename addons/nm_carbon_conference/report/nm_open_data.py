# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models


class NmOpenDataSummary(models.AbstractModel):
    """Public summary of a year's carbon budget and its execution: the rows of the
    open-data CSV, with totals per direction."""

    _name = "report.nm_carbon_conference.report_open_data_summary_document"
    _description = "Carbon budget: public summary"

    @api.model
    def _get_report_values(self, docids, data=None):
        budgets = self.env["crossovered.budget"].browse(docids)
        summaries = []
        for budget in budgets:
            rows = budget._nm_open_data_rows()
            directions = defaultdict(lambda: {"planned": 0.0, "practical": 0.0})
            for row in rows:
                directions[row["direction"]]["planned"] += row["enveloppe_kgco2e"]
                directions[row["direction"]]["practical"] += row["realise_kgco2e"]
            summaries.append(
                {
                    "budget": budget,
                    "company": budget.company_id,
                    "rows": rows,
                    "directions": sorted(directions.items()),
                    "planned": sum(r["enveloppe_kgco2e"] for r in rows),
                    "practical": sum(r["realise_kgco2e"] for r in rows),
                }
            )
        return {
            "doc_ids": docids,
            "doc_model": "crossovered.budget",
            "docs": budgets,
            "summaries": summaries,
        }
