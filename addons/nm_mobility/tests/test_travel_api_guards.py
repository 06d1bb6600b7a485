# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The travel declaration's rules hold at the API: as the agent would call
``write``, ``create``, ``unlink`` or a button over JSON-RPC, with every context key
the code or Odoo ever honoured. Each refusal carries a message and writes nothing."""

import json
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import TravelFixturesMixin

# every context key a caller may send that once switched a guard off, or that
# Odoo honours (install, uninstall, forced deletion, no tracking)
CONTEXTS = [
    {},
    {"install_mode": True},
    {"_force_unlink": True},
    {"nm_travel_workflow": True},
    {"nm_adjustment": True},
    {"tracking_disable": True},
    {"module_uninstall": True},
    {
        "install_mode": True,
        "_force_unlink": True,
        "nm_travel_workflow": True,
        "module_uninstall": True,
    },
]


@tagged("post_install", "-at_install")
class TestTravelApiGuards(TravelFixturesMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_travel_fixtures()

    def _refused(self, call, exception=UserError, message=None):
        """``call`` raises ``exception`` (with ``message``) and writes nothing."""
        with self.assertRaises(exception) as caught, self.env.cr.savepoint():
            call()
        if message:
            self.assertIn(message, str(caught.exception))
        self.assertTrue(str(caught.exception))
        return caught.exception

    def _submitted(self, month=None):
        declaration = self._declaration(
            self.employee_agent, [self._commute(self.mode_car)], month=month
        )
        declaration.with_user(self.user_agent).action_submit()
        return declaration

    def _booked(self, month=None):
        declaration = self._submitted(month)
        declaration.with_user(self.user_head).action_validate()
        self.assertEqual(declaration.state, "booked")
        return declaration

    def test_agent_cannot_validate_own_declaration(self):
        declaration = self._submitted()
        for context in CONTEXTS:
            as_agent = declaration.with_user(self.user_agent).with_context(**context)
            with self.subTest(context=context):
                self._refused(
                    lambda d=as_agent: d.write(
                        {
                            "state": "validated",
                            "validated_by_id": self.user_head.id,
                            "validation_date": date(2026, 4, 2),
                        }
                    ),
                    message="change only through the buttons",
                )
                self._refused(lambda d=as_agent: d.write({"state": "booked"}))
                self._refused(lambda d=as_agent: d.action_validate(), AccessError)
                self._refused(lambda d=as_agent: d.action_book())
        self.assertEqual(declaration.state, "submitted")
        self.assertFalse(declaration.validated_by_id)
        self.assertFalse(declaration.validation_date)
        self.assertFalse(declaration.analytic_line_ids)

    def test_agent_creates_no_validated_declaration(self):
        Declaration = self.env["nm.travel.declaration"].with_user(self.user_agent)
        before = Declaration.search_count([])
        for context in CONTEXTS:
            with self.subTest(context=context):
                self._refused(
                    lambda c=context: Declaration.with_context(**c).create(
                        {
                            "employee_id": self.employee_agent.id,
                            "date": date(2026, 6, 1),
                            "state": "booked",
                            "validated_by_id": self.user_head.id,
                        }
                    ),
                    message="change only through the buttons",
                )
        self.assertEqual(Declaration.search_count([]), before)

    def test_agent_never_declares_for_a_colleague(self):
        declaration = self._declaration(
            self.employee_agent, [self._commute(self.mode_car)]
        )
        Declaration = self.env["nm.travel.declaration"]
        before = Declaration.search_count([])
        for context in CONTEXTS:
            as_agent = declaration.with_user(self.user_agent).with_context(**context)
            with self.subTest(context=context):
                # reassigned: the carbon would move to the colleague's direction
                error = self._refused(
                    lambda d=as_agent: d.write(
                        {"employee_id": self.employee_agent2.id}
                    ),
                    AccessError,
                    "each agent declares their own travel",
                )
                self.assertNotIn("Agent Deux", str(error))
                self._refused(
                    lambda d=as_agent: d.write(
                        {"department_id": self.department_other.id}
                    ),
                    message="Only a manager",
                )
                self._refused(
                    lambda d=as_agent: d.write(
                        {"analytic_account_id": self.account_other.id}
                    ),
                    message="Only a manager",
                )
                # created for the colleague, by the declaration or the team grid
                self._refused(
                    lambda c=context: (
                        Declaration.with_user(self.user_agent)
                        .with_context(**c)
                        .create(
                            {"employee_id": self.employee_agent2.id, "date": self.month}
                        )
                    ),
                    AccessError,
                    "You can declare only your own travel",
                )
                self._refused(
                    lambda c=context: (
                        self.env["nm.travel.declaration.line"]
                        .with_user(self.user_agent)
                        .with_context(**c)
                        .create(
                            dict(
                                self._commute(self.mode_car),
                                employee_id=self.employee_agent2.id,
                                date="2026-05-01",
                            )
                        )
                    ),
                    AccessError,
                )
        self.assertEqual(declaration.employee_id, self.employee_agent)
        self.assertEqual(declaration.analytic_account_id, self.account_culture)
        self.assertEqual(Declaration.search_count([]), before)
        # the head of the department declares for the team, a carbon manager
        # moves a declaration to another agent
        as_head = self.env["nm.travel.declaration"].with_user(self.user_head)
        team = as_head.create(
            {"employee_id": self.employee_agent.id, "date": date(2026, 7, 1)}
        )
        self.assertEqual(team.employee_id, self.employee_agent)
        team.write({"employee_id": self.employee_head.id})
        self.assertEqual(team.employee_id, self.employee_head)

    def test_computed_figures_are_not_typed(self):
        declaration = self._declaration(
            self.employee_agent, [self._commute(self.mode_car)]
        )
        # car 12 km × 18 trips × 2 = 432 km
        self.assertEqual(declaration.total_km, 432.0)
        kg = declaration.carbon_kg
        as_agent = declaration.with_user(self.user_agent)
        fake_booking = {
            "analytic_line_ids": [
                Command.create(
                    {
                        "name": "Faux",
                        "account_id": self.account_culture.id,
                        "carbon_kg": -500.0,
                    }
                )
            ]
        }
        for vals in (
            {"carbon_kg": 0.0},
            {"total_km": 1.0},
            {"name": "DEC/FAUX"},
            fake_booking,
        ):
            with self.subTest(vals=vals):
                self._refused(lambda v=vals: as_agent.write(v))
        for vals in ({"carbon_kg": 0.0}, {"total_km": 1.0}, {"state": "draft"}):
            with self.subTest(line_vals=vals):
                self._refused(lambda v=vals: as_agent.line_ids.write(v))
        self.assertEqual(declaration.total_km, 432.0)
        self.assertEqual(declaration.carbon_kg, kg)
        self.assertFalse(declaration.analytic_line_ids)

    def test_agent_cannot_change_a_submitted_declaration(self):
        declaration = self._submitted()
        line = declaration.line_ids
        for context in CONTEXTS:
            as_agent = declaration.with_user(self.user_agent).with_context(**context)
            with self.subTest(context=context):
                self._refused(
                    lambda d=as_agent: d.line_ids.write({"distance_km": 120.0}),
                    message="has been sent to your manager",
                )
                self._refused(lambda d=as_agent: d.write({"date": date(2026, 4, 1)}))
                self._refused(lambda d=as_agent: d.line_ids.unlink())
                self._refused(
                    lambda d=as_agent: d.env["nm.travel.declaration.line"].create(
                        dict(self._commute(self.mode_car), declaration_id=d.id)
                    )
                )
                # back to draft is the manager's decision, as validation is
                self._refused(lambda d=as_agent: d.action_draft(), AccessError)
        self.assertEqual(declaration.line_ids, line)
        self.assertEqual(line.distance_km, 12.0)
        self.assertEqual(declaration.state, "submitted")
        # the head corrects it before validating
        line.with_user(self.user_head).distance_km = 10.0
        self.assertEqual(declaration.total_km, 360.0)

    def test_booked_declaration_frozen_whatever_the_context(self):
        declaration = self._booked()
        booked_kg = sum(declaration.analytic_line_ids.mapped("carbon_kg"))
        self.assertAlmostEqual(booked_kg, declaration.carbon_kg, places=6)
        for user in (self.user_agent, self.user_head, self.user_controller):
            for context in CONTEXTS:
                as_user = declaration.with_user(user).with_context(**context)
                with self.subTest(user=user.login, context=context):
                    self._refused(
                        lambda d=as_user: d.line_ids.write({"distance_km": 500.0})
                    )
                    self._refused(lambda d=as_user: d.write({"date": date(2026, 5, 1)}))
                    self._refused(lambda d=as_user: d.write({"state": "draft"}))
                    self._refused(lambda d=as_user: d.action_draft())
                    self._refused(lambda d=as_user: d.unlink())
                    self._refused(lambda d=as_user: d.line_ids.unlink())
        self.assertEqual(declaration.state, "booked")
        self.assertEqual(declaration.line_ids.distance_km, 12.0)
        self.assertAlmostEqual(declaration.carbon_kg, booked_kg, places=6)

    def test_cancel_of_a_booked_declaration_always_reverses(self):
        declaration = self._booked()
        as_agent = declaration.with_user(self.user_agent)
        # the agent cancels nothing booked, and cannot reach draft to cancel there
        self._refused(as_agent.action_cancel, AccessError)
        self._refused(
            lambda: as_agent.with_context(nm_travel_workflow=True).write(
                {"state": "draft"}
            )
        )
        self.assertEqual(declaration.state, "booked")
        self.assertEqual(len(declaration.analytic_line_ids), 1)
        declaration.with_user(self.user_head).action_cancel()
        self.assertEqual(declaration.state, "cancel")
        self.assertEqual(len(declaration.analytic_line_ids), 2)
        self.assertAlmostEqual(
            sum(declaration.analytic_line_ids.mapped("carbon_kg")), 0.0, places=6
        )
        self.assertAlmostEqual(
            sum(declaration.analytic_line_ids.mapped("unit_amount")), 0.0, places=6
        )
        # a cancelled declaration that was booked is kept
        for context in CONTEXTS:
            with self.subTest(context=context):
                self._refused(
                    lambda c=context: (
                        declaration.with_user(self.user_controller)
                        .with_context(**c)
                        .unlink()
                    )
                )

    def test_draft_then_cancel_still_reverses(self):
        """Whatever path reaches cancel (a declaration put back to draft by the
        server, as a script would), the booked carbon is taken back."""
        declaration = self._booked()
        declaration.sudo()._nm_workflow_write({"state": "submitted"})
        self._refused(declaration.with_user(self.user_agent).action_cancel, AccessError)
        declaration.with_user(self.user_head).action_cancel()
        self.assertAlmostEqual(
            sum(declaration.analytic_line_ids.mapped("carbon_kg")), 0.0, places=6
        )

    def test_month_clash_names_nobody(self):
        self._declaration(self.employee_agent, [self._commute(self.mode_bike)])
        error = self._refused(
            lambda: (
                self.env["nm.travel.declaration"]
                .with_user(self.user_head)
                .create({"employee_id": self.employee_agent.id, "date": self.month})
            ),
            ValidationError,
            "This agent already has a travel declaration for 03/2026",
        )
        self.assertNotIn("Agent Un", str(error))
        self.assertNotIn("DEC/", str(error))

    def test_figures_no_trip_has_are_refused_before_writing(self):
        declaration = self._declaration(self.employee_agent, [])
        Line = self.env["nm.travel.declaration.line"].with_user(self.user_agent)
        bad = [
            ({"trip_count": 99999999999}, "trips in a month is not possible"),
            ({"trip_count": 1001}, "trips in a month is not possible"),
            ({"occupants": 99999999999}, "occupants is not possible"),
            ({"distance_km": 1e308}, "is not possible"),
            ({"distance_km": float("inf")}, "is not possible"),
            ({"distance_km": float("nan")}, "is not possible"),
            ({"distance_km": 40001.0}, "is not possible"),
        ]
        for vals, message in bad:
            with self.subTest(vals=vals):
                self._refused(
                    lambda v=vals: Line.create(
                        dict(
                            self._commute(self.mode_plane_long),
                            travel_type="mission",
                            declaration_id=declaration.id,
                            **v,
                        )
                    ),
                    ValidationError,
                    message,
                )
        self.assertFalse(declaration.line_ids)
        line = Line.create(
            dict(self._commute(self.mode_car), declaration_id=declaration.id)
        )
        self._refused(lambda: line.write({"trip_count": 99999999999}), ValidationError)
        self.assertEqual(line.trip_count, 18)
        # a month has at most 200 lines
        self._refused(
            lambda: Line.create(
                [
                    dict(self._commute(self.mode_bike), declaration_id=declaration.id)
                    for _i in range(200)
                ]
            ),
            ValidationError,
            "at most 200",
        )
        self.assertEqual(len(declaration.line_ids), 1)


@tagged("post_install", "-at_install")
class TestTravelJsonRpc(TravelFixturesMixin, HttpCase):
    """The worst probes, as a browser or a script sends them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_travel_fixtures()

    def _call_kw(self, model, method, args, context=None):
        return self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": {"context": context or {}},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()

    @mute_logger("odoo.http")
    def test_agent_validating_own_declaration_over_json_rpc(self):
        declaration = self._declaration(
            self.employee_agent, [self._commute(self.mode_car)]
        )
        declaration.with_user(self.user_agent).action_submit()
        self.authenticate("nm_mob_agent", "nm_mob_agent")
        context = {"nm_travel_workflow": True, "install_mode": True}
        reply = self._call_kw(
            "nm.travel.declaration",
            "write",
            [
                [declaration.id],
                {"state": "validated", "validated_by_id": self.user_agent.id},
            ],
            context,
        )
        self.assertIn("error", reply)
        self.assertIn(
            "change only through the buttons", reply["error"]["data"]["message"]
        )
        reply = self._call_kw(
            "nm.travel.declaration", "action_validate", [[declaration.id]], context
        )
        self.assertIn("cannot validate your own", reply["error"]["data"]["message"])
        reply = self._call_kw(
            "nm.travel.declaration",
            "write",
            [[declaration.id], {"employee_id": self.employee_agent2.id}],
            context,
        )
        self.assertIn("error", reply)
        declaration.invalidate_recordset()
        self.assertEqual(declaration.state, "submitted")
        self.assertFalse(declaration.validated_by_id)
        self.assertEqual(declaration.employee_id, self.employee_agent)
        self.assertFalse(declaration.analytic_line_ids)
