from . import nm_action_status_report
