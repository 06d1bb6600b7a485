# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models


class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"

    carbon_kg = fields.Float(
        string="kgCO2e",
        compute="_compute_carbon_kg",
        digits=(16, 4),
        help="Carbon booked on the account, read on its plan's column. Use the "
        "date filters (from_date / to_date) to restrict the period.",
    )

    @api.depends_context("from_date", "to_date")
    def _compute_carbon_kg(self):
        domain = [("company_id", "in", [False, *self.env.companies.ids])]
        if self.env.context.get("from_date"):
            domain.append(("date", ">=", self.env.context["from_date"]))
        if self.env.context.get("to_date"):
            domain.append(("date", "<=", self.env.context["to_date"]))
        totals = defaultdict(float)
        for plan, accounts in self.grouped("plan_id").items():
            if not plan:
                continue
            column = plan._column_name()
            for account, carbon_kg in self.env["account.analytic.line"]._read_group(
                domain + [(column, "in", accounts.ids)],
                [column],
                ["carbon_kg:sum"],
            ):
                totals[account.id] += carbon_kg
        for account in self:
            account.carbon_kg = totals.get(account.id, 0.0)

    def _read_group_select(self, aggregate_spec, query):
        # carbon_kg is computed per plan column: aggregate it like Odoo aggregates
        # the balance, by summing the records of each group.
        if aggregate_spec == "carbon_kg:sum":
            return super()._read_group_select("id:recordset", query)
        return super()._read_group_select(aggregate_spec, query)

    def _read_group_postprocess_aggregate(self, aggregate_spec, raw_values):
        if aggregate_spec == "carbon_kg:sum":
            column = list(
                super()._read_group_postprocess_aggregate("id:recordset", raw_values)
            )
            everything = self.browse().union(*column)
            everything.mapped("carbon_kg")  # one batched computation for all groups
            return (sum(records.mapped("carbon_kg")) for records in column)
        return super()._read_group_postprocess_aggregate(aggregate_spec, raw_values)
