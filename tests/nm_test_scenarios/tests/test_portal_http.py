# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""HTTP guarantees of both portals: a visitor who is not logged in is sent to the
login page (and back afterwards), never shown data; a POST without its CSRF token is
refused and writes nothing."""

from urllib.parse import parse_qs, urlparse

from odoo.http import Request
from odoo.tests import HttpCase, tagged

from odoo.addons.nm_mobility.tests.common import TravelFixturesMixin
from odoo.addons.nm_progress_plan.tests.common import setup_progress_fixtures


@tagged("post_install", "-at_install")
class TestPortalHttp(TravelFixturesMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_travel_fixtures()
        setup_progress_fixtures(cls)
        cls.clause_bike = cls.convention_a.clause_ids.filtered(
            lambda c: c.indicator_unit == "%"
        )
        cls.review_url = (
            f"/my/conventions/{cls.convention_a.id}/review/{cls.review_a.id}"
        )

    def _assert_login_redirect(self, path):
        response = self.url_open(path, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303), path)
        location = urlparse(response.headers["Location"])
        self.assertEqual(location.path, "/web/login", path)
        # back to the page after logging in
        self.assertEqual(parse_qs(location.query)["redirect"][0].rstrip("?"), path)
        self.assertNotIn(self.convention_a.title, response.text)

    def test_visitors_go_to_the_login_page(self):
        attachment = self.attachment_b
        for path in (
            "/my/conventions",
            "/my/travel",
            "/my/travel?month=2026-03",
            f"/my/conventions/{self.convention_a.id}",
            self.review_url,
            f"/my/conventions/{self.convention_b.id}/attachment/{attachment.id}",
        ):
            with self.subTest(path=path):
                self._assert_login_redirect(path)

    def test_a_wrong_token_gives_no_data(self):
        response = self.url_open(
            f"/my/conventions/{self.convention_a.id}?access_token=not-the-token"
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.convention_a.title, response.text)

    def test_post_without_csrf_token_is_refused(self):
        Declaration = self.env["nm.travel.declaration"]
        Measure = self.env["nm.progress.measure"]
        before = (Declaration.search_count([]), Measure.search_count([]))
        self.authenticate("nm_mob_agent", "nm_mob_agent")
        travel = {
            "month": "2026-03",
            "line_0_travel_type": "commute",
            "line_0_mode_id": str(self.mode_car.id),
            "line_0_distance_km": "12",
            "line_0_trip_count": "18",
            "line_0_occupants": "1",
            "action": "save",
        }
        for data in (travel, dict(travel, csrf_token="forged")):
            with self.subTest(token=data.get("csrf_token")):
                response = self.url_open("/my/travel", data=data)
                self.assertEqual(response.status_code, 400)
        self.authenticate("pp_portal_a", "pp_portal_a")
        response = self.url_open(
            self.review_url + "/submit",
            data={f"value_{self.clause_bike.id}": "30"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            (Declaration.search_count([]), Measure.search_count([])), before
        )
        # the same post with the session's token goes through
        response = self.url_open(
            self.review_url + "/submit",
            data={
                "csrf_token": Request.csrf_token(self),
                f"value_{self.clause_bike.id}": "30",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Measure.search_count([]), before[1] + 1)
