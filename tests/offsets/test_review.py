"""Demand-item scoring, classes and committee composition, without a database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clusterbridge.offsets import review as rv

D = Decimal
scores = st.integers(min_value=0, max_value=1000).map(lambda t: D(t) / 10)


@given(st.lists(scores, min_size=7, max_size=7))
def test_class_follows_the_mean_score_at_the_published_bounds(panel):
    score = rv.item_score(panel)
    mean = sum(panel) / 7
    assert abs(score - mean) <= D("0.05")
    expected = "priority" if score >= 80 else "general" if score >= 60 else "excluded"
    assert rv.item_class(score) == expected


@pytest.mark.parametrize("score, klass", [(D("80.0"), "priority"), (D("79.9"), "general"), (D("60.0"), "general"),
                                          (D("59.9"), "excluded"), (D("100"), "priority"), (D("0"), "excluded")])
def test_class_bounds(score, klass):
    assert rv.item_class(score) == klass


def test_a_mean_of_79_95_rounds_to_priority():
    assert rv.item_score([D("80.0")] * 6 + [D("79.6")]) == D("79.9")
    assert rv.item_class(rv.item_score([D("80.0")] * 5 + [D("79.9"), D("79.8")])) == "priority"


def test_item_score_needs_all_seven():
    with pytest.raises(rv.ReviewRuleError) as error:
        rv.item_score([D(70)] * 6)
    assert str(error.value) == "6 of the panel's 7 scores are in; all are needed"


@pytest.mark.parametrize("raw", ["101", "-1", "70.25", "x"])
def test_score_value_refuses(raw):
    with pytest.raises(rv.ReviewRuleError):
        rv.score_value(raw)


def test_panel_composition_is_1_1_3_2():
    good = (["industrial_development_bureau", "department_of_industrial_technology"] + ["research_institute"] * 3
            + ["academic"] * 2)
    assert rv.panel_problems(good) == []
    assert rv.panel_problems(good[:-1] + ["research_institute"]) == [
        "4 from research institute; it needs 3", "1 from academic; it needs 2"]


def test_subcommittee_needs_5_to_7_with_experts_more_than_half_and_no_conflicts():
    r = rv.Reviewer
    assert rv.subcommittee_problems([r("a", True)] * 3 + [r("o", False)] * 2) == []
    assert rv.subcommittee_problems([r("a", True)] * 3 + [r("o", False)] * 3) == [
        "3 of 6 reviewers are from the expert database; experts must be more than half"]
    assert rv.subcommittee_problems([r("a", True)] * 4) == ["the subcommittee has 4 reviewers; it needs 5 to 7"]
    assert rv.subcommittee_problems([r("a", True)] * 4 + [r("Lin", True, conflicted=True)]) == [
        "Lin declared a conflict of interest with this case and cannot review it"]
