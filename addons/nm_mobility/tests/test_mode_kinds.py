# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The low-carbon share graph names its two groups ("Low-carbon modes", "Other
modes") instead of the "true"/"false" the web client prints for a boolean."""

from lxml import etree

from odoo.tests import TransactionCase, tagged

from .common import TravelFixturesMixin


@tagged("post_install", "-at_install")
class TestModeKinds(TravelFixturesMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_travel_fixtures()

    def test_low_carbon_share_groups_have_names(self):
        Line = self.env["nm.travel.declaration.line"]
        self.env["nm.travel.declaration"].create(
            {
                "employee_id": self.employee_agent.id,
                "date": self.month,
                "line_ids": [
                    (0, 0, self._commute(self.mode_car)),
                    (0, 0, self._commute(self.mode_bike, 3, 4)),
                ],
            }
        )
        lines = Line.search([("employee_id", "=", self.employee_agent.id)])
        self.assertEqual(
            {line.mode_id: line.carbon_class for line in lines},
            {self.mode_car: "other", self.mode_bike: "low_carbon"},
        )
        view = self.env.ref(
            "nm_mobility.nm_travel_declaration_line_view_graph_low_carbon"
        )
        arch = etree.fromstring(
            Line.get_views([(view.id, "graph")])["views"]["graph"]["arch"]
        )
        groupby = [f.get("name") for f in arch.xpath("//field[not(@type)]")]
        self.assertEqual(groupby, ["carbon_class"])
        labels = dict(Line._fields["carbon_class"]._description_selection(self.env))
        self.assertEqual(labels["low_carbon"], "Low-carbon modes")
        for mode in (
            self.mode_plane_short,
            self.mode_plane_medium,
            self.mode_plane_long,
        ):
            # the key stays "plane" (bands are matched on it); French users read
            # its label, "Avion" (checked with every selection by test_french_ui)
            self.assertEqual(mode.band_group, "plane")
        labels = dict(self.env["nm.travel.mode"]._fields["band_group"].selection)
        self.assertEqual(labels["plane"], "Plane")
