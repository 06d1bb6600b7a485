# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The trajectory's figures are read from the analytic lines when displayed: a
line booked a minute ago shows at once, and the graph draws a target and a booked
line for every trajectory, side by side (never stacked)."""

from datetime import date

from lxml import etree

from odoo.tests import tagged

from .common import CarbonBudgetCase


@tagged("post_install", "-at_install")
class TestTrajectoryFigures(CarbonBudgetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Trajectory = cls.env["nm.carbon.trajectory"]
        cls.organisation = Trajectory.create(
            {
                "name": "Ville (test)",
                "baseline_year": 2024,
                "baseline_kg": 1_000_000,
                "reduction_rate": 0.04,
            }
        )
        cls.culture = Trajectory.create(
            {
                "name": "Culture (test)",
                "baseline_year": 2025,
                "baseline_kg": 200_000,
                "reduction_rate": 0.10,
                "analytic_account_id": cls.dir_culture.id,
            }
        )

    def _point(self, trajectory, year):
        return trajectory.point_ids.filtered(lambda p: p.year == year)

    def test_booked_shows_without_refresh(self):
        self.assertFalse(self._point(self.culture, 2026).booked_kg)
        self._carbon_line(self.dir_culture, 1500.0, date(2026, 3, 1))
        self.env.invalidate_all()
        # 200,000 × 0.9 = 180,000; booked 1,500; gap 1,500 − 180,000
        point = self._point(self.culture, 2026)
        self.assertEqual(point.target_kg, 180_000.0)
        self.assertEqual(point.booked_kg, 1500.0)
        self.assertEqual(point.gap_kg, -178_500.0)
        # a correction of the line is read at once too (flushed before the query)
        line = self.env["account.analytic.line"].search(
            [("name", "=", "Carbone (test)"), ("carbon_kg", "=", 1500.0)]
        )
        line.carbon_kg = 2500.0
        self.env.invalidate_all()
        self.assertEqual(self._point(self.culture, 2026).booked_kg, 2500.0)

    def test_organisation_counts_its_reference_plan_once(self):
        self._carbon_line(self.dir_culture, 1200.0, date(2026, 3, 1))
        self._carbon_line(self.dir_property, 300.0, date(2026, 5, 1))
        self._carbon_line(self.project_account, 999.0, date(2026, 3, 1))  # other plan
        self._carbon_line(self.dir_property, 50.0, date(2023, 5, 1))  # before baseline
        self.env.invalidate_all()
        # 1,000,000 × 0.96² = 921,600
        point = self._point(self.organisation, 2026)
        self.assertEqual(point.target_kg, 921_600.0)
        self.assertEqual(point.booked_kg, 1500.0)
        years = self.organisation.point_ids.mapped("year")
        self.assertEqual(years[0], 2024)
        self.assertEqual(years[-1], max(2050, date.today().year))
        self.assertNotIn(2023, years)
        # the direction's own trajectory counts its own column only
        self.assertEqual(self._point(self.culture, 2026).booked_kg, 1200.0)

    def test_graph_draws_both_series_per_trajectory(self):
        self._carbon_line(self.dir_culture, 1500.0, date(2025, 6, 1))
        self._carbon_line(self.dir_culture, 2500.0, date(2026, 3, 1))
        self.env.invalidate_all()
        Series = self.env["nm.carbon.trajectory.series"]
        ours = [("trajectory_id", "in", (self.organisation | self.culture).ids)]
        groups = Series._read_group(
            ours + [("year", "in", (2025, 2026))],
            ["trajectory_id", "series", "year_label"],
            ["carbon_t:sum"],
        )
        figures = {
            (trajectory.name, series, year): round(total, 1)
            for trajectory, series, year, total in groups
        }
        self.assertEqual(
            figures,
            {
                # 1,000,000 × 0.96 = 960,000 kg; × 0.96² = 921,600 kg
                ("Ville (test)", "target", "2025"): 960.0,
                ("Ville (test)", "target", "2026"): 921.6,
                ("Ville (test)", "booked", "2025"): 1.5,
                ("Ville (test)", "booked", "2026"): 2.5,
                # 200,000 kg in 2025, then −10 %
                ("Culture (test)", "target", "2025"): 200.0,
                ("Culture (test)", "target", "2026"): 180.0,
                ("Culture (test)", "booked", "2025"): 1.5,
                ("Culture (test)", "booked", "2026"): 2.5,
            },
        )
        # no booked point for a year with nothing booked (not a misleading zero)
        self.assertFalse(
            Series.search_count(
                [
                    ("trajectory_id", "=", self.culture.id),
                    ("series", "=", "booked"),
                    ("year", "=", 2030),
                ]
            )
        )
        arch = etree.fromstring(
            Series.get_views([(False, "graph")])["views"]["graph"]["arch"]
        )
        graph = arch.xpath("//graph")[0]
        self.assertEqual(graph.get("type"), "line")
        self.assertEqual(graph.get("stacked"), "0")
        self.assertEqual(
            [f.get("name") for f in graph.xpath("field[not(@type)]")],
            ["year_label", "trajectory_id", "series"],
        )

    def test_archived_trajectory_and_other_company_hidden(self):
        self.culture.active = False
        self.assertFalse(
            self.env["nm.carbon.trajectory.point"].search_count(
                [("trajectory_id", "=", self.culture.id)]
            )
        )
        other = self.env["res.company"].create({"name": "Autre ville (test)"})
        user = self.env["res.users"].create(
            {
                "name": "Contrôleur B (test)",
                "login": "controleur_b_traj",
                "company_id": other.id,
                "company_ids": [(6, 0, other.ids)],
                "group_ids": [
                    (4, self.env.ref("nm_carbon_budget.group_carbon_controller").id)
                ],
            }
        )
        Points = self.env["nm.carbon.trajectory.point"].with_user(user)
        self.assertFalse(
            Points.search_count([("trajectory_id", "=", self.organisation.id)])
        )

    def test_horizon_statement_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.culture.reduction_rate = 0.045
        statement = self.culture.with_context(lang="fr_FR").horizon_statement
        # from 2025, 25 years at −4,5 %: 0.955^25 = 0.316 → 32 % left, −68 %
        self.assertIn("4,5", statement)
        self.assertIn("32", statement)
        self.assertIn("68", statement)
        self.assertNotIn("4.5", statement)
