import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterbridge.core.countries import country_choices, country_time_zones
from clusterbridge.directory.models import Kind

# Every region/city zone (no aliases such as "ROC" or "Etc/GMT+8"), and UTC.
TIME_ZONES = sorted(z for z in zoneinfo.available_timezones()
                    if "/" in z and z.split("/")[0] in ("Africa", "America", "Asia", "Atlantic", "Australia",
                                                         "Europe", "Indian", "Pacific")) + ["UTC"]


def _country_choices():
    return [("", _("(choose the country)"))] + country_choices()


def _zone_choices():
    return [("", _("The venue's country's time zone"))] + [(z, z.replace("_", " ")) for z in TIME_ZONES]


class EventDetailsForm(forms.Form):
    """What can change at any time: titles, venue, registration window and rules."""

    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200, required=False)
    kinds = forms.MultipleChoiceField(label=_("Kinds of matchmaking"), widget=forms.CheckboxSelectMultiple,
                                      choices=[("C2C", _("Cluster to cluster (C2C)")),
                                               ("C2B", _("Cluster to business (C2B)")),
                                               ("B2B", _("Business to business (B2B)"))])
    description_en = forms.CharField(label=_("About the event (English)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    description_zh = forms.CharField(label=_("About the event (Chinese)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    programme_en = forms.CharField(label=_("Programme (English)"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text=_("One item per line, such as “09:30 Welcome by the organisers”."))
    programme_zh = forms.CharField(label=_("Programme (Chinese)"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    organiser_contact = forms.CharField(label=_("Organiser contact"), max_length=300, required=False,
                                        help_text=_("Name, e-mail and phone participants can reach."))
    capacity = forms.IntegerField(label=_("Places (approved participants at most)"), min_value=1, required=False,
                                  help_text=_("Empty: no limit. Approvals beyond it go on a waiting list."))
    logo = forms.FileField(label=_("Logo or banner"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
                           help_text=_("PNG, JPEG or WebP, at most 2 MB; shown at most 400 pixels wide."))
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    map_url = forms.URLField(label=_("Map link"), max_length=500, required=False, assume_scheme="https",
                             help_text=_("A link to the venue on a map."))
    venue_country = forms.ChoiceField(label=_("Venue's country"), choices=_country_choices, required=False)
    online = forms.BooleanField(label=_("Online (tables are meeting links)"), required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_zone_choices, required=False,
                                  help_text=_("Every time of the event is kept and shown in this zone."))
    registration_opens = forms.DateTimeField(label=_("Registration opens"),
                                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    registration_closes = forms.DateTimeField(label=_("Registration and requests close"),
                                              widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    allowed_kinds = forms.MultipleChoiceField(label=_("Open to (none ticked: every kind)"), required=False,
                                              widget=forms.CheckboxSelectMultiple, choices=Kind.choices)
    allowed_countries = forms.CharField(label=_("Countries (ISO codes separated by commas; empty: all)"),
                                        max_length=300, required=False)
    requests_need_acceptance = forms.BooleanField(label=_("Requests need the other's acceptance"), required=False,
                                                  initial=True)
    max_meetings = forms.IntegerField(label=_("Maximum meetings per participant"), min_value=1, max_value=100,
                                      required=False)

    def clean(self):
        data = super().clean()
        if not data.get("title_en") and not data.get("title_zh"):
            self.add_error("title_en", _("Give the title in English or in Chinese."))
        opens, closes = data.get("registration_opens"), data.get("registration_closes")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes", _("Registration must close after it opens."))
        codes = [c.strip().upper() for c in (data.get("allowed_countries") or "").split(",") if c.strip()]
        wrong = [c for c in codes if len(c) != 2 or not c.isalpha()]
        if wrong:
            self.add_error("allowed_countries", _("Not a two-letter code: %(c)s") % {"c": ", ".join(wrong)})
        data["allowed_countries"] = codes
        self._time_zone(data)
        upload = data.get("logo")
        if upload and hasattr(upload, "content_type"):
            from clusterbridge.directory.logos import logo_clean

            try:
                data["logo"] = logo_clean(upload, "event")
            except forms.ValidationError as error:
                self.add_error("logo", error)
        else:
            data["logo"] = None
        return data

    def _time_zone(self, data):
        """The zone defaults from the venue's country; a physical event kept in another zone is
        allowed (a delegation may want its home time) but flagged in `zone_warning`."""
        country, zone = data.get("venue_country") or "", data.get("time_zone") or ""
        zones = country_time_zones(country)
        self.zone_warning = ""
        if not zone:
            if zones:
                data["time_zone"] = zones[0]
            else:
                self.add_error("time_zone", _("Choose the time zone, or the venue's country to take its zone."))
        elif zones and zone not in zones and not data.get("online"):
            self.zone_warning = _("The event's times are kept in %(zone)s, but its venue is in %(country)s "
                                  "(%(venue_zone)s): check that this is meant.") % {
                "zone": zone, "country": dict(country_choices()).get(country, country), "venue_zone": zones[0]}


def clean_tables(value: str, errors: list) -> int | list[str]:
    """A number of tables, or names one per line."""
    value = (value or "").strip()
    if value.isdigit():
        if not 1 <= int(value) <= 2000:
            errors.append(_("Between 1 and 2,000 tables."))
        return int(value)
    names = [line.strip() for line in value.splitlines() if line.strip()]
    if not names or len(set(names)) != len(names):
        errors.append(_("Give a number, or distinct names one per line."))
    return names


class EventForm(EventDetailsForm):
    slug = forms.SlugField(label=_("Web address (letters, digits, hyphens)"), max_length=80)
    tables = forms.CharField(label=_("Tables or rooms: a number, or one name per line"), initial="10",
                             widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["title_en", "title_zh", "slug"]

    def clean(self):
        data = super().clean()
        errors: list = []
        data["tables"] = clean_tables(data.get("tables"), errors)
        for error in errors:
            self.add_error("tables", error)
        return data


class TablesForm(forms.Form):
    tables = forms.CharField(label=_("Tables or rooms to add: a number, or one name per line"), initial="1",
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean_tables(self):
        errors: list = []
        value = clean_tables(self.cleaned_data.get("tables"), errors)
        if errors:
            raise forms.ValidationError(errors)
        return value


class SessionForm(forms.Form):
    name = forms.CharField(label=_("Session"), max_length=60, required=False)
    starts_at = forms.DateTimeField(label=_("Starts"), required=False,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    slot_minutes = forms.IntegerField(label=_("Slot (minutes)"), min_value=5, max_value=240, initial=20,
                                      required=False)
    slot_count = forms.IntegerField(label=_("Slots"), min_value=1, max_value=200, required=False)
    pause_minutes = forms.IntegerField(label=_("Pause between slots (minutes)"), min_value=0, max_value=120,
                                       initial=0, required=False)


SessionFormSet = forms.formset_factory(SessionForm, extra=3, max_num=10)
