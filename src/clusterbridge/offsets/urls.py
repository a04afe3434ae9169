from django.urls import path

from . import views

app_name = "offsets"
urlpatterns = [
    path("", views.home, name="home"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_new, name="agreement_new"),
    path("agreements/<str:number>/", views.agreement_detail, name="agreement"),
    path("agreements/<str:number>/cases/new/", views.case_new, name="case_new"),
    path("cases/<str:number>/", views.case_detail, name="case"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<str:day>/", views.meeting_detail, name="meeting"),
    path("ledger/check/", views.ledger_check, name="ledger_check"),
    path("reports/<int:year>/", views.year_report, name="report"),
    path("reports/<int:year>.<str:fmt>", views.year_report, name="report_export"),
    path("demand-items/", views.demand_list, name="demand"),
    path("demand-items.<str:fmt>", views.demand_list, name="demand_export"),
    path("demand-items/review/", views.demand_review, name="demand_review"),
    path("demand-items/new/", views.demand_item_new, name="demand_new"),
    path("import/", views.history_import, name="import"),
    path("import/<int:job_id>/", views.history_import_job, name="import_job"),
]
