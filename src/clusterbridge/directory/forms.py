from django import forms
from django.utils.translation import gettext_lazy as _

from .exchange import nace_codes_check
from .models import Contact, Ecosystem, Organisation, Sector, Technology


class SearchableSelectMultiple(forms.SelectMultiple):
    """A list to choose several from, with a filter box above it (site.js) that matches either language:
    each option carries the other language's label in data-other."""

    def __init__(self, *args, other_labels: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.other_labels = other_labels or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["data-other"] = self.other_labels.get(str(value), "")
        return option


def _sector_choices(language: str) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Divisions, groups and classes, each labelled in the reader's language; the other language's
    labels (and synonyms) for the filter."""
    chinese = language.startswith("zh")
    choices, other = [], {}
    for code, en, zh, synonyms in (Sector.objects.exclude(level="section").order_by("code")
                                   .values_list("code", "label_en", "label_zh", "synonyms")):
        choices.append((code, f"{code} {zh if chinese else en}"))
        other[code] = f"{en if chinese else zh} {synonyms}".strip()
    return choices, other


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(required=False, max_length=500, assume_scheme="https", label=_("Website"))
    country = forms.ChoiceField(label=_("Country"))
    logo = forms.FileField(required=False, label=_("Logo"),  # checked and re-encoded by logos.py
                           widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
                            help_text=_("PNG, JPEG or WebP, at most 2 MB; shown at most 400 pixels wide."))
    remove_logo = forms.BooleanField(required=False, label=_("Remove the logo"))
    technology_list = forms.MultipleChoiceField(
        required=False, label=_("Technologies on the list"),
        help_text=_("Chosen here or named in the technologies above: either way the profile is filed under them."))
    ecosystems = forms.MultipleChoiceField(required=False, label=_("Industrial ecosystems (EU)"),
                                           help_text=_("The EU's 14 industrial ecosystems your work belongs to."))
    sectors = forms.MultipleChoiceField(
        required=False, label=_("Sectors (NACE Rev. 2)"),
        help_text=_("Type to filter in English or Chinese; hold Ctrl (⌘ on a Mac) to choose several."))

    def __init__(self, *args, **kwargs):
        from django.utils.translation import get_language

        from clusterbridge.core.countries import country_choices

        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("(choose the country)"))] + country_choices()
        language = get_language() or "en"
        choices, other = _sector_choices(language)
        self.fields["sectors"].choices = choices
        self.fields["sectors"].widget = SearchableSelectMultiple(
            choices=choices, other_labels=other, attrs={"size": 8, "data-filterable": "1"})
        chinese = language.startswith("zh")
        technologies = list(Technology.objects.order_by("label_en").values_list("code", "label_en", "label_zh"))
        self._list_field("technology_list", technologies, chinese)
        self._labels_en = {code: en for code, en, _zh in technologies}
        if self.instance.pk and "technology_list" not in self.initial:
            self.initial["technology_list"] = list(self.instance.technology_tags.values_list("code", flat=True))
        self._list_field("ecosystems", Ecosystem.objects.order_by("code").values_list("code", "label_en", "label_zh"),
                         chinese)

    def _list_field(self, name: str, rows, chinese: bool) -> None:
        """A list of (code, English, Chinese) entries: labelled in the reader's language, filtered in both."""
        choices = [(code, zh if chinese else en) for code, en, zh in rows]
        self.fields[name].choices = choices
        self.fields[name].widget = SearchableSelectMultiple(
            choices=choices, other_labels={code: en if chinese else zh for code, en, zh in rows},
            attrs={"size": 6, "data-filterable": "1"})

    def clean(self):
        """The technologies text and the list stay one: a list entry unticked drops the terms that
        named it; one ticked and not named yet is added to the text by its English label."""
        data = super().clean()
        if "technology_list" not in data:
            return data
        from .selectors import technology_matcher
        from .technologies import split_terms

        matcher = technology_matcher()
        chosen = set(data["technology_list"])
        before = set(self.initial.get("technology_list") or [])
        removed = before - chosen
        terms = [t for t in split_terms(data.get("technologies") or "") if not set(matcher.codes([t])) & removed]
        covered = set(matcher.codes(terms))
        terms += [self._labels_en[code] for code in sorted(chosen - covered) if code in self._labels_en]
        data["technologies"] = "; ".join(terms)
        return data

    def clean_logo(self):
        from .logos import logo_clean

        upload = self.cleaned_data.get("logo")
        if not upload or not hasattr(upload, "content_type"):
            return None  # nothing new sent
        return logo_clean(upload, self.instance.external_id or "logo")

    def clean_sectors(self) -> list[str]:
        known = dict(Sector.objects.values_list("code", "section"))
        codes, wrong = nace_codes_check(self.cleaned_data["sectors"], known)
        if wrong:
            raise forms.ValidationError(_("Not NACE Rev. 2 codes: %(codes)s") % {"codes": ", ".join(wrong)})
        return codes

    class Meta:
        model = Organisation
        fields = ["name_en", "name_zh", "kind", "country", "city", "website", "year_founded", "size",
                  "value_chain_role", "technologies", "description_en", "description_zh", "offers", "requests", "published"]
        labels = {"name_en": _("Name in English"), "name_zh": _("Name in Chinese"),
                  "description_en": _("Description in English"), "description_zh": _("Description in Chinese"),
                  "offers": _("What you offer (one per line)"), "requests": _("What you look for (one per line)"),
                  "technologies": _("Technologies (separated by ;)"), "published": _("Published"),
                  "value_chain_role": _("Role in the value chain")}
        widgets = {"description_en": forms.Textarea(attrs={"rows": 4}),
                   "description_zh": forms.Textarea(attrs={"rows": 4}),
                   "offers": forms.Textarea(attrs={"rows": 3}), "requests": forms.Textarea(attrs={"rows": 3}),
                   "technologies": forms.Textarea(attrs={"rows": 2})}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Organisation file (CSV or Excel)"))
    dry_run = forms.BooleanField(required=False, initial=True, label=_("Only check the file (dry run)"))


class CooperationProfileForm(forms.ModelForm):
    class Meta:
        from .models import CooperationProfile

        model = CooperationProfile
        fields = ["kind", "title_en", "title_zh", "description_en", "description_zh", "expires_on", "status"]
        labels = {"title_en": _("Title in English"), "title_zh": _("Title in Chinese"),
                  "description_en": _("Description in English"), "description_zh": _("Description in Chinese"),
                  "expires_on": _("Expires on"), "kind": _("Kind"), "status": _("Status")}
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"}),
                   "description_en": forms.Textarea(attrs={"rows": 4}),
                   "description_zh": forms.Textarea(attrs={"rows": 4})}


class InterestForm(forms.Form):
    message = forms.CharField(label=_("Your message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class ContactForm(forms.ModelForm):
    public = forms.BooleanField(required=False, label=_("Show publicly (the person agreed)"),
                                help_text=_("Otherwise only your organisation's members and the officers see it."))

    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone", "public"]
        labels = {"name": _("Name"), "role": _("Role"), "email": _("E-mail"), "phone": _("Phone")}


ContactFormSet = forms.inlineformset_factory(Organisation, Contact, form=ContactForm, extra=1, can_delete=True,
                                             max_num=20)
