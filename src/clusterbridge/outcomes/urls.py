from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [path("events/<slug:slug>/ratings/", views.rate_meetings, name="rate")]
