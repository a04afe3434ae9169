"""The ledger's chain (plain Python): each credit entry carries an HMAC-SHA256 of its own content
and of the previous entry of its case, keyed with a secret that is not in the database
(settings.LEDGER_KEY). Whoever can write to the database but does not hold the key cannot add,
change or remove an entry without the chain breaking at that point; `verify` walks every case's
chain and says where the first break is and what it looks like."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from decimal import Decimal

# The content that is chained, in this order (a model's attribute names; ids for foreign keys).
FIELDS = ("case_id", "agreement_id", "contractor_id", "seq", "kind", "bucket", "amount", "signed", "unit",
          "pre_approved_after", "approved_after", "retained_after", "decision_id", "reverses_id", "reason",
          "effective_on", "recorded_by_id")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def link(key: bytes, previous: str, values: dict) -> str:
    """The chain value of an entry whose content is `values` and whose previous entry's chain value
    is `previous` ("" for a case's first entry)."""
    message = "\x1f".join([previous, *(_text(values[f]) for f in FIELDS)]).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


# What a break is, in English (the command's words) with its parameters; pages translate by `code`.
PROBLEMS = {
    "missing_entry": "entry {number} is missing (the next one found is {next})",
    "other_case": "the entry belongs to another case",
    "changed": "the entry was changed, or added without the ledger's key",
    "balances": "the balances after the entry do not follow from the entries before it",
    "missing_range": "entries {first} to {last} are missing",
}


@dataclass(frozen=True)
class Break:
    case_id: int
    seq: int
    code: str
    params: tuple = ()  # (name, value) pairs

    @property
    def problem(self) -> str:
        return PROBLEMS[self.code].format(**dict(self.params))


def verify_case(key: bytes, case_id: int, entries: list[dict], expected_last_seq: int) -> Break | None:
    """The first break of one case's chain: `entries` in seq order, each with FIELDS and `chain`;
    `expected_last_seq` is the case's own counter of written entries."""
    previous, balances = "", {"pre_approved": Decimal(0), "approved": Decimal(0), "retained": Decimal(0)}
    for number, entry in enumerate(entries, start=1):
        if entry["seq"] != number:
            return Break(case_id, number, "missing_entry", (("number", number), ("next", entry["seq"])))
        if entry["case_id"] != case_id:
            return Break(case_id, number, "other_case")
        if not hmac.compare_digest(link(key, previous, entry), entry["chain"] or ""):
            return Break(case_id, number, "changed")
        balances[entry["bucket"]] += entry["signed"]
        if (balances["pre_approved"], balances["approved"], balances["retained"]) != (
                entry["pre_approved_after"], entry["approved_after"], entry["retained_after"]):
            return Break(case_id, number, "balances")
        previous = entry["chain"]
    if len(entries) < expected_last_seq:
        return Break(case_id, len(entries) + 1, "missing_range", (("first", len(entries) + 1), ("last", expected_last_seq)))
    return None
