# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import api, fields, models

SCORES = [
    ("1", "1 - Very low"),
    ("2", "2 - Low"),
    ("3", "3 - Medium"),
    ("4", "4 - High"),
    ("5", "5 - Very high"),
]


def priority_score(reduction_kg, scores):
    """Priority of a decarbonisation action.

    The order of magnitude of the yearly reduction, log10 of the kgCO2e (1 t = 3,
    10 t = 4, 100 t = 5; nothing below 1 kg), times the mean of the field test's
    three scores from 1 to 5 (data available, feasible, meaningful for the agents).
    A ten times larger reduction weighs as much as one more point on every score.
    """
    magnitude = math.log10(reduction_kg) if reduction_kg > 1 else 0.0
    valid = [score for score in scores if score]
    mean = sum(valid) / len(valid) if valid else 0.0
    return round(magnitude * mean, 2)


class NmDecarbonationAction(models.Model):
    _name = "nm.decarbonation.action"
    _description = "Decarbonisation action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority_score desc, reduction_kg desc, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    description = fields.Html()
    direction_id = fields.Many2one(
        "account.analytic.account",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The direction whose emissions the action reduces.",
    )
    lever_direction_id = fields.Many2one(
        "account.analytic.account",
        string="Direction holding the lever",
        tracking=True,
        check_company=True,
        help="The direction that can carry the action out, e.g. the property "
        "direction for building works. Empty: the direction itself.",
    )
    carbon_category_id = fields.Many2one(
        "nm.carbon.category", string="Emission item", index=True
    )
    reduction_kg = fields.Float(
        string="Estimated reduction (kgCO2e/yr)",
        digits=(16, 0),
        tracking=True,
        help="An order of magnitude is enough: the priority reads its logarithm.",
    )
    cost = fields.Monetary(string="Estimated cost", currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    score_data = fields.Selection(
        SCORES,
        string="Data availability",
        default="3",
        required=True,
        help="Can the reduction be measured with data the organisation has?",
    )
    score_feasibility = fields.Selection(
        SCORES, string="Feasibility", default="3", required=True
    )
    score_meaning = fields.Selection(
        SCORES,
        string="Meaning for the agents",
        default="3",
        required=True,
        help="Does the action make sense to the agents who carry it out?",
    )
    priority_score = fields.Float(
        string="Priority",
        compute="_compute_priority_score",
        store=True,
        digits=(16, 2),
        aggregator="avg",
        help="log10 of the reduction in kgCO2e times the mean of the three scores.",
    )
    state = fields.Selection(
        [
            ("idea", "Idea"),
            ("study", "Under study"),
            ("planned", "Planned"),
            ("in_progress", "In progress"),
            ("done", "Done"),
            ("dropped", "Dropped"),
        ],
        default="idea",
        required=True,
        tracking=True,
        group_expand=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Owner", default=lambda self: self.env.user, tracking=True
    )
    date_target = fields.Date(string="Target date")
    review_id = fields.Many2one(
        "nm.budget.review",
        string="Decided in review",
        index=True,
        copy=False,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()

    _reduction_positive = models.Constraint(
        "CHECK (reduction_kg >= 0)", "The estimated reduction cannot be negative."
    )

    @api.depends("reduction_kg", "score_data", "score_feasibility", "score_meaning")
    def _compute_priority_score(self):
        for action in self:
            action.priority_score = priority_score(
                action.reduction_kg,
                [
                    int(action.score_data or 0),
                    int(action.score_feasibility or 0),
                    int(action.score_meaning or 0),
                ],
            )

    @api.model
    def _top_for(self, direction, limit=5, company=None):
        """The most urgent open actions a direction is concerned by, in
        ``company`` only when given (a direction shared by several companies
        lists each one's own actions on its fiche)."""
        domain = [
            "|",
            ("direction_id", "=", direction.id),
            ("lever_direction_id", "=", direction.id),
            ("state", "not in", ("done", "dropped")),
        ]
        if company:
            domain.append(("company_id", "=", company.id))
        return self.search(domain, limit=limit)
