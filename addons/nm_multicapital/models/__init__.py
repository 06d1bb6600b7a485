from . import nm_capital
from . import nm_capital_entry
from . import nm_capital_budget_line
from . import nm_capital_preservation
from . import nm_green_budget_axis
from . import nm_green_budget_scope
from . import nm_green_budget_rating
