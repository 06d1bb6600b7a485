# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

from ..tools import carbon


class NmCarbonBudgetPrepare(models.TransientModel):
    """Prepare next year's carbon envelopes from the trajectory."""

    _name = "nm.carbon.budget.prepare"
    _description = "Prepare next year's carbon envelopes"

    source_budget_id = fields.Many2one(
        "crossovered.budget",
        string="Previous year's budget",
        required=True,
        help="Its envelopes (or its booked carbon where it had none) give the split "
        "between directions and positions.",
    )
    year = fields.Integer(required=True)
    target_budget_id = fields.Many2one(
        "crossovered.budget",
        string="Budget to fill",
        help="Leave empty to create the year's budget.",
    )
    trajectory_id = fields.Many2one(
        "nm.carbon.trajectory",
        string="Organisation trajectory",
        required=True,
        domain=[("analytic_account_id", "=", False)],
    )
    target_kg = fields.Float(
        string="Organisation target (kgCO2e)",
        compute="_compute_target_kg",
        digits=(16, 0),
    )
    total_kg = fields.Float(
        string="Sum of envelopes (kgCO2e)", readonly=True, digits=(16, 0)
    )
    warning = fields.Text(readonly=True)
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")

    @api.model
    def default_get(self, fields_list):
        vals = super().default_get(fields_list)
        if self.env.context.get("active_model") == "crossovered.budget":
            budget = self.env["crossovered.budget"].browse(
                self.env.context.get("active_id")
            )
            vals.setdefault("source_budget_id", budget.id)
            vals.setdefault("year", budget.date_from.year + 1)
        vals.setdefault(
            "trajectory_id", self.env["nm.carbon.trajectory"]._find_for().id or False
        )
        return vals

    @api.depends("trajectory_id", "year")
    def _compute_target_kg(self):
        for wizard in self:
            wizard.target_kg = (
                wizard.trajectory_id.target_kg(wizard.year)
                if wizard.trajectory_id and wizard.year
                else 0.0
            )

    def _weights(self):
        """{(analytic account, position): (weight, previous line)} from the previous
        year's envelopes, or its booked carbon when it had no envelope at all."""
        lines = self.source_budget_id.crossovered_budget_line_ids.filtered(
            "analytic_account_id"
        )
        use_planned = any(lines.mapped("planned_carbon_kg"))
        weights = {}
        for line in lines:
            key = (line.analytic_account_id.id, line.general_budget_id.id)
            weight = (
                line.planned_carbon_kg
                if use_planned
                else max(line.practical_carbon_kg, 0.0)
            )
            previous = weights.get(key, (0.0, line))
            weights[key] = (previous[0] + weight, previous[1])
        return weights

    def _envelopes(self):
        """{(analytic account, position): kg} for the year, rounded to the kg.

        Directions with a trajectory of their own get its target; the others share
        what is left of the organisation's target, like last year."""
        weights = self._weights()
        if not weights:
            raise UserError(
                self.env._(
                    "The budget %(budget)s has no line with a direction (analytic "
                    "account): there is nothing to split.",
                    budget=self.source_budget_id.display_name,
                )
            )
        by_direction = defaultdict(list)
        for key in weights:
            by_direction[key[0]].append(key)
        # the directions' own trajectories in one search; the first in the model's
        # order stands for a direction, as ``_find_for`` would pick it
        own_trajectories = {}
        for trajectory in self.env["nm.carbon.trajectory"].search(
            [
                ("analytic_account_id", "in", list(by_direction)),
                ("company_id", "=", self.trajectory_id.company_id.id),
            ]
        ):
            own_trajectories.setdefault(trajectory.analytic_account_id.id, trajectory)
        own_targets = {
            direction_id: trajectory.target_kg(self.year)
            for direction_id, trajectory in own_trajectories.items()
        }
        envelopes = {}
        for direction_id, target in own_targets.items():
            keys = by_direction[direction_id]
            parts = carbon.split_by_weights(target, [weights[k][0] for k in keys])
            envelopes.update(zip(keys, parts, strict=True))
        shared_keys = [k for k in weights if k[0] not in own_targets]
        if shared_keys:
            left = max(self.target_kg - sum(own_targets.values()), 0.0)
            parts = carbon.split_by_weights(left, [weights[k][0] for k in shared_keys])
            envelopes.update(zip(shared_keys, parts, strict=True))
        return envelopes, weights

    def _target_budget(self):
        if self.target_budget_id:
            return self.target_budget_id
        Budget = self.env["crossovered.budget"]
        existing = Budget.search(
            [
                ("date_from", "=", date(self.year, 1, 1)),
                ("date_to", "=", date(self.year, 12, 31)),
                ("company_id", "=", self.source_budget_id.company_id.id),
                ("state", "!=", "cancel"),
            ],
            limit=1,
        )
        return existing or Budget.create(
            {
                "name": self.env._("Budget %(year)s", year=self.year),
                "date_from": date(self.year, 1, 1),
                "date_to": date(self.year, 12, 31),
                "company_id": self.source_budget_id.company_id.id,
            }
        )

    def action_prepare(self):
        self.ensure_one()
        if self.year <= self.source_budget_id.date_from.year:
            raise UserError(
                self.env._("Choose a year after the previous year's budget.")
            )
        envelopes, weights = self._envelopes()
        budget = self._target_budget()
        existing = {
            (line.analytic_account_id.id, line.general_budget_id.id): line.id
            for line in budget.crossovered_budget_line_ids
        }
        to_update = defaultdict(list)
        to_create = []
        for key, kg in envelopes.items():
            if key in existing:
                to_update[kg].append(existing[key])
                continue
            previous = weights[key][1]
            to_create.append(
                {
                    "crossovered_budget_id": budget.id,
                    "analytic_account_id": key[0],
                    "general_budget_id": key[1],
                    "date_from": budget.date_from,
                    "date_to": budget.date_to,
                    "planned_amount": previous.planned_amount,
                    "planned_carbon_kg": kg,
                }
            )
        Lines = self.env["crossovered.budget.lines"]
        # one write per envelope value (directions split alike share one)
        for kg, line_ids in to_update.items():
            Lines.browse(line_ids).write({"planned_carbon_kg": kg})
        Lines.create(to_create)
        total = sum(budget.crossovered_budget_line_ids.mapped("planned_carbon_kg"))
        warning = False
        if total > self.target_kg + 0.5:
            warning = self.env._(
                "The envelopes of %(budget)s add up to %(total)s kgCO2e, %(excess)s kg "
                "above the organisation's target of %(target)s kgCO2e for %(year)s.",
                budget=budget.display_name,
                total=formatLang(self.env, total, digits=0),
                excess=formatLang(self.env, total - self.target_kg, digits=0),
                target=formatLang(self.env, self.target_kg, digits=0),
                year=self.year,
            )
            budget.message_post(body=warning)
        self.write(
            {
                "target_budget_id": budget.id,
                "total_kg": total,
                "warning": warning,
                "state": "done",
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_open_budget(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crossovered.budget",
            "res_id": self.target_budget_id.id,
            "view_mode": "form",
        }
