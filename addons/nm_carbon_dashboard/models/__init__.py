from . import nm_carbon_item_report
