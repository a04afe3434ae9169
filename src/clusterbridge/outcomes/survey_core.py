"""Survey answers checked and results counted, in plain Python: a question is anything with the
attributes of outcomes.Question (kind, required, choices, min_choices, max_choices, number_min,
number_max); raw answers are what a form posts (lists of strings)."""

from __future__ import annotations

import statistics
from collections import Counter
from decimal import Decimal, InvalidOperation

TEXT_LIMIT = 4000


MESSAGES = {  # English; the pages show them in the reader's language (survey_services.answer_message)
    "required": "this question needs an answer",
    "offered": "choose among the answers offered",
    "one": "choose one answer",
    "at_least_choices": "choose at least {n}",
    "at_most_choices": "choose at most {n}",
    "scale": "give a value from 1 to 5",
    "yes_no": "answer yes or no",
    "not_number": "{value} is not a number",
    "not_countable": "{value} is not a number we can count",
    "at_least": "at least {n}",
    "at_most": "at most {n}",
    "too_long": "at most {n} characters ({given} given)",
    "kind": "unknown kind of question {kind}",
}


class AnswerError(ValueError):
    """What is wrong with an answer: a code and its parameters (the message names it)."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(MESSAGES[code].format(**params))


def clean_answer(question, raw: list[str]):
    """The stored value of one question's answer, or None when it is left empty (and may be)."""
    values = [v.strip() for v in raw if v is not None and v.strip()]
    if not values:
        if question.required:
            raise AnswerError("required")
        return None
    kind = question.kind
    if kind in ("single", "multiple"):
        try:
            picked = sorted({int(v) for v in values})
        except ValueError:
            raise AnswerError("offered") from None
        if any(not 0 <= i < len(question.choices) for i in picked):
            raise AnswerError("offered")
        if kind == "single" and len(picked) != 1:
            raise AnswerError("one")
        if kind == "multiple":
            low, high = question.min_choices, question.max_choices
            if low and len(picked) < low:
                raise AnswerError("at_least_choices", n=low)
            if high and len(picked) > high:
                raise AnswerError("at_most_choices", n=high)
        return picked
    value = values[0]
    if kind == "scale":
        if value not in {"1", "2", "3", "4", "5"}:
            raise AnswerError("scale")
        return int(value)
    if kind == "yes_no":
        if value not in ("yes", "no"):
            raise AnswerError("yes_no")
        return value == "yes"
    if kind == "number":
        try:
            number = Decimal(value.replace(",", ""))
        except InvalidOperation:
            raise AnswerError("not_number", value=value[:40]) from None
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise AnswerError("not_countable", value=value[:40])
        if question.number_min is not None and number < question.number_min:
            raise AnswerError("at_least", n=question.number_min)
        if question.number_max is not None and number > question.number_max:
            raise AnswerError("at_most", n=question.number_max)
        return str(number)
    if kind == "text":
        if len(value) > TEXT_LIMIT:
            raise AnswerError("too_long", n=TEXT_LIMIT, given=len(value))
        return value
    raise AnswerError("kind", kind=kind)


def summarise(question, values: list, respondents: int) -> dict:
    """One question's results: how many answered, and per kind the counts with shares (of those who
    answered the question), the average, or the texts."""
    answered = len(values)
    out = {"answered": answered, "respondents": respondents, "rows": [], "average": None, "texts": []}

    def share(n):
        return round(n / answered, 3) if answered else 0.0

    if question.kind in ("single", "multiple"):
        counts = Counter(i for v in values for i in v)
        out["rows"] = [(i, counts[i], share(counts[i])) for i in range(len(question.choices))]
    elif question.kind == "scale":
        counts = Counter(values)
        out["rows"] = [(i, counts[i], share(counts[i])) for i in range(1, 6)]
        out["average"] = round(sum(values) / answered, 2) if answered else None
    elif question.kind == "yes_no":
        yes = sum(1 for v in values if v)
        out["rows"] = [("yes", yes, share(yes)), ("no", answered - yes, share(answered - yes))]
    elif question.kind == "number":
        numbers = [Decimal(v) for v in values]
        if numbers:
            out["average"] = round(sum(numbers) / answered, 2)
            out["median"] = statistics.median(numbers)
            out["total"] = sum(numbers)
            out["min"], out["max"] = min(numbers), max(numbers)
    else:
        out["texts"] = list(values)
    return out
