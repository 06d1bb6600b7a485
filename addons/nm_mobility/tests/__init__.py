from . import test_travel_tools
from . import test_travel_declaration
