# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.nm_carbon_budget.models.nm_locked_mixin import ALL

from ..tools import travel
from .nm_travel_declaration import TRAVEL_TYPES


class NmTravelDeclarationLine(models.Model):
    """Trips of one kind, mode and distance in a month."""

    _name = "nm.travel.declaration.line"
    _description = "Travel declaration line"
    _inherit = ["nm.locked.mixin"]
    _order = "declaration_id, sequence, id"
    # the declaration's state, stored on the line; a submitted declaration is
    # frozen for its agent (see nm.travel.declaration._check_editable)
    # copies of the declaration and figures computed from the trip: never typed
    _nm_workflow_fields = frozenset(
        {
            "state",
            "user_id",
            "department_id",
            "analytic_account_id",
            "company_id",
            "is_low_carbon",
            "emission_factor_id",
            "total_km",
            "carbon_kg",
            "journey_count",
            "low_carbon_km",
            "low_carbon_journey_count",
        }
    )
    _nm_locked_fields = {"validated": ALL, "booked": ALL, "cancel": ALL}
    _nm_undeletable_states = ("validated", "booked", "cancel")

    declaration_id = fields.Many2one(
        "nm.travel.declaration",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    employee_id = fields.Many2one(
        "hr.employee",
        compute="_compute_from_declaration",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        copy=False,
        help="Filled from the declaration; in the team grid and in imports, the "
        "line goes to this employee's declaration of the month.",
    )
    date = fields.Date(
        string="Month",
        compute="_compute_from_declaration",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        copy=False,
    )
    travel_type = fields.Selection(
        TRAVEL_TYPES, string="Type", required=True, default="commute"
    )
    mode_id = fields.Many2one("nm.travel.mode", required=True, ondelete="restrict")
    distance_km = fields.Float(
        string="km per trip",
        digits=(16, 1),
        help="Distance of one trip (one way), in km.",
    )
    trip_count = fields.Integer(string="Trips", default=1)
    round_trip = fields.Boolean(default=True)
    occupants = fields.Integer(
        default=1, help="People in the car, the driver included (carpooling)."
    )
    long_distance_confirmed = fields.Boolean(
        help="The agent confirms a home–work distance over 200 km per trip."
    )
    per_vehicle = fields.Boolean(related="mode_id.per_vehicle")
    is_low_carbon = fields.Boolean(
        related="mode_id.is_low_carbon", store=True, string="Low-carbon"
    )
    # graphs and pivots label a boolean group "true"/"false": they group on this
    carbon_class = fields.Selection(
        [("low_carbon", "Low-carbon modes"), ("other", "Other modes")],
        string="Kind of mode",
        compute="_compute_carbon_class",
        store=True,
    )
    emission_factor_id = fields.Many2one(
        "nm.emission.factor",
        compute="_compute_carbon",
        store=True,
        string="Factor version",
    )
    emission_factor_value = fields.Float(
        related="emission_factor_id.value",
        string="Factor",
        digits=(16, 4),
        help="kgCO2e per unit of the mode's factor (per passenger.km, or per "
        "vehicle.km for cars, shared between the occupants), in the version valid "
        "for the month.",
    )
    emission_factor_source = fields.Char(
        related="emission_factor_id.source", string="Source of the factor"
    )
    total_km = fields.Float(
        string="km",
        compute="_compute_carbon",
        store=True,
        digits=(16, 1),
        aggregator="sum",
    )
    carbon_kg = fields.Float(
        string="kgCO2e",
        compute="_compute_carbon",
        store=True,
        digits=(16, 4),
        aggregator="sum",
    )
    journey_count = fields.Integer(
        string="Journeys",
        compute="_compute_carbon",
        store=True,
        aggregator="sum",
        help="One-way journeys: a round trip counts twice.",
    )
    low_carbon_km = fields.Float(
        compute="_compute_carbon", store=True, digits=(16, 1), aggregator="sum"
    )
    low_carbon_journey_count = fields.Integer(
        string="Low-carbon journeys",
        compute="_compute_carbon",
        store=True,
        aggregator="sum",
    )
    # Stored copies of the declaration's fields: record rules, reports and the
    # team grid filter and group on them without joins.
    user_id = fields.Many2one(
        related="declaration_id.user_id", store=True, index="btree_not_null"
    )
    department_id = fields.Many2one(
        related="declaration_id.department_id", store=True, index=True
    )
    analytic_account_id = fields.Many2one(
        related="declaration_id.analytic_account_id", store=True, index=True
    )
    state = fields.Selection(related="declaration_id.state", store=True)
    company_id = fields.Many2one(
        related="declaration_id.company_id", store=True, index=True
    )

    @api.depends("declaration_id.name", "mode_id.name")
    def _compute_display_name(self):
        for line in self:
            parts = (line.declaration_id.name, line.mode_id.name)
            line.display_name = " — ".join(part for part in parts if part)

    @api.depends("declaration_id.employee_id", "declaration_id.date")
    def _compute_from_declaration(self):
        for line in self:
            line.employee_id = line.declaration_id.employee_id or line.employee_id
            line.date = line.declaration_id.date or line.date

    @api.depends(
        "distance_km",
        "trip_count",
        "round_trip",
        "occupants",
        "mode_id.emission_factor_id",
        "mode_id.is_low_carbon",
        "declaration_id.date",
    )
    def _compute_carbon(self):
        version_at = self._factor_versions(self.mode_id.emission_factor_id)
        for line in self:
            km = travel.total_km(line.distance_km, line.trip_count, line.round_trip)
            factor = version_at(
                line.mode_id.emission_factor_id, line.declaration_id.date
            )
            journeys = travel.trip_legs(line.trip_count, line.round_trip)
            line.emission_factor_id = factor
            line.total_km = km
            line.carbon_kg = travel.carbon_kg(
                km, factor.value, line.mode_id.per_vehicle, line.occupants
            )
            line.journey_count = journeys
            line.low_carbon_km = km if line.mode_id.is_low_carbon else 0.0
            line.low_carbon_journey_count = (
                journeys if line.mode_id.is_low_carbon else 0
            )

    def _factor_versions(self, factors):
        """A function (factor, date) -> the version of the factor valid on that
        date, as ``nm.emission.factor._get_version_at`` decides, with one search
        for all the versions of ``factors`` (instead of one per factor and month:
        lines of many months are computed together)."""
        Factor = self.env["nm.emission.factor"]
        versions = {}
        if factors:
            for version in Factor.search(
                [
                    ("code", "in", list(set(factors.mapped("code")))),
                    ("company_id", "in", [False, *factors.company_id.ids]),
                ]
            ):
                key = (version.code, version.company_id.id)
                versions.setdefault(key, Factor)
                versions[key] |= version

        def covers(version, on_date):
            return version.date_start <= on_date and (
                not version.date_end or on_date <= version.date_end
            )

        def version_at(factor, on_date):
            if not factor or not on_date or covers(factor, on_date):
                return factor
            candidates = versions.get((factor.code, factor.company_id.id), Factor)
            return next((v for v in candidates if covers(v, on_date)), factor)

        return version_at

    @api.constrains("distance_km", "travel_type", "long_distance_confirmed")
    def _check_distance(self):
        for line in self:
            if line.distance_km < 0:
                raise ValidationError(
                    self.env._(
                        "A distance cannot be negative (%(km)s km): enter the "
                        "distance of one trip in km.",
                        km=line.distance_km,
                    )
                )
            if line.travel_type != "commute":
                continue
            if line.distance_km > travel.COMMUTE_MAX_KM:
                raise ValidationError(
                    self.env._(
                        "A home–work commute of %(km)s km per trip is not possible: "
                        "enter the distance of one trip (one way) in km, at most "
                        "1,000 km. For an exceptional trip, choose the type Mission.",
                        km=line.distance_km,
                    )
                )
            if (
                line.distance_km > travel.COMMUTE_CONFIRM_KM
                and not line.long_distance_confirmed
            ):
                raise ValidationError(
                    self.env._(
                        "A home–work commute of %(km)s km per trip is unusual: check "
                        "the distance of one trip (one way) and tick “Long distance "
                        "confirmed” if it is right.",
                        km=line.distance_km,
                    )
                )

    @api.constrains("trip_count", "occupants", "distance_km")
    def _check_counts(self):
        for line in self:
            if line.trip_count < 0:
                raise ValidationError(
                    self.env._("The number of trips cannot be negative.")
                )
            if not line.trip_count or not line.distance_km:
                # a line of 0 km or 0 trips counts nothing: a forgotten figure
                raise ValidationError(
                    self.env._(
                        "Enter the km per trip and the number of trips on every "
                        "trip line, or remove the line."
                    )
                )
            if line.occupants < 1:
                raise ValidationError(
                    self.env._(
                        "A vehicle has at least one occupant, the driver: enter 1 "
                        "or more."
                    )
                )

    @api.onchange("travel_type", "distance_km")
    def _onchange_long_commute(self):
        if (
            self.travel_type == "commute"
            and travel.COMMUTE_CONFIRM_KM < self.distance_km <= travel.COMMUTE_MAX_KM
            and not self.long_distance_confirmed
        ):
            return {
                "warning": {
                    "title": self.env._("Long commute"),
                    "message": self.env._(
                        "%(km)s km per trip for a home–work commute is unusual. If it "
                        "is right, tick “Long distance confirmed”.",
                        km=self.distance_km,
                    ),
                }
            }
        return None

    @api.depends("is_low_carbon")
    def _compute_carbon_class(self):
        for line in self:
            line.carbon_class = "low_carbon" if line.is_low_carbon else "other"

    @api.model
    def get_import_templates(self):
        # French users get French column names (the field labels they read) and
        # decimals with a comma; the import matches both to the fields
        template = (
            "nm_travel_declaration_line_template_fr.csv"
            if (self.env.lang or "").startswith("fr")
            else "nm_travel_declaration_line_template.csv"
        )
        return [
            {
                "label": self.env._("Import template for travel lines"),
                "template": f"/nm_mobility/static/src/csv/{template}",
            }
        ]

    @api.model
    def _check_figures(self, vals_list, creating=True):
        """Refuse, before anything is written, figures no trip has (over RPC, an
        import, the team grid or the portal alike): a number the database cannot
        hold would otherwise fail with a server error."""
        for vals in vals_list:
            if ("mode_id" in vals or creating) and not vals.get("mode_id"):
                raise ValidationError(
                    self.env._(
                        "Choose a mode of transport on every line you filled in."
                    )
                )
            error = travel.figure_error(
                vals.get("distance_km"), vals.get("trip_count"), vals.get("occupants")
            )
            if error:
                raise ValidationError(self._figure_message(*error))

    def _figure_message(self, name, value):
        shown = value if isinstance(value, (int, float)) else "?"
        if name == "distance_km":
            return self.env._(
                "A distance of %(value)s km per trip is not possible: enter the "
                "distance of one trip in km, at most 40,000 km.",
                value=shown,
            )
        if name == "trip_count":
            return self.env._(
                "%(value)s trips in a month is not possible: enter the number of "
                "trips of the month, at most 1,000.",
                value=shown,
            )
        return self.env._(
            "%(value)s occupants is not possible: enter the people in the vehicle, "
            "the driver included, at most 100.",
            value=shown,
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_figures(vals_list)
        self._attach_to_declarations(vals_list)
        self._resolve_band_modes(vals_list)
        lines = super().create(vals_list)
        # the totals by type and mode are a view on the lines: read again
        lines.declaration_id.invalidate_recordset(["summary_ids"])
        lines.declaration_id._check_editable()
        lines.declaration_id._check_line_count()
        return lines

    def write(self, vals):
        self._check_figures([vals], creating=False)
        self.declaration_id._check_editable()
        moves = (
            "employee_id" in vals or "date" in vals
        ) and "declaration_id" not in vals
        changes_band = "mode_id" in vals or "distance_km" in vals
        self.declaration_id.invalidate_recordset(["summary_ids"])
        if not (moves or changes_band):
            return super().write(vals)
        # The declaration or the distance band may differ from one line to another:
        # each line's values are resolved in one pass over all the lines, then the
        # lines ending with the same values are written together.
        lines_vals = []
        for line in self:
            line_vals = dict(vals)
            if moves:
                line_vals.setdefault("employee_id", line.employee_id.id)
                line_vals.setdefault("date", line.date)
            line_vals.setdefault("mode_id", line.mode_id.id)
            line_vals.setdefault("distance_km", line.distance_km)
            lines_vals.append(line_vals)
        if moves:
            self._attach_to_declarations(lines_vals, force=True)
        self._resolve_band_modes(
            lines_vals, on_dates=[line.declaration_id.date for line in self]
        )
        groups = defaultdict(list)
        for line, line_vals in zip(self, lines_vals, strict=True):
            key = tuple(
                sorted((name, repr(value)) for name, value in line_vals.items())
            )
            groups[key].append((line.id, line_vals))
        for members in groups.values():
            super(NmTravelDeclarationLine, self.browse([i for i, _v in members])).write(
                members[0][1]
            )
        self.declaration_id._check_editable()
        self.declaration_id.invalidate_recordset(["summary_ids"])
        return True

    def _nm_check_unlink(self):
        # called by nm.locked.mixin's unlink, whatever the context
        self.declaration_id._check_editable()
        self.declaration_id.invalidate_recordset(["summary_ids"])
        return super()._nm_check_unlink()

    def _nm_lock_message(self, names):
        return self.env._(
            "The trips of %(ref)s cannot be changed: it is validated or cancelled. "
            "Ask a carbon manager to cancel it and set it back to draft to correct "
            "it.",
            ref=self.declaration_id.name,
        )

    def _nm_unlink_message(self):
        return self._nm_lock_message([])

    @api.model
    def _attach_to_declarations(self, vals_list, force=False):
        """Lines entered in the team grid or imported name an employee and a month
        instead of a declaration: add them to that declaration, created as a draft
        when the employee has none for the month."""
        Declaration = self.env["nm.travel.declaration"]
        wanted = {}
        for vals in vals_list:
            if vals.get("declaration_id") and not force:
                # the declaration decides the employee and the month
                vals.pop("employee_id", None)
                vals.pop("date", None)
                continue
            if not vals.get("employee_id") or not vals.get("date"):
                raise UserError(
                    self.env._(
                        "Each trip line needs an employee and a month: fill in the "
                        "Employee and Month columns."
                    )
                )
            month = travel.month_start(fields.Date.to_date(vals["date"]))
            vals["date"] = month
            wanted[(vals["employee_id"], month)] = False
        if not wanted:
            return
        existing = Declaration.search(
            [
                ("employee_id", "in", list({e for e, _m in wanted})),
                ("date", "in", list({m for _e, m in wanted})),
            ]
        )
        for declaration in existing:
            key = (declaration.employee_id.id, declaration.date)
            if key in wanted:
                wanted[key] = declaration.id
        missing = [key for key, dec_id in wanted.items() if not dec_id]
        if missing:
            created = Declaration.create(
                [{"employee_id": emp, "date": month} for emp, month in missing]
            )
            for key, declaration in zip(missing, created, strict=True):
                wanted[key] = declaration.id
        for vals in vals_list:
            if vals.get("declaration_id") and not force:
                continue
            vals["declaration_id"] = wanted[(vals["employee_id"], vals["date"])]

    @api.model
    def _resolve_band_modes(self, vals_list, on_dates=None):
        """A plane trip is counted with the band of its distance, among the bands
        valid on the declaration's month (``on_dates``: the month of each vals,
        when they name no declaration nor date). All the vals are resolved with
        one read of the modes, of the declarations and of the bands."""
        on_dates = on_dates or [None] * len(vals_list)
        modes = self.env["nm.travel.mode"].browse(
            {vals["mode_id"] for vals in vals_list if vals.get("mode_id")}
        )
        band_modes = modes.filtered("band_group")
        if not band_modes:
            return
        bands = band_modes._band_modes()
        declarations = self.env["nm.travel.declaration"].browse(
            {vals["declaration_id"] for vals in vals_list if vals.get("declaration_id")}
        )
        months = {declaration.id: declaration.date for declaration in declarations}
        for vals, on_date in zip(vals_list, on_dates, strict=True):
            mode = modes.browse(vals.get("mode_id"))
            if not mode or mode not in band_modes:
                continue
            trip_date = (
                months.get(vals.get("declaration_id"))
                or fields.Date.to_date(vals.get("date"))
                or on_date
            )
            vals["mode_id"] = mode._for_distance(
                vals.get("distance_km") or 0.0, bands, on_date=trip_date
            ).id
