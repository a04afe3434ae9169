"""The ICP records, by concept: demand items and their reviews (`demand`), contractors and
agreements (`agreements`), case plans and subcommittees (`cases`), promotion-group meetings,
decisions and the credit ledger (`ledger`), a case's execution (`progress`); shared choices in
`choices`.

The credit ledger (`CreditEntry`) is append-only: the database refuses updates and deletes
(triggers in migration 0002), and every entry carries the case's balances after it, each held at
or above zero by a check constraint.
"""

from .agreements import Agreement, Contractor
from .cases import (
    CaseLine,
    CasePlan,
    ChecklistItem,
    CheckRecord,
    Conflict,
    Expert,
    SubcommitteeReview,
    SubcommitteeSeat,
)
from .choices import (
    AFFILIATION_CHOICES,
    BUCKET_CHOICES,
    CATEGORY_CHOICES,
    CLASS_CHOICES,
    DECISION_CHOICES,
    ENTRY_CHOICES,
    POINTS,
    STATUS_CHOICES,
    UNIT_CHOICES,
    Field,
    add_months,
)
from .demand import DemandCall, DemandItem, DemandItemEvent, DemandScore, PanelSeat
from .ledger import CreditEntry, Decision, PromotionGroupMeeting
from .progress import Checkpoint, FeedbackFee, FeedbackFeePayment, ProgressReport, SiteVisit

__all__ = ["AFFILIATION_CHOICES", "Agreement", "BUCKET_CHOICES", "CATEGORY_CHOICES", "CLASS_CHOICES",
           "CaseLine", "CasePlan", "CheckRecord", "ChecklistItem", "Checkpoint", "Conflict", "Contractor",
           "CreditEntry", "DECISION_CHOICES", "Decision", "DemandCall", "DemandItem", "DemandItemEvent",
           "DemandScore", "ENTRY_CHOICES", "Expert", "FeedbackFee", "FeedbackFeePayment", "Field", "POINTS",
           "PanelSeat", "ProgressReport", "PromotionGroupMeeting", "STATUS_CHOICES", "SiteVisit",
           "SubcommitteeReview", "SubcommitteeSeat", "UNIT_CHOICES", "add_months"]
