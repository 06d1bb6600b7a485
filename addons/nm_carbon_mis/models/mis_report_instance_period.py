# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

SRC_NM_ACTUALS_BUDGET = "nm_actuals_budget"
CARBON_SOURCE_MODEL = "nm.carbon.mis.line"
# fields of the carbon source a filter may use, and their names on budget items
BUDGET_ITEM_FIELDS = {
    "analytic_account_id": "analytic_account_id",
    "plan_id": "plan_id",
    "account_id": "general_budget_id",
    "company_id": "company_id",
}
# a filter on one of these already chooses the plan(s) the figures are read on
PLAN_CHOOSING_FIELDS = ("analytic_account_id", "plan_id")


def _filters_on(domain, field_names):
    """Whether a domain (list or Domain) has a condition on one of the fields."""
    return any(
        condition.field_expr.split(".")[0] in field_names
        for condition in Domain(domain or []).iter_conditions()
    )


class MisReportInstancePeriod(models.Model):
    _inherit = "mis.report.instance.period"

    source = fields.Selection(
        selection_add=[(SRC_NM_ACTUALS_BUDGET, "Actuals and budget by KPI (carbon)")],
        ondelete={SRC_NM_ACTUALS_BUDGET: "cascade"},
    )

    @api.depends("source", "report_instance_id.report_id.move_lines_source")
    def _compute_source_aml_model_id(self):
        mine = self.filtered(lambda period: period.source == SRC_NM_ACTUALS_BUDGET)
        for period in mine:
            period.source_aml_model_id = (
                period.report_instance_id.report_id.move_lines_source
            )
        return super(
            MisReportInstancePeriod, self - mine
        )._compute_source_aml_model_id()

    @api.constrains("mode", "source")
    def _check_mode_source(self):
        result = super()._check_mode_source()
        for period in self:
            if period.source == SRC_NM_ACTUALS_BUDGET and period.mode == "none":
                raise ValidationError(
                    self.env._(
                        "The column “%(column)s” reads actuals and budget over a "
                        "period: give it dates.",
                        column=period.name,
                    )
                )
        return result

    def _get_additional_move_line_filter(self):
        """On the carbon source, figures are read on one analytic plan: the plans
        of the directions the column or the report filters on, else the companies'
        carbon reference plan. A journal item split over several plans is thus
        never counted twice."""
        domain = super()._get_additional_move_line_filter()
        if self.source_aml_model_name != CARBON_SOURCE_MODEL or _filters_on(
            domain, PLAN_CHOOSING_FIELDS
        ):
            return domain
        companies = self.report_instance_id.query_company_ids
        plans = companies.carbon_plan_id
        if not plans:
            raise UserError(
                self.env._(
                    "Choose the carbon reference plan (the plan of your directions) "
                    "in the Carbon budget settings, or filter the report on "
                    "directions."
                )
            )
        return domain + [("plan_id", "in", plans.ids)]

    def _get_additional_budget_item_filter(self):
        if self.source != SRC_NM_ACTUALS_BUDGET:
            return super()._get_additional_budget_item_filter()

        def on_budget_items(condition):
            root, _dot, path = condition.field_expr.partition(".")
            if root not in BUDGET_ITEM_FIELDS:
                field = self.env[CARBON_SOURCE_MODEL]._fields.get(root)
                raise UserError(
                    self.env._(
                        "The column “%(column)s” shows envelopes, which are set per "
                        "direction and budgetary position: it cannot be filtered on "
                        "“%(field)s”. Filter on directions or positions, or use a "
                        "column of actuals only.",
                        column=self.name,
                        field=field.string if field else root,
                    )
                )
            name = BUDGET_ITEM_FIELDS[root] + (f".{path}" if path else "")
            return Domain(name, condition.operator, condition.value)

        companies = self.report_instance_id.query_company_ids
        return Domain.AND(
            [
                Domain(self._get_additional_move_line_filter()).map_conditions(
                    on_budget_items
                ),
                Domain("company_id", "in", companies.ids)
                | Domain("company_id", "=", False),
            ]
        )
