# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class NmAmendmentChainReport(models.AbstractModel):
    """Inalterability check of the applied DM carbone of a company, printable for
    an auditor: each link of the hash chain, and the first one that breaks."""

    _name = "report.nm_carbon_budget.report_amendment_chain_document"
    _description = "Inalterability check of the applied carbon amendments"

    @api.model
    def _get_report_values(self, docids, data=None):
        amendments = self.env["nm.carbon.amendment"].browse(docids)
        companies = amendments.company_id or self.env.company
        checks = []
        for company in companies:
            rows = self.env["nm.carbon.amendment"]._chain_report(company)
            broken = next((r for r in rows if r["status"] == "broken"), None)
            checks.append({"company": company, "rows": rows, "broken": broken})
        return {
            "doc_ids": docids,
            "doc_model": "nm.carbon.amendment",
            "docs": amendments,
            "checks": checks,
            # naive UTC: the datetime widget shows it in the user's timezone
            "checked_on": fields.Datetime.now(),
        }
