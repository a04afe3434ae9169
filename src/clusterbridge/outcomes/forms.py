"""Forms of the outcome pages: every field read, cleaned and named on the way in."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgreementKind, SuccessStory
from .survey_models import Question


class StoryForm(forms.ModelForm):
    class Meta:
        model = SuccessStory
        fields = ["title_en", "title_zh", "body_en", "body_zh"]
        labels = {"title_en": _("Title (English)"), "title_zh": _("Title (Chinese)"),
                  "body_en": _("The story (English)"), "body_zh": _("The story (Chinese)")}
        help_texts = {"body_en": _("Who met whom, where, what came of it, what is next. Plain text; a blank line "
                                   "starts a paragraph.")}
        widgets = {"body_en": forms.Textarea(attrs={"rows": 8}), "body_zh": forms.Textarea(attrs={"rows": 8})}


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of agreement"), choices=AgreementKind.choices)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations party to it"), queryset=None,
        widget=forms.SelectMultiple(attrs={"data-filterable": "", "size": 8}),
        help_text=_("Two or more; yours among them."))
    event = forms.ModelChoiceField(label=_("Event where it began"), queryset=None, required=False)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("Value"), required=False, min_value=0, max_digits=16, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3, min_length=3,
                               help_text=_("Three letters: EUR, TWD, USD."))
    summary_en = forms.CharField(label=_("Summary (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    summary_zh = forms.CharField(label=_("Summary (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    public = forms.BooleanField(label=_("The parties agree that this agreement is listed publicly"), required=False)
    case_plan = forms.CharField(label=_("ICP case plan number"), required=False, max_length=30,
                                help_text=_("Only for an agreement that became an Industrial Cooperation Programme "
                                            "case plan, e.g. IC-2011-053."))

    def __init__(self, *args, organisations, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations
        self.fields["organisations"].label_from_instance = lambda o: f"{o.name_en or o.name_zh} ({o.country})"
        self.fields["event"].queryset = events
        self.fields["event"].label_from_instance = lambda e: e.title_en or e.title_zh or e.slug

    def clean(self):
        data = super().clean()
        if data.get("amount") is not None and not data.get("currency"):
            self.add_error("currency", _("Give the value's currency."))
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("publish", _("Publish")), ("return", _("Return for changes"))],
                                 widget=forms.RadioSelect, label=_("Decision"))
    reason = forms.CharField(label=_("Reason (when returned)"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


def _local(attrs=None):
    return forms.DateTimeInput(attrs={"type": "datetime-local", **(attrs or {})}, format="%Y-%m-%dT%H:%M")


class SurveyForm(forms.Form):
    title_en = forms.CharField(label=_("Title (English)"), required=False, max_length=200)
    title_zh = forms.CharField(label=_("Title (Chinese)"), required=False, max_length=200)
    intro_en = forms.CharField(label=_("Introduction (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    intro_zh = forms.CharField(label=_("Introduction (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    anonymous = forms.BooleanField(label=_("Anonymous: answers keep no link to their person"), required=False)
    opens_at = forms.DateTimeField(label=_("Opens"), widget=_local())
    closes_at = forms.DateTimeField(label=_("Closes"), widget=_local())
    remind_at = forms.DateTimeField(label=_("Reminder to those who have not answered"), required=False, widget=_local(),
                                    help_text=_("Empty: three days before it closes."))


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices)
    text_en = forms.CharField(label=_("Question (English)"), required=False, max_length=300)
    text_zh = forms.CharField(label=_("Question (Chinese)"), required=False, max_length=300)
    help_en = forms.CharField(label=_("Help (English)"), required=False, max_length=300)
    help_zh = forms.CharField(label=_("Help (Chinese)"), required=False, max_length=300)
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
    choices = forms.CharField(label=_("Answers offered (one choice and multiple choice)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("One per line, English | Chinese, for example: Joint R&D | 共同研發"))
    min_choices = forms.IntegerField(label=_("Choose at least"), required=False, min_value=0, max_value=50)
    max_choices = forms.IntegerField(label=_("Choose at most"), required=False, min_value=1, max_value=50)
    number_min = forms.DecimalField(label=_("Smallest number allowed"), required=False, max_digits=14, decimal_places=2)
    number_max = forms.DecimalField(label=_("Largest number allowed"), required=False, max_digits=14, decimal_places=2)

    def clean_choices(self):
        rows = []
        for line in self.cleaned_data["choices"].splitlines():
            if line.strip():
                en, _sep, zh = line.partition("|")
                rows.append({"en": en.strip()[:200], "zh": zh.strip()[:200]})
        if len(rows) > 50:
            raise forms.ValidationError(_("At most 50 answers."))
        return rows

    @staticmethod
    def initial_of(question) -> dict:
        return {"kind": question.kind, "text_en": question.text_en, "text_zh": question.text_zh,
                "help_en": question.help_en, "help_zh": question.help_zh, "required": question.required,
                "choices": "\n".join(f"{c.get('en', '')} | {c.get('zh', '')}" for c in question.choices),
                "min_choices": question.min_choices, "max_choices": question.max_choices,
                "number_min": question.number_min, "number_max": question.number_max}
