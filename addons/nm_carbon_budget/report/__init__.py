from . import nm_carbon_followup_xlsx
from . import nm_fiche_carbone
from . import nm_amendment_chain_report
from . import nm_executive_transfers_report
