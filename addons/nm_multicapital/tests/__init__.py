from . import test_multicapital_tools
from . import test_capital_budget
from . import test_green_budget
from . import test_arbitration
from . import test_ui
from . import test_green_budget_decree
from . import test_integrated_result
from . import test_annex_queries
