"""Event feedback surveys: the builder, sending to both sides, answers checked, named and anonymous
answers, withdrawal, reminders, results counted by hand, the Excel file."""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clusterbridge.accounts.models import InboxMessage
from clusterbridge.outcomes import selectors
from clusterbridge.outcomes import survey_services as services
from clusterbridge.outcomes.survey_core import AnswerError, clean_answer, summarise
from clusterbridge.outcomes.survey_models import SurveyParticipation, SurveyResponse
from tests.outcomes.test_ratings import held  # noqa: F401 - the fixture


def _q(kind, required=True, choices=0, low=None, high=None, nmin=None, nmax=None):
    return SimpleNamespace(kind=kind, required=required, choices=[{"en": str(i)} for i in range(choices)],
                           min_choices=low, max_choices=high, number_min=nmin, number_max=nmax)


@pytest.mark.parametrize("question, raw, expected", [
    (_q("single", choices=3), ["2"], [2]),
    (_q("multiple", choices=4, high=2), ["3", "0", "3"], [0, 3]),
    (_q("scale"), ["5"], 5),
    (_q("yes_no"), ["no"], False),
    (_q("number", nmin=0), ["1,200"], "1200"),
    (_q("text", required=False), ["  "], None),
    (_q("text"), [" Fewer speeches "], "Fewer speeches"),
])
def test_answers_are_cleaned(question, raw, expected):
    assert clean_answer(question, raw) == expected


@pytest.mark.parametrize("question, raw, message", [
    (_q("scale"), [], "needs an answer"),
    (_q("single", choices=3), ["0", "1"], "choose one answer"),
    (_q("single", choices=3), ["7"], "among the answers offered"),
    (_q("single", choices=3), ["x"], "among the answers offered"),
    (_q("multiple", choices=5, low=2, high=3), ["1"], "at least 2"),
    (_q("multiple", choices=5, high=3), ["0", "1", "2", "4"], "at most 3"),
    (_q("scale"), ["6"], "from 1 to 5"),
    (_q("yes_no"), ["maybe"], "yes or no"),
    (_q("number"), ["1e400"], "not a number we can count"),
    (_q("number"), ["abc"], "abc is not a number"),
    (_q("number", nmin=0), ["-1"], "at least 0"),
    (_q("text"), ["x" * 4001], "at most 4000"),
])
def test_bad_answers_are_named(question, raw, message):
    with pytest.raises(AnswerError, match=message):
        clean_answer(question, raw)


def test_summaries_count_shares_and_averages():
    scale = summarise(_q("scale"), [5, 4, 4, 2], respondents=5)
    assert scale["answered"] == 4 and scale["average"] == 3.75
    assert scale["rows"] == [(1, 0, 0.0), (2, 1, 0.25), (3, 0, 0.0), (4, 2, 0.5), (5, 1, 0.25)]
    multiple = summarise(_q("multiple", choices=3), [[0, 2], [2]], respondents=2)
    assert multiple["rows"] == [(0, 1, 0.5), (1, 0, 0.0), (2, 2, 1.0)]  # shares of those who answered
    number = summarise(_q("number"), ["3", "5", "10"], respondents=3)
    assert (number["average"], number["median"], number["total"]) == (6, 5, 18)


@pytest.fixture
def sent(held, mailoutbox):  # noqa: F811
    for reg, country in zip(held["regs"], ("FR", "TW", "BE", "TW")):
        reg.organisation.country = country
        reg.organisation.save(update_fields=["country"])
    survey = services.survey_create(event=held["event"], by=held["organiser"], from_template=True)
    return held | {"survey": survey}


def test_building_sending_and_answering_a_named_survey(sent, client):
    survey, regs, organiser = sent["survey"], sent["regs"], sent["organiser"]
    questions = list(survey.questions.all())
    assert [q.kind for q in questions] == ["scale", "scale", "scale", "scale", "yes_no", "number", "multiple", "text"]
    assert questions[0].text_zh.startswith("整體而言")
    with pytest.raises(PermissionDenied):
        services.survey_create(event=sent["event"], by=regs[0].person, title_en="Mine")
    with pytest.raises(ValidationError) as bad:
        services.question_save(survey=survey, by=organiser, kind="single", text_en="", choices=[{"en": "only one"}])
    assert set(bad.value.message_dict) == {"text_en", "choices"}
    extra = services.question_save(survey=survey, by=organiser, kind="single", text_en="Which day suited you?",
                                   text_zh="哪一天較方便？", required=False,
                                   choices=[{"en": "Tuesday", "zh": "週二"}, {"en": "Wednesday", "zh": "週三"}])
    services.question_move(question=extra, by=organiser, up=True)
    assert [q.pk for q in survey.questions.all()][-2] == extra.pk

    assert services.survey_send(survey=survey, by=organiser) == 4  # both sides, every approved participant
    assert InboxMessage.objects.filter(kind="outcomes.survey_open").count() == 4
    assert services.survey_send(survey=survey, by=organiser) == 0  # nobody twice

    first, overall, seminar, matching, visits, again, contacts, expect, day, suggestions = (
        None, *survey.questions.all())
    with pytest.raises(ValidationError) as bad:
        services.survey_answer(survey=survey, by=regs[1].person, raw={overall.pk: ["9"], contacts.pk: ["abc"]})
    assert set(bad.value.message_dict) == {f"q{overall.pk}", f"q{matching.pk}", f"q{again.pk}", f"q{contacts.pk}"}
    assert not SurveyResponse.objects.exists()  # nothing half-written
    services.survey_answer(survey=survey, by=regs[1].person, raw={
        overall.pk: ["5"], matching.pk: ["4"], again.pk: ["yes"], contacts.pk: ["3"], expect.pk: ["0", "2"],
        suggestions.pk: ["More time for the meetings"]})
    services.survey_answer(survey=survey, by=regs[0].person, raw={overall.pk: ["3"], matching.pk: ["5"],
                                                                  again.pk: ["no"]})
    with pytest.raises(ValidationError, match="withdraw your answers to answer again"):
        services.survey_answer(survey=survey, by=regs[0].person, raw={overall.pk: ["3"]})
    with pytest.raises(PermissionDenied):
        services.survey_answer(survey=survey, by=organiser, raw={})
    with pytest.raises(ValidationError, match="stay as they were asked"):
        services.question_delete(question=day, by=organiser)

    results = selectors.survey_results(survey)
    assert results["respondents"] == 2
    assert results["sides"]["TW"] == {"asked": 2, "answered": 1, "rate": 0.5}
    assert results["sides"]["EU"] == {"asked": 2, "answered": 1, "rate": 0.5}
    by_question = {q.pk: s for q, s in results["questions"]}
    assert by_question[overall.pk]["average"] == 4.0
    assert by_question[again.pk]["rows"] == [("yes", 1, 0.5), ("no", 1, 0.5)]
    assert by_question[suggestions.pk]["texts"] == ["More time for the meetings"]

    client.force_login(organiser)
    page = client.get(f"/outcomes/surveys/{survey.pk}/results/").content.decode()
    assert "More time for the meetings" in page and "50 %" in page
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(f"/outcomes/surveys/{survey.pk}/results/?format=xlsx").content))
    responses = list(book.worksheets[1].iter_rows(values_only=True))
    assert len(responses) == 3 and responses[1][1] in (regs[0].organisation.name_en, regs[1].organisation.name_en)

    client.force_login(regs[0].person)  # a participant reads and withdraws their own answers
    own = client.get(f"/outcomes/surveys/{survey.pk}/").content.decode()
    assert "Your answers" in own and "My agenda" in own
    client.post(f"/outcomes/surveys/{survey.pk}/", {"action": "withdraw"})
    assert not SurveyResponse.objects.filter(person=regs[0].person).exists()
    assert not SurveyParticipation.objects.get(survey=survey, person=regs[0].person).answered
    assert client.get(f"/outcomes/surveys/{survey.pk}/results/").status_code == 403  # results: organisers only


def test_an_anonymous_survey_keeps_no_link_and_the_receipt_finds_it(sent, client):
    survey = services.survey_create(event=sent["event"], by=sent["organiser"], title_en="Anonymous", anonymous=True)
    q = services.question_save(survey=survey, by=sent["organiser"], kind="scale", text_en="How was it?")
    services.survey_send(survey=survey, by=sent["organiser"])
    person = sent["regs"][2].person
    client.force_login(person)
    page = client.post(f"/outcomes/surveys/{survey.pk}/", {"action": "answer", f"q{q.pk}": "2"})
    receipt = page.context["receipt"]
    assert receipt and receipt in page.content.decode()
    response = SurveyResponse.objects.get(survey=survey)
    assert response.person is None and response.registration is None and response.receipt_hash != receipt
    with pytest.raises(ValidationError):
        services.survey_update(survey=survey, by=sent["organiser"], anonymous=False)
    assert client.post(f"/outcomes/surveys/{survey.pk}/", {"action": "show", "receipt": "0000-0000-0000-0000"}
                       ).context["shown"] == []
    shown = client.post(f"/outcomes/surveys/{survey.pk}/", {"action": "show", "receipt": receipt.lower()})
    assert shown.context["shown"] == [("How was it?", "2")]
    client.post(f"/outcomes/surveys/{survey.pk}/", {"action": "withdraw", "receipt": receipt})
    assert not SurveyResponse.objects.exists()


def test_reminders_reach_only_those_who_have_not_answered_once(sent):
    survey, regs = sent["survey"], sent["regs"]
    services.survey_send(survey=survey, by=sent["organiser"])
    overall, matching, again = list(survey.questions.filter(required=True))[:3]
    services.survey_answer(survey=survey, by=regs[0].person,
                           raw={overall.pk: ["4"], matching.pk: ["4"], again.pk: ["yes"]})
    assert services.survey_reminders() == 0  # not yet: three days before it closes
    later = survey.closes_at - dt.timedelta(days=2)
    assert services.survey_reminders(now=later) == 3
    assert services.survey_reminders(now=later) == 0  # once
    reminded = set(InboxMessage.objects.filter(kind="outcomes.survey_reminder").values_list("recipient", flat=True))
    assert reminded == {r.person.pk for r in regs[1:]}
    closed = services.survey_create(event=sent["event"], by=sent["organiser"], title_en="Past",
                                    opens_at=timezone.now() - dt.timedelta(days=30),
                                    closes_at=timezone.now() - dt.timedelta(days=1))
    services.question_save(survey=closed, by=sent["organiser"], kind="yes_no", text_en="Well?")
    with pytest.raises(ValidationError, match="closed"):
        services.survey_send(survey=closed, by=sent["organiser"])


def test_the_builder_pages(held, client):  # noqa: F811
    ev, organiser, regs = held["event"], held["organiser"], held["regs"]
    client.force_login(regs[0].person)
    listing = client.get(f"/outcomes/events/{ev.slug}/surveys/").content.decode()
    assert "No survey has been sent to you" in listing and "My agenda" in listing  # the event's menu, as everywhere
    assert client.post(f"/outcomes/events/{ev.slug}/surveys/", {"template": "1"}).status_code == 403
    client.force_login(organiser)
    bad = client.post(f"/outcomes/events/{ev.slug}/surveys/", {"template": "1", "opens_at": "2030-01-10T09:00",
                                                               "closes_at": "2030-01-01T09:00"})
    assert "a survey closes after it opens" in bad.content.decode()
    made = client.post(f"/outcomes/events/{ev.slug}/surveys/", {"template": "1", "opens_at": "2030-01-01T09:00",
                                                                "closes_at": "2030-01-15T18:00"})
    survey = ev.surveys.get()
    assert made.url == f"/outcomes/surveys/{survey.pk}/edit/"
    assert survey.remind_at == survey.closes_at - dt.timedelta(days=3)
    page = client.get(made.url).content.decode()
    assert "Would you take part again?" in page and "Send the survey" in page
    client.post(made.url, {"action": "question", "kind": "multiple", "text_en": "Which sectors?", "required": "on",
                           "choices": "Textiles | 紡織\nChemicals | 化工\nMachinery | 機械", "max_choices": "2"})
    added = survey.questions.last()
    assert (added.text_en, added.max_choices, added.choices[1]) == ("Which sectors?", 2, {"en": "Chemicals", "zh": "化工"})
    wrong = client.post(made.url, {"action": "question", "kind": "multiple", "text_en": "Too many?",
                                   "choices": "A\nB", "max_choices": "5"})
    assert "the limits must fit the answers offered" in wrong.content.decode()
    client.post(made.url, {"action": "send"})
    survey.refresh_from_db()
    assert survey.sent_at and survey.participations.count() == 4
    zh = client.get(f"/zh-hant/outcomes/surveys/{survey.pk}/edit/").content.decode()
    assert "整體而言" in zh
