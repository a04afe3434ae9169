"""Survey pages: an event's surveys, the builder, answering (and reading or withdrawing one's own
answers), and the results with charts and an Excel file."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbridge.core.bilingual import pick
from clusterbridge.core.errors import Refused, errors_into_form
from clusterbridge.core.params import id_param
from clusterbridge.events.models import Event
from clusterbridge.events.rules import can_organise_event

from . import selectors, survey_services as services
from .forms import QuestionForm, SurveyForm
from .survey_models import Question, Survey, SurveyParticipation


def _organiser_or_refuse(request, event) -> None:
    if not can_organise_event(request.user, event):
        raise Refused(_("Only the event's organisers build its surveys and read their results."),
                      next_url=reverse("events:detail", args=[event.slug]), next_label=_("Back to the event"))


@login_required
def event_surveys(request, slug: str):
    """Organisers: the event's surveys and a new one (blank or from the ready template).
    Participants: the surveys they were sent."""
    event = get_object_or_404(Event, slug=slug)
    organiser = can_organise_event(request.user, event)
    zone = zoneinfo.ZoneInfo(event.time_zone)
    with timezone.override(zone):
        now = timezone.localtime()
        form = SurveyForm(request.POST or None, initial={
            "opens_at": now.replace(second=0, microsecond=0),
            "closes_at": (now + dt.timedelta(days=14)).replace(second=0, microsecond=0)})
        if request.method == "POST":
            _organiser_or_refuse(request, event)
            if form.is_valid():
                try:
                    survey = services.survey_create(event=event, by=request.user,
                                                    from_template=request.POST.get("template") == "1",
                                                    **form.cleaned_data)
                    return redirect("outcomes:survey_edit", pk=survey.pk)
                except ValidationError as error:
                    errors_into_form(form, error)
    from clusterbridge.events.selectors import my_registration

    sent = set(SurveyParticipation.objects.filter(survey__event=event, person=request.user)
               .values_list("survey_id", flat=True))
    surveys = [s for s in event.surveys.all() if organiser or s.pk in sent]
    registration = my_registration(event, request.user)
    if not organiser and not sent:
        if registration is None or not registration.is_approved:
            raise Refused(_("The event's surveys are for its participants."),
                          next_url=reverse("events:detail", args=[slug]), next_label=_("Back to the event"))
    return render(request, "outcomes/surveys.html", {"event": event, "surveys": surveys, "mine": registration,
                                                     "organiser": organiser, "form": form, "zone": zone})


@login_required
def survey_edit(request, pk: int):
    survey = get_object_or_404(Survey.objects.select_related("event"), pk=pk)
    _organiser_or_refuse(request, survey.event)
    zone = zoneinfo.ZoneInfo(survey.event.time_zone)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    with timezone.override(zone):
        settings_form = SurveyForm(request.POST if action == "settings" else None, initial={
            f: getattr(survey, f) for f in ("title_en", "title_zh", "intro_en", "intro_zh", "anonymous", "opens_at",
                                            "closes_at", "remind_at")})
        editing = None
        if request.GET.get("question"):
            editing = get_object_or_404(Question, pk=id_param(request.GET, "question"), survey=survey)
        question_form = QuestionForm(request.POST if action == "question" else None,
                                     initial=QuestionForm.initial_of(editing) if editing else {"required": True})
        try:
            if action == "settings" and settings_form.is_valid():
                services.survey_update(survey=survey, by=request.user, **settings_form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("outcomes:survey_edit", pk=survey.pk)
            if action == "question" and question_form.is_valid():
                services.question_save(survey=survey, by=request.user, question=editing, **question_form.cleaned_data)
                messages.success(request, _("Question saved."))
                return redirect("outcomes:survey_edit", pk=survey.pk)
            if action in ("delete", "up", "down"):
                question = get_object_or_404(Question, pk=id_param(request.POST, "question"), survey=survey)
                if action == "delete":
                    services.question_delete(question=question, by=request.user)
                else:
                    services.question_move(question=question, by=request.user, up=action == "up")
                return redirect("outcomes:survey_edit", pk=survey.pk)
            if action == "send":
                n = services.survey_send(survey=survey, by=request.user)
                messages.success(request, _("Sent to %(n)s participants.") % {"n": n} if n
                                 else _("Everybody approved has been sent the survey already."))
                return redirect("outcomes:survey_edit", pk=survey.pk)
        except ValidationError as error:
            target = question_form if action in ("question",) else settings_form if action == "settings" else None
            if target is not None:
                errors_into_form(target, error)
            else:
                messages.error(request, " ".join(error.messages))
        return render(request, "outcomes/survey_edit.html", {
            "survey": survey, "event": survey.event, "settings_form": settings_form, "question_form": question_form,
            "editing": editing, "questions": list(survey.questions.all()), "locked": survey.responses.exists(),
            "asked": survey.participations.count(), "zone": zone, "closed": survey.closes_at <= timezone.now()})


@login_required
def survey_answer(request, pk: int):
    """Participants answer; afterwards they read (named) or find with their receipt code (anonymous)
    their answers, and may withdraw them."""
    survey = get_object_or_404(Survey.objects.select_related("event"), pk=pk)
    organiser = can_organise_event(request.user, survey.event)
    participation = SurveyParticipation.objects.filter(survey=survey, person=request.user).first()
    if participation is None:
        if organiser:
            return redirect("outcomes:survey_edit", pk=survey.pk)
        raise Refused(_("This survey was not sent to you."), next_url=reverse("events:detail", args=[survey.event.slug]),
                      next_label=_("Back to the event"))
    questions = list(survey.questions.all())
    errors, given, receipt, shown = {}, {}, "", None
    action = request.POST.get("action", "answer") if request.method == "POST" else ""
    if action == "answer":
        given = {q.pk: request.POST.getlist(f"q{q.pk}") for q in questions}
        try:
            _response, receipt = services.survey_answer(survey=survey, by=request.user, raw=given)
            messages.success(request, _("Thank you: your answers are saved."))
            if not receipt:
                return redirect("outcomes:survey_answer", pk=survey.pk)
            participation.refresh_from_db()
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = {key: " ".join(msgs) for key, msgs in error.message_dict.items()}
                messages.error(request, _("Some answers need your attention: see the questions marked below."))
            else:
                messages.error(request, " ".join(error.messages))
    elif action in ("show", "withdraw"):
        code = request.POST.get("receipt", "")
        try:
            if action == "withdraw":
                services.survey_withdraw(survey=survey, by=request.user, receipt=code)
                messages.success(request, _("Your answers are withdrawn. You may answer again while the survey is open."))
                return redirect("outcomes:survey_answer", pk=survey.pk)
            shown = services.my_response(survey=survey, by=request.user, receipt=code)
            if shown is None:
                messages.error(request, _("No answers match this receipt code."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    if not survey.anonymous and participation.answered:
        shown = services.my_response(survey=survey, by=request.user)
    now = timezone.now()
    return render(request, "outcomes/survey_answer.html", {
        "survey": survey, "event": survey.event, "participation": participation, "receipt": receipt,
        "mine": participation.registration, "organiser": organiser,
        "rows": [(q, given.get(q.pk, []), errors.get(f"q{q.pk}")) for q in questions],
        "is_open": survey.opens_at <= now < survey.closes_at, "shown": _readable(shown, questions),
        "scale": range(1, 6)})


def _readable(response, questions) -> list[tuple[str, str]]:
    if response is None:
        return []
    by_question = {a.question_id: a.value for a in response.answers.all()}
    return [(str(pick(q.text_en, q.text_zh)), _value_text(q, by_question.get(q.pk))) for q in questions]


def _value_text(q: Question, value) -> str:
    if value is None:
        return "–"
    if q.kind in ("single", "multiple"):
        return "; ".join(str(pick(q.choices[i].get("en", ""), q.choices[i].get("zh", "")))
                         for i in value if i < len(q.choices))
    if q.kind == "yes_no":
        return _("Yes") if value else _("No")
    return str(value)


@login_required
def survey_results(request, pk: int):
    survey = get_object_or_404(Survey.objects.select_related("event"), pk=pk)
    _organiser_or_refuse(request, survey.event)
    results = selectors.survey_results(survey)
    if request.GET.get("format") == "xlsx":
        return _xlsx(survey, results)
    rows = []
    for q, summary in results["questions"]:
        labelled = []
        for key, n, share in summary["rows"]:
            if q.kind in ("single", "multiple"):
                label = str(pick(q.choices[key].get("en", ""), q.choices[key].get("zh", "")))
            elif q.kind == "yes_no":
                label = _("Yes") if key == "yes" else _("No")
            else:
                label = str(key)
            labelled.append((label, n, share))
        rows.append((q, summary, labelled))
    return render(request, "outcomes/survey_results.html", {"survey": survey, "event": survey.event,
                                                            "results": results, "rows": rows})


def _xlsx(survey: Survey, results: dict):
    from clusterbridge.core.spreadsheets import xlsx_response

    summary = []
    for q, s in results["questions"]:
        text = q.text_en or q.text_zh
        if s["rows"]:
            for key, n, share in s["rows"]:
                label = (q.choices[key].get("en") or q.choices[key].get("zh")) if q.kind in ("single", "multiple") \
                    else key
                summary.append([text, str(label), n, share, s["average"]])
        elif q.kind == "number":
            summary.append([text, "average / median / total", s["answered"], None, s["average"]])
        else:
            summary.append([text, "texts", s["answered"], None, None])
    header = [_("Answered on")] + ([] if survey.anonymous else [_("Organisation"), _("Country")])
    questions = [q for q, _s in results["questions"]]
    header += [q.text_en or q.text_zh for q in questions]
    body = []
    responses = survey.responses.select_related("registration__organisation").prefetch_related("answers")
    for r in responses.order_by("pk"):
        values = {a.question_id: a.value for a in r.answers.all()}
        org = r.registration.organisation if r.registration_id else None
        row = [r.answered_on.isoformat()] + ([] if survey.anonymous else [str(org or ""), org.country if org else ""])
        body.append(row + [_value_text(q, values.get(q.pk)) if q.kind != "scale" else values.get(q.pk)
                           for q in questions])
    return xlsx_response({_("Summary"): ([_("Question"), _("Answer"), _("Count"), _("Share"), _("Average")], summary),
                          _("Responses"): (header, body)}, f"survey-{survey.pk}.xlsx")
