from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("events/<slug:slug>/ratings/", views.rate_meetings, name="rate"),
    path("events/<slug:slug>/follow-up/", views.follow_up, name="follow_up"),
]
