from django.urls import path

from . import briefing_views, import_views, reference_views, views

app_name = "indicators"
urlpatterns = [
    path("", views.compare, name="compare"),
    path("briefing/", briefing_views.briefing, name="briefing"),
    path("reference-list/", reference_views.reference_page, name="reference"),
    path("import/", import_views.import_page, name="import"),
    path("import/<int:job_id>/", import_views.import_job, name="import_job"),
]
