# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Conférence budgétaire carbone",
    "summary": "Next year's carbon envelopes negotiated, arbitrated and voted; "
    "lettres de cadrage, measures tracked like Oslo's, open data publication",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/nouvelles-mesures/nouvelles-mesures",
    "author": "Nouvelles Mesures",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["nm_carbon_budget"],
    "data": [
        "security/nm_carbon_conference_security.xml",
        "security/ir.model.access.csv",
        "views/nm_carbon_conference_views.xml",
        "views/nm_carbon_conference_line_views.xml",
        "views/nm_decarbonation_action_views.xml",
        "views/crossovered_budget_views.xml",
        "wizards/nm_action_status_report_views.xml",
        "report/nm_carbon_conference_reports.xml",
        "report/nm_lettre_cadrage_templates.xml",
        "report/nm_action_status_templates.xml",
        "report/nm_open_data_templates.xml",
        "views/nm_carbon_conference_menus.xml",
    ],
    "demo": ["demo/nm_carbon_conference_demo.xml"],
}
