from . import nm_green_budget_annex
from . import nm_capital_arbitration
from . import nm_integrated_result
