# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bad input on the portal forms: text, "nan", "inf", huge or fractional counts in
number fields. The form comes back with a message in the user's words (never a
server error) and nothing is written."""

from odoo import Command
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

    def _post_rows(self, *rows, month="2026-04"):
        """Post rows of (distance, trips, occupants) by car, commute."""
        data = {
            "csrf_token": Request.csrf_token(self),
            "month": month,
            "action": "save",
        }
        for index, (distance, trips, occupants) in enumerate(rows):
            data.update(
                {
                    f"line_{index}_travel_type": "commute",
                    f"line_{index}_mode_id": str(self.mode_car.id),
                    f"line_{index}_distance_km": distance,
                    f"line_{index}_trip_count": trips,
                    f"line_{index}_round_trip": "1",
                    f"line_{index}_occupants": occupants,
                }
            )
        return self.url_open("/my/travel", data=data)

    def test_typed_rows_come_back_with_the_message(self):
        """The agent corrects the one wrong figure: the rows typed are in the
        form again, the good one and the bad one."""
        self.authenticate("nm_mob_agent", "nm_mob_agent")
        response = self._post_rows(("7,5", "18", "1"), ("12,5kg", "4", "1"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("is not a number", response.text)
        self.assertIn('value="7,5"', response.text)
        self.assertIn('value="12,5kg"', response.text)
        self.assertFalse(
            self.env["nm.travel.declaration"].search(
                [("employee_id", "=", self.employee_agent.id)]
            )
        )

    def test_one_bad_line_writes_none(self):
        """A good line and a refused one in the same post: no declaration, no
        line, whichever figure is wrong."""
        self.authenticate("nm_mob_agent", "nm_mob_agent")
        Declaration = self.env["nm.travel.declaration"]
        Line = self.env["nm.travel.declaration.line"]
        counts = (Declaration.search_count([]), Line.search_count([]))
        for bad_row, message in (
            (("-3", "18", "1"), "cannot be negative"),
            (("1200", "18", "1"), "at most 1,000 km"),
            (("12", "-3", "1"), "number of trips cannot be negative"),
            (("12", "18", "-3"), "at least one occupant"),
            (("", "18", "1"), "Enter the km per trip and the number of trips"),
            (("12", "", "1"), "Enter the km per trip and the number of trips"),
        ):
            with self.subTest(row=bad_row):
                response = self._post_rows(("12", "18", "1"), bad_row)
                self.assertEqual(response.status_code, 200)
                self.assertIn("nm_travel_error", response.text)
                self.assertIn(message, response.text)
                self.assertEqual(
                    (Declaration.search_count([]), Line.search_count([])), counts
                )

    def test_bad_post_keeps_the_saved_draft(self):
        """The saved lines of a draft are replaced only by a post that is
        entirely right: 12 km × 18 trips × 2 = 432 km stay."""
        declaration = self.env["nm.travel.declaration"].create(
            {
                "employee_id": self.employee_agent.id,
                "date": "2026-04-01",
                "line_ids": [
                    Command.create(
                        {
                            "travel_type": "commute",
                            "mode_id": self.mode_car.id,
                            "distance_km": 12,
                            "trip_count": 18,
                        }
                    )
                ],
            }
        )
        self.authenticate("nm_mob_agent", "nm_mob_agent")
        for rows in ((("30", "18", "1"), ("-3", "2", "1")), (("30", "beaucoup", "1"),)):
            with self.subTest(rows=rows):
                response = self._post_rows(*rows)
                self.assertEqual(response.status_code, 200)
                self.assertIn("nm_travel_error", response.text)
                declaration.invalidate_recordset()
                self.assertEqual(len(declaration.line_ids), 1)
                self.assertEqual(declaration.total_km, 432.0)

    def test_nul_bytes_and_overflows_never_a_server_error(self):
        """NUL characters in any field of the form, numbers no database column
        holds and figures no trip has: the form comes back with a message (or
        the page is shown again), never a server error, and nothing is written."""
        self.authenticate("nm_mob_agent", "nm_mob_agent")
        Declaration = self.env["nm.travel.declaration"]
        Line = self.env["nm.travel.declaration.line"]
        counts = (Declaration.search_count([]), Line.search_count([]))
        for row, message in (
            (("12", "99999999999", "1"), "trips in a month is not possible"),
            (("12", "18", "99999999999"), "occupants is not possible"),
            (("1e308", "18", "1"), "is not possible"),
            (("39999", "999", "1"), "is not possible"),
            (("12\x00", "18", "1"), "cannot be saved (NUL)"),
            (("12", "1\x008", "1"), "cannot be saved (NUL)"),
        ):
            with self.subTest(row=row):
                response = self._post_rows(row)
                self.assertEqual(response.status_code, 200)
                self.assertIn("nm_travel_error", response.text)
                self.assertIn(message, response.text)
                self.assertEqual(
                    (Declaration.search_count([]), Line.search_count([])), counts
                )
        # a mission of 39,999 km × 999 trips × 2 would be 80 million km: refused
        # above as a commute over 1,000 km, and as a mission too
        data = {
            "csrf_token": Request.csrf_token(self),
            "month": "2026-04",
            "action": "save",
            "line_0_travel_type": "mission",
            "line_0_mode_id": str(self.mode_tgv.id),
            "line_0_distance_km": "1e308",
            "line_0_trip_count": "18",
            "line_0_round_trip": "1",
            "line_0_occupants": "1",
        }
        response = self.url_open("/my/travel", data=data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("at most 40,000 km", response.text)
        for name in ("month", "action", "line_0_mode_id", "line_0_travel_type"):
            with self.subTest(field=name):
                bad = dict(data, line_0_distance_km="12")
                bad[name] = bad[name] + "\x00"
                response = self.url_open("/my/travel", data=bad)
                self.assertLess(response.status_code, 500)
                if name != "month":  # an unreadable month shows the page again
                    self.assertIn("cannot be saved (NUL)", response.text)
                self.assertEqual(
                    (Declaration.search_count([]), Line.search_count([])), counts
                )
        # too many rows: only the rows of the form are read, a month stays small
        many = dict(data, line_0_distance_km="12")
        for index in range(1, 500):
            many.update(
                {
                    f"line_{index}_travel_type": "commute",
                    f"line_{index}_mode_id": str(self.mode_bike.id),
                    f"line_{index}_distance_km": "3",
                    f"line_{index}_trip_count": "2",
                    f"line_{index}_occupants": "1",
                }
            )
        response = self.url_open("/my/travel", data=many)
        self.assertLess(response.status_code, 500)
        self.assertLessEqual(Line.search_count([]) - counts[1], 30)


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

    def test_values_no_indicator_can_have(self):
        """A negative figure, a share over 100 or no figure at all: the form
        comes back with the message and the good value of the same post is not
        recorded either."""
        self.authenticate("pp_portal_a", "pp_portal_a")
        clause_touring = self.convention_a.clause_ids.filtered(
            lambda c: c.indicator_unit == "kgCO2e"
        )
        Measure = self.env["nm.progress.measure"]
        before = Measure.search_count([])
        for bike, touring, message in (
            ("27,5", "-3", "cannot be negative (-3)"),
            ("150", "900", "is a share in percent: it cannot be more than 100"),
            ("", "", "Enter at least one value before submitting."),
        ):
            with self.subTest(bike=bike, touring=touring):
                response = self.url_open(
                    self.review_url + "/submit",
                    data={
                        "csrf_token": Request.csrf_token(self),
                        f"value_{self.clause_bike.id}": bike,
                        f"value_{clause_touring.id}": touring,
                        "comment": "Premier trimestre",
                    },
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertEqual(Measure.search_count([]), before)
                self.review_a.invalidate_recordset()
                self.assertEqual(self.review_a.state, "open")
        # the edge values are right: 100 % and 0 kgCO2e
        response = self.url_open(
            self.review_url + "/submit",
            data={
                "csrf_token": Request.csrf_token(self),
                f"value_{self.clause_bike.id}": "100",
                f"value_{clause_touring.id}": "0",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            sorted(self.review_a.measure_ids.mapped("value")), [0.0, 100.0]
        )

    def test_nul_bytes_long_texts_and_overflows(self):
        """A NUL character in a comment or a file name, a comment of a whole
        book, a figure of 309 digits: the form comes back with the message
        (HTTP 400), never a server error, and nothing is recorded."""
        self.authenticate("pp_portal_a", "pp_portal_a")
        Measure = self.env["nm.progress.measure"]
        Attachment = self.env["ir.attachment"]
        before = (Measure.search_count([]), Attachment.search_count([]))
        value = f"value_{self.clause_bike.id}"
        comment = f"comment_{self.clause_bike.id}"
        evidence = f"evidence_{self.clause_bike.id}"
        for data, files, message in (
            ({value: "1e308"}, None, "is not a plausible figure"),
            ({value: "99999999999999999999"}, None, "is not a plausible figure"),
            ({value: "12\x00"}, None, "is not a number"),
            ({value: "12", "comment": "merci\x00"}, None, "cannot be saved (NUL)"),
            ({value: "12", comment: "a\x00b"}, None, "cannot be saved (NUL)"),
            ({value: "12", "comment": "x" * 20000}, None, "is too long"),
            (
                {value: "12"},
                {evidence: ("rapport\x00.pdf", b"%PDF-1.4")},
                "rename the file",
            ),
            (
                {value: "12"},
                {evidence: ("r" * 300 + ".pdf", b"%PDF-1.4")},
                "rename the file",
            ),
        ):
            with self.subTest(data=str(data)[:60], files=bool(files)):
                response = self.url_open(
                    self.review_url + "/submit",
                    data={"csrf_token": Request.csrf_token(self), **data},
                    files=files,
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertEqual(
                    (Measure.search_count([]), Attachment.search_count([])), before
                )
                self.review_a.invalidate_recordset()
                self.assertEqual(self.review_a.state, "open")
