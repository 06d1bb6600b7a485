from . import test_progress_tools
from . import test_convention
from . import test_portal
from . import test_progress_api_guards
from . import test_review_deadline
from . import test_partner_plan_name
