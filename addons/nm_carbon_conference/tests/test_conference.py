# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ConferenceCase

# what a caller may send to try and switch a guard off
FORCING_CONTEXTS = ({}, {"install_mode": True}, {"_force_unlink": True})


@tagged("post_install", "-at_install")
class TestConference(ConferenceCase):
    def _open(self):
        conference = self._conference().with_user(self.controller)
        conference.action_open_proposals()
        return conference

    def _tracked(self, line, field):
        """(old, new) of every tracked change of a field of a line, oldest first."""
        self._save_tracking()
        values = (
            line.sudo()
            .message_ids.tracking_value_ids.filtered(
                lambda value: value.field_id.name == field
            )
            .sorted("id")
        )
        return [(v.old_value_float, v.new_value_float) for v in values]

    def _save_tracking(self):
        # tracking is written when the transaction commits: one step, one record
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_opening_from_trajectory_and_execution(self):
        conference = self._open()
        self.assertEqual(conference.state, "proposals")
        # trajectory: 100,000 in 2026, −10 % a year
        self.assertAlmostEqual(conference.current_target_kg, 100000.0)
        self.assertAlmostEqual(conference.target_kg, 90000.0)
        self.assertEqual(len(conference.line_ids), 3)
        services = self._line(conference, self.dir_culture, self.position_services)
        mobility = self._line(conference, self.dir_culture, self.position_mobility)
        prop = self._line(conference, self.dir_property, self.position_services)
        # this year's envelopes and booked carbon (the commute item counts under
        # mobility through its parent)
        self.assertEqual(
            (services.current_planned_kg, services.current_practical_kg),
            (40000.0, 35000.0),
        )
        self.assertEqual(
            (mobility.current_planned_kg, mobility.current_practical_kg),
            (20000.0, 12000.0),
        )
        self.assertEqual(
            (prop.current_planned_kg, prop.current_practical_kg), (30000, 0)
        )
        # the trajectory's slope: 90,000 / 100,000 of each envelope
        self.assertEqual(services.suggested_kg, 36000.0)
        self.assertEqual(mobility.suggested_kg, 18000.0)
        self.assertEqual(prop.suggested_kg, 27000.0)
        self.assertAlmostEqual(conference.reference_planned_kg, 90000.0)
        self.assertAlmostEqual(conference.reference_practical_kg, 47000.0)
        self.assertAlmostEqual(conference.proposed_kg, 81000.0)
        self.assertAlmostEqual(conference.proposed_gap_kg, -9000.0)

    def test_proposals_arbitration_vote(self):
        # the mail test context switches tracking off: the history is the point here
        conference = self._open().with_env(self.env(user=self.controller, context={}))
        head = self.env(user=self.head_culture, context={})
        # records created in a transaction are tracked from its next step on
        self._save_tracking()
        services = self._line(conference, self.dir_culture, self.position_services)
        mobility = self._line(conference, self.dir_culture, self.position_mobility)
        prop = self._line(conference, self.dir_property, self.position_services)

        # the culture head proposes, with an action that makes it reachable
        services.with_env(head).write(
            {"proposed_kg": 38000.0, "proposal_note": "Festival d'hiver"}
        )
        mobility.with_env(head).write(
            {
                "proposed_kg": 15000.0,
                "action_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Navettes partagées",
                            "direction_id": self.dir_culture.id,
                            "reduction_kg": 4000.0,
                            "uncertainty": 50.0,
                            "cost": 18000.0,
                            "score_feasibility": "5",
                            "score_data": "3",
                            "score_meaning": "4",
                        },
                    )
                ],
            }
        )
        self.assertEqual(mobility.action_reduction_kg, 4000.0)
        self.assertEqual(mobility.action_ids.reduction_low_kg, 2000.0)
        self.assertEqual(mobility.action_ids.reduction_high_kg, 6000.0)
        # 12,000 booked this year − 4,000 expected: 8,000 reachable
        self.assertEqual(mobility.reachable_kg, 8000.0)
        # 38,000 + 15,000 + 27,000 against 90,000
        self.assertAlmostEqual(conference.proposed_kg, 80000.0)
        self.assertAlmostEqual(conference.proposed_gap_kg, -10000.0)

        self._save_tracking()
        conference.action_start_arbitration()
        self.assertEqual(conference.state, "arbitration")
        self.assertEqual(services.arbitrated_kg, 38000.0)
        self._save_tracking()
        services.with_env(conference.env).write(
            {"arbitrated_kg": 34000.0, "arbitration_comment": "Trajectoire d'abord"}
        )
        # 34,000 + 15,000 + 27,000 = 76,000; the target is 90,000
        self.assertAlmostEqual(conference.arbitrated_kg, 76000.0)
        self.assertAlmostEqual(conference.gap_kg, -14000.0)

        # no vote without the deliberation
        with self.assertRaises(UserError):
            conference.action_vote()
        conference.deliberation_number = "2026-12-042"
        with self.assertRaises(UserError):
            conference.action_vote()
        self.assertEqual(conference.state, "arbitration")
        self.assertEqual(self.next_culture_services.planned_carbon_kg, 1.0)
        conference.deliberation_date = date(2026, 12, 15)

        # the elected approver records the vote
        conference.with_user(self.elected).action_vote()
        self.assertEqual(conference.state, "voted")
        self.assertEqual(conference.voted_by_id, self.elected)
        lines = self.budget_next.crossovered_budget_line_ids
        envelopes = {
            (line.analytic_account_id, line.general_budget_id): line.planned_carbon_kg
            for line in lines
        }
        self.assertEqual(
            envelopes,
            {
                (self.dir_culture, self.position_services): 34000.0,
                (self.dir_culture, self.position_mobility): 15000.0,
                (self.dir_property, self.position_services): 27000.0,
            },
        )
        self.assertEqual(len(lines), 3)
        self.assertEqual(services.budget_line_id, self.next_culture_services)
        self.assertEqual(self.next_culture_services.planned_carbon_kg, 34000.0)
        new_line = self._line(conference, self.dir_property, self.position_services)
        self.assertEqual(new_line.budget_line_id.date_from, date(2027, 1, 1))
        self.assertEqual(new_line.budget_line_id.date_to, date(2027, 12, 31))
        self.assertEqual(
            sum(lines.mapped("planned_carbon_kg")), conference.arbitrated_kg
        )

        # history: the proposal and the arbitration are both kept
        self.assertEqual(self._tracked(services, "proposed_kg"), [(36000.0, 38000.0)])
        self.assertEqual(
            self._tracked(services, "arbitrated_kg"),
            [(0.0, 38000.0), (38000.0, 34000.0)],
        )
        self.assertEqual(services.voted_kg, 34000.0)
        self.assertEqual(prop.voted_kg, 27000.0)

        # voted is read-only, for everyone but the workflow, whatever the context
        for context in FORCING_CONTEXTS:
            with self.assertRaises(UserError):
                services.with_user(self.controller).with_context(**context).write(
                    {"arbitrated_kg": 1.0}
                )
            with self.assertRaises(UserError):
                conference.with_user(self.controller).with_context(**context).write(
                    {"deliberation_number": "X"}
                )
            with self.assertRaises(UserError):
                services.with_user(self.controller).with_context(**context).unlink()
            with self.assertRaises(UserError):
                conference.with_user(self.controller).with_context(**context).unlink()
        self.assertEqual(services.arbitrated_kg, 34000.0)
        with self.assertRaises(UserError):
            conference.action_vote()

    def test_vote_needs_a_draft_budget(self):
        conference = self._open()
        conference.action_start_arbitration()
        conference.write(
            {
                "deliberation_number": "2026-12-042",
                "deliberation_date": date(2026, 12, 15),
            }
        )
        self.budget_next.action_budget_confirm()
        with self.assertRaisesRegex(UserError, "no longer a draft"):
            conference.action_vote()
        self.assertEqual(conference.state, "arbitration")
        self.assertEqual(self.next_culture_services.planned_carbon_kg, 1.0)
        # a budget of another year is refused too
        conference.budget_id = self.budget
        with self.assertRaises(UserError):
            conference.action_vote()

    def test_direction_head_rights(self):
        conference = self._open()
        as_head = conference.line_ids.with_user(self.head_culture)
        # the head sees the proposals of the directions they head only
        visible = self.env["nm.carbon.conference.line"].with_user(self.head_culture)
        self.assertEqual(
            visible.search([("conference_id", "=", conference.id)]).analytic_account_id,
            self.dir_culture,
        )
        prop = self._line(conference, self.dir_property, self.position_services)
        services = self._line(conference, self.dir_culture, self.position_services)
        mobility = self._line(conference, self.dir_culture, self.position_mobility)
        for context in FORCING_CONTEXTS:
            head_env = self.env(user=self.head_culture, context=context)
            with self.assertRaises(AccessError):
                prop.with_env(head_env).write({"proposed_kg": 1.0})
            with self.assertRaises(AccessError):
                prop.with_env(head_env).unlink()
            # nor does the head arbitrate, nor forge the snapshot, nor vote
            with self.assertRaises(AccessError):
                services.with_env(head_env).write({"arbitrated_kg": 1.0})
            with self.assertRaises(UserError):
                services.with_env(head_env).write({"current_planned_kg": 1.0})
            with self.assertRaises(AccessError):
                conference.with_env(head_env).action_start_arbitration()
            with self.assertRaises(UserError):  # an AccessError is a UserError
                conference.with_env(head_env).write({"state": "voted"})
            # nor add a proposal for another direction
            with self.assertRaises(AccessError):
                self.env["nm.carbon.conference.line"].with_env(head_env).create(
                    {
                        "conference_id": conference.id,
                        "analytic_account_id": self.dir_property.id,
                        "general_budget_id": self.position_mobility.id,
                        "proposed_kg": 1.0,
                    }
                )
            # nor move their own proposal to another direction
            with self.assertRaises(AccessError):
                mobility.with_env(head_env).write(
                    {"analytic_account_id": self.dir_property.id}
                )
            # nor hang an action on another direction's proposal
            with self.assertRaises(ValidationError):
                self.env["nm.decarbonation.action"].with_env(head_env).create(
                    {
                        "name": "Action (test)",
                        "direction_id": self.dir_culture.id,
                        "conference_line_id": prop.id,
                    }
                )
        self.assertEqual(mobility.analytic_account_id, self.dir_culture)
        self.assertFalse(prop.action_ids)
        self.assertEqual(prop.proposed_kg, 27000.0)
        self.assertEqual(services.arbitrated_kg, 0.0)
        self.assertEqual(services.current_planned_kg, 40000.0)
        self.assertTrue(as_head)

        # the head adds an emission item to their own direction
        added = (
            self.env["nm.carbon.conference.line"]
            .with_user(self.head_culture)
            .create(
                {
                    "conference_id": conference.id,
                    "analytic_account_id": self.dir_culture.id,
                    "general_budget_id": self._extra_position().id,
                    "proposed_kg": 500.0,
                }
            )
        )
        self.assertEqual(added.current_planned_kg, 0.0)

        conference.action_start_arbitration()
        conference.write(
            {
                "deliberation_number": "2026-12-042",
                "deliberation_date": date(2026, 12, 15),
            }
        )
        for context in FORCING_CONTEXTS:
            head_env = self.env(user=self.head_culture, context=context)
            # proposals are closed during the arbitration, and kept
            with self.assertRaises(UserError):
                services.with_env(head_env).write({"proposed_kg": 1.0})
            with self.assertRaises(UserError):
                services.with_env(head_env).unlink()
            with self.assertRaises(AccessError):
                conference.with_env(head_env).action_vote()
            with self.assertRaises(AccessError):
                conference.with_env(head_env).write({"deliberation_number": "X"})
        self.assertEqual(conference.state, "arbitration")
        self.assertEqual(self.next_culture_services.planned_carbon_kg, 1.0)

    def _extra_position(self):
        return self.env["account.budget.post"].create(
            {
                "name": "Énergie (test)",
                "carbon_category_ids": [(6, 0, self.cat_energy.ids)],
            }
        )

    def test_only_controllers_name_heads(self):
        for context in FORCING_CONTEXTS:
            with self.assertRaises(AccessError):
                self.dir_property.with_user(self.head_culture).with_context(
                    **context
                ).write({"direction_head_ids": [(4, self.head_culture.id)]})
        self.assertEqual(self.dir_property.direction_head_ids, self.head_property)

    def test_screens_open_for_each_role(self):
        conference = self._open()
        for user in (self.head_culture, self.controller, self.elected):
            env = self.env(user=user)
            for model, kinds in (
                ("nm.carbon.conference", ("list", "form", "search")),
                (
                    "nm.carbon.conference.line",
                    ("list", "form", "search", "pivot", "graph"),
                ),
                ("nm.decarbonation.action", ("list", "form", "search")),
            ):
                with self.subTest(user=user.login, model=model):
                    views = env[model].get_views([(False, kind) for kind in kinds])
                    self.assertEqual(set(views["views"]), set(kinds))
            conference.with_env(env).read(["name", "target_kg", "gap_kg", "line_ids"])
            env["nm.carbon.conference.line"].search_read(
                [("conference_id", "=", conference.id)],
                ["proposed_kg", "arbitrated_kg", "action_reduction_kg", "reachable_kg"],
            )
