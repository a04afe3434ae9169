"""Verifying the credit ledger's chain (a read: offsets/chain.py does the arithmetic), for
`clusterbridge verify-ledger` and the officers' page."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import chain
from .models import CasePlan, CreditEntry


@dataclass
class LedgerCheck:
    cases: int = 0
    entries: int = 0
    breaks: list[chain.Break] = field(default_factory=list)
    numbers: dict[int, str] = field(default_factory=dict)  # case id → its number, for the report

    @property
    def intact(self) -> bool:
        return not self.breaks


def ledger_verify() -> LedgerCheck:
    """Every case's chain walked in order; the first break of each case that has one."""
    from .services.ledger import ledger_key

    key, check = ledger_key(), LedgerCheck()
    expected = dict(CasePlan.objects.values_list("id", "ledger_seq"))
    check.numbers = dict(CasePlan.objects.values_list("id", "number"))
    current, entries = None, []

    def close() -> None:
        if current is not None:
            found = chain.verify_case(key, current, entries, expected.get(current, 0))
            if found:
                check.breaks.append(found)

    rows = CreditEntry.objects.order_by("case_id", "seq").values("chain", *chain.FIELDS)
    for row in rows.iterator(chunk_size=5000):
        if row["case_id"] != current:
            close()
            current, entries = row["case_id"], []
            check.cases += 1
        entries.append(row)
        check.entries += 1
    close()
    seen = {b.case_id for b in check.breaks} | set(CreditEntry.objects.values_list("case_id", flat=True).distinct())
    for case_id, last in expected.items():  # cases whose every entry is gone
        if last and case_id not in seen:
            check.breaks.append(chain.Break(case_id, 1, "missing_range", (("first", 1), ("last", last))))
    return check
