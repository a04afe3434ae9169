from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("<int:job_id>/progress/", views.job_status, name="job_status"),
    path("<int:job_id>/stop/", views.job_stop, name="job_stop"),
]
