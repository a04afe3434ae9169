"""Review rules of the ICP: demand-item scores and classes, the first-review
panel's composition, the sector subcommittee's composition and conflicts.
Plain Python, no Django."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class ItemClass(StrEnum):
    PRIORITY = "priority"   # 優先項目: score ≥ 80
    GENERAL = "general"     # 一般項目: 60 ≤ score < 80
    EXCLUDED = "excluded"   # 不列入: score < 60


class Affiliation(StrEnum):
    """Where a first-review panellist comes from."""

    INDUSTRIAL_DEVELOPMENT_BUREAU = "industrial_development_bureau"
    DEPARTMENT_OF_INDUSTRIAL_TECHNOLOGY = "department_of_industrial_technology"
    RESEARCH_INSTITUTE = "research_institute"
    ACADEMIC = "academic"


PANEL_COMPOSITION = {
    Affiliation.INDUSTRIAL_DEVELOPMENT_BUREAU: 1,
    Affiliation.DEPARTMENT_OF_INDUSTRIAL_TECHNOLOGY: 1,
    Affiliation.RESEARCH_INSTITUTE: 3,
    Affiliation.ACADEMIC: 2,
}
PANEL_SIZE = sum(PANEL_COMPOSITION.values())  # 7

PRIORITY_FROM = Decimal(80)
GENERAL_FROM = Decimal(60)
SCORE_MAX = Decimal(100)
TENTH = Decimal("0.1")


class ReviewRuleError(ValueError):
    pass


def score_value(raw) -> Decimal:
    """A panellist's score: 0–100, at most one decimal place."""
    if isinstance(raw, float):
        raw = repr(raw)
    try:
        value = Decimal(str(raw).strip())
    except Exception:
        raise ReviewRuleError(f"score {raw!r} is not a number") from None
    if not value.is_finite() or value < 0 or value > SCORE_MAX:
        raise ReviewRuleError(f"score {raw} is outside 0–100")
    if value != value.quantize(TENTH):
        raise ReviewRuleError(f"score {raw} has more than one decimal place")
    return value.quantize(TENTH)


def item_score(scores: list[Decimal]) -> Decimal:
    """The item's score: the panel's mean, to one decimal, half up (80 needs a mean of 79.95 or more)."""
    if len(scores) != PANEL_SIZE:
        raise ReviewRuleError(f"{len(scores)} of the panel's {PANEL_SIZE} scores are in; all are needed")
    return (sum(scores, Decimal(0)) / len(scores)).quantize(TENTH, rounding=ROUND_HALF_UP)


def item_class(score: Decimal) -> ItemClass:
    if score >= PRIORITY_FROM:
        return ItemClass.PRIORITY
    if score >= GENERAL_FROM:
        return ItemClass.GENERAL
    return ItemClass.EXCLUDED


def panel_problems(affiliations: list[str]) -> list[str]:
    """What keeps a first-review panel from the required 1 + 1 + 3 + 2, in words."""
    counts = Counter(Affiliation(a) for a in affiliations)
    out = []
    if len(affiliations) != PANEL_SIZE:
        out.append(f"the panel has {len(affiliations)} members; it needs {PANEL_SIZE}")
    for affiliation, wanted in PANEL_COMPOSITION.items():
        have = counts.get(affiliation, 0)
        if have != wanted:
            out.append(f"{have} from {affiliation.value.replace('_', ' ')}; it needs {wanted}")
    return out


@dataclass(frozen=True)
class Reviewer:
    name: str
    is_expert: bool          # from the expert database (not an official)
    conflicted: bool = False  # declared a conflict of interest with this case


SUBCOMMITTEE_MIN, SUBCOMMITTEE_MAX = 5, 7


def subcommittee_problems(reviewers: list[Reviewer]) -> list[str]:
    """5–7 reviewers, experts more than half, nobody with a declared conflict."""
    out = []
    n = len(reviewers)
    if not SUBCOMMITTEE_MIN <= n <= SUBCOMMITTEE_MAX:
        out.append(f"the subcommittee has {n} reviewers; it needs {SUBCOMMITTEE_MIN} to {SUBCOMMITTEE_MAX}")
    experts = sum(r.is_expert for r in reviewers)
    if n and not experts * 2 > n:
        out.append(f"{experts} of {n} reviewers are from the expert database; experts must be more than half")
    for r in reviewers:
        if r.conflicted:
            out.append(f"{r.name} declared a conflict of interest with this case and cannot review it")
    return out
