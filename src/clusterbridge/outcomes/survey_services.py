"""Writes of event feedback surveys: build (or start from the ready template), send to the event's
participants, answer, withdraw, and remind those who have not answered (an hourly job)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from clusterbridge.accounts.notices import both, notice_kind
from clusterbridge.core.jobs import job_kind
from clusterbridge.events.rules import can_organise_event

from .survey_core import AnswerError, clean_answer
from .survey_models import Question, Survey, SurveyAnswer, SurveyParticipation, SurveyResponse

SURVEY_OPEN = notice_kind(
    "outcomes.survey_open", subject=gettext_lazy("%(event)s: tell us how it went"),
    body=gettext_lazy("%(survey)s is open until %(closes)s. Your answers show the organisers what to keep and what "
                      "to change; it takes a few minutes."))
SURVEY_REMINDER = notice_kind(
    "outcomes.survey_reminder", subject=gettext_lazy("Reminder: %(survey)s closes on %(closes)s"),
    body=gettext_lazy("You have not answered %(survey)s yet. It closes on %(closes)s."))
REMINDER_JOB = "outcomes.survey_reminders"
ANSWER_MESSAGES = {  # survey_core.MESSAGES in the reader's language
    "required": gettext_lazy("This question needs an answer."),
    "offered": gettext_lazy("Choose among the answers offered."),
    "one": gettext_lazy("Choose one answer."),
    "at_least_choices": gettext_lazy("Choose at least %(n)s."),
    "at_most_choices": gettext_lazy("Choose at most %(n)s."),
    "scale": gettext_lazy("Give a value from 1 to 5."),
    "yes_no": gettext_lazy("Answer yes or no."),
    "not_number": gettext_lazy("%(value)s is not a number."),
    "not_countable": gettext_lazy("%(value)s is not a number we can count."),
    "at_least": gettext_lazy("At least %(n)s."),
    "at_most": gettext_lazy("At most %(n)s."),
    "too_long": gettext_lazy("At most %(n)s characters (%(given)s given)."),
    "kind": gettext_lazy("Unknown kind of question %(kind)s."),
}


def answer_message(error: AnswerError) -> str:
    return str(ANSWER_MESSAGES[error.code]) % error.params

TEMPLATE = [  # the ready template: (kind, en, zh, required, choices)
    ("scale", "Overall, how satisfied are you with the event? (1 = not at all, 5 = very)",
     "整體而言，您對本次活動的滿意度？（1 = 非常不滿意，5 = 非常滿意）", True, []),
    ("scale", "How useful was the seminar?", "研討會對您的幫助程度？", False, []),
    ("scale", "How useful were the one-to-one meetings?", "一對一洽談對您的幫助程度？", True, []),
    ("scale", "How useful were the company and site visits?", "企業與場域參訪對您的幫助程度？", False, []),
    ("yes_no", "Would you take part again?", "您是否願意再次參加？", True, []),
    ("number", "How many promising contacts did you make?", "您建立了幾個有潛力的聯繫？", False, []),
    ("multiple", "What do you expect from these contacts? (up to three)", "您對這些聯繫的期待？（最多三項）", False,
     [("Joint R&D", "共同研發"), ("Sales or supply", "銷售或供應"), ("A joint project proposal", "共同提案"),
      ("Technology transfer", "技術移轉"), ("Investment", "投資"), ("Cluster-to-cluster cooperation", "聚落間合作")]),
    ("text", "Your suggestions for the next event", "對下次活動的建議", False, []),
]


def _require_organiser(by, survey_or_event) -> None:
    event = getattr(survey_or_event, "event", survey_or_event)
    if not can_organise_event(by, event):
        raise PermissionDenied("only the event's organisers build and send its surveys")


def _dates(opens_at, closes_at, remind_at) -> dict:
    errors = {}
    if opens_at is None:
        errors["opens_at"] = ["say when the survey opens"]
    if closes_at is None:
        errors["closes_at"] = ["say when the survey closes"]
    elif opens_at is not None and closes_at <= opens_at:
        errors["closes_at"] = ["a survey closes after it opens"]
    if remind_at is not None and opens_at and closes_at and not opens_at <= remind_at < closes_at:
        errors["remind_at"] = ["the reminder goes out while the survey is open"]
    if errors:
        raise ValidationError(errors)
    return {"opens_at": opens_at, "closes_at": closes_at,
            "remind_at": remind_at if remind_at is not None else max(opens_at, closes_at - dt.timedelta(days=3))}


@transaction.atomic
def survey_create(*, event, by, title_en: str = "", title_zh: str = "", intro_en: str = "", intro_zh: str = "",
                  anonymous: bool = False, opens_at=None, closes_at=None, remind_at=None,
                  from_template: bool = False) -> Survey:
    """A survey of the event; by default it opens now and closes in two weeks, with a reminder three
    days before. `from_template` adds the ready questions."""
    _require_organiser(by, event)
    now = timezone.now()
    opens_at = opens_at or now
    closes_at = closes_at or opens_at + dt.timedelta(days=14)
    if not (title_en.strip() or title_zh.strip()):
        if not from_template:
            raise ValidationError({"title_en": ["give the survey a title in English or in Chinese"]})
        title_en, title_zh = "Your feedback on the event", "活動意見調查"
    survey = Survey.objects.create(event=event, title_en=title_en.strip()[:200], title_zh=title_zh.strip()[:200],
                                   intro_en=intro_en.strip(), intro_zh=intro_zh.strip(), anonymous=anonymous,
                                   created_by=by, **_dates(opens_at, closes_at, remind_at))
    if from_template:
        for position, (kind, en, zh, required, choices) in enumerate(TEMPLATE, 1):
            Question.objects.create(survey=survey, position=position, kind=kind, text_en=en, text_zh=zh,
                                    required=required, choices=[{"en": c_en, "zh": c_zh} for c_en, c_zh in choices],
                                    max_choices=3 if kind == "multiple" else None,
                                    number_min=0 if kind == "number" else None)
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, by, **fields) -> Survey:
    """Title, introduction and dates change any time; anonymity only before the survey is sent."""
    _require_organiser(by, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if "anonymous" in fields and bool(fields["anonymous"]) != survey.anonymous and survey.sent_at:
        raise ValidationError({"anonymous": ["the participants were told whether it is anonymous: it stays so"]})
    for name in ("title_en", "title_zh", "intro_en", "intro_zh"):
        if name in fields:
            setattr(survey, name, (fields[name] or "").strip())
    if not (survey.title_en or survey.title_zh):
        raise ValidationError({"title_en": ["give the survey a title in English or in Chinese"]})
    if "anonymous" in fields:
        survey.anonymous = bool(fields["anonymous"])
    dates = _dates(fields.get("opens_at", survey.opens_at), fields.get("closes_at", survey.closes_at),
                   fields.get("remind_at", survey.remind_at))
    for name, value in dates.items():
        setattr(survey, name, value)
    survey.save()
    return survey


def _locked(survey: Survey) -> None:
    if survey.responses.exists():
        raise ValidationError("people have answered: the questions stay as they were asked")


@transaction.atomic
def question_save(*, survey: Survey, by, question: Question | None = None, **fields) -> Question:
    """Adds a question (at the end) or changes one; the field that is wrong is named."""
    _require_organiser(by, survey)
    _locked(survey)
    q = question or Question(survey=survey, position=(survey.questions.count() + 1))
    for name in ("kind", "text_en", "text_zh", "help_en", "help_zh", "required", "choices", "min_choices",
                 "max_choices", "number_min", "number_max"):
        if name in fields:
            setattr(q, name, fields[name])
    errors: dict[str, list[str]] = {}
    if q.kind not in Question.Kind.values:
        errors["kind"] = [f"{q.kind!r} is not a kind of question"]
    if not ((q.text_en or "").strip() or (q.text_zh or "").strip()):
        errors["text_en"] = ["write the question in English or in Chinese"]
    if q.kind in ("single", "multiple"):
        q.choices = [c for c in (q.choices or []) if (c.get("en") or c.get("zh"))]
        if len(q.choices) < 2:
            errors["choices"] = ["offer at least two answers"]
        low, high = q.min_choices, q.max_choices
        if q.kind == "multiple" and ((high and high > len(q.choices)) or (low and high and low > high)):
            errors["max_choices"] = ["the limits must fit the answers offered (at least ≤ at most ≤ answers)"]
    else:
        q.choices, q.min_choices, q.max_choices = [], None, None
    if q.kind == "number" and q.number_min is not None and q.number_max is not None and q.number_min > q.number_max:
        errors["number_max"] = ["the largest number allowed is below the smallest"]
    if errors:
        raise ValidationError(errors)
    q.save()
    return q


@transaction.atomic
def question_delete(*, question: Question, by) -> None:
    _require_organiser(by, question.survey)
    _locked(question.survey)
    question.delete()


@transaction.atomic
def question_move(*, question: Question, by, up: bool) -> None:
    _require_organiser(by, question.survey)
    questions = list(question.survey.questions.all())
    i = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(questions):
        questions[i], questions[j] = questions[j], questions[i]
    for position, q in enumerate(questions, 1):
        if q.position != position:
            Question.objects.filter(pk=q.pk).update(position=position)


def _params(survey: Survey) -> dict:
    from clusterbridge.events.notices import event_title

    closes = timezone.localtime(survey.closes_at).strftime("%Y-%m-%d")
    return {"event": event_title(survey.event), "survey": both(survey.title_en, survey.title_zh), "closes": closes}


@transaction.atomic
def survey_send(*, survey: Survey, by) -> int:
    """Asks every approved participant of the event, Taiwanese and European alike (and those approved
    since the last sending): inbox and e-mail, each in their language. Returns how many were asked."""
    from clusterbridge.accounts.services import inbox_notify
    from clusterbridge.events.models import Registration

    _require_organiser(by, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.questions.exists():
        raise ValidationError("add questions before sending the survey")
    if survey.closes_at <= timezone.now():
        raise ValidationError("this survey is closed; move its closing date to send it")
    asked = set(survey.participations.values_list("person_id", flat=True))
    new = []
    for reg in Registration.objects.filter(event=survey.event, status=Registration.Status.APPROVED).select_related(
            "person"):
        if reg.person_id not in asked:
            asked.add(reg.person_id)
            new.append(SurveyParticipation(survey=survey, person=reg.person, registration=reg))
    SurveyParticipation.objects.bulk_create(new)
    survey.sent_at = survey.sent_at or timezone.now()
    survey.save(update_fields=["sent_at"])
    inbox_notify(recipients=[p.person for p in new], kind=SURVEY_OPEN, params=_params(survey),
                 link=f"/outcomes/surveys/{survey.pk}/")
    return len(new)


def _hash(receipt: str) -> str:
    return hashlib.sha256(("survey-receipt:" + receipt.strip().upper()).encode()).hexdigest()


@transaction.atomic
def survey_answer(*, survey: Survey, by, raw: dict[int, list[str]]) -> tuple[SurveyResponse, str]:
    """Records one participant's answers (all checked first, each error under `q<id>`). Returns the
    response and, for an anonymous survey, the receipt code that alone lets its author read or
    withdraw it (shown once, never stored)."""
    participation = (SurveyParticipation.objects.select_for_update().filter(survey=survey, person=by).first()
                     if getattr(by, "is_authenticated", False) else None)
    if participation is None:
        raise PermissionDenied("only the event's participants who were sent this survey answer it")
    now = timezone.now()
    if not survey.opens_at <= now < survey.closes_at:
        raise ValidationError(gettext("This survey is open from %(a)s to %(b)s.") % {
            "a": f"{timezone.localtime(survey.opens_at):%Y-%m-%d %H:%M}",
            "b": f"{timezone.localtime(survey.closes_at):%Y-%m-%d %H:%M}"})
    if participation.answered:
        raise ValidationError(gettext("You have answered this survey; withdraw your answers to answer again."))
    errors, cleaned = {}, []
    for q in survey.questions.all():
        try:
            value = clean_answer(q, raw.get(q.pk, []))
        except AnswerError as error:
            errors[f"q{q.pk}"] = [answer_message(error)]
            continue
        if value is not None:
            cleaned.append((q, value))
    if errors:
        raise ValidationError(errors)
    receipt = ""
    if survey.anonymous:
        receipt = "-".join(secrets.token_hex(2).upper() for _ in range(4))
        response = SurveyResponse.objects.create(survey=survey, answered_on=timezone.localdate(),
                                                 receipt_hash=_hash(receipt))
    else:
        response = SurveyResponse.objects.create(survey=survey, answered_on=timezone.localdate(), person=by,
                                                 registration=participation.registration)
    SurveyAnswer.objects.bulk_create([SurveyAnswer(response=response, question=q, value=v) for q, v in cleaned])
    participation.answered = True
    participation.save(update_fields=["answered"])
    return response, receipt


def my_response(*, survey: Survey, by, receipt: str = "") -> SurveyResponse | None:
    """The person's own response: by person for a named survey, by receipt code for an anonymous one."""
    if survey.anonymous:
        return survey.responses.filter(receipt_hash=_hash(receipt)).first() if receipt.strip() else None
    return survey.responses.filter(person=by).first() if getattr(by, "is_authenticated", False) else None


@transaction.atomic
def survey_withdraw(*, survey: Survey, by, receipt: str = "") -> None:
    """Deletes the person's answers (an anonymous one is found by its receipt code); they may answer
    again while the survey is open."""
    response = my_response(survey=survey, by=by, receipt=receipt)
    if response is None:
        raise ValidationError({"receipt": [gettext("No answers match this receipt code.")]} if survey.anonymous
                              else gettext("You have no answers to withdraw."))
    response.delete()
    SurveyParticipation.objects.filter(survey=survey, person=by).update(answered=False)


def survey_reminders(*, now=None) -> int:
    """Reminds, once per survey, the people asked who have not answered; returns how many."""
    from clusterbridge.accounts.services import inbox_notify

    now = now or timezone.now()
    reminded = 0
    for survey in Survey.objects.filter(sent_at__isnull=False, reminded_at=None, remind_at__lte=now,
                                        closes_at__gt=now).select_related("event"):
        with transaction.atomic():
            if not Survey.objects.filter(pk=survey.pk, reminded_at=None).update(reminded_at=now):
                continue  # another worker took it
            people = [p.person for p in survey.participations.filter(answered=False).select_related("person")]
            reminded += inbox_notify(recipients=people, kind=SURVEY_REMINDER, params=_params(survey),
                                     link=f"/outcomes/surveys/{survey.pk}/")
    return reminded


@job_kind(REMINDER_JOB, label=gettext_lazy("Survey reminders"), every=3600)
def survey_reminders_job(job, context) -> dict:
    return {"reminded": survey_reminders()}
