# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

BEGES_CATEGORIES = [
    ("1", "1 - Direct emissions"),
    ("2", "2 - Indirect emissions from imported energy"),
    ("3", "3 - Indirect emissions from transport"),
    ("4", "4 - Indirect emissions from purchased products"),
    ("5", "5 - Indirect emissions from sold products"),
    ("6", "6 - Other indirect emissions"),
]


class NmCarbonCategory(models.Model):
    """Emission item ("poste d'émission").

    Two families live in one tree: the BEGES v5 categories and items (regulatory
    report), and the items an authority budgets by (mobility, building energy...),
    each mapped to the BEGES item it reports under.
    """

    _name = "nm.carbon.category"
    _description = "Emission item"
    _parent_store = True
    _order = "complete_name"
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True
    )
    category_type = fields.Selection(
        [("beges", "BEGES item"), ("budget", "Budget item")],
        required=True,
        default="budget",
    )
    parent_id = fields.Many2one("nm.carbon.category", index=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("nm.carbon.category", "parent_id")
    beges_item_id = fields.Many2one(
        "nm.carbon.category",
        string="BEGES item",
        domain=[("category_type", "=", "beges")],
        ondelete="restrict",
        help="The item of the regulatory greenhouse-gas report (BEGES v5) this "
        "budget item is reported under.",
    )
    beges_category = fields.Selection(
        BEGES_CATEGORIES,
        string="BEGES category",
        compute="_compute_beges_category",
        store=True,
        recursive=True,
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _code_unique = models.UniqueIndex(
        "(code)", "Each emission item needs its own code."
    )

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            if category.parent_id:
                category.complete_name = (
                    f"{category.parent_id.complete_name} / {category.name}"
                )
            else:
                category.complete_name = category.name

    @api.depends(
        "category_type",
        "code",
        "beges_item_id.beges_category",
        "parent_id.beges_category",
    )
    def _compute_beges_category(self):
        valid = {key for key, _label in BEGES_CATEGORIES}
        for category in self:
            if category.category_type == "beges":
                head = (category.code or "")[:1]
                category.beges_category = head if head in valid else False
            elif category.beges_item_id:
                category.beges_category = category.beges_item_id.beges_category
            else:
                category.beges_category = category.parent_id.beges_category

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("An emission item cannot be its own parent.")
            )
