# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import csv
import io

from odoo import models
from odoo.tools import float_repr

OPEN_DATA_FIELDS = (
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
)


class CrossoveredBudget(models.Model):
    _inherit = "crossovered.budget"

    def _nm_open_data_rows(self):
        """One row per budget line with a direction: its envelope and booked
        kgCO2e, as the budget lines compute them."""
        self.ensure_one()
        lines = self.crossovered_budget_line_ids.filtered("analytic_account_id")
        lines = lines.sorted(
            lambda line: (
                line.analytic_account_id.name or "",
                line.general_budget_id.name or "",
                line.date_from,
                line.id,
            )
        )
        return [
            {
                "line": line,
                "annee": self.date_from.year,
                "collectivite": self.company_id.name,
                "budget": self.name,
                "date_debut": line.date_from,
                "date_fin": line.date_to,
                "direction": line.analytic_account_id.name,
                "poste": line.general_budget_id.name,
                "enveloppe_kgco2e": line.planned_carbon_kg,
                "realise_kgco2e": line.practical_carbon_kg,
                "ecart_kgco2e": line.planned_carbon_kg - line.practical_carbon_kg,
            }
            for line in lines
        ]

    def _nm_open_data_csv(self):
        """The open-data CSV: UTF-8, comma, header row, dot decimals, ISO dates
        (the Table Schema static/open_data/schema.json describes it)."""
        self.ensure_one()
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(OPEN_DATA_FIELDS)
        for row in self._nm_open_data_rows():
            writer.writerow(
                [
                    row["annee"],
                    row["collectivite"],
                    row["budget"],
                    row["date_debut"].isoformat(),
                    row["date_fin"].isoformat(),
                    row["direction"],
                    row["poste"],
                    float_repr(row["enveloppe_kgco2e"], 0),
                    float_repr(row["realise_kgco2e"], 4),
                    float_repr(row["ecart_kgco2e"], 4),
                ]
            )
        return out.getvalue().encode("utf-8")

    def action_nm_open_data_csv(self):
        """Download the year's carbon budget and execution as open data."""
        self.ensure_one()
        content = self._nm_open_data_csv()
        # the figures are read with the user's rights; the file is attached to
        # the budget, which any reader of the budget may download (attaching a
        # file needs the right to write the budget, which publishing does not)
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env._(
                        "carbon_budget_%(year)s.csv", year=self.date_from.year
                    ),
                    "type": "binary",
                    "datas": base64.b64encode(content),
                    "mimetype": "text/csv",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_nm_open_data_pdf(self):
        self.ensure_one()
        return self.env.ref(
            "nm_carbon_conference.report_open_data_summary"
        ).report_action(self)
