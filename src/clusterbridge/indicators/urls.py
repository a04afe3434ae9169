from django.urls import path

from . import reference_views, views

app_name = "indicators"
urlpatterns = [
    path("", views.compare, name="compare"),
    path("reference-list/", reference_views.reference_page, name="reference"),
]
