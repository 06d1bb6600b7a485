# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

FACTOR_UNITS = [
    ("passenger_km", "passenger.km"),
    ("vehicle_km", "vehicle.km"),
    ("tonne_km", "t.km"),
    ("km", "km"),
    ("kwh", "kWh"),
    ("mwh", "MWh"),
    ("l", "litre"),
    ("m3", "m³"),
    ("kg", "kg"),
    ("t", "tonne"),
    ("eur", "€ excl. VAT"),
    ("keur", "k€ excl. VAT"),
    ("meal", "meal"),
    ("unit", "unit"),
]
MONETARY_UNITS = ("eur", "keur")

# Fields that define what a factor says: once carbon was booked with a version, they
# are frozen on it and a change means a new dated version.
VERSIONED_FIELDS = {"value", "unit", "date_start", "code", "company_id"}


class NmEmissionFactor(models.Model):
    """An emission factor version: kgCO2e per unit, valid between two dates.

    Versions of one factor share its ``code`` (the source's identifier); the version
    used for a line is the one valid at the line's date.
    """

    _name = "nm.emission.factor"
    _description = "Emission factor"
    _inherit = ["mail.thread", "nm.locked.mixin"]
    _order = "name, date_start desc"

    # A version used for booked carbon keeps what it says, and is kept.
    _nm_lock_state = "is_used"
    _nm_locked_fields = {True: tuple(VERSIONED_FIELDS)}
    _nm_undeletable_states = (True,)

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True,
        index=True,
        help="Identifier of the factor at its source (e.g. the ADEME Base Empreinte "
        "element id); all versions of one factor share it.",
    )
    value = fields.Float(
        string="Value (kgCO2e per unit)",
        required=True,
        digits=(16, 6),
        tracking=True,
    )
    unit = fields.Selection(FACTOR_UNITS, required=True, default="unit", tracking=True)
    factor_type = fields.Selection(
        [("physical", "Physical"), ("monetary", "Monetary ratio")],
        compute="_compute_factor_type",
        store=True,
    )
    uncertainty = fields.Float(
        string="Uncertainty (%)",
        help="Relative uncertainty of the value, in percent. Monetary ratios are "
        "orders of magnitude: 50 % or more.",
    )
    source = fields.Char(required=True, default="ADEME Base Empreinte")
    source_year = fields.Integer()
    date_start = fields.Date(
        string="Valid from", required=True, default=lambda self: fields.Date.today()
    )
    date_end = fields.Date(string="Valid until")
    carbon_category_id = fields.Many2one(
        "nm.carbon.category", string="Emission item", index=True
    )
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the factor with every company.",
    )
    note = fields.Text()
    active = fields.Boolean(default=True)
    is_used = fields.Boolean(
        compute="_compute_is_used",
        help="Carbon has been booked with this version: its value is frozen.",
    )
    version_count = fields.Integer(compute="_compute_version_count")

    _value_positive = models.Constraint(
        "CHECK (value >= 0)", "An emission factor cannot be negative."
    )
    _uncertainty_range = models.Constraint(
        "CHECK (uncertainty >= 0 AND uncertainty <= 1000)",
        "The uncertainty is a percentage between 0 and 1000.",
    )
    _dates_ordered = models.Constraint(
        "CHECK (date_end IS NULL OR date_end >= date_start)",
        "A factor cannot end before it starts.",
    )

    @api.depends("unit")
    def _compute_factor_type(self):
        for factor in self:
            factor.factor_type = (
                "monetary" if factor.unit in MONETARY_UNITS else "physical"
            )

    def _compute_is_used(self):
        used = self._used_factor_ids()
        for factor in self:
            factor.is_used = factor.id in used

    def _compute_version_count(self):
        counts = dict(
            self.with_context(active_test=False)._read_group(
                [("code", "in", self.mapped("code"))], ["code"], ["__count"]
            )
        )
        for factor in self:
            factor.version_count = counts.get(factor.code, 0)

    @api.constrains("code", "date_start", "date_end", "company_id")
    def _check_versions_do_not_overlap(self):
        for factor in self:
            domain = [
                ("id", "!=", factor.id),
                ("code", "=", factor.code),
                ("company_id", "=", factor.company_id.id),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", factor.date_start),
            ]
            if factor.date_end:
                domain.append(("date_start", "<=", factor.date_end))
            clash = self.with_context(active_test=False).search(domain, limit=1)
            if clash:
                raise ValidationError(
                    self.env._(
                        "Factor %(code)s already has a version valid from %(start)s: "
                        "versions of one factor cannot overlap. Close the current "
                        "version (Valid until) or use “New version”.",
                        code=factor.code,
                        start=clash.date_start,
                    )
                )

    def _nm_lock_message(self, names):
        return self.env._(
            "Carbon has already been booked with %(factor)s: its value, unit and "
            "start date are kept as they were. Create a new version from the date "
            "the new value applies.",
            factor=self.display_name,
        )

    def _nm_unlink_message(self):
        return self.env._(
            "Carbon has already been booked with %(factor)s: it is kept. Close it "
            "(Valid until) or archive it instead.",
            factor=self.display_name,
        )

    def _used_factor_ids(self):
        if not self.ids:
            return set()
        self.env.cr.execute(
            "SELECT DISTINCT emission_factor_id FROM account_analytic_line "
            "WHERE emission_factor_id = ANY(%s)",
            [list(self.ids)],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _get_version_at(self, on_date):
        """The version of this factor (same code and company) valid on ``on_date``;
        the factor itself when no version covers the date."""
        self.ensure_one()
        if not on_date:
            return self
        if self.date_start <= on_date and (
            not self.date_end or on_date <= self.date_end
        ):
            return self
        version = self.search(
            [
                ("code", "=", self.code),
                ("company_id", "=", self.company_id.id),
                ("date_start", "<=", on_date),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", on_date),
            ],
            limit=1,
        )
        return version or self

    def _create_version(self, value, date_start, uncertainty=None, source_year=None):
        """Close this version the day before ``date_start`` and open a new one."""
        self.ensure_one()
        if date_start <= self.date_start:
            raise UserError(
                self.env._(
                    "A new version must start after %(start)s, when the current "
                    "version of %(factor)s starts.",
                    start=self.date_start,
                    factor=self.display_name,
                )
            )
        later = self.search(
            [
                ("code", "=", self.code),
                ("company_id", "=", self.company_id.id),
                ("date_start", ">", self.date_start),
            ],
            limit=1,
        )
        if later:
            raise UserError(
                self.env._(
                    "%(factor)s already has a later version: add the new version "
                    "from the latest one.",
                    factor=self.display_name,
                )
            )
        # Closing a version touches only date_end, which booked carbon does not use.
        self.write({"date_end": date_start - timedelta(days=1)})
        return self.copy(
            {
                "value": value,
                "date_start": date_start,
                "date_end": False,
                "uncertainty": self.uncertainty if uncertainty is None else uncertainty,
                "source_year": source_year or self.source_year,
                "name": self.name,
            }
        )

    def action_view_versions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Versions of %s", self.code),
            "res_model": "nm.emission.factor",
            "view_mode": "list,form",
            "domain": [("code", "=", self.code)],
            "context": {"active_test": False},
        }
