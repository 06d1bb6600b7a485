# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import AccessError

READER_GROUPS = (
    "nm_carbon_budget.group_carbon_controller",
    "nm_carbon_budget.group_carbon_approver",
)


class NmExecutiveTransfersReport(models.AbstractModel):
    """The year's transfers between directions the executive decided within its
    margin, as the executive reports them to the deliberative assembly (the M57
    fungibility rule): each applied DM, the margin, what it used, what is left."""

    _name = "report.nm_carbon_budget.report_executive_transfers_document"
    _description = "Statement of the executive's carbon transfers"

    @api.model
    def _get_report_values(self, docids, data=None):
        if not any(self.env.user.has_group(group) for group in READER_GROUPS):
            raise AccessError(
                self.env._(
                    "The statement of the executive's transfers is printed by the "
                    "carbon controllers and the approvers."
                )
            )
        budgets = self.env["crossovered.budget"].browse(docids)
        budgets.check_access("read")
        Amendment = self.env["nm.carbon.amendment"].sudo()
        margins = Amendment._nm_executive_margins(budgets)
        amendments = Amendment.search(
            [
                ("budget_id", "in", budgets.ids),
                ("state", "=", "applied"),
                ("approval_route", "=", "executive"),
            ],
            order="applied_date, id",
        )
        by_budget = defaultdict(list)
        for amendment in amendments:
            net = defaultdict(float)
            for line in amendment.line_ids:
                net[line.analytic_account_id] += line.delta_kg
            by_budget[amendment.budget_id.id].append(
                {
                    "amendment": amendment,
                    "from": ", ".join(
                        d.display_name for d, kg in net.items() if round(kg) < 0
                    ),
                    "to": ", ".join(
                        d.display_name for d, kg in net.items() if round(kg) > 0
                    ),
                    "moved": amendment.moved_between_kg,
                }
            )
        statements = []
        for budget in budgets:
            margin, used = margins.get(budget.id, (0.0, 0.0))
            statements.append(
                {
                    "budget": budget.sudo(),
                    "percent": budget.company_id.carbon_amendment_executive_margin,
                    "margin": margin,
                    "used": used,
                    "left": max(margin - used, 0.0),
                    "rows": by_budget[budget.id],
                }
            )
        return {
            "doc_ids": docids,
            "doc_model": "crossovered.budget",
            "docs": budgets,
            "statements": statements,
        }
