# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.addons.nm_carbon_budget.tests.common import CarbonBudgetCase, role_user


class ConferenceCase(CarbonBudgetCase):
    """This year's budget (2026) with three envelopes and their booked carbon, a
    trajectory at −10 % a year from 100,000 kgCO2e in 2026, a draft 2027 budget,
    a head for each direction, a controller and an elected approver."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.trajectory = cls.env["nm.carbon.trajectory"].create(
            {
                "name": "Trajectoire (test)",
                "baseline_year": 2026,
                "baseline_kg": 100000.0,
                "reduction_rate": 0.1,
            }
        )
        cls.line_culture_services = cls._budget_line(
            cls.dir_culture, cls.position_services, planned_kg=40000.0
        )
        cls.line_culture_mobility = cls._budget_line(
            cls.dir_culture, cls.position_mobility, planned_kg=20000.0
        )
        cls.line_property_services = cls._budget_line(
            cls.dir_property, cls.position_services, planned_kg=30000.0
        )
        cls._carbon_line(
            cls.dir_culture,
            35000.0,
            date(2026, 3, 1),
            general_account=cls.expense_services,
        )
        cls._carbon_line(
            cls.dir_culture, 12000.0, date(2026, 5, 1), category=cls.cat_commute
        )
        cls.budget_next = cls.env["crossovered.budget"].create(
            {
                "name": "Budget 2027 (test)",
                "date_from": date(2027, 1, 1),
                "date_to": date(2027, 12, 31),
            }
        )
        # one line exists already; the vote overwrites its envelope
        cls.next_culture_services = cls._budget_line(
            cls.dir_culture,
            cls.position_services,
            planned_kg=1.0,
            budget=cls.budget_next,
        )
        cls.head_culture = cls._role("conf_head_culture", "manager")
        cls.head_property = cls._role("conf_head_property", "manager")
        cls.controller = cls._role("conf_controller", "controller")
        cls.elected = cls._role("conf_elected", "approver")
        cls.dir_culture.direction_head_ids = cls.head_culture
        cls.dir_property.direction_head_ids = cls.head_property

    @classmethod
    def _role(cls, login, role):
        """A user of a carbon role in the test company, reading English."""
        return role_user(cls.env, login, role, company_id=cls.company.id, lang="en_US")

    @classmethod
    def _user(cls, env, login, groups):
        return role_user(
            env, login, groups=groups, company_id=cls.company.id, lang="en_US"
        )

    @classmethod
    def _conference(cls):
        return cls.env["nm.carbon.conference"].create(
            {
                "year": 2027,
                "trajectory_id": cls.trajectory.id,
                "reference_budget_id": cls.budget.id,
                "budget_id": cls.budget_next.id,
            }
        )

    @staticmethod
    def _line(conference, direction, position):
        return conference.line_ids.filtered(
            lambda line: (
                line.analytic_account_id == direction
                and line.general_budget_id == position
            )
        )
