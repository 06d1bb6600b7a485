# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The rules of a trip line live in the model: the backend form, the team grid,
an import and the portal accept and refuse the same rows, with the same message."""

from datetime import date

from markupsafe import escape

from odoo import Command, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import TravelFixturesMixin

# (rule, line values, the same row as the portal's form posts it, message)
# the portal's row: (travel type, mode xmlid or "", km, trips, occupants)
CAR = "nm_mobility.nm_travel_mode_car_thermal"
TGV = "nm_mobility.nm_travel_mode_tgv"
RULES = [
    ("negative km", ("commute", CAR, -3.0, 18, 1), "cannot be negative"),
    ("commute over 1,000 km", ("commute", CAR, 1200.0, 18, 1), "at most 1,000 km"),
    ("long commute", ("commute", CAR, 250.0, 18, 1), "Long distance confirmed"),
    ("no km", ("commute", CAR, 0.0, 18, 1), "Enter the km per trip"),
    ("no trip", ("commute", CAR, 12.0, 0, 1), "Enter the km per trip"),
    ("negative trips", ("commute", CAR, 12.0, -3, 1), "cannot be negative"),
    ("no occupant", ("commute", CAR, 12.0, 18, 0), "at least one occupant"),
    ("no mode", ("commute", "", 12.0, 18, 1), "Choose a mode of transport"),
    ("too many trips", ("commute", CAR, 12.0, 5000, 1), "trips in a month"),
    ("mission over 40,000 km", ("mission", TGV, 50000.0, 1, 1), "at most 40,000"),
]


class TravelRulesMixin(TravelFixturesMixin):
    def _vals(self, rule):
        travel_type, mode, km, trips, occupants = rule
        return {
            "travel_type": travel_type,
            "mode_id": self.env.ref(mode).id if mode else False,
            "distance_km": km,
            "trip_count": trips,
            "round_trip": True,
            "occupants": occupants,
        }

    def _refusal(self, call):
        """The message a call is refused with; nothing written."""
        with self.assertRaises(UserError) as caught:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                call()
        return caught.exception.args[0]

    def _backend_refusals(self, rule):
        """The refusal of the backend form, the team grid (and imports) and the
        model method the portal calls, for one row."""
        vals = self._vals(rule)
        Declaration = self.env["nm.travel.declaration"].with_user(self.user_head)
        Line = self.env["nm.travel.declaration.line"].with_user(self.user_head)
        draft = Declaration._for_employee_month(self.employee_agent, date(2026, 5, 1))
        return {
            "form": self._refusal(
                lambda: Declaration.create(
                    {
                        "employee_id": self.employee_agent.id,
                        "date": date(2026, 4, 1),
                        "line_ids": [Command.create(vals)],
                    }
                )
            ),
            "team grid": self._refusal(
                lambda: Line.create(
                    dict(
                        vals,
                        employee_id=self.employee_agent.id,
                        date=date(2026, 4, 1),
                    )
                )
            ),
            "replace lines": self._refusal(lambda: draft._replace_lines([vals])),
        }


@tagged("post_install", "-at_install")
class TestTravelRules(TravelRulesMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_travel_fixtures()

    def test_every_path_refuses_the_same_rows(self):
        for name, rule, message in RULES:
            with self.subTest(rule=name):
                refusals = self._backend_refusals(rule)
                self.assertEqual(len(set(refusals.values())), 1, refusals)
                self.assertIn(message, refusals["form"])

    def test_replace_lines(self):
        declaration = self._declaration(
            self.employee_agent, [self._commute(self.mode_car)]
        )
        mine = declaration.with_user(self.user_agent)
        # 3 km × 10 trips × 2 by bike, 400 km × 1 × 2 by TGV
        mine._replace_lines(
            [
                self._commute(self.mode_bike, 3, 10),
                dict(self._commute(self.mode_tgv, 400, 1), travel_type="mission"),
            ]
        )
        self.assertEqual(declaration.line_ids.mode_id, self.mode_bike | self.mode_tgv)
        self.assertEqual(declaration.total_km, 860.0)
        # a bad row among good ones: the saved trips stay as they were
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            mine._replace_lines(
                [self._commute(self.mode_car), self._commute(self.mode_car, -2)]
            )
        self.assertEqual(declaration.total_km, 860.0)
        # the long-commute confirmation of the form applies to every row
        mine._replace_lines(
            [self._commute(self.mode_car, 250, 1)], long_distance_confirmed=True
        )
        self.assertEqual(declaration.total_km, 500.0)
        # sent to the manager: the agent no longer replaces anything
        mine.action_submit()
        with self.assertRaisesRegex(UserError, "already been sent"):
            mine._replace_lines([self._commute(self.mode_bike, 3, 10)])
        # nor does the manager replace the whole month: they correct line by line
        with self.assertRaisesRegex(UserError, "already been sent"):
            declaration.with_user(self.user_head)._replace_lines([])
        self.assertEqual(declaration.total_km, 500.0)

    def test_totals_read_as_their_lines(self):
        """The totals by mode are read with the lines' record rules: a colleague
        reads none of them, the agent and the head of department read them."""
        declaration = self._declaration(
            self.employee_agent, [self._commute(self.mode_car)]
        )
        Summary = self.env["nm.travel.declaration.summary"]
        domain = [("declaration_id", "=", declaration.id)]
        self.assertFalse(Summary.with_user(self.user_agent2).search(domain))
        for user in (self.user_agent, self.user_head):
            rows = Summary.with_user(user).search(domain)
            # 12 km × 18 trips × 2 = 432 km by car
            self.assertEqual(rows.mapped("total_km"), [432.0])

    def test_copy_last_month(self):
        february = self._declaration(
            self.employee_agent,
            [self._commute(self.mode_car), self._commute(self.mode_bike, 3, 10)],
            month=date(2026, 2, 1),
        )
        Declaration = self.env["nm.travel.declaration"].with_user(self.user_agent)
        march = Declaration._for_employee_month(self.employee_agent, date(2026, 3, 12))
        self.assertEqual(march.date, date(2026, 3, 1))
        self.assertEqual(march.state, "draft")
        # the button of the backend form does the same as the portal's
        march.action_copy_last_month()
        # car 12 × 18 × 2 = 432 km, bike 3 × 10 × 2 = 60 km
        self.assertEqual(march.total_km, 492.0)
        self.assertAlmostEqual(march.carbon_kg, february.carbon_kg, places=4)
        self.assertEqual(set(march.line_ids.mapped("date")), {date(2026, 3, 1)})
        # the same month found again, not a second one
        self.assertEqual(
            Declaration._for_employee_month(self.employee_agent, date(2026, 3, 1)),
            march,
        )
        # nothing before January: nothing to copy, January stays empty
        january = Declaration._for_employee_month(self.employee_agent, date(2026, 1, 1))
        with self.assertRaisesRegex(UserError, "no earlier month to copy"):
            january._copy_last_month()
        self.assertFalse(january.line_ids)
        # a colleague, who may not read the declaration, cannot replace its trips
        with self.assertRaises(AccessError):
            march.with_user(self.user_agent2).action_copy_last_month()
        self.assertEqual(march.total_km, 492.0)
        # a month sent to the manager is not replaced
        march.action_submit()
        with self.assertRaisesRegex(UserError, "already been sent"):
            march._copy_last_month()
        self.assertEqual(march.total_km, 492.0)


@tagged("post_install", "-at_install")
class TestTravelRulesPortal(TravelRulesMixin, HttpCase):
    """The portal shows the model's message, for each rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_travel_fixtures()

    def _post(self, rule):
        travel_type, mode, km, trips, occupants = rule
        return self.url_open(
            "/my/travel",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "month": "2026-04",
                "action": "save",
                "line_0_travel_type": travel_type,
                "line_0_mode_id": str(self.env.ref(mode).id) if mode else "",
                "line_0_distance_km": str(km).replace(".", ","),
                "line_0_trip_count": str(trips),
                "line_0_round_trip": "1",
                "line_0_occupants": str(occupants),
            },
        )

    def test_portal_refuses_what_the_backend_refuses(self):
        self.authenticate("nm_mob_agent", "nm_mob_agent")
        Line = self.env["nm.travel.declaration.line"]
        for name, rule, _message in RULES:
            with self.subTest(rule=name):
                expected = self._backend_refusals(rule)["team grid"]
                count = Line.search_count([])
                response = self._post(rule)
                self.assertEqual(response.status_code, 200)
                self.assertIn("nm_travel_error", response.text)
                self.assertIn(str(escape(expected)), response.text)
                self.assertEqual(Line.search_count([]), count)

    def test_km_per_trip_in_the_agents_language(self):
        """The saved distance comes back in the form as the agent writes it:
        4,5 in French (not 4.5), 1200,0 without a thousands separator so that
        it is read back the same."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.user_agent.lang = "fr_FR"
        self._declaration(
            self.employee_agent,
            [
                self._commute(self.mode_bike, 4.5, 10),
                dict(self._commute(self.mode_tgv, 1200, 1), travel_type="mission"),
            ],
            month=date(2026, 4, 1),
        )
        self.authenticate("nm_mob_agent", "nm_mob_agent")
        page = self.url_open("/my/travel?month=2026-04").text
        self.assertIn('value="4,5"', page)
        self.assertIn('value="1200,0"', page)
        self.assertNotIn('value="4.5"', page)


@tagged("post_install", "-at_install")
class TestTravelCompanies(TravelFixturesMixin, TransactionCase):
    """A declaration stays in its agent's company: no direction, department or
    agent of another city, whoever writes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_travel_fixtures()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create(
            {"name": "Ville B (déplacements)"}
        )
        cls.user_head.company_ids |= cls.company_b
        cls.employee_b = cls.env["hr.employee"].create(
            {"name": "Agent de B", "company_id": cls.company_b.id}
        )
        cls.direction_b = cls.env["account.analytic.account"].create(
            {
                "name": "Culture (B)",
                "plan_id": cls.plan.id,
                "company_id": cls.company_b.id,
            }
        )

    def test_declaration_takes_the_agents_company(self):
        Declaration = self.env["nm.travel.declaration"].with_company(self.company_a)
        declaration = Declaration.create(
            {"employee_id": self.employee_b.id, "date": date(2026, 3, 1)}
        )
        self.assertEqual(declaration.company_id, self.company_b)

    def test_no_record_of_another_company(self):
        declaration = self._declaration(
            self.employee_agent, [self._commute(self.mode_car)]
        )
        self.assertEqual(declaration.company_id, self.company_a)
        managed = declaration.with_user(self.user_head).with_context(
            allowed_company_ids=(self.company_a | self.company_b).ids
        )
        for vals in (
            # the head of the department moves it to the other city
            {"company_id": self.company_b.id},
            {"analytic_account_id": self.direction_b.id},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(UserError, "company inconsistencies"):
                    with self.env.cr.savepoint():
                        managed.write(vals)
        self.assertEqual(declaration.company_id, self.company_a)
        self.assertEqual(declaration.analytic_account_id, self.account_culture)
