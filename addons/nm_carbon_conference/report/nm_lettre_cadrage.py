# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models

from odoo.addons.nm_carbon_budget.models.nm_budget_review import (
    QUARTERS,
    quarter_bounds,
    review_date,
)


class NmLettreCadrage(models.AbstractModel):
    """Lettre de cadrage of each direction: its envelopes for the year against the
    trajectory, the expected actions, the calendar of execution reviews."""

    _name = "report.nm_carbon_conference.report_lettre_cadrage_document"
    _description = "Lettre de cadrage of a direction"

    @api.model
    def _get_report_values(self, docids, data=None):
        conferences = self.env["nm.carbon.conference"].browse(docids)
        letters = []
        Line = self.env["nm.carbon.conference.line"]
        for conference in conferences:
            # searched with the user's rights: a direction head gets the letters
            # of the directions they head
            by_direction = defaultdict(lambda: Line)
            for line in Line.search([("conference_id", "=", conference.id)]):
                by_direction[line.analytic_account_id] |= line
            for direction, lines in sorted(
                by_direction.items(), key=lambda item: item[0].name or ""
            ):
                letters.append(self._letter(conference, direction, lines))
        return {
            "doc_ids": docids,
            "doc_model": "nm.carbon.conference",
            "docs": conferences,
            "letters": letters,
        }

    def _envelope(self, line):
        if line.state == "voted":
            return line.voted_kg
        if line.state == "arbitration":
            return line.arbitrated_kg
        return line.proposed_kg

    def _letter(self, conference, direction, lines):
        rows = [
            {
                "item": line.general_budget_id.name,
                "current_planned_kg": line.current_planned_kg,
                "current_practical_kg": line.current_practical_kg,
                "reference_kg": line.suggested_kg,
                "envelope_kg": self._envelope(line),
                "comment": line.arbitration_comment,
            }
            for line in lines
        ]
        envelope = sum(row["envelope_kg"] for row in rows)
        reference = sum(row["reference_kg"] for row in rows)
        current = sum(row["current_planned_kg"] for row in rows)
        return {
            "conference": conference,
            "company": conference.company_id,
            "direction": direction,
            "rows": rows,
            "envelope_kg": envelope,
            "reference_kg": reference,
            "current_planned_kg": current,
            "gap_kg": envelope - reference,
            "change_pct": (envelope - current) / current * 100.0 if current else 0.0,
            "actions": lines.action_ids.sorted(lambda a: -a.priority_score),
            "reviews": self._calendar(conference, direction),
        }

    def _calendar(self, conference, direction):
        """The execution reviews planned on the year's budget for the direction,
        else one per quarter on the default dates."""
        reviews = self.env["nm.budget.review"]
        labels = dict(reviews._fields["quarter"]._description_selection(self.env))
        if conference.budget_id:
            reviews = reviews.search(
                [
                    ("budget_id", "=", conference.budget_id.id),
                    ("direction_ids", "in", direction.ids),
                ],
                order="date",
            )
        if reviews:
            return [
                {
                    "period": labels[review.quarter],
                    "date": review.date,
                    "planned": True,
                }
                for review in reviews
            ]
        calendar = []
        for quarter, _label in QUARTERS:
            if not quarter_bounds(conference.year, quarter):
                continue
            calendar.append(
                {
                    "period": labels[quarter],
                    "date": review_date(conference.year, quarter),
                    "planned": False,
                }
            )
        return calendar
