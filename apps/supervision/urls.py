from django.urls import path

from . import views, views_figures

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
    path("figures/", views_figures.figures_page, name="figures"),
    path("plans/new/", views.new_plan, name="new_plan"),
    path("plans/<int:supervision_plan_id>/", views.plan, name="plan"),
    path("plans/<int:supervision_plan_id>/plan.docx", views.plan_word, name="plan_word"),
    path("plans/<int:supervision_plan_id>/do/<str:key>/", views.plan_act, name="plan_act"),
    path("plans/<int:supervision_plan_id>/items/", views.add_item, name="add_item"),
    path("plans/<int:supervision_plan_id>/topics/", views.list_topic, name="list_topic"),
    path("activities/<int:activity_id>/", views.activity, name="activity"),
    path("activities/<int:activity_id>/do/<str:key>/", views.activity_act, name="activity_act"),
    path("activities/<int:activity_id>/findings/", views.add_finding, name="add_finding"),
    path("activities/<int:activity_id>/files/", views.upload, name="upload"),
    path("activities/<int:activity_id>/files/<int:att>/", views.file, name="file"),
    path(
        "findings/<int:finding_id>/rectification/", views.finding_rectification, name="finding_rectification"
    ),
    path("appointments/new/", views.new_appointment, name="new_appointment"),
    path("appointments/<int:appointment_id>/", views.appointment, name="appointment"),
    path("appointments/<int:appointment_id>/do/<str:key>/", views.appointment_act, name="appointment_act"),
    path("appointments/<int:appointment_id>/rating/", views.rate, name="rate"),
    path(
        "appointments/<int:appointment_id>/findings/", views.appointment_finding, name="appointment_finding"
    ),
]
