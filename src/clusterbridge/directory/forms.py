from django import forms
from django.utils.translation import gettext_lazy as _

from .exchange import nace_codes_check
from .models import Organisation, Sector


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(required=False, max_length=500, assume_scheme="https", label=_("Website"))
    sectors = forms.CharField(required=False, max_length=400, label=_("Sectors (NACE Rev. 2 codes, separated by ;)"),
                              help_text=_("A division, group or class such as 26, 26.1 or 26.11; see the list of codes."))

    def clean_sectors(self) -> list[str]:
        known = dict(Sector.objects.values_list("code", "section"))
        codes, wrong = nace_codes_check(self.cleaned_data["sectors"].split(";"), known)
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
                   "offers": forms.Textarea(attrs={"rows": 3}), "requests": forms.Textarea(attrs={"rows": 3})}


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
