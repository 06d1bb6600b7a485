# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.2.0.0: the budget vert scopes as the decree of 16 July 2024 defines them.

The scopes are ``noupdate`` data (a controller may complete them), so an update keeps
the former ones, which listed accounts the decree does not (2033, 204, 2121, 21571,
2158, the whole of 2131) and operating accounts from 2027. They are reloaded once from
the data file here.
"""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.load_data(env, "nm_multicapital", "data/nm_green_budget_data.xml")
