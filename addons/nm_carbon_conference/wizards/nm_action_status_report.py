# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..report.nm_action_status import PERIODS


def _default_period(today):
    return str((today.month - 1) // 4 + 1)


class NmActionStatusReportWizard(models.TransientModel):
    _name = "nm.action.status.report"
    _description = "Print the status report of the decarbonisation measures"

    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year
    )
    period = fields.Selection(
        PERIODS,
        required=True,
        default=lambda self: _default_period(fields.Date.context_today(self)),
    )
    direction_ids = fields.Many2many(
        "account.analytic.account",
        string="Directions",
        required=True,
        default=lambda self: self.env["account.analytic.account"].browse(
            self.env.context.get("active_ids")
            if self.env.context.get("active_model") == "account.analytic.account"
            else []
        ),
    )

    def action_print(self):
        self.ensure_one()
        return self.env.ref("nm_carbon_conference.report_action_status").report_action(
            self.direction_ids,
            data={
                "year": self.year,
                "period": self.period,
                "direction_ids": self.direction_ids.ids,
            },
        )
