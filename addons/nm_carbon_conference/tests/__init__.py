from . import test_conference
from . import test_reports
from . import test_open_data
from . import test_http
