# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..engine import BookedEngine
from ..tools import carbon


class NmFicheCarbone(models.AbstractModel):
    """Fiche carbone of a direction for a year: last year's footprint by emission
    item, this year's envelope and its use, the trajectory, the top actions."""

    _name = "report.nm_carbon_budget.report_fiche_carbone_document"
    _description = "Fiche carbone of a direction"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        year = int(
            data.get("year")
            or self.env.context.get("fiche_year")
            or fields.Date.context_today(self).year
        )
        directions = self.env["account.analytic.account"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "account.analytic.account",
            "docs": directions,
            "year": year,
            "fiches": {d.id: self._fiche(d, year) for d in directions},
        }

    def _fiche(self, direction, year):
        company = direction.company_id or self.env.company
        engine = BookedEngine(self.env)
        footprint = [
            {
                "item": category.display_name
                if category
                else self.env._("Not classified"),
                "kg": kg,
            }
            for category, kg in engine.carbon_by_item(
                direction, company, f"{year - 1}-01-01", f"{year - 1}-12-31"
            )
        ]
        footprint.sort(key=lambda row: -row["kg"])
        last_year_kg = sum(row["kg"] for row in footprint)
        for row in footprint:
            row["share"] = carbon.share_used(row["kg"], last_year_kg)
        lines = engine.envelope_lines(
            direction, company, f"{year}-01-01", f"{year}-12-31"
        )
        lines._nm_batch_compute("practical_carbon_kg")
        envelope = [
            {
                "position": line.general_budget_id.display_name,
                "initial": line.initial_carbon_kg,
                "current": line.planned_carbon_kg,
                "booked": line.practical_carbon_kg,
                "percentage": line.carbon_percentage,
            }
            for line in lines
        ]
        planned = sum(lines.mapped("planned_carbon_kg"))
        booked = sum(lines.mapped("practical_carbon_kg"))
        trajectory = self.env["nm.carbon.trajectory"]._find_for(
            direction, company=company
        )
        return {
            "footprint": footprint,
            "last_year_kg": last_year_kg,
            "envelope": envelope,
            "planned_kg": planned,
            "booked_kg": booked,
            "percentage": carbon.share_used(booked, planned),
            "trajectory": trajectory,
            "target_kg": trajectory.target_kg(year) if trajectory else 0.0,
            "last_target_kg": trajectory.target_kg(year - 1) if trajectory else 0.0,
            # booked on the trajectory's own scope (the direction, or the whole
            # organisation when the direction has no trajectory of its own)
            "last_booked_kg": trajectory._booked_by_year(year - 1, year - 1).get(
                year - 1, 0.0
            )
            if trajectory
            else 0.0,
            "actions": self.env["nm.decarbonation.action"]._top_for(
                direction, limit=5, company=company
            ),
        }
