from . import nm_carbon_followup_xlsx
from . import nm_fiche_carbone
