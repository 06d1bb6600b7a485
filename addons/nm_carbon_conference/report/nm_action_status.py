# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import api, models

# Three reports a year, as Oslo's climate budget reports beside budget execution.
PERIODS = [
    ("1", "T1 (January – April)"),
    ("2", "T2 (May – August)"),
    ("3", "T3 (September – December)"),
]


def period_bounds(year, period):
    """First and last day of a four-month reporting period."""
    first_month = (int(period) - 1) * 4 + 1
    end = date(year + 1, 1, 1) if period == "3" else date(year, first_month + 4, 1)
    return date(year, first_month, 1), date.fromordinal(end.toordinal() - 1)


class NmActionStatusReport(models.AbstractModel):
    """Status report of a direction's decarbonisation measures for a period."""

    _name = "report.nm_carbon_conference.report_action_status_document"
    _description = "Status report of the decarbonisation measures"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        year = int(data.get("year") or date.today().year)
        period = str(data.get("period") or "1")
        date_from, date_to = period_bounds(year, period)
        directions = self.env["account.analytic.account"].browse(
            data.get("direction_ids") or docids
        )
        Action = self.env["nm.decarbonation.action"]
        reports = []
        for direction in directions.sorted("name"):
            actions = Action.search(
                [
                    "|",
                    ("direction_id", "=", direction.id),
                    ("lever_direction_id", "=", direction.id),
                ],
                order="state, priority_score desc, id",
            )
            reviews = self.env["nm.budget.review"].search(
                [
                    ("direction_ids", "in", direction.ids),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ],
                order="date",
            )
            reports.append(
                {
                    "direction": direction,
                    "company": direction.company_id or self.env.company,
                    "actions": actions,
                    "reviews": reviews,
                    "cost": sum(actions.mapped("cost")),
                    "reduction_kg": sum(
                        actions.filtered(lambda a: a.state != "dropped").mapped(
                            "reduction_kg"
                        )
                    ),
                    "done_kg": sum(
                        actions.filtered(lambda a: a.state == "done").mapped(
                            "reduction_kg"
                        )
                    ),
                }
            )
        return {
            "doc_ids": directions.ids,
            "doc_model": "account.analytic.account",
            "docs": directions,
            "year": year,
            "period_label": dict(
                self.env["nm.action.status.report"]
                ._fields["period"]
                ._description_selection(self.env)
            )[period],
            "date_from": date_from,
            "date_to": date_to,
            "reports": reports,
            "state_labels": dict(
                Action._fields["state"]._description_selection(self.env)
            ),
        }
