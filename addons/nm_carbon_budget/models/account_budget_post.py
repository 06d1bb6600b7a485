# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountBudgetPost(models.Model):
    _inherit = "account.budget.post"

    carbon_category_ids = fields.Many2many(
        "nm.carbon.category",
        string="Emission items",
        help="Carbon booked on these emission items (or on items below them) counts "
        "on the budget lines of this position, whatever the general account.",
    )

    def _check_account_ids(self, vals):
        # A carbon-only position (e.g. "Mobilité") matches by emission item and needs
        # no general account; OCA requires one for € positions.
        if "carbon_category_ids" in vals:
            categories = self.new(
                {"carbon_category_ids": vals["carbon_category_ids"]}
            ).carbon_category_ids
        else:
            categories = self.carbon_category_ids
        if categories:
            return
        return super()._check_account_ids(vals)

    def _carbon_category_pairs(self):
        """(position id, emission item id) for every item a position covers: its
        own items and every item below them."""
        # Read as superuser: the € figures of a budget line depend on them, and an
        # accountant without carbon rights must still see those figures.
        positions = self.sudo()
        own = positions.carbon_category_ids
        if not own:
            return []
        covered = (
            self.env["nm.carbon.category"]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "child_of", own.ids)])
        )
        pairs = set()
        for position in positions:
            prefixes = [f"{cat.parent_path}" for cat in position.carbon_category_ids]
            for category in covered:
                if any(category.parent_path.startswith(prefix) for prefix in prefixes):
                    pairs.add((position.id, category.id))
        return sorted(pairs)
