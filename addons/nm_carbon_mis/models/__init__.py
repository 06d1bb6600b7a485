from . import account_budget_post
from . import crossovered_budget
from . import mis_budget
from . import mis_budget_item
from . import mis_report_kpi
from . import mis_report_instance_period
from . import mis_report_instance
from . import nm_carbon_mis_line
