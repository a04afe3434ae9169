from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("feed/<str:token>.ics", views.agenda_feed, name="feed"),
    path("new/", views.event_new, name="new"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/logo.png", views.event_logo, name="logo"),
    path("<slug:slug>/participants/", views.participant_list, name="participants"),
    path("<slug:slug>/requests/", views.request_list, name="requests"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<slug:slug>/agenda.pdf", views.agenda, {"fmt": "pdf"}, name="agenda_pdf"),
    path("<slug:slug>/organise/", views.organise, name="organise"),
    path("<slug:slug>/organise/setup/", views.setup, name="setup"),
    path("<slug:slug>/organise/runs/<int:run_id>/", views.run_detail, name="run"),
    path("<slug:slug>/organise/check-in/", views.check_in_page, name="check_in"),
    path("<slug:slug>/organise/availability/<int:registration_id>/", views.availability, name="availability"),
    path("<slug:slug>/organise/export.xlsx", views.export, name="export"),
]
