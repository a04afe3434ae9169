"""ICP pages, thin: read with selectors, write with services, ask `rules`."""

from .agreements import (
    LEDGER_ROWS,
    agreement_detail,
    agreement_list,
    agreement_new,
    history_import,
    history_import_job,
    home,
)
from .cases import case_detail, case_new
from .committees import meeting_detail, meeting_list
from .demand import demand_item_new, demand_list, demand_review
from .reports import ledger_check, year_report

__all__ = ["LEDGER_ROWS", "agreement_detail", "agreement_list", "agreement_new", "case_detail", "case_new",
           "demand_item_new", "demand_list", "demand_review", "history_import", "history_import_job", "home",
           "ledger_check", "meeting_detail", "meeting_list", "year_report"]
