from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CATEGORY_CHOICES, DECISION_CHOICES


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


class AgreementForm(forms.Form):
    number = forms.CharField(label=_("Agreement number"), max_length=30)
    contractor = forms.ModelChoiceField(label=_("Contractor"), queryset=None, required=False,
                                        help_text=_("or name a new one below"))
    new_contractor = forms.CharField(label=_("New contractor"), max_length=200, required=False)
    new_contractor_country = forms.CharField(label=_("Its country (ISO code, e.g. FR)"), max_length=2,
                                             required=False)
    purchase_en = forms.CharField(label=_("Purchase case (English)"), max_length=300, required=False)
    purchase_zh = forms.CharField(label=_("Purchase case (Chinese)"), max_length=300, required=False)
    procuring_agency = forms.CharField(label=_("Procuring agency"), max_length=200)
    obligation = forms.CharField(label=_("Obligation (points)"), max_length=30)
    unit = forms.ChoiceField(label=_("Unit"), choices=[("USD", _("USD points")), ("TWD", _("TWD points"))])
    defence_share_target = forms.IntegerField(label=_("Defence share target (%)"), min_value=0, max_value=100,
                                              initial=50)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput)
    planned_items = forms.ModelMultipleChoiceField(label=_("Planned demand items"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        from .models import Contractor, DemandItem

        super().__init__(*args, **kwargs)
        self.fields["contractor"].queryset = Contractor.objects.all()
        self.fields["planned_items"].queryset = DemandItem.objects.filter(status=DemandItem.Status.APPROVED)

    def clean(self):
        data = super().clean()
        if not data.get("contractor") and not data.get("new_contractor"):
            self.add_error("contractor", _("Choose a contractor or name a new one."))
        if data.get("new_contractor") and len(data.get("new_contractor_country") or "") != 2:
            self.add_error("new_contractor_country", _("Give the new contractor's two-letter country code."))
        return data


class CasePlanForm(forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=30)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=300, required=False)
    field = forms.ChoiceField(label=_("Field"), choices=[("defence", _("Defence")), ("industry", _("Industry"))])
    recipients = forms.CharField(label=_("Domestic recipients (one per line)"),
                                 widget=forms.Textarea(attrs={"rows": 3}))
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DateInput)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput, required=False)


class CaseLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—")] + CATEGORY_CHOICES, required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    value = forms.CharField(label=_("Value"), max_length=30, required=False)
    multiplier = forms.CharField(label=_("Multiplier"), max_length=10, required=False, initial="1")


CaseLineFormSet = forms.formset_factory(CaseLineForm, extra=4, max_num=8)


class CheckForm(forms.Form):
    item = forms.ChoiceField(label=_("Check"), choices=[])
    passed = forms.BooleanField(label=_("Passed"), required=False)
    evidence = forms.CharField(label=_("Evidence (document reference or note)"), max_length=300)

    def __init__(self, *args, **kwargs):
        from .models import ChecklistItem

        super().__init__(*args, **kwargs)
        self.fields["item"].choices = ChecklistItem.choices


class SubcommitteeForm(forms.Form):
    sector = forms.CharField(label=_("Sector"), max_length=120)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    experts = forms.ModelMultipleChoiceField(label=_("Reviewers (5–7, experts more than half)"), queryset=None,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        from .models import Expert

        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = Expert.objects.all()


class DemandItemForm(forms.Form):
    number = forms.CharField(label=_("Item number"), max_length=30)
    proposer_name = forms.CharField(label=_("Proposer"), max_length=200)
    proposer_kind = forms.ChoiceField(label=_("Kind of proposer"), choices=[])
    basis = forms.ChoiceField(label=_("Basis"), choices=[])
    field = forms.ChoiceField(label=_("Field"), choices=[("defence", _("Defence")), ("industry", _("Industry"))])
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description_zh = forms.CharField(label=_("Description (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}),
                                     required=False)
    description_en = forms.CharField(label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 3}),
                                     required=False)
    sector = forms.CharField(label=_("Sector"), max_length=120, required=False)
    benefits = forms.MultipleChoiceField(label=_("Benefits"), required=False, widget=forms.CheckboxSelectMultiple,
                                         choices=[("technology_transfer", _("Technology transfer")),
                                                  ("joint_rd_centre", _("Joint R&D centre")),
                                                  ("investment", _("Investment in Taiwan")),
                                                  ("training", _("Training of tacit know-how")),
                                                  ("international_marketing", _("International marketing")),
                                                  ("domestic_procurement", _("Domestic procurement"))])

    def __init__(self, *args, **kwargs):
        from .models import DemandItem

        super().__init__(*args, **kwargs)
        self.fields["proposer_kind"].choices = DemandItem.ProposerKind.choices
        self.fields["basis"].choices = DemandItem.Basis.choices


class PanelSeatForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=None)
    affiliation = forms.ChoiceField(label=_("Affiliation"), choices=[])

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        from .models import AFFILIATION_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = get_user_model().objects.filter(profile__role="reviewer").order_by(
            "username")
        self.fields["affiliation"].choices = AFFILIATION_CHOICES
