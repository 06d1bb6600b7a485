# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

THEMES = [
    ("mobility", "Audience mobility"),
    ("touring", "Touring"),
    ("energy", "Venue energy"),
    ("catering", "Catering"),
    ("digital", "Digital"),
    ("reuse", "Reuse of sets and materials"),
    ("waste", "Waste"),
    ("governance", "Governance and training"),
    ("other", "Other"),
]
MATURITIES = [
    ("starting", "Getting started"),
    ("carbon_report", "Carbon report done"),
    ("strategy", "Climate strategy"),
]
COMMITTERS = [
    ("operator", "Operator"),
    ("authority", "Authority"),
    ("both", "Both"),
]
DIRECTIONS = [
    ("higher", "Higher is better"),
    ("lower", "Lower is better"),
]
FREQUENCIES = [
    ("quarterly", "Quarterly"),
    ("half_yearly", "Half-yearly"),
    ("yearly", "Yearly"),
    ("end", "At the end only"),
]


class NmProgressClauseTemplate(models.Model):
    _name = "nm.progress.clause.template"
    _description = "Progress clause template"
    _order = "maturity, theme, sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(string="Objective", required=True, translate=True)
    description = fields.Text(translate=True)
    theme = fields.Selection(THEMES, required=True, default="other")
    maturity = fields.Selection(MATURITIES, required=True, default="starting")
    committer = fields.Selection(
        COMMITTERS, string="Who commits", required=True, default="operator"
    )
    indicator_name = fields.Char(string="Indicator", required=True, translate=True)
    indicator_unit = fields.Char(string="Unit", required=True, translate=True)
    direction = fields.Selection(DIRECTIONS, required=True, default="higher")
    frequency = fields.Selection(FREQUENCIES, required=True, default="yearly")
    is_carbon = fields.Boolean(
        string="Measured in kgCO2e",
        help="Values are kgCO2e and can be booked on the operator's analytic account.",
    )
    active = fields.Boolean(default=True)

    def _clause_values(self):
        self.ensure_one()
        return {
            "template_id": self.id,
            "name": self.name,
            "description": self.description,
            "theme": self.theme,
            "committer": self.committer,
            "indicator_name": self.indicator_name,
            "indicator_unit": self.indicator_unit,
            "direction": self.direction,
            "frequency": self.frequency,
            "is_carbon": self.is_carbon,
        }
