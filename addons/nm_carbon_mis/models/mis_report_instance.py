# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.fields import Domain

from odoo.addons.mis_builder.models.accounting_none import AccountingNone
from odoo.addons.mis_builder.models.expression_evaluator import ExpressionEvaluator

from .mis_report_instance_period import CARBON_SOURCE_MODEL, SRC_NM_ACTUALS_BUDGET


class ActualsAndBudgetEvaluator(ExpressionEvaluator):
    """Budgetable KPIs take their value from the MIS budget, the others are
    computed from the move lines source: budget, actuals and their gap side by
    side in one column."""

    def __init__(self, aep, date_from, date_to, move_line_filter, aml_model, kpi_data):
        super().__init__(aep, date_from, date_to, move_line_filter, aml_model)
        self.kpi_data = kpi_data

    @staticmethod
    def _budgetable(expressions):
        kpis = {expression.kpi_id for expression in expressions if expression}
        return len(kpis) == 1 and kpis.pop().budgetable

    def eval_expressions(self, expressions, locals_dict):
        if self._budgetable(expressions):
            values = [
                self.kpi_data.get(expression, AccountingNone)
                for expression in expressions
            ]
            drilldown_args = [
                {"expr_id": expression.id} if expression else None
                for expression in expressions
            ]
            return values, drilldown_args, False
        return super().eval_expressions(expressions, locals_dict)

    def eval_expressions_by_account(self, expressions, locals_dict):
        if self._budgetable(expressions):
            return
        yield from super().eval_expressions_by_account(expressions, locals_dict)


class MisReportInstance(models.Model):
    _inherit = "mis.report.instance"

    def _add_column_nm_actuals_budget(self, aep, kpi_matrix, period, label, desc):
        if not period.date_from or not period.date_to:
            return self._add_column_move_lines(aep, kpi_matrix, period, label, desc)
        kpi_data = {}
        if period.source_mis_budget_id:
            kpi_data = self.env["mis.budget.item"]._query_kpi_data(
                period.date_from,
                period.date_to,
                Domain("budget_id", "=", period.source_mis_budget_id.id)
                & Domain(period._get_additional_budget_item_filter()),
            )
        evaluator = ActualsAndBudgetEvaluator(
            aep,
            period.date_from,
            period.date_to,
            period._get_additional_move_line_filter(),
            period.source_aml_model_name,
            kpi_data,
        )
        return self.report_id._declare_and_compute_period(
            evaluator,
            kpi_matrix,
            period.id,
            label,
            desc,
            period.subkpi_ids,
            period._get_additional_query_filter,
            no_auto_expand_accounts=self.no_auto_expand_accounts,
        )

    def _add_column(self, aep, kpi_matrix, period, label, description):
        if period.source == SRC_NM_ACTUALS_BUDGET:
            return self._add_column_nm_actuals_budget(
                aep, kpi_matrix, period, label, description
            )
        return super()._add_column(aep, kpi_matrix, period, label, description)

    def drilldown(self, arg):
        self.ensure_one()
        period = self.env["mis.report.instance.period"].browse(arg.get("period_id"))
        if period.source == SRC_NM_ACTUALS_BUDGET and arg.get("expr_id"):
            domain = Domain.AND(
                [
                    [
                        ("date_from", "<=", period.date_to),
                        ("date_to", ">=", period.date_from),
                        ("kpi_expression_id", "=", arg["expr_id"]),
                        ("budget_id", "=", period.source_mis_budget_id.id),
                    ],
                    period._get_additional_budget_item_filter(),
                ]
            )
            return {
                "name": self._get_drilldown_action_name(arg),
                "domain": list(domain),
                "type": "ir.actions.act_window",
                "res_model": "mis.budget.item",
                "views": [[False, "list"], [False, "form"]],
                "view_mode": "list,form",
                "target": "current",
            }
        action = super().drilldown(arg)
        if (
            action
            and action.get("res_model") == CARBON_SOURCE_MODEL
            and self.env["account.analytic.line"].has_access("read")
        ):
            # who may read analytic lines reads them; approvers stay on the rows
            rows = self.env[CARBON_SOURCE_MODEL].search(action["domain"])
            action.update(
                {
                    "res_model": "account.analytic.line",
                    "domain": [("id", "in", rows.analytic_line_id.ids)],
                    "views": [[False, "list"], [False, "form"], [False, "pivot"]],
                    "view_mode": "list,form,pivot",
                }
            )
        return action
