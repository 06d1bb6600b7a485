from . import test_carbon_tools
from . import test_carbon_budget
from . import test_emission_factor_import
from . import test_amendment
from . import test_budget_review
from . import test_decarbonation_action
from . import test_followup_xlsx
from . import test_query_count
