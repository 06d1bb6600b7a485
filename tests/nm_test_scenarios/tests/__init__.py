# Copyright 2026 Nouvelles Mesures
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_access_matrix
from . import test_bad_input
from . import test_bad_input_imports
from . import test_bad_input_periods
from . import test_bad_input_portal_forms
from . import test_clickbot
from . import test_concurrency
from . import test_multicompany
from . import test_portal_http
from . import test_scenario_carbon_cycle
from . import test_api_structure
from . import test_french_ui
from . import test_wording
from . import test_pdf_reports
from . import test_cross_report
