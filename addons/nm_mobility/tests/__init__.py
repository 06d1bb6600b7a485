from . import test_travel_tools
from . import test_travel_declaration
from . import test_travel_portal
from . import test_travel_api_guards
from . import test_factor_periods
from . import test_import_template_fr
from . import test_mode_kinds
from . import test_factor_shown
