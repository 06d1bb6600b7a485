# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The task keeps these fields in a file of their own, beside the core's.
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    carbon_amendment_executive_margin = fields.Float(
        string="Executive margin for carbon transfers (%)",
        default=7.5,
        help="Share of the envelopes voted in the year's budget that the executive "
        "may move between directions on its own, cumulated over the year's applied "
        "amendments and reported to the assembly (the M57 rule lets the executive "
        "move up to 7.5 % of credits between chapters). Beyond it, and for any "
        "increase or decrease of the total, the deliberative assembly votes. 0: "
        "every transfer between directions goes to the assembly.",
    )

    _carbon_amendment_executive_margin_range = models.Constraint(
        "CHECK (carbon_amendment_executive_margin >= 0 "
        "AND carbon_amendment_executive_margin <= 100)",
        "The executive margin is a percentage between 0 and 100.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    carbon_amendment_executive_margin = fields.Float(
        related="company_id.carbon_amendment_executive_margin", readonly=False
    )
