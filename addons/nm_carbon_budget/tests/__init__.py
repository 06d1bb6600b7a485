from . import test_carbon_tools
