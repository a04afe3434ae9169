from django.urls import path

from . import cooperation_views, membership_views, views

app_name = "directory"
urlpatterns = [
    path("organisations/", views.organisation_list, name="list"),
    path("my-organisation/", membership_views.my_organisation, name="mine"),
    path("my-organisation/invitation/<str:token>/", membership_views.invitation, name="invitation"),
    path("taxonomy/", views.taxonomy, name="taxonomy"),
    path("organisations/export.<str:fmt>", views.organisation_export, name="export"),
    path("organisations/import/", views.organisation_import, name="import"),
    path("organisations/import/<int:job_id>/", views.import_job, name="import_job"),
    path("organisations/<str:external_id>/", views.organisation_detail, name="detail"),
    path("organisations/<str:external_id>/edit/", views.organisation_edit, name="edit"),
    path("organisations/<str:external_id>/logo.png", views.organisation_logo, name="logo"),
    path("organisations/<str:external_id>/access-log/", views.organisation_access_log, name="access_log"),
    path("organisations/<str:external_id>/cooperation/new/", cooperation_views.edit, name="cooperation_new"),
    path("organisations/<str:external_id>/cooperation/<int:profile_id>/edit/", cooperation_views.edit,
         name="cooperation_edit"),
    path("cooperation/", cooperation_views.board, name="cooperation"),
    path("cooperation/<int:profile_id>/", cooperation_views.detail, name="cooperation_detail"),
]
