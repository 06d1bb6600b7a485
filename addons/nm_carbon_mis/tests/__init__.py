from . import test_browser
from . import test_carbon_mis
from . import test_periods
