from . import nm_carbon_conference
from . import nm_carbon_conference_line
from . import nm_decarbonation_action
from . import crossovered_budget
