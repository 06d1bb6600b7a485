from . import test_carbon_tools
from . import test_carbon_budget
from . import test_emission_factor_import
