from . import nm_green_budget_annex_xlsx
