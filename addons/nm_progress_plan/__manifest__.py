# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Plan de progrès (conventions with cultural operators)",
    "summary": "Conventions with a plan de progrès clause: shared objectives, "
    "indicators, periodic reviews, adjustments and final assessment, followed "
    "with operators on the portal",
    "version": "19.0.1.3.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/nouvelles-mesures/nouvelles-mesures",
    "author": "Nouvelles Mesures",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": ["nm_carbon_budget", "portal"],
    "data": [
        "security/nm_progress_plan_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "data/nm_progress_clause_template_data.xml",
        "report/nm_convention_report.xml",
        "views/nm_convention_views.xml",
        "views/nm_progress_clause_views.xml",
        "views/nm_progress_review_views.xml",
        "views/nm_progress_measure_views.xml",
        "views/nm_progress_adjustment_views.xml",
        "views/nm_progress_objective_views.xml",
        "views/nm_progress_clause_template_views.xml",
        "views/nm_progress_plan_menus.xml",
        "views/portal_templates.xml",
    ],
    "demo": ["demo/nm_progress_plan_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "nm_progress_plan/static/src/js/tours/*.js",
        ],
    },
}
