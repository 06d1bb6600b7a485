# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.addons.nm_carbon_budget.tests.common import NmFixtures, role_user


class TravelFixturesMixin(NmFixtures):
    """Own fixtures on the shared ones: two directions in a non-Project plan, a
    department each, a head, two agents and a controller."""

    @classmethod
    def _setup_travel_fixtures(cls):
        env = cls.env
        cls.plan = cls._nm_plan("Directions (test)")
        cls.account_culture, cls.account_other = cls._nm_directions(
            cls.plan, "Direction culture (test)", "Direction sports (test)"
        )
        internal = "base.group_user"
        cls.user_head = role_user(
            env, "nm_mob_head", "manager", groups=internal, name="Cheffe Culture"
        )
        cls.user_agent = role_user(
            env,
            "nm_mob_agent",
            "user",
            groups=internal,
            password="nm_mob_agent",
            name="Agent Un",
        )
        cls.user_agent2 = role_user(
            env,
            "nm_mob_agent2",
            "user",
            groups=internal,
            password="nm_mob_agent2",
            name="Agent Deux",
        )
        cls.user_controller = role_user(
            env, "nm_mob_controller", "controller", groups=internal, name="Contrôleur"
        )
        Employee = env["hr.employee"]
        cls.employee_head = Employee.create(
            {"name": "Cheffe Culture", "user_id": cls.user_head.id}
        )
        cls.department = env["hr.department"].create(
            {
                "name": "Culture (test)",
                "manager_id": cls.employee_head.id,
                "analytic_account_id": cls.account_culture.id,
            }
        )
        cls.department_other = env["hr.department"].create(
            {"name": "Sports (test)", "analytic_account_id": cls.account_other.id}
        )
        cls.employee_head.department_id = cls.department
        cls.employee_agent = Employee.create(
            {
                "name": "Agent Un",
                "user_id": cls.user_agent.id,
                "department_id": cls.department.id,
            }
        )
        cls.employee_agent2 = Employee.create(
            {
                "name": "Agent Deux",
                "user_id": cls.user_agent2.id,
                "department_id": cls.department_other.id,
            }
        )
        ref = env.ref
        cls.mode_car = ref("nm_mobility.nm_travel_mode_car_thermal")
        cls.mode_carpool = ref("nm_mobility.nm_travel_mode_carpool")
        cls.mode_tgv = ref("nm_mobility.nm_travel_mode_tgv")
        cls.mode_bike = ref("nm_mobility.nm_travel_mode_bike")
        cls.mode_plane_short = ref("nm_mobility.nm_travel_mode_plane_short")
        cls.mode_plane_medium = ref("nm_mobility.nm_travel_mode_plane_medium")
        cls.mode_plane_long = ref("nm_mobility.nm_travel_mode_plane_long")
        cls.month = date(2026, 3, 1)

    @classmethod
    def _declaration(cls, employee, lines, month=None, env=None):
        env = env or cls.env
        return env["nm.travel.declaration"].create(
            {
                "employee_id": employee.id,
                "date": month or cls.month,
                "line_ids": [(0, 0, line) for line in lines],
            }
        )

    @classmethod
    def _commute(cls, mode, km=12.0, trips=18, occupants=1):
        return {
            "travel_type": "commute",
            "mode_id": mode.id,
            "distance_km": km,
            "trip_count": trips,
            "round_trip": True,
            "occupants": occupants,
        }
