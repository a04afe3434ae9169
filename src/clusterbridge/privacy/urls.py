from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.notice, name="notice"),
    path("my-data/", views.my_data, name="mine"),
    path("my-data/erase/", views.erase, name="erase"),
    path("export/<str:token>/", views.export_download, name="export_download"),
    path("audit/", views.audit, name="audit"),
    path("people/", views.people, name="people"),
    path("people/<int:user_id>/", views.person, name="person"),
]
