from django.urls import path

from . import report_views, views

app_name = "outcomes"
urlpatterns = [
    path("report/", report_views.report, name="report"),
    path("report/meetings/", report_views.report_meetings, name="report_meetings"),
    path("events/<slug:slug>/ratings/", views.rate_meetings, name="rate"),
    path("events/<slug:slug>/follow-up/", views.follow_up, name="follow_up"),
]
