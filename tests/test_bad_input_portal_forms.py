# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bad input on the portal forms: text, "nan", "inf", huge or fractional counts in
number fields. The form comes back with a message in the user's words (never a
server error) and nothing is written."""

from odoo.http import Request
from odoo.tests import HttpCase, tagged

from odoo.addons.nm_mobility.tests.common import TravelFixturesMixin
from odoo.addons.nm_progress_plan.tests.common import setup_progress_fixtures

# (distance, trips, occupants) of a commute line that must be refused
BAD_TRAVEL_ROWS = [
    ("douze", "18", "1"),
    ("12km", "18", "1"),
    ("nan", "18", "1"),
    ("inf", "18", "1"),
    ("1e309", "18", "1"),
    ("12", "beaucoup", "1"),
    ("12", "1e309", "1"),
    ("12", "nan", "1"),
    ("12", "2,5", "1"),
    ("12", "18", "deux"),
    ("12", "18", "1,5"),
]


@tagged("post_install", "-at_install")
class TestTravelFormBadNumbers(TravelFixturesMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_travel_fixtures()

    def _post(self, distance, trips, occupants):
        data = {
            "csrf_token": Request.csrf_token(self),
            "month": "2026-03",
            "line_0_travel_type": "commute",
            "line_0_mode_id": str(self.mode_car.id),
            "line_0_distance_km": distance,
            "line_0_trip_count": trips,
            "line_0_round_trip": "1",
            "line_0_occupants": occupants,
            "action": "save",
        }
        return self.url_open("/my/travel", data=data)

    def test_numbers_that_are_not(self):
        self.authenticate("nm_mob_agent", "nm_mob_agent")
        Declaration = self.env["nm.travel.declaration"]
        Line = self.env["nm.travel.declaration.line"]
        counts = (Declaration.search_count([]), Line.search_count([]))
        for distance, trips, occupants in BAD_TRAVEL_ROWS:
            with self.subTest(distance=distance, trips=trips, occupants=occupants):
                response = self._post(distance, trips, occupants)
                self.assertEqual(response.status_code, 200)
                self.assertIn("nm_travel_error", response.text)
                self.assertIn("is not a number", response.text)
                self.assertEqual(
                    (Declaration.search_count([]), Line.search_count([])), counts
                )
        # the same form with numbers is saved: 12 km × 18 trips × 2 = 432 km
        response = self._post("12", "18", "1")
        self.assertEqual(response.status_code, 200)
        declaration = Declaration.search([("employee_id", "=", self.employee_agent.id)])
        self.assertEqual(declaration.total_km, 432.0)


@tagged("post_install", "-at_install")
class TestMeasureFormBadNumbers(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_progress_fixtures(cls)
        cls.clause_bike = cls.convention_a.clause_ids.filtered(
            lambda c: c.indicator_unit == "%"
        )
        cls.review_url = (
            f"/my/conventions/{cls.convention_a.id}/review/{cls.review_a.id}"
        )

    def test_values_that_are_not_numbers(self):
        self.authenticate("pp_portal_a", "pp_portal_a")
        Measure = self.env["nm.progress.measure"]
        before = Measure.search_count([])
        for raw in ("beaucoup", "12,5 %", "nan", "inf", "-inf", "1e309", "12..5"):
            with self.subTest(raw=raw):
                response = self.url_open(
                    self.review_url + "/submit",
                    data={
                        "csrf_token": Request.csrf_token(self),
                        f"value_{self.clause_bike.id}": raw,
                        "comment": "Premier trimestre",
                    },
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn("is not a number", response.text)
                self.assertEqual(Measure.search_count([]), before)
                self.review_a.invalidate_recordset()
                self.assertEqual(self.review_a.state, "open")
        # with a French decimal it is recorded as 27.5
        response = self.url_open(
            self.review_url + "/submit",
            data={
                "csrf_token": Request.csrf_token(self),
                f"value_{self.clause_bike.id}": "27,5",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.review_a.measure_ids.mapped("value"), [27.5])
