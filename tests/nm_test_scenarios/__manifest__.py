# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Nouvelles Mesures: cross-addon test scenarios",
    "summary": "Test-only addon: scenarios, access matrix, bad input, concurrency, "
    "multi-company, portal over HTTP and the clickbot across the four addons",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "website": "https://github.com/nouvelles-mesures/nouvelles-mesures",
    "author": "Nouvelles Mesures",
    "license": "AGPL-3",
    "depends": [
        "nm_carbon_budget",
        "nm_mobility",
        "nm_progress_plan",
        "nm_multicapital",
    ],
    "data": [],
    "installable": True,
}
