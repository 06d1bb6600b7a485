from . import account_analytic_line
from . import hr_department
from . import nm_travel_mode
from . import nm_travel_declaration
from . import nm_travel_declaration_line
from . import nm_travel_declaration_summary
