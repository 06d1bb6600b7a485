# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class NmEmissionFactorVersion(models.TransientModel):
    _name = "nm.emission.factor.version"
    _description = "New version of an emission factor"

    factor_id = fields.Many2one("nm.emission.factor", required=True)
    value = fields.Float(
        string="New value (kgCO2e per unit)", required=True, digits=(16, 6)
    )
    date_start = fields.Date(string="Valid from", required=True)
    uncertainty = fields.Float(string="Uncertainty (%)")
    source_year = fields.Integer()

    def action_create_version(self):
        self.ensure_one()
        version = self.factor_id._create_version(
            self.value,
            self.date_start,
            uncertainty=self.uncertainty,
            source_year=self.source_year,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "nm.emission.factor",
            "res_id": version.id,
            "view_mode": "form",
        }
