# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Budget carbone : tableau de bord",
    "summary": "A carbon dashboard in Odoo's dashboards: envelopes by direction, "
    "trajectory, largest emission items, actions by status",
    "version": "19.0.1.0.0",
    "category": "Productivity/Dashboard",
    "website": "https://github.com/nouvelles-mesures/nouvelles-mesures",
    "author": "Nouvelles Mesures",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["nm_carbon_budget", "spreadsheet_dashboard"],
    "data": [
        "security/ir.model.access.csv",
        "security/nm_carbon_dashboard_security.xml",
        "views/nm_carbon_item_report_views.xml",
        "data/nm_carbon_dashboard_data.xml",
    ],
}
