from django.urls import path

from . import views
from . import views_deliberation as dv
from . import views_resolutions as rv

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/new/", views.new, name="new"),
    path("meetings/<int:pk>/", views.detail, name="detail"),
    path("meetings/<int:pk>/do/<str:action>/", views.act, name="act"),
    path("meetings/<int:pk>/chair/", views.chair, name="chair"),
    path("meetings/<int:pk>/hall/", views.hall, name="hall"),
    path("meetings/<int:pk>/checkin-qr.svg", views.checkin_qr, name="checkin_qr"),
    path("meetings/<int:pk>/checkin/", views.checkin_landing, name="checkin"),
    path("meetings/<int:pk>/my/", views.my, name="my"),
    path("meetings/<int:pk>/my/checkin/", views.my_checkin, name="my_checkin"),
    path("meetings/<int:pk>/my/leave/", views.my_leave, name="my_leave"),
    path("meetings/<int:pk>/my/ballot/<int:vote_id>/", views.my_ballot, name="my_ballot"),
    path("meetings/<int:pk>/documents/<int:att_id>/", views.document, name="document"),
    path("meetings/<int:pk>/minutes.docx", views.minutes, name="minutes"),
    path("meetings/<int:pk>/resolutions.docx", views.resolutions, name="resolutions"),
    path("meetings/<int:pk>/notice.docx", views.notice, name="notice"),
    # Agenda checklists and group deliberation (issue 16 items 4 and 7)
    path("meetings/<int:pk>/checklist/<int:checklist_item_id>/", dv.settle, name="checklist_settle"),
    path("meetings/checklists/", dv.checklists, name="checklists"),
    path("deliberation/", dv.home, name="deliberation"),
    path("deliberation/sessions/<int:session_id>/", dv.session, name="deliberation_session"),
    path("deliberation/groups/<int:group_id>/", dv.group, name="deliberation_group"),
    path("deliberation/reports/<int:agenda_item_id>/", dv.report, name="deliberation_report"),
    path("deliberation/reports/<int:agenda_item_id>/digest.docx", dv.report_docx, name="deliberation_docx"),
    path("deliberation/digests/<int:digest_id>/", dv.digest, name="digest"),
    path("deliberation/digests/<int:digest_id>/do/<str:key>/", dv.digest_act, name="digest_act"),
    path("deliberation/digests/<int:digest_id>/document.docx", dv.digest_document, name="digest_document"),
    # Resolutions followed up (issue 16 item 6)
    path("resolutions/", rv.home, name="resolutions_home"),
    path("resolutions/<int:vote_id>/", rv.resolution, name="resolution"),
    path("resolutions/meetings/<int:meeting_id>/report.docx", rv.report, name="resolution_report"),
    path("resolutions/tasks/<int:resolution_task_id>/", rv.task, name="resolution_task"),
    path("resolutions/tasks/<int:resolution_task_id>/do/<str:key>/", rv.task_act, name="resolution_task_act"),
    path("resolutions/tasks/<int:resolution_task_id>/files/", rv.task_upload, name="resolution_task_upload"),
    path(
        "resolutions/tasks/<int:resolution_task_id>/files/<int:att>/",
        rv.task_file,
        name="resolution_task_file",
    ),
]
