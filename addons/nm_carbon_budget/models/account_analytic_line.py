# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import BookedEngine
from ..tools import carbon

CARBON_SOURCES = [
    ("manual", "Entered by hand"),
    ("physical", "Physical factor × quantity"),
    ("monetary", "Monetary ratio × amount"),
    ("travel", "Travel declaration"),
    ("partner", "Partner measure"),
    ("import", "Import"),
]
# Odoo units of measure that a physical factor's unit can be converted from.
UOM_UNITS = {
    "uom.product_uom_kwh": "kwh",
    "uom.product_uom_litre": "l",
    "uom.product_uom_cubic_meter": "m3",
    "uom.product_uom_kgm": "kg",
    "uom.product_uom_ton": "t",
    "uom.product_uom_km": "km",
}
FACTOR_LEVELS = [
    ("product", "Product"),
    ("product_category", "Product category"),
    ("account", "General account"),
    ("company", "Company default"),
    ("manual", "Chosen by hand"),
]


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    carbon_kg = fields.Float(
        string="kgCO2e",
        compute="_compute_carbon_kg",
        store=True,
        readonly=False,
        precompute=True,
        digits=(16, 4),
        aggregator="sum",
        help="Greenhouse-gas emissions of the line in kgCO2e; positive is an "
        "emission, negative a correction (credit note, cancellation).",
    )
    carbon_category_id = fields.Many2one(
        "nm.carbon.category",
        string="Emission item",
        compute="_compute_carbon_category_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
    )
    emission_factor_id = fields.Many2one(
        "nm.emission.factor",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    carbon_source = fields.Selection(
        CARBON_SOURCES,
        compute="_compute_carbon_source",
        store=True,
        readonly=False,
        precompute=True,
    )
    carbon_factor_level = fields.Selection(
        FACTOR_LEVELS,
        string="Factor found on",
        readonly=True,
        help="Where the emission factor of a vendor bill line was found.",
    )
    carbon_uncertainty = fields.Float(
        string="Uncertainty (%)",
        compute="_compute_carbon_uncertainty",
        store=True,
        readonly=False,
        precompute=True,
    )

    @api.depends(
        "emission_factor_id", "carbon_source", "unit_amount", "amount", "product_uom_id"
    )
    def _compute_carbon_kg(self):
        for line in self:
            factor = line.emission_factor_id
            if not factor or line.carbon_source not in ("physical", "monetary"):
                line.carbon_kg = line.carbon_kg or 0.0
                continue
            line.carbon_kg = line._carbon_from_factor(factor)

    def _carbon_from_factor(self, factor):
        """kgCO2e of this line with ``factor``: a monetary ratio applies to the amount
        spent (analytic amounts of costs are negative), a physical factor to the
        quantity, with the sign of the amount (a credit note gives it back)."""
        self.ensure_one()
        if factor.factor_type == "monetary":
            return carbon.carbon_from_amount(factor.value, factor.unit, -self.amount)
        sign = -1.0 if self.amount > 0 else 1.0
        quantity = abs(self.unit_amount)
        line_unit = self._factor_unit_of_uom(self.product_uom_id)
        if line_unit:
            try:
                quantity = carbon.convert_quantity(quantity, line_unit, factor.unit)
            except ValueError as error:
                raise UserError(
                    self.env._(
                        "The quantity of “%(line)s” is in %(uom)s, which cannot be "
                        "converted into the unit of the factor %(factor)s. Choose a "
                        "factor of the same kind of unit.",
                        line=self.name,
                        uom=self.product_uom_id.name,
                        factor=factor.display_name,
                    )
                ) from error
        return sign * carbon.carbon_from_factor(factor.value, quantity)

    def _factor_unit_of_uom(self, uom):
        """The factor unit matching an Odoo unit of measure, if any."""
        if not uom:
            return False
        for xmlid, unit in UOM_UNITS.items():
            if (
                self.env["ir.model.data"]._xmlid_to_res_id(
                    xmlid, raise_if_not_found=False
                )
                == uom.id
            ):
                return unit
        return False

    @api.depends("emission_factor_id")
    def _compute_carbon_category_id(self):
        for line in self:
            if (
                line.emission_factor_id.carbon_category_id
                and not line.carbon_category_id
            ):
                line.carbon_category_id = line.emission_factor_id.carbon_category_id
            else:
                line.carbon_category_id = line.carbon_category_id

    @api.depends("emission_factor_id")
    def _compute_carbon_source(self):
        for line in self:
            if line.emission_factor_id and line.carbon_source in (False, "manual"):
                line.carbon_source = (
                    "monetary"
                    if line.emission_factor_id.factor_type == "monetary"
                    else "physical"
                )
            else:
                line.carbon_source = line.carbon_source or "manual"

    @api.depends("emission_factor_id")
    def _compute_carbon_uncertainty(self):
        for line in self:
            if line.emission_factor_id:
                line.carbon_uncertainty = line.emission_factor_id.uncertainty
            else:
                line.carbon_uncertainty = line.carbon_uncertainty

    @api.constrains("product_uom_id", "emission_factor_id")
    def _check_factor_unit(self):
        for line in self:
            if line.emission_factor_id.factor_type == "physical":
                line._carbon_from_factor(line.emission_factor_id)

    @api.model_create_multi
    def create(self, vals_list):
        self._resolve_factor_versions(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not vals.get("emission_factor_id"):
            return super().write(vals)
        # each line books the version valid on its own date (the new date when the
        # write changes it): the lines are grouped by resolved version, one search
        # for all of them and one write per version.
        factor_id = vals["emission_factor_id"]
        new_date = fields.Date.to_date(vals.get("date"))
        on_dates = {line: new_date or line.date for line in self}
        versions = self._factor_versions_at(
            {(factor_id, on_date) for on_date in on_dates.values()}
        )
        by_version = {}
        for line, on_date in on_dates.items():
            version_id = versions[factor_id, on_date]
            by_version.setdefault(version_id, self.browse())
            by_version[version_id] |= line
        for version_id, lines in by_version.items():
            super(AccountAnalyticLine, lines).write(
                {**vals, "emission_factor_id": version_id}
            )
        return True

    @api.model
    def _resolve_factor_versions(self, vals_list):
        """Replace the factor of each line by its version valid at the line's date,
        so that carbon is booked with the value that applied then."""
        today = fields.Date.context_today(self)
        keys = {
            (vals["emission_factor_id"], fields.Date.to_date(vals.get("date")) or today)
            for vals in vals_list
            if vals.get("emission_factor_id")
        }
        if not keys:
            return
        versions = self._factor_versions_at(keys)
        for vals in vals_list:
            if vals.get("emission_factor_id"):
                on_date = fields.Date.to_date(vals.get("date")) or today
                vals["emission_factor_id"] = versions[
                    vals["emission_factor_id"], on_date
                ]

    @api.model
    def _factor_versions_at(self, keys):
        """``{(factor id, date): id of the version valid on that date}`` for a set of
        (factor id, date) pairs, in one search whatever their number: a version
        shares its factor's code and company; the factor itself stands when no
        version covers the date (as ``nm.emission.factor._get_version_at``)."""
        Factor = self.env["nm.emission.factor"]
        factors = Factor.browse({factor_id for factor_id, _date in keys})

        def covers(version, on_date):
            return version.date_start <= on_date and (
                not version.date_end or on_date <= version.date_end
            )

        missing = [
            (factor_id, on_date)
            for factor_id, on_date in keys
            if on_date and not covers(Factor.browse(factor_id), on_date)
        ]
        candidates = Factor
        if missing:
            candidates = Factor.search(
                [
                    ("code", "in", list({Factor.browse(f).code for f, _d in missing})),
                    ("date_start", "<=", max(on_date for _f, on_date in missing)),
                ]
            )
        result = {}
        for factor_id, on_date in keys:
            factor = factors.browse(factor_id)
            version = factor
            if on_date and not covers(factor, on_date):
                version = next(
                    (
                        candidate
                        for candidate in candidates
                        if candidate.code == factor.code
                        and candidate.company_id == factor.company_id
                        and covers(candidate, on_date)
                    ),
                    factor,
                )
            result[factor_id, on_date] = version.id
        return result

    @api.model
    def _carbon_total_kg(self, domain=None, plan=None):
        """Organisation total in kgCO2e: a sum over one analytic plan (the company's
        carbon reference plan by default), never over all analytic lines, so a
        journal item split over several plans is counted once."""
        plan = plan or self.env.company.carbon_plan_id
        if not plan:
            raise UserError(
                self.env._(
                    "Choose the carbon reference plan (the plan of your directions) in "
                    "the Carbon budget settings first."
                )
            )
        return BookedEngine(self.env).carbon_total(domain, plan)
