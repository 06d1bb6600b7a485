# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class MisReportKpi(models.Model):
    _inherit = "mis.report.kpi"

    nm_budget_figure = fields.Selection(
        [
            ("planned_amount", "Planned amount (€)"),
            ("planned_carbon_kg", "Planned kgCO2e (envelope)"),
        ],
        string="Carbon budget figure",
        help="The figure of the carbon budget lines this budgetable KPI receives "
        "when a MIS budget is created from a carbon budget.",
    )
