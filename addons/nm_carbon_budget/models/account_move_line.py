# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _carbon_factor_and_level(self):
        """The emission factor of a vendor bill line and where it was found:
        product, then product category, then general account, then company."""
        self.ensure_one()
        product = self.product_id
        candidates = (
            ("product", product.product_tmpl_id.emission_factor_id),
            ("product_category", product.categ_id.emission_factor_id),
            ("account", self.account_id.emission_factor_id),
            ("company", self.company_id.default_emission_factor_id),
        )
        for level, factor in candidates:
            if factor:
                return factor, level
        return self.env["nm.emission.factor"], False

    def _prepare_analytic_distribution_line(
        self, distribution, account_ids, distribution_on_each_plan
    ):
        vals = super()._prepare_analytic_distribution_line(
            distribution, account_ids, distribution_on_each_plan
        )
        if not self.move_id.is_purchase_document(include_receipts=True):
            return vals
        factor, level = self._carbon_factor_and_level()
        if factor:
            # The compute of carbon_kg turns factor × amount into kgCO2e, with the
            # version of the factor valid at the line's date.
            vals.update(
                {
                    "emission_factor_id": factor.id,
                    "carbon_factor_level": level,
                    "carbon_source": "monetary"
                    if factor.factor_type == "monetary"
                    else "physical",
                }
            )
        return vals
