from django import forms
from django.utils.translation import gettext_lazy as _

from clusterbridge.directory.models import Ecosystem, Sector, Technology

from .models import Post


class PostForm(forms.ModelForm):
    sectors = forms.ModelMultipleChoiceField(queryset=Sector.objects.filter(parent__isnull=True).order_by("code"),
                                             required=False, label=_("Sectors"),
                                             widget=forms.SelectMultiple(attrs={"size": 6}))
    ecosystems = forms.ModelMultipleChoiceField(queryset=Ecosystem.objects.all(), required=False,
                                                label=_("Industrial ecosystems"),
                                                widget=forms.SelectMultiple(attrs={"size": 6}))
    technologies = forms.ModelMultipleChoiceField(queryset=Technology.objects.order_by("label_en"), required=False,
                                                  label=_("Technologies"), widget=forms.SelectMultiple(attrs={"size": 6}))

    class Meta:
        model = Post
        fields = ["kind", "organisation", "title_en", "title_zh", "body_en", "body_zh", "publish_at", "image",
                  "image_alt_en", "image_alt_zh"]
        labels = {"kind": _("Kind"), "organisation": _("Organisation"), "title_en": _("Title (English)"),
                  "title_zh": _("Title (Chinese)"), "body_en": _("Text (English, Markdown)"),
                  "body_zh": _("Text (Chinese, Markdown)"), "publish_at": _("Publish from"),
                  "image": _("Image (JPEG or PNG, at most 2 MB)"), "image_alt_en": _("Image description (English)"),
                  "image_alt_zh": _("Image description (Chinese)")}
        widgets = {"body_en": forms.Textarea(attrs={"rows": 8}), "body_zh": forms.Textarea(attrs={"rows": 8}),
                   "publish_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].required = True
        self.fields["publish_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
        if self.instance.pk:
            for name in ("sectors", "ecosystems", "technologies"):
                self.fields[name].initial = list(getattr(self.instance, name).values_list("pk", flat=True))

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "size") and image.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The image is larger than 2 MB."))
        return image


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    lists = forms.MultipleChoiceField(label=_("Lists"), widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(label=_("Language of the messages"), choices=[("en", "English"),
                                                                               ("zh-hant", "中文")])
    consent = forms.BooleanField(label=_("I agree to receive these lists by e-mail; I can unsubscribe at any time "
                                         "with the link in every message."))

    def __init__(self, *args, lists=(), **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils.translation import get_language

        zh = (get_language() or "").startswith("zh")
        self.fields["lists"].choices = [(str(m.pk), f"{m.name_zh} — {m.description_zh}" if zh else
                                         f"{m.name_en} — {m.description_en}") for m in lists]


class TopicListForm(forms.Form):
    """A topic list: what is published on one sector, ecosystem or country (one of the three)."""

    sector = forms.ModelChoiceField(queryset=Sector.objects.filter(parent__isnull=True).order_by("code"),
                                    required=False, label=_("Sector"))
    ecosystem = forms.ModelChoiceField(queryset=Ecosystem.objects.all(), required=False, label=_("Industrial ecosystem"))
    country = forms.CharField(required=False, max_length=2, label=_("Country (ISO code, e.g. DE)"))

    def clean(self):
        data = super().clean()
        chosen = [k for k in ("sector", "ecosystem", "country") if data.get(k)]
        if len(chosen) != 1:
            raise forms.ValidationError(_("Choose one: a sector, an ecosystem or a country."))
        if data.get("country"):
            from clusterbridge.core.countries import country_name

            data["country"] = data["country"].strip().upper()
            if not country_name(data["country"]) or country_name(data["country"]) == data["country"]:
                self.add_error("country", _("Not an ISO country code."))
        return data


class IssueForm(forms.ModelForm):
    """An issue officers write for a list of their own (the ICP newsletter), in both languages."""

    class Meta:
        from .models import Issue

        model = Issue
        fields = ["subject_en", "subject_zh", "body_en", "body_zh"]
        labels = {"subject_en": _("Subject (English)"), "subject_zh": _("Subject (Chinese)"),
                  "body_en": _("Text (English, Markdown)"), "body_zh": _("Text (Chinese, Markdown)")}
        widgets = {"body_en": forms.Textarea(attrs={"rows": 14}), "body_zh": forms.Textarea(attrs={"rows": 14})}
