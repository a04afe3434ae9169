from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DECISION_CHOICES


class DateInput(forms.DateInput):
    input_type = "date"


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Meeting date"), widget=DateInput)


class DecisionForm(forms.Form):
    case = forms.CharField(label=_("Case number"), max_length=30)
    kind = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES)
    amount = forms.CharField(label=_("Credits (points)"), required=False, max_length=30,
                             help_text=_("for pre-approval, approval and retention"))
    new_deadline = forms.DateField(label=_("New deadline"), required=False, widget=DateInput,
                                   help_text=_("for an extension"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class MinutesForm(forms.Form):
    on = forms.DateField(label=_("Minutes approved on"), widget=DateInput)


class ApplyForm(forms.Form):
    on = forms.DateField(label=_("Credit database updated on"), widget=DateInput)


class ReverseForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for the reversal"), max_length=300)


class ProgressReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1988, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=[(q, f"Q{q}") for q in range(1, 5)])
    percent_complete = forms.IntegerField(label=_("Completion (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("What was done this quarter"), widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=5000)


class ScoreForm(forms.Form):
    score = forms.DecimalField(label=_("Score (0–100)"), min_value=0, max_value=100, decimal_places=1)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
