from django.urls import path

from . import import_views, reference_views, views

app_name = "indicators"
urlpatterns = [
    path("", views.compare, name="compare"),
    path("reference-list/", reference_views.reference_page, name="reference"),
    path("import/", import_views.import_page, name="import"),
    path("import/<int:job_id>/", import_views.import_job, name="import_job"),
]
