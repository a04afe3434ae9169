from django.urls import path

from . import views

app_name = "publishing"
urlpatterns = [
    path("news/", views.news_list, name="list"),
    path("news/feed.atom", views.NewsFeed(), name="feed"),
    path("news/new/", views.post_edit, name="new"),
    path("news/review/", views.review, name="review"),
    path("news/<slug:slug>/", views.news_detail, name="detail"),
    path("news/<slug:slug>/edit/", views.post_edit, name="edit"),
    path("news/<slug:slug>/image", views.news_image, name="image"),
    path("events/feed.atom", views.EventsFeed(), name="events_feed"),
    path("newsletter/", views.subscribe, name="subscribe"),
    path("newsletter/confirm/<str:token>/", views.confirm, name="confirm"),
    path("newsletter/preferences/<str:token>/", views.preferences, name="preferences"),
    path("newsletter/send/", views.newsletter_admin, name="admin"),
    path("newsletter/import/", views.subscribers_import_page, name="import"),
    path("newsletter/issues/<int:issue_id>/preview/", views.issue_preview, name="preview"),
    path("newsletter/<slug:slug>/issues/new/", views.issue_edit, name="issue_new"),
    path("newsletter/<slug:slug>/issues/<int:issue_id>/edit/", views.issue_edit, name="issue_edit"),
]
