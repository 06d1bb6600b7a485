# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Déclarations de déplacements",
    "summary": "Low-tech travel declarations (commute, inter-site, missions) "
    "booked as carbon analytic lines on the direction's account",
    "version": "19.0.1.2.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/nouvelles-mesures/nouvelles-mesures",
    "author": "Nouvelles Mesures",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["nm_carbon_budget", "hr", "portal"],
    "data": [
        "security/nm_mobility_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/nm_travel_mode_data.xml",
        "views/nm_travel_mode_views.xml",
        "views/nm_travel_declaration_views.xml",
        "views/nm_travel_declaration_line_views.xml",
        "views/hr_department_views.xml",
        "views/account_analytic_line_views.xml",
        "views/nm_mobility_menus.xml",
        "views/nm_mobility_portal_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "nm_mobility/static/tests/tours/**/*",
        ],
    },
    "demo": [
        "demo/nm_mobility_demo.xml",
    ],
}
