from django.contrib import admin

from .models import Contact, Organisation, Sector


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["external_id", "name_en", "name_zh", "kind", "country", "published"]
    list_filter = ["kind", "country", "published", "label"]
    search_fields = ["external_id", "name_en", "name_zh"]
    filter_horizontal = ["sectors"]
    inlines = [ContactInline]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "label_en", "label_zh", "level"]
    search_fields = ["code", "label_en", "label_zh"]
