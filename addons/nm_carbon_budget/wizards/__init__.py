from . import nm_emission_factor_import
from . import nm_emission_factor_version
from . import nm_carbon_budget_prepare
from . import nm_budget_review_plan
