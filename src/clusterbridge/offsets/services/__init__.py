"""Every write of the ICP, one transaction each, by concept (views, the API, the import, the demo
and the tests all come through here; the rules themselves live in the pure modules `credits` and
`review`, who may do what in `rules`):

- `agreements`: contractors and agreements;
- `cases`: case plans and the pre-approval checklist;
- `committees`: subcommittees, promotion-group meetings and their decisions;
- `ledger`: the one write path of credit entries, applying decisions, reversals;
- `demand`: demand items, panels, scores, classes, carry-over;
- `progress`: progress reports, checkpoints, site visits, feedback fees;
- `history`: the historical-records import (a background job).
"""

from .agreements import agreement_briefing_record, agreement_create, contractor_create
from .cases import case_check_record, case_plan_create
from .committees import (
    conflict_declare,
    decision_delete,
    decision_record,
    expert_create,
    meeting_create,
    meeting_minutes_approve,
    subcommittee_outcome_set,
    subcommittee_review_create,
)
from .demand import (
    BENEFITS,
    demand_call_open,
    demand_item_decide,
    demand_item_submit,
    demand_review_close,
    demand_score_record,
    panel_seat_assign,
)
from .history import HISTORY_JOB, HistoryResult, history_import, history_import_create, history_import_run
from .ledger import credit_entry_reverse, ledger_write, meeting_decisions_apply
from .progress import (
    checkpoint_add,
    checkpoint_done,
    checkpoint_verify,
    feedback_fee_commit,
    feedback_fee_pay,
    progress_report_file,
    site_visit_record,
)
from .refusals import OffsetsError

__all__ = ["BENEFITS", "HISTORY_JOB", "HistoryResult", "OffsetsError", "agreement_briefing_record", "agreement_create",
           "case_check_record", "case_plan_create", "checkpoint_add", "checkpoint_done", "checkpoint_verify", "conflict_declare",
           "contractor_create", "credit_entry_reverse", "decision_delete", "decision_record",
           "demand_call_open", "demand_item_decide", "demand_item_submit", "demand_review_close",
           "demand_score_record", "expert_create", "feedback_fee_commit", "feedback_fee_pay", "history_import",
           "history_import_create", "history_import_run", "ledger_write", "meeting_create",
           "meeting_decisions_apply", "meeting_minutes_approve", "panel_seat_assign", "progress_report_file",
           "site_visit_record", "subcommittee_outcome_set", "subcommittee_review_create"]
