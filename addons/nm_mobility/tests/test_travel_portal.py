# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import date

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import TravelFixturesMixin


@tagged("post_install", "-at_install")
class TestTravelPortal(TravelFixturesMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_travel_fixtures()

    def _post(self, data):
        data = dict(data, csrf_token=http.Request.csrf_token(self))
        return self.url_open("/my/travel", data=data)

    def _declarations(self, employee):
        return self.env["nm.travel.declaration"].search(
            [("employee_id", "=", employee.id)]
        )

    def test_agent_posts_the_form(self):
        """Acceptance 4: an agent posts /my/travel, the declaration exists with the
        right totals; another agent can neither read it nor post for them."""
        self.authenticate("nm_mob_agent", "nm_mob_agent")
        page = self.url_open("/my/travel?month=2026-03")
        self.assertEqual(page.status_code, 200)
        self.assertIn('name="line_0_mode_id"', page.text)
        self.assertIn('name="csrf_token"', page.text)
        response = self._post(
            {
                "month": "2026-03",
                "line_0_travel_type": "commute",
                "line_0_mode_id": str(self.mode_car.id),
                "line_0_distance_km": "12",
                "line_0_trip_count": "18",
                "line_0_round_trip": "1",
                "line_0_occupants": "1",
                "line_1_travel_type": "mission",
                "line_1_mode_id": str(self.mode_tgv.id),
                "line_1_distance_km": "400,0",
                "line_1_trip_count": "1",
                "line_1_round_trip": "1",
                "line_1_occupants": "1",
                # an empty row is ignored
                "line_2_travel_type": "commute",
                "line_2_mode_id": "",
                "line_2_distance_km": "",
                "line_2_trip_count": "",
                "line_2_occupants": "1",
                # someone else's employee is ignored: the page is the user's own
                "employee_id": str(self.employee_agent2.id),
                "action": "submit",
            }
        )
        self.assertEqual(response.status_code, 200)
        declaration = self._declarations(self.employee_agent)
        self.assertEqual(len(declaration), 1)
        self.assertEqual(declaration.date, date(2026, 3, 1))
        self.assertEqual(declaration.state, "submitted")
        self.assertEqual(declaration.total_km, 1232.0)
        # 94.0032 (car) + 2.344 (TGV)
        self.assertAlmostEqual(declaration.carbon_kg, 96.3472, places=4)
        self.assertFalse(self._declarations(self.employee_agent2))
        # kgCO2e of a declaration are shown as whole kg: 96.3472 -> 96
        self.assertRegex(response.text, r'id="nm_travel_carbon_kg"[^>]*>96</strong>')
        self.assertRegex(response.text, r'id="nm_travel_total_km"[^>]*>1,232</strong>')

        # the other agent cannot read it ...
        self.authenticate("nm_mob_agent2", "nm_mob_agent2")
        other_page = self.url_open("/my/travel?month=2026-03")
        self.assertNotIn(declaration.name, other_page.text)
        self.assertNotRegex(other_page.text, r'id="nm_travel_carbon_kg"[^>]*>96<')
        Declaration = self.env["nm.travel.declaration"].with_user(self.user_agent2)
        self.assertFalse(Declaration.search([("id", "=", declaration.id)]))
        # ... nor post for them: their post creates their own declaration only
        self._post(
            {
                "month": "2026-03",
                "line_0_travel_type": "commute",
                "line_0_mode_id": str(self.mode_bike.id),
                "line_0_distance_km": "3",
                "line_0_trip_count": "10",
                "line_0_occupants": "1",
                "employee_id": str(self.employee_agent.id),
                "declaration_id": str(declaration.id),
                "action": "save",
            }
        )
        declaration.invalidate_recordset()
        self.assertEqual(len(declaration.line_ids), 2)
        self.assertAlmostEqual(declaration.carbon_kg, 96.3472, places=4)
        own = self._declarations(self.employee_agent2)
        self.assertEqual(own.state, "draft")
        # 3 km, one way, 10 trips by bike
        self.assertEqual(own.total_km, 30.0)

    def test_errors_are_shown_and_nothing_is_written(self):
        self.authenticate("nm_mob_agent", "nm_mob_agent")
        response = self._post(
            {
                "month": "2026-03",
                "line_0_travel_type": "commute",
                "line_0_mode_id": str(self.mode_car.id),
                "line_0_distance_km": "250",
                "line_0_trip_count": "18",
                "line_0_round_trip": "1",
                "line_0_occupants": "1",
                "action": "save",
            }
        )
        self.assertIn("nm_travel_error", response.text)
        self.assertIn("250", response.text)
        self.assertFalse(self._declarations(self.employee_agent))
        # confirmed, it is saved
        self._post(
            {
                "month": "2026-03",
                "line_0_travel_type": "commute",
                "line_0_mode_id": str(self.mode_car.id),
                "line_0_distance_km": "250",
                "line_0_trip_count": "1",
                "line_0_occupants": "1",
                "confirm_long": "1",
                "action": "save",
            }
        )
        self.assertEqual(self._declarations(self.employee_agent).total_km, 250.0)

    def test_same_as_last_month(self):
        self._declaration(
            self.employee_agent,
            [self._commute(self.mode_car)],
            month=date(2026, 2, 1),
        )
        self.authenticate("nm_mob_agent", "nm_mob_agent")
        self._post({"month": "2026-03", "action": "copy"})
        march = self._declarations(self.employee_agent).filtered(
            lambda d: d.date == date(2026, 3, 1)
        )
        self.assertEqual(march.state, "draft")
        self.assertAlmostEqual(march.carbon_kg, 94.0032, places=4)
        self.assertEqual(march.line_ids.date, date(2026, 3, 1))
        self.assertEqual(march.line_ids.employee_id, self.employee_agent)

    def test_home_entry_for_internal_users(self):
        self.authenticate("nm_mob_agent", "nm_mob_agent")
        self.assertIn('href="/my/travel"', self.url_open("/my").text)

    def test_browser_fills_the_form(self):
        """Acceptance 5: Chromium fills /my/travel and submits it."""
        self.start_tour(
            "/my/travel?month=2026-03", "nm_travel_portal", login="nm_mob_agent"
        )
        declaration = self._declarations(self.employee_agent)
        self.assertEqual(declaration.state, "submitted")
        self.assertAlmostEqual(declaration.carbon_kg, 94.0032, places=4)

    def test_page_in_french(self):
        """Numbers and months in the agent's language: 1 430 km, 311 kgCO2e,
        novembre 2026 (not 1430.0 km, 311.17 and 2026-11)."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.user_agent.lang = "fr_FR"
        declaration = self.env["nm.travel.declaration"].create(
            {
                "employee_id": self.employee_agent.id,
                "date": date(2026, 11, 1),
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "travel_type": "mission",
                            "mode_id": self.mode_car.id,
                            "distance_km": 715.0,
                            "trip_count": 1,
                            "round_trip": True,
                            "occupants": 1,
                        },
                    )
                ],
            }
        )
        self.authenticate("nm_mob_agent", "nm_mob_agent")
        page = self.url_open("/my/travel?month=2026-11")
        self.assertEqual(page.status_code, 200)
        text = re.sub(r"[\u202f\xa0]", " ", page.text)
        # 715 km × 2 = 1,430 km; × 0.2176 kgCO2e/km (ADEME car) = 311.168 kgCO2e,
        # shown as whole kg, in French: 1 430 km, 311 kgCO2e
        self.assertRegex(text, r'id="nm_travel_total_km"[^>]*>1 430</strong> km')
        kg = f"{round(declaration.carbon_kg):,}".replace(",", " ")
        self.assertRegex(text, f'id="nm_travel_carbon_kg"[^>]*>{kg}</strong> kgCO2e')
        self.assertIn("novembre 2026", text)  # the page title and the history
        self.assertNotIn("1430.0", text)
        self.assertNotIn(">2026-11<", text)
