from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}), max_length=200)
    confirm = forms.BooleanField(label=_("I understand that my account and the data listed above will be "
                                         "erased, and that this cannot be undone."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if self.user is not None and not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class EraseOnRequestForm(forms.Form):
    reason = forms.CharField(label=_("Whose request, received how and when"), max_length=300,
                             widget=forms.TextInput(attrs={"placeholder": _("e.g. letter of 2026-11-30 from the person")}))
    confirm = forms.BooleanField(label=_("I have checked that the request comes from this person."))


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who"), required=False, max_length=150)
    model = forms.CharField(label=_("Kind of record"), required=False, max_length=100)
    object_id = forms.CharField(label=_("Record number"), required=False, max_length=64)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("Record or address contains"), required=False, max_length=100)
