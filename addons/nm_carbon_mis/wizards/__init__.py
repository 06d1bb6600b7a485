from . import nm_carbon_mis_budget_wizard
