"""Forms of the outcome pages: every field read, cleaned and named on the way in."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgreementKind, SuccessStory


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
