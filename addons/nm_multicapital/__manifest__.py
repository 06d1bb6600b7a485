# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Multi-capital accounting and budget vert",
    "summary": "Capitals other than carbon (land, water, social) kept in their own "
    "units, capital budgets with thresholds, CARE preservation costs, debt and "
    "integrated result, budget vert ratings and annex",
    "version": "19.0.2.1.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/nouvelles-mesures/nouvelles-mesures",
    "author": "Nouvelles Mesures",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": ["nm_carbon_budget"],
    "data": [
        "security/nm_multicapital_security.xml",
        "security/ir.model.access.csv",
        "data/nm_capital_data.xml",
        "data/nm_green_budget_data.xml",
        "views/nm_multicapital_menus.xml",
        "views/nm_capital_views.xml",
        "views/nm_capital_entry_views.xml",
        "views/nm_capital_budget_line_views.xml",
        "views/nm_capital_preservation_views.xml",
        "views/nm_green_budget_views.xml",
        "views/nm_public_budget_views.xml",
        "wizards/nm_green_budget_annex_views.xml",
        "wizards/nm_capital_arbitration_views.xml",
        "wizards/nm_integrated_result_views.xml",
        "report/nm_multicapital_reports.xml",
        "report/nm_green_budget_annex_templates.xml",
        "report/nm_capital_debt_templates.xml",
    ],
    "demo": [
        "demo/nm_multicapital_demo.xml",
    ],
}
