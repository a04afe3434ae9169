from django.urls import path

from . import report_views, story_views, survey_views, views

app_name = "outcomes"
urlpatterns = [
    path("report/", report_views.report, name="report"),
    path("report/meetings/", report_views.report_meetings, name="report_meetings"),
    path("events/<slug:slug>/ratings/", views.rate_meetings, name="rate"),
    path("events/<slug:slug>/follow-up/", views.follow_up, name="follow_up"),
    path("stories/", story_views.story_list, name="stories"),
    path("stories/<int:pk>/", story_views.story_detail, name="story"),
    path("stories/<int:pk>/edit/", story_views.story_edit, name="story_edit"),
    path("agreements/", story_views.agreements, name="agreements"),
    path("agreements/<int:agreement_id>/story/", story_views.story_new, name="story_new"),
    path("events/<slug:slug>/surveys/", survey_views.event_surveys, name="surveys"),
    path("surveys/<int:pk>/", survey_views.survey_answer, name="survey_answer"),
    path("surveys/<int:pk>/edit/", survey_views.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/results/", survey_views.survey_results, name="survey_results"),
]
