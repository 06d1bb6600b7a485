from . import test_travel_tools
from . import test_travel_declaration
from . import test_travel_portal
from . import test_travel_api_guards
from . import test_factor_periods
