# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Budget carbone : MIS Builder",
    "summary": "kgCO2e and euros of analytic lines as a MIS Builder source, carbon "
    "envelopes as MIS budgets, report by direction and quarter",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/nouvelles-mesures/nouvelles-mesures",
    "author": "Nouvelles Mesures",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["nm_carbon_budget", "mis_builder_budget"],
    "data": [
        "security/ir.model.access.csv",
        "security/nm_carbon_mis_security.xml",
        "data/mis_report_carbon_budget_data.xml",
        "wizards/nm_carbon_mis_budget_wizard_views.xml",
        "views/crossovered_budget_views.xml",
        "views/nm_carbon_mis_line_views.xml",
        "views/mis_report_instance_views.xml",
    ],
    "demo": ["demo/nm_carbon_mis_demo.xml"],
    "uninstall_hook": "uninstall_hook",
}
