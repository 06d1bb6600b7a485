# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..tools import travel


class NmTravelMode(models.Model):
    """A way of travelling, with the emission factor it is counted with."""

    _name = "nm.travel.mode"
    _description = "Travel mode"
    _order = "sequence, id"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)
    emission_factor_id = fields.Many2one(
        "nm.emission.factor",
        required=True,
        ondelete="restrict",
        domain="[('factor_type', '=', 'physical')]",
        help="Factor in kgCO2e per km; the version valid at the declaration's month "
        "is used.",
    )
    factor_value = fields.Float(
        related="emission_factor_id.value", string="kgCO2e per km"
    )
    per_vehicle = fields.Boolean(
        string="Shared vehicle",
        compute="_compute_per_vehicle",
        store=True,
        help="The factor is per vehicle.km (cars): the carbon of a trip is shared "
        "between the occupants.",
    )
    is_low_carbon = fields.Boolean(
        string="Low-carbon mode",
        help="Walking, cycling and public transport: counted in the share of "
        "low-carbon trips.",
    )
    band_group = fields.Selection(
        [("plane", "Plane")],
        string="Distance band group",
        help="Modes of one group (e.g. plane) differ only by trip distance: the "
        "mode whose band covers the distance of a trip is used.",
    )
    band_min_km = fields.Float(string="Band above (km)")
    band_max_km = fields.Float(
        string="Band up to (km)", help="Leave 0 for no upper limit."
    )
    active = fields.Boolean(default=True)

    _code_unique = models.UniqueIndex("(code)", "A travel mode code must be unique.")
    _band_ordered = models.Constraint(
        "CHECK (band_max_km = 0 OR band_max_km IS NULL OR band_max_km > band_min_km)",
        "The upper limit of a distance band must be above its lower limit.",
    )

    @api.depends("emission_factor_id.unit")
    def _compute_per_vehicle(self):
        for mode in self:
            mode.per_vehicle = mode.emission_factor_id.unit == "vehicle_km"

    def _for_distance(self, distance_km, band_modes=None, on_date=None):
        """The mode of this mode's band group whose band covers ``distance_km``
        (this mode when it has no band group or no band matches); pass
        ``band_modes`` (from ``_band_modes``) to resolve many trips in one query.

        Bands change with the factors (ADEME's plane bands of October 2025): with
        ``on_date``, only the modes whose factor has a version valid on that date are
        candidates, so that a 2024 flight is counted with the 2024 bands."""
        self.ensure_one()
        if not self.band_group:
            return self
        if band_modes is None:
            band_modes = self._band_modes()
        candidates = band_modes.get(self.band_group, [])
        if on_date:
            dated = [
                (mode, periods)
                for mode, periods in candidates
                if any(
                    start <= on_date and (not end or on_date <= end)
                    for start, end in periods
                )
            ]
            # a date no version covers (before the first one): the current bands
            candidates = dated or [
                (mode, periods) for mode, periods in candidates if mode.active
            ]
        for mode, _periods in candidates:
            if travel.in_band(distance_km, mode.band_min_km, mode.band_max_km):
                return mode
        return self

    def _band_modes(self):
        """{band group: [(mode, [(date_start, date_end) of its factor's versions])]},
        archived modes included (they carry the bands of past factor versions)."""
        modes = self.with_context(active_test=False).search(
            [("band_group", "!=", False)], order="band_min_km, id"
        )
        factors = modes.emission_factor_id
        versions = {}
        for factor in (
            self.env["nm.emission.factor"]
            .with_context(active_test=False)
            .search(
                [
                    ("code", "in", factors.mapped("code")),
                    ("company_id", "in", [False, *factors.company_id.ids]),
                ]
            )
        ):
            versions.setdefault((factor.code, factor.company_id.id), []).append(
                (factor.date_start, factor.date_end)
            )
        groups = {}
        for mode in modes:
            factor = mode.emission_factor_id
            groups.setdefault(mode.band_group, []).append(
                (mode, versions.get((factor.code, factor.company_id.id), []))
            )
        return groups
