from . import nm_lettre_cadrage
from . import nm_action_status
from . import nm_open_data
